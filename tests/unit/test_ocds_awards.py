"""Awards, contracts, suppliers and KPIs in OCDS releases, checked against the schema patched with the metrics, party
scale and UK extensions; and the same facts in the CSV file and the API."""

from datetime import date, datetime, timezone

import pytest

from portal.models import KPI, Award, AwardSupplier, KPIResult, Rating, Stage
from portal.opendata import award_data, ocds
from portal.opendata.ocds_awards import RATING_CODES
from tests.conftest import TODAY
from tests.factories import make_buyer, make_opportunity
from tests.ocds_validation import assert_valid_package, schema_errors
from tests.unit.test_ocds import package_of

PUBLISHED = datetime(2026, 11, 21, 10, 0, tzinfo=timezone.utc)


def _award(opportunity, value=6_000_000, results=True) -> Award:
    award = Award(id=7, opportunity_id=opportunity.id, value=value, awarded_on=date(2026, 6, 1),
                  contract_starts_on=date(2026, 7, 1), contract_ends_on=date(2028, 6, 30), lot_id=None,
                  created_at=datetime(2026, 6, 1, tzinfo=timezone.utc),
                  suppliers=[AwardSupplier(position=0, name="Good Food CIC", size="small", is_vcse=True, region="TLI",
                                           organisation_id=12),
                             AwardSupplier(position=1, name="Big Catering plc", size="large", is_vcse=False)])
    award.kpis = [KPI(id=3, position=0, title="Meals on time", measure="Share of meals delivered within the hour.",
                      unit="%", target=95, frequency="quarterly",
                      results=[KPIResult(id=n, period_start=date(2026, 7, 1), period_end=end, observed=observed,
                                         rating=rating, rating_note=note, comment="Plain words.",
                                         published_at=PUBLISHED)
                               for n, (end, observed, rating, note) in enumerate([
                                   (date(2026, 9, 30), 91.5, Rating.APPROACHING_TARGET, ""),
                                   (date(2026, 10, 31), 80, Rating.OTHER, "Not rated in the first months")], 1)
                               ] if results else []),
                  KPI(id=4, position=1, title="Local jobs", measure="People from the borough employed.", unit="people",
                      target=10, frequency="yearly", results=[])]
    return award


@pytest.fixture
def awarded(session):
    buyer = make_buyer(session, slug="camden", name="London Borough of Camden")
    return make_opportunity(session, buyer, stage=Stage.AWARDED, slug="meals",
                            updated_at=datetime(2026, 5, 1, tzinfo=timezone.utc))


def test_an_award_becomes_suppliers_an_award_and_a_contract_with_kpis_and_results(awarded):
    award = _award(awarded)
    release = ocds.release(awarded, [], TODAY, awards=[award])
    assert_valid_package(package_of(release))
    ocid = awarded.ocid
    assert release["tag"] == ["award", "contract", "implementation"]
    assert release["date"] == "2026-11-21T10:00:00Z"  # the newest published result
    suppliers = [p for p in release["parties"] if "supplier" in p["roles"]]
    assert suppliers == [
        {"id": "portal-supplier-12", "name": "Good Food CIC", "roles": ["supplier"],
         "details": {"scale": "sme", "vcse": True}, "address": {"region": "London", "countryName": "United Kingdom"}},
        {"id": f"{ocid}-award-7-supplier-2", "name": "Big Catering plc", "roles": ["supplier"],
         "details": {"scale": "large", "vcse": False}},
    ]
    [built] = release["awards"]
    assert built["value"] == {"amount": 6_000_000, "currency": "GBP"} and built["status"] == "active"
    assert [s["id"] for s in built["suppliers"]] == ["portal-supplier-12", f"{ocid}-award-7-supplier-2"]
    assert "supplier's details" not in str(release)
    [contract] = release["contracts"]
    assert contract["awardID"] == built["id"] and contract["status"] == "active"
    assert [m["title"] for m in contract["agreedMetrics"]] == ["Meals on time", "Local jobs"]
    assert contract["agreedMetrics"][0]["observations"][0]["measure"] == 95
    [measured] = contract["implementation"]["metrics"]
    assert [(o["measure"], o["measureClassification"]["id"], o["measureClassification"]["description"])
            for o in measured["observations"]] == [(91.5, "slightlyBelow", "Approaching target"),
                                                   (80, "other", "Not rated in the first months")]


def test_the_four_ratings_match_the_uk_codes():
    assert RATING_CODES == {"good": "met", "approaching-target": "slightlyBelow", "requires-improvement": "below",
                            "inadequate": "significantlyBelow", "other": "other"}


def test_a_contract_without_results_has_agreed_metrics_only_and_no_value_is_left_out(awarded):
    award = _award(awarded, value=None, results=False)
    award.suppliers[0].size = None
    release = ocds.release(awarded, [], TODAY, awards=[award])
    assert_valid_package(package_of(release))
    assert "implementation" not in release["contracts"][0] and "value" not in release["awards"][0]
    assert release["tag"] == ["award", "contract"]
    assert release["parties"][1]["details"] == {"vcse": True}


def test_an_awarded_item_with_no_recorded_award_says_so_plainly(awarded):
    release = ocds.release(awarded, [], TODAY)
    assert_valid_package(package_of(release))
    assert release["awards"][0]["description"] == \
        "The buyer has awarded a contract but has not yet recorded who won it on this portal."


def test_the_schema_checks_metrics_and_scale(awarded):
    release = ocds.release(awarded, [], TODAY, awards=[_award(awarded)])
    release["parties"][1]["details"]["scale"] = "enormous"
    release["contracts"][0]["agreedMetrics"][0]["observations"] = []
    errors = schema_errors(package_of(release))
    assert any("enormous" in error for error in errors) and any("observations" in error for error in errors)


def test_csv_and_api_carry_award_supplier_and_kpi_fields(awarded):
    award = _award(awarded)
    assert award_data.csv_cells([award]) == {
        "award_value": 6_000_000, "awarded_on": "2026-06-01", "suppliers": "Good Food CIC; Big Catering plc",
        "supplier_sizes": "small; large", "awarded_to_sme": "yes", "awarded_to_vcse": "yes",
        "kpis": "Meals on time (target 95 %); Local jobs (target 10 people)",
        "latest_ratings": "Meals on time: Other",
    }
    assert set(award_data.csv_cells([]).values()) == {""}
    [api] = award_data.api_awards([award])
    assert api["suppliers"][0] == {"name": "Good Food CIC", "size": "small", "sme": True, "vcse": True, "region": "TLI"}
    assert api["kpis"][0]["results"][1]["rating_note"] == "Not rated in the first months"
