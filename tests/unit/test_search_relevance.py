"""Queries typed the way a small supplier would: the right opportunity must be in the top 3."""

import pytest

from portal.search import SearchQuery
from portal.services.opportunities import published_in_order
from tests.conftest import TODAY

EXPECTED_IN_TOP_3 = [
    ("loneliness older people", "hackney-loneliness-older-people"),
    ("school meals", "camden-healthy-school-meals"),
    ("retrofit heat pumps", "camden-estate-retrofit-heat-pumps"),
    ("free school meals not claimed", "dfe-free-school-meals-take-up"),
    ("breakfast club food", "dfe-breakfast-clubs"),
    ("damp and mould in council homes", "hackney-damp-mould-early-warning"),
    ("electric vehicle charging for council vans", "hackney-zero-emission-fleet-charging"),
    ("solar panels community energy", "bristol-community-energy-council-roofs"),
    ("flooding homes", "bristol-flood-resilience-homes"),
    ("food waste flats", "bristol-food-waste-from-flats"),
    ("skills bootcamps", "greater-manchester-skills-bootcamps"),
    ("homelessness prevention", "greater-manchester-homelessness-early-warning"),
    ("mental health small businesses", "greater-manchester-mental-health-small-firms"),
    ("home care rural villages", "kent-rural-home-care"),
    ("pothole road repairs low carbon", "kent-low-carbon-road-repairs"),
    ("reuse shop at the tip", "kent-recycling-centre-reuse-shops"),
    ("hospital discharge", "leeds-hospital-discharge-support"),
    ("clinical waste plastic", "leeds-clinical-waste-single-use-plastics"),
    ("patient transport ambulance electric", "leeds-patient-transport-zero-emission"),
    ("kids missing school anxiety", "dfe-school-absence-anxiety"),
    ("special educational needs technology", "dfe-edtech-send"),
    ("empty shops on estates for artists", "camden-meanwhile-use-estate-spaces"),
    ("apprenticeships for young people", "camden-young-people-routes-into-work"),
    ("help older people get online", "greater-manchester-older-people-online"),
]


@pytest.mark.parametrize("text, slug", EXPECTED_IN_TOP_3)
def test_expected_opportunity_is_in_the_top_three(content_app, text, slug):
    from sqlmodel import Session
    result = content_app.extensions["search"].search(SearchQuery(text=text, size=3), TODAY)
    with Session(content_app.extensions["engine"]) as session:
        top = [row.slug for row in published_in_order(session, result.ids)]
    assert slug in top, f"{text!r} gave {top}"
