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


# Floors a little below today's figures (share found 0.98 on all three; mean reciprocal rank: tantivy 0.98,
# Whoosh 0.97, PostgreSQL 0.95):
# a change that loses relevance fails here. Raise them when relevance improves.
SHARE_FOUND_FLOOR = 0.92
MEAN_RECIPROCAL_RANK_FLOOR = 0.90


@pytest.fixture(scope="module", params=["tantivy", "whoosh", "postgres"])
def evaluated(request, content_app, tmp_path_factory):
    from sqlmodel import Session

    from portal.search import make_index
    from portal.search.evaluate import evaluate
    from portal.services.indexing import rebuild_index
    from tests.databases import on_postgres

    if request.param == "postgres" and not on_postgres():
        return None  # PostgreSQL is evaluated only when TEST_DATABASE_URL names a server
    engine = content_app.extensions["engine"]
    index = make_index(request.param, str(tmp_path_factory.mktemp(f"relevance-{request.param}")), engine)
    with Session(engine) as session:
        rebuild_index(session, index)
        return evaluate(index, session, TODAY)


def test_the_relevance_set_is_large_and_names_real_open_opportunities(content_app):
    from sqlmodel import Session, select

    from portal.models import Opportunity, Stage, Status
    from portal.search.evaluate import cases

    relevance = cases()
    assert len(relevance) >= 60
    with Session(content_app.extensions["engine"]) as session:
        open_slugs = set(session.exec(select(Opportunity.slug).where(
            Opportunity.status == Status.PUBLISHED, Opportunity.stage.not_in([Stage.AWARDED, Stage.CANCELLED]))).all())
    assert {slug for case in relevance for slug in case.expected} <= open_slugs


def test_relevance_stays_above_its_floor(evaluated):
    if evaluated is None:
        assert not __import__("tests.databases", fromlist=["on_postgres"]).on_postgres()
        return
    misses = "\n".join(f"{text!r}: {top}" for text, top in evaluated.misses)
    assert evaluated.share_found >= SHARE_FOUND_FLOOR, f"{evaluated.line()}\n{misses}"
    assert evaluated.mean_reciprocal_rank >= MEAN_RECIPROCAL_RANK_FLOOR, f"{evaluated.line()}\n{misses}"
