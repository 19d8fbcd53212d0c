""""Can we bid?" facts in OCDS releases, checked against the OCDS 1.1 schema patched with the extensions we declare."""

import json
import runpy
from datetime import datetime, timezone
from pathlib import Path

import pytest

from portal.bidding.facts import BidFacts
from portal.opendata import ocds
from tests.bid_facts_examples import EVERY_FACT
from tests.conftest import TODAY
from tests.factories import make_buyer, make_mission, make_opportunity
from tests.ocds_validation import assert_valid_package, codelist_errors, schema_errors

PUBLISHER = ocds.Publisher(name="Opportunity Portal", uri="https://portal.example/",
                           publication_policy="https://portal.example/data")
UPDATED = datetime(2026, 11, 20, 9, 30, 15, tzinfo=timezone.utc)
ROOT = Path(__file__).resolve().parents[2]


def package_of(*releases: dict) -> dict:
    return ocds.release_package(list(releases), uri="https://portal.example/data/ocds/releases.json",
                                published=UPDATED, publisher=PUBLISHER)


@pytest.fixture
def make(session):
    buyer = make_buyer(session, slug="camden", name="London Borough of Camden", region="TLI")
    mission = make_mission(session, owner=buyer)

    def build(facts: dict | None = None, **overrides) -> dict:
        opportunity = make_opportunity(session, buyer, [mission], updated_at=UPDATED, title="Local food",
                                       bid_facts=BidFacts.model_validate(facts or {}).to_json(), **overrides)
        built = ocds.release(opportunity, [], TODAY)
        assert_valid_package(package_of(built))
        return built
    return build


def test_the_patched_schema_is_the_core_schema_with_our_extensions():
    builder = runpy.run_path(str(ROOT / "scripts" / "build-ocds-schema.py"))
    kept = (ROOT / "portal" / "reference_data" / "ocds" / "release-schema-patched.json").read_text(encoding="utf-8")
    assert builder["schema_text"]() == kept
    folders = {p.name for p in (ROOT / "portal" / "reference_data" / "ocds" / "extensions").iterdir()}
    assert folders == set(builder["EXTENSIONS"])
    for name in folders:
        assert (ROOT / "portal" / "reference_data" / "ocds" / "extensions" / name / "LICENSE").is_file()


def test_every_declared_extension_is_in_the_patched_schema():
    declared = {url.split("/")[4] for url in ocds.EXTENSIONS}
    builder = runpy.run_path(str(ROOT / "scripts" / "build-ocds-schema.py"))
    # The location and pagination extensions add fields we do not check: items' places and package links.
    assert declared - set(builder["EXTENSIONS"]) == {"ocds_location_extension", "ocds_pagination_extension"}


def test_no_facts_add_nothing(make):
    tender = make()["tender"]
    for key in ("lots", "lotDetails", "selectionCriteria", "contractTerms", "subcontractingTerms",
                "otherRequirements"):
        assert key not in tender


def test_every_fact_is_published(make):
    tender = make(EVERY_FACT, suitable_for_sme=True, suitable_for_vcse=True)["tender"]

    first, second, third = tender["lots"]
    assert first["id"] == "1" and first["title"] == "Fruit and vegetables"
    assert first["description"] == "Fresh produce for 20 kitchens."
    # A yearly value is published as the whole contract's: three years of £100,000 to £150,000.
    assert first["minimumValue"] == {"amount": 300_000, "currency": "GBP"}
    assert first["value"] == {"amount": 450_000, "currency": "GBP"}
    assert first["contractPeriod"] == {"durationInDays": 1096, "durationInMonths": 36}
    assert second["value"] == {"amount": 90_000, "currency": "GBP"} and "minimumValue" not in second
    assert "contractPeriod" not in second
    # A yearly value over an unknown length cannot be a whole-contract value, so it is left out.
    assert "value" not in third and "minimumValue" not in third
    assert all(lot["suitability"] == {"sme": True, "vcse": True} for lot in tender["lots"])
    assert tender["lotDetails"] == {"maximumLotsBidPerSupplier": 2}

    criteria = first["awardCriteria"]["criteria"]
    assert [(c["type"], c["name"], c["numbers"]) for c in criteria] == [
        ("price", "Price", [{"number": 40, "weight": "percentageExact"}]),
        ("quality", "Quality of food", [{"number": 50, "weight": "percentageExact"}]),
        ("quality", "Social value", [{"number": 10, "weight": "percentageExact"}]),
    ]
    assert criteria[1]["description"] == "Freshness and where it comes from."
    assert criteria[2]["description"] == (
        "Social value the buyer asks for: Look after the environment and cut carbon emissions (Fighting climate "
        "change): Electric delivery vans within the borough. Create new businesses, new jobs and new skills "
        "(Tackling economic inequality): Two apprenticeships for local young people.")
    assert second["awardCriteria"] == first["awardCriteria"]

    selection = tender["selectionCriteria"]
    assert selection["criteria"] == [
        {"type": "economic", "subType": "turnover", "description": "A yearly turnover of at least £250,000.",
         "minimum": "£250,000"},
        {"type": "economic", "subType": "insurance: employers-liability",
         "description": "Employer's liability insurance of at least £5 million.", "minimum": "£5 million"},
        {"type": "economic", "subType": "insurance: public-liability",
         "description": "Public liability insurance of at least £2 million.", "minimum": "£2 million"},
        {"type": "technical", "subType": "food-hygiene-5",
         "description": "Food hygiene rating of 5: the top rating from your local council's food safety inspection."},
        {"type": "suitability", "subType": "ofsted",
         "description": "Registered with Ofsted: needed to run childcare or children's homes in England."},
        {"type": "technical", "description": "Soil Association organic certification"},
    ]
    assert selection["description"] == ("Organisations may bid together as a group. A group, or a supplier with "
                                         "subcontractors, may meet these conditions together.")
    assert tender["contractTerms"] == {
        "electronicInvoicingPolicy": "allowed", "financialTerms": "Paid within 30 days, every month.",
        "socialStandards": "TUPE: Unlikely: no staff are expected to move to the new supplier."}
    assert tender["subcontractingTerms"] == {"description": (
        "Subcontracting is allowed. The buyer wants at least 25% of the contract's value to go to small and "
        "medium-sized firms or VCSEs.")}
    assert tender["otherRequirements"] == {"reservedParticipation": ["vcse", "smeVcse"]}


def test_criteria_without_lots_make_one_lot_for_the_whole_contract(make):
    facts = {"criteria": [{"type": "price", "name": "Cost", "weight": 70},
                          {"type": "social-value", "name": "Local jobs", "weight": 30}]}
    tender = make(facts, value_min=200_000, value_max=300_000, contract_length_months=24)["tender"]
    [whole] = tender["lots"]
    assert whole["id"] == "1" and whole["title"] == "Local food"
    assert whole["minimumValue"] == tender["minValue"] and whole["value"] == tender["value"]
    assert whole["contractPeriod"] == {"durationInDays": 730, "durationInMonths": 24}
    assert [c["name"] for c in whole["awardCriteria"]["criteria"]] == ["Cost", "Social value: Local jobs"]
    assert "lotDetails" not in tender


def test_asks_without_a_social_value_criterion_describe_the_award_criteria(make):
    facts = {"social_value": [{"outcome": "community-cohesion", "wish": "Host a community lunch"}]}
    [whole] = make(facts)["tender"]["lots"]
    assert whole["awardCriteria"] == {"description": "Social value the buyer asks for: Bring communities together "
                                                     "(Wellbeing): Host a community lunch."}


def test_lots_alone(make):
    tender = make({"lots": [{"number": 4, "title": "Dairy"}, {"number": 7, "title": "Dry goods"}]})["tender"]
    assert tender["lots"] == [
        {"id": "4", "title": "Dairy", "suitability": {"sme": True, "vcse": False}},
        {"id": "7", "title": "Dry goods", "suitability": {"sme": True, "vcse": False}},
    ]


def test_terms_one_at_a_time(make):
    tender = make({"terms": {"payment_days": 1, "e_invoicing": False, "subcontracting_allowed": False,
                             "split_for_small_suppliers": False, "not_split_reason": "One van serves every site."},
                   "conditions": {"consortia_welcome": False, "may_combine": False}})["tender"]
    assert tender["contractTerms"] == {"electronicInvoicingPolicy": "notAllowed", "financialTerms": "Paid within 1 day."}
    assert tender["subcontractingTerms"] == {"description": "Subcontracting is not allowed."}
    assert tender["lotDetails"] == {"noLotsDivisionRationale": "One van serves every site."}
    assert tender["selectionCriteria"] == {"description": "Organisations may not bid together as a group. Each "
                                                          "supplier must meet these conditions on its own."}
    assert "lots" not in tender


def test_a_yearly_value_is_published_for_the_whole_contract(make):
    built = make(value_min=100_000, value_max=120_000, value_basis="per-year", contract_length_months=36)
    assert built["tender"]["minValue"] == {"amount": 300_000, "currency": "GBP"}
    assert built["tender"]["value"] == {"amount": 360_000, "currency": "GBP"}
    assert built["planning"]["budget"] == {
        "description": "Estimated value: £100,000 to £120,000 a year (£300,000 to £360,000 in total over 3 years)",
        "amount": {"amount": 360_000, "currency": "GBP"}}


def test_a_yearly_value_of_unknown_length_is_only_described(make):
    built = make(value_min=None, value_max=40_000, value_basis="per-year", contract_length_months=None)
    assert "value" not in built["tender"] and "minValue" not in built["tender"]
    assert built["planning"]["budget"] == {"description": "Estimated value: £40,000 a year"}


def test_html_in_facts_is_kept_as_text_and_still_valid(make):
    facts = {"lots": [{"number": 1, "title": "<script>alert(1)</script>"}],
             "conditions": {"other_accreditations": "<b>ISO</b> & \"more\""}}
    tender = make(facts)["tender"]
    assert tender["lots"][0]["title"] == "<script>alert(1)</script>"
    assert json.loads(json.dumps(tender))["selectionCriteria"]["criteria"][0]["description"] == "<b>ISO</b> & \"more\""


def test_the_patched_schema_refuses_broken_facts(make):
    built = make(EVERY_FACT)
    built["tender"]["selectionCriteria"]["criteria"][0]["type"] = "financial"
    built["tender"]["lots"][0]["awardCriteria"]["criteria"][0]["numbers"][0]["weight"] = "percent"
    built["tender"]["contractTerms"]["electronicInvoicingPolicy"] = "yes"
    errors = schema_errors(package_of(built))
    assert len(errors) == 3, errors


def test_an_unknown_reservation_code_is_caught(make):
    built = make(EVERY_FACT)
    built["tender"]["otherRequirements"]["reservedParticipation"] = ["charity"]
    assert codelist_errors(package_of(built)) == [f"{built['id']}: reserved participation charity"]
