""""Can we bid?" facts in the JSON API, the spreadsheet and the OCDS files."""

import csv
import io

import pytest
from sqlmodel import Session

from portal.bidding.facts import BidFacts
from portal.services.indexing import rebuild_index
from tests.bid_facts_examples import EVERY_FACT
from tests.factories import make_buyer, make_opportunity
from tests.ocds_validation import assert_valid_package
from tests.web.test_data import openapi_validator

NOT_STATED_CSV = ["lots", "max_lots_per_bidder", "min_turnover", "insurance", "accreditations", "consortia_welcome",
                  "payment_days", "payment_frequency", "e_invoicing", "tupe", "subcontracting_allowed",
                  "small_firm_share", "reserved_for", "split_for_small_suppliers", "not_split_reason", "criteria",
                  "social_value_themes"]


@pytest.fixture
def publish(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        buyer = make_buyer(session, slug="camden", name="London Borough of Camden")

    def add(slug: str, facts: dict | None = None, **overrides):
        with Session(app.extensions["engine"], expire_on_commit=False) as session:
            return make_opportunity(session, buyer, slug=slug,
                                    bid_facts=BidFacts.model_validate(facts or {}).to_json(), **overrides)
    return add


def csv_row(client, slug: str) -> dict:
    rows = csv.DictReader(io.StringIO(client.get("/data/opportunities.csv").get_data(as_text=True)))
    return next(row for row in rows if row["slug"] == slug)


def api_detail(client, slug: str) -> dict:
    body = client.get(f"/api/opportunities/{slug}").get_json()
    errors = [e.message for e in openapi_validator(client, "OpportunityDetail").iter_errors(body)]
    assert not errors, errors
    return body


# --- JSON API ------------------------------------------------------------------------------------------------------

def test_api_gives_every_fact(client, publish):
    publish("local-food", EVERY_FACT, value_min=400_000, value_max=500_000, value_basis="per-year",
            contract_length_months=36)
    body = api_detail(client, "local-food")
    assert body["value"] == {"min": 400_000, "max": 500_000, "stated": True, "basis": "per-year",
                             "total": {"min": 1_200_000, "max": 1_500_000}}
    facts = body["can_we_bid"]
    first, second, third = facts["lots"]
    assert first == {"number": 1, "title": "Fruit and vegetables", "description": "Fresh produce for 20 kitchens.",
                     "value": {"min": 100_000, "max": 150_000, "basis": "per-year",
                               "total": {"min": 300_000, "max": 450_000}},
                     "contract_length_months": 36, "regions": [{"code": "TLI", "name": "London"}]}
    assert second["value"] == {"min": None, "max": 90_000, "basis": "total", "total": {"min": None, "max": 90_000}}
    assert third["value"]["total"] is None, "a yearly value over an unknown length has no total"
    assert facts["max_lots_per_bidder"] == 2
    assert facts["min_turnover"] == 250_000
    assert facts["insurance"] == [
        {"kind": "employers-liability", "label": "Employer's liability insurance", "amount": 5_000_000},
        {"kind": "public-liability", "label": "Public liability insurance", "amount": 2_000_000}]
    assert facts["accreditations"] == [{"slug": "food-hygiene-5", "label": "Food hygiene rating of 5"},
                                       {"slug": "ofsted", "label": "Registered with Ofsted"}]
    assert facts["other_accreditations"] == "Soil Association organic certification"
    assert (facts["consortia_welcome"], facts["may_combine"]) == (True, True)
    assert (facts["payment_days"], facts["payment_frequency"], facts["e_invoicing"]) == (30, "monthly", True)
    assert (facts["tupe"], facts["subcontracting_allowed"], facts["small_firm_share"]) == ("unlikely", True, 25)
    assert facts["reserved_for"] == ["vcse", "sme-or-vcse"]
    assert (facts["split_for_small_suppliers"], facts["not_split_reason"]) == (True, None)
    assert [(c["type"], c["name"], c["weight"]) for c in facts["criteria"]] == [
        ("price", "Price", 40), ("quality", "Quality of food", 50), ("social-value", "Social value", 10)]
    assert facts["social_value"][0] == {
        "theme": {"slug": "climate-change", "name": "Fighting climate change"},
        "outcome": {"slug": "environment", "name": "Look after the environment and cut carbon emissions"},
        "mission": None, "wish": "Electric delivery vans within the borough."}


def test_api_without_facts_says_nothing_was_given(client, publish):
    publish("plain", value_max=40_000, value_min=None, value_basis="per-year", contract_length_months=None)
    body = api_detail(client, "plain")
    assert body["value"] == {"min": None, "max": 40_000, "stated": True, "basis": "per-year", "total": None}
    facts = body["can_we_bid"]
    assert all(facts[name] == [] for name in ("lots", "insurance", "accreditations", "reserved_for", "criteria",
                                              "social_value"))
    assert all(value is None for value in facts.values() if value != [])


def test_search_results_say_whether_the_value_is_yearly(app, client, publish):
    publish("yearly", value_min=10_000, value_max=20_000, value_basis="per-year", contract_length_months=18)
    with Session(app.extensions["engine"]) as session:
        rebuild_index(session, app.extensions["search"])
    [result] = [r for r in client.get("/api/opportunities?size=50").get_json()["results"] if r["slug"] == "yearly"]
    assert result["value"] == {"min": 10_000, "max": 20_000, "stated": True, "basis": "per-year",
                               "total": {"min": 15_000, "max": 30_000}}
    assert "can_we_bid" not in result


def test_the_openapi_description_refuses_a_wrong_fact(client, publish):
    publish("local-food", EVERY_FACT)
    body = client.get("/api/opportunities/local-food").get_json()
    body["can_we_bid"]["tupe"] = "perhaps"
    body["can_we_bid"]["criteria"][0]["weight"] = 140
    assert len(list(openapi_validator(client, "OpportunityDetail").iter_errors(body))) == 2


# --- CSV -----------------------------------------------------------------------------------------------------------

def test_csv_gives_every_fact_in_one_row(client, publish):
    publish("local-food", EVERY_FACT, value_min=400_000, value_max=500_000, value_basis="per-year",
            contract_length_months=36)
    row = csv_row(client, "local-food")
    assert row["value_min"] == "400000" and row["value_max"] == "500000"
    assert (row["value_basis"], row["value_total_min"], row["value_total_max"]) == ("per-year", "1200000", "1500000")
    assert row["contract_length_months"] == "36"
    assert row["lots_count"] == "3"
    assert row["lots"] == ("Lot 1: Fruit and vegetables, £100,000 to £150,000 a year (£300,000 to £450,000 in total "
                           "over 3 years); Lot 2: Bread and bakery, £90,000 in total; "
                           "Lot 3: Surplus food, £5,000 to £8,000 a year")
    assert row["max_lots_per_bidder"] == "2"
    assert row["min_turnover"] == "250000"
    assert row["insurance"] == "Employer's liability insurance £5 million; Public liability insurance £2 million"
    assert row["accreditations"] == ("Food hygiene rating of 5; Registered with Ofsted; "
                                     "Soil Association organic certification")
    assert row["consortia_welcome"] == "yes"
    assert (row["payment_days"], row["payment_frequency"], row["e_invoicing"]) == ("30", "every month", "yes")
    assert (row["tupe"], row["subcontracting_allowed"], row["small_firm_share"]) == ("Unlikely", "yes", "25")
    assert row["reserved_for"] == ("Voluntary, community and social enterprise organisations (VCSEs); "
                                   "Small and medium-sized firms (SMEs) and VCSEs")
    assert (row["split_for_small_suppliers"], row["not_split_reason"]) == ("yes", "")
    assert row["criteria"] == "Price 40%; Quality 50% (Quality of food); Social value 10%"
    assert row["social_value_themes"] == "Fighting climate change; Tackling economic inequality"


def test_csv_keeps_no_apart_from_not_stated(client, publish):
    publish("said-no", {"conditions": {"consortia_welcome": False},
                        "terms": {"e_invoicing": False, "subcontracting_allowed": False,
                                  "split_for_small_suppliers": False, "not_split_reason": "One site only."}})
    publish("said-nothing")
    said_no, said_nothing = csv_row(client, "said-no"), csv_row(client, "said-nothing")
    for column in ("consortia_welcome", "e_invoicing", "subcontracting_allowed", "split_for_small_suppliers"):
        assert (said_no[column], said_nothing[column]) == ("no", ""), column
    assert said_no["not_split_reason"] == "One site only."
    assert said_nothing["lots_count"] == "0"
    assert all(said_nothing[column] == "" for column in NOT_STATED_CSV)


@pytest.mark.parametrize("value_min, value_max, basis, months, totals", [
    (10_000, 20_000, "total", None, ("10000", "20000")),
    (10_000, 20_000, "per-year", 6, ("5000", "10000")),
    (None, 20_000, "per-year", 24, ("", "40000")),
    (10_000, 20_000, "per-year", None, ("", "")),
    (None, None, "total", 12, ("", "")),
])
def test_csv_total_value(client, publish, value_min, value_max, basis, months, totals):
    publish("valued", value_min=value_min, value_max=value_max, value_basis=basis, contract_length_months=months)
    row = csv_row(client, "valued")
    assert (row["value_total_min"], row["value_total_max"]) == totals


def test_csv_facts_that_look_like_formulas_are_neutralised(client, publish):
    publish("risky", {"lots": [{"number": 1, "title": "=cmd|' /C calc'!A0"}],
                      "conditions": {"other_accreditations": "@SUM(A1)"},
                      "terms": {"split_for_small_suppliers": False, "not_split_reason": "-1 site"}})
    row = csv_row(client, "risky")
    assert row["lots"] == "Lot 1: =cmd|' /C calc'!A0", "only a cell's start can make a formula"
    assert row["accreditations"] == "'@SUM(A1)"
    assert row["not_split_reason"] == "'-1 site"


# --- OCDS ----------------------------------------------------------------------------------------------------------

def test_ocds_files_carry_the_facts_and_validate(client, publish):
    publish("local-food", EVERY_FACT)
    single = client.get("/opportunities/local-food/ocds.json").get_json()
    assert_valid_package(single)
    assert [lot["id"] for lot in single["releases"][0]["tender"]["lots"]] == ["1", "2", "3"]
    everything = client.get("/data/ocds/releases.json").get_json()
    assert_valid_package(everything)
    assert any("selectionCriteria" in r["tender"] for r in everything["releases"])
