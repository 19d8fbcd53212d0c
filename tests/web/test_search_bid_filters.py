"""The "can we bid?" search filters: on the search page, in the JSON API, and in saved searches and their alerts."""

from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, select

from portal.bidding.facts import BidFacts
from portal.models import Opportunity, SavedSearch, Status
from portal.search.documents import facets_for, smallest_lot_value
from portal.services import publishing, saved_searches
from portal.services import search as search_service
from portal.services.indexing import rebuild_index
from portal.web.search_params import parse_search
from tests.conftest import NOW, TODAY
from tests.factories import make_buyer, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_supplier, post, sign_in

SMALL_LOTS = {
    "lots": [{"number": 1, "title": "North", "value_max": 20_000},
             {"number": 2, "title": "South", "value_max": 300_000}],
    "conditions": {"min_turnover": 0, "consortia_welcome": True},
    "terms": {"payment_days": 30, "reserved_for": ["vcse"]},
    "social_value": [{"outcome": "health-and-wellbeing", "wish": "Fewer lonely people."}],
}
PER_YEAR = {
    "conditions": {"min_turnover": 150_000, "consortia_welcome": False},
    "terms": {"payment_days": 31, "reserved_for": ["sme-or-vcse"]},
    "social_value": [{"outcome": "environment", "wish": "Less carbon."}],
}
BIG = {"conditions": {"min_turnover": 3_000_000}, "terms": {"reserved_for": ["public-service-mutual"]}}


def facts(mapping: dict) -> dict:
    return BidFacts.model_validate(mapping).to_json()


@pytest.fixture
def items(app):
    """Four opportunities: small lots; £20,000 a year for 3 years; a big contract; one with no value or facts."""
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        buyer = make_buyer(session, slug="camden", name="Camden Council")
        make_opportunity(session, buyer, slug="small-lots", title="Small lots", value_min=None, value_max=500_000,
                         bid_facts=facts(SMALL_LOTS))
        make_opportunity(session, buyer, slug="per-year", title="Per year", value_min=10_000, value_max=20_000,
                         value_basis="per-year", contract_length_months=36, bid_facts=facts(PER_YEAR))
        make_opportunity(session, buyer, slug="big", title="Big", value_min=None, value_max=5_000_000,
                         bid_facts=facts(BIG))
        make_opportunity(session, buyer, slug="not-stated", title="Not stated", value_min=None, value_max=None)
        rebuild_index(session, app.extensions["search"])


def slugs(response) -> list[str]:
    return sorted(a["href"].rsplit("/", 1)[-1] for a in soup(response).select("#search-results .portal-card h3 a"))


def count(text: str) -> int:
    return int(text.rsplit("(", 1)[1].split(")")[0])


@pytest.mark.parametrize("query, expected", [
    ("lot_value=25000", ["small-lots"]),  # a lot of £20,000; £20,000 a year for 3 years is £60,000
    ("lot_value=100000", ["per-year", "small-lots"]),
    ("lot_value=2000000", ["per-year", "small-lots"]),  # £5 million is too much; a value not stated never passes
    ("min_turnover=none", ["small-lots"]),  # "not-stated" has not said, so is not claimed as asking for none
    ("min_turnover=100000", ["small-lots"]),
    ("min_turnover=500000", ["per-year", "small-lots"]),
    ("min_turnover=2000000", ["per-year", "small-lots"]),
    ("social_value=wellbeing", ["small-lots"]),
    ("social_value=climate-change", ["per-year"]),
    ("social_value=equal-opportunity", []),
    ("consortia=yes", ["small-lots"]),
    ("reserved_vcse=yes", ["per-year", "small-lots"]),  # "sme-or-vcse" is open to VCSEs; a mutual's is not
    ("pays_within_30=yes", ["small-lots"]),  # 30 days passes, 31 does not
    ("lot_value=100000&min_turnover=500000&reserved_vcse=yes", ["per-year", "small-lots"]),
    ("lot_value=100000&min_turnover=500000&reserved_vcse=yes&pays_within_30=yes", ["small-lots"]),
    ("min_turnover=none&social_value=climate-change", []),
])
def test_each_filter_narrows_the_results(client, items, query, expected):
    response = client.get(f"/search?{query}")
    assert response.status_code == 200
    assert slugs(response) == expected
    api = client.get(f"/api/opportunities?{query}&size=50")
    assert api.status_code == 200
    assert sorted(r["slug"] for r in api.get_json()["results"]) == expected, "the API gives the same results"


def test_each_choice_shows_how_many_results_it_gives(client, items):
    page = soup(client.get("/search"))
    for name in ("lot_value", "min_turnover", "social_value"):
        for option in page.select(f"#{name} option")[1:]:
            assert count(option.get_text()) == len(slugs(client.get(f"/search?{name}={option['value']}"))), option
    for name in ("consortia", "reserved_vcse", "pays_within_30"):
        label = page.select_one(f'label[for="{name}"]').get_text()
        assert count(label) == len(slugs(client.get(f"/search?{name}=yes"))), name
    assert count(page.select_one('#lot_value option[value="25000"]').get_text()) == 1
    assert count(page.select_one('#min_turnover option[value="none"]').get_text()) == 1


def test_counts_follow_the_other_chosen_filters(client, items):
    page = soup(client.get("/search?consortia=yes"))
    assert count(page.select_one('#min_turnover option[value="500000"]').get_text()) == 1
    assert count(page.select_one('label[for="reserved_vcse"]').get_text()) == 1
    assert count(page.select_one('label[for="consortia"]').get_text()) == 1, "a group's own choice does not narrow it"


def test_the_filters_sit_under_can_we_bid_and_open_when_one_is_chosen(client, items):
    closed = soup(client.get("/search")).select_one("details#bid-filters")
    assert closed.summary.get_text(strip=True) == "Can we bid?" and not closed.has_attr("open")
    assert {e["id"] for e in closed.select("select, input")} == {
        "lot_value", "min_turnover", "social_value", "consortia", "reserved_vcse", "pays_within_30"}
    page = soup(client.get("/search?social_value=wellbeing&pays_within_30=yes"))
    details = page.select_one("details#bid-filters")
    assert details.has_attr("open")
    assert details.select_one("#social_value option[selected]")["value"] == "wellbeing"
    assert details.select_one("#pays_within_30").has_attr("checked")


def test_chosen_filters_each_have_a_link_that_removes_only_it(client, items):
    page = soup(client.get("/search?q=lots&lot_value=100000&min_turnover=none&consortia=yes&sme=yes"))
    links = {a.get_text(" ", strip=True): a["href"] for a in page.select("#chosen-filters a")}
    assert set(links) == {
        "Remove filter : Contract or lot worth: Up to £100,000",
        "Remove filter : Minimum turnover asked for: No minimum turnover",
        "Remove filter : Groups may bid together", "Remove filter : Suitable for small firms"}
    removed = parse_qs(urlsplit(links["Remove filter : Groups may bid together"]).query)
    assert removed == {"q": ["lots"], "lot_value": ["100000"], "min_turnover": ["none"], "sme": ["yes"]}
    assert soup(client.get("/search")).select_one("#chosen-filters") is None


@pytest.mark.parametrize("query, field", [
    ("lot_value=12", "lot_value"),
    ("lot_value=%C2%A3100%2C000", "lot_value"),
    ("lot_value=" + "9" * 5000, "lot_value"),
    ("min_turnover=lots", "min_turnover"),
    ("social_value=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "social_value"),
    ("consortia=no", "consortia"),
    ("reserved_vcse=true", "reserved_vcse"),
    ("pays_within_30=1", "pays_within_30"),
])
def test_bad_values_are_ignored_with_a_message(client, items, query, field):
    response = client.get(f"/search?{query}")
    assert response.status_code == 400
    page = soup(response)
    assert "We have ignored this filter" in page.select_one(f"#{field}-error").get_text()
    assert page.select_one(".govuk-error-summary a")["href"] == f"#{field}"
    assert page.select_one("details#bid-filters").has_attr("open"), "the message is not hidden"
    assert slugs(response) == ["big", "not-stated", "per-year", "small-lots"]
    assert "<script>" not in response.get_data(as_text=True)
    api = client.get(f"/api/opportunities?{query}")
    assert api.status_code == 400
    assert [e["parameter"] for e in api.get_json()["errors"]] == [field]


@pytest.mark.parametrize("query, message", [
    ("lot_value=12", "lot_value must be one of the allowed values."),
    ("min_turnover=", "min_turnover is empty. Give it a value, or leave it out."),
    ("consortia=yes&consortia=yes", "Give consortia only once."),
    ("pays_within_30=no", "pays_within_30 must be yes, or left out."),
])
def test_api_messages_say_what_is_wrong(client, items, query, message):
    [error] = client.get(f"/api/opportunities?{query}").get_json()["errors"]
    assert error["message"] == message
    if "allowed" in error:
        assert error["allowed"] == ["25000", "100000", "500000", "2000000"]


def test_the_openapi_description_lists_the_new_parameters(client, items):
    parameters = {p["name"]: p["schema"] for p in
                  client.get("/api/openapi.json").get_json()["paths"]["/api/opportunities"]["get"]["parameters"]}
    assert parameters["lot_value"]["enum"] == ["25000", "100000", "500000", "2000000"]
    assert parameters["min_turnover"]["enum"] == ["none", "100000", "500000", "2000000"]
    assert parameters["social_value"]["enum"] == [
        "covid-recovery", "economic-inequality", "climate-change", "equal-opportunity", "wellbeing"]
    assert all(parameters[name]["enum"] == ["yes"] for name in ("consortia", "reserved_vcse", "pays_within_30"))


def test_a_search_with_the_filters_is_saved_and_run_again(app, client, items):
    make_supplier(app)
    sign_in(client)
    address = "/search?lot_value=100000&min_turnover=500000&social_value=wellbeing&reserved_vcse=yes&pays_within_30=yes"
    save_link = soup(client.get(address)).find("a", string="Save this search and get email alerts")["href"]
    query = soup(client.get(save_link)).select_one('input[name="query"]')["value"]
    assert parse_qs(query) == {"lot_value": ["100000"], "min_turnover": ["500000"], "social_value": ["wellbeing"],
                               "reserved_vcse": ["yes"], "pays_within_30": ["yes"]}
    saved = post(client, "/saved-searches/new", {"name": "Small", "frequency": "daily", "query": query})
    assert saved.status_code == 303
    with Session(app.extensions["engine"]) as session:
        [saved] = session.exec(select(SavedSearch)).all()
    assert saved.query_string == query
    href = soup(client.get("/dashboard")).find("a", string="Small")["href"]
    assert slugs(client.get(href)) == ["small-lots"]


def test_a_saved_search_with_a_tampered_filter_keeps_only_the_good_ones(app, client, items):
    make_supplier(app)
    sign_in(client)
    post(client, "/saved-searches/new", {"name": "Odd", "frequency": "weekly",
                                         "query": "consortia=yes&lot_value=7&social_value=<b>&min_turnover=none"})
    with Session(app.extensions["engine"]) as session:
        [saved] = session.exec(select(SavedSearch)).all()
    assert saved.query_string == "min_turnover=none&consortia=yes"


def test_alerts_send_only_new_opportunities_passing_the_filters(app, items):
    user = make_supplier(app)
    sent = []
    with app.app_context(), Session(app.extensions["engine"], expire_on_commit=False) as session:
        choices = search_service.filter_choices(session)
        saved = saved_searches.save(session, user.id, "Quick payers", parse_search(
            {"pays_within_30": "yes", "lot_value": "25000"}, choices).query, "daily")
        saved.created_at = NOW - timedelta(days=1)  # the test's clock, not the machine's: alerts go by published dates
        session.add(saved)
        buyer = make_buyer(session, slug="kent", name="Kent Council")
        for slug, days in (("pays-in-14", 14), ("pays-in-60", 60)):
            item = make_opportunity(session, buyer, slug=slug, title=f"Pays in {days}", status=Status.DRAFT,
                                    published_on=TODAY, value_min=None, value_max=20_000,
                                    bid_facts=facts({"terms": {"payment_days": days}}))
            publishing.publish(session, app.extensions["search"], item)
        run = saved_searches.send_alerts(session, app.extensions["search"], lambda a: parse_search(a, choices).query,
                                         lambda to, subject, body: sent.append(body), now=NOW + timedelta(hours=1))
    assert run.alerts_sent == 1
    [body] = sent
    assert "Pays in 14" in body and "Pays in 60" not in body
    assert "pays_within_30=yes" in body and "lot_value=25000" in body


def test_facets_come_from_the_bid_facts(app, items):
    with Session(app.extensions["engine"]) as session:
        by_slug = {o.slug: facets_for(o) for o in session.exec(select(Opportunity)).all()}
    assert by_slug["small-lots"].lot_value == 20_000
    assert by_slug["per-year"].lot_value == 60_000
    assert by_slug["big"].lot_value == 5_000_000 and by_slug["not-stated"].lot_value is None
    assert (by_slug["small-lots"].social_value_themes, by_slug["per-year"].social_value_themes) == (
        ("wellbeing",), ("climate-change",))
    assert [by_slug[s].reserved_vcse for s in ("small-lots", "per-year", "big")] == [True, True, False]
    assert by_slug["not-stated"].min_turnover is None and by_slug["not-stated"].payment_days is None


@pytest.mark.parametrize("lots, whole, expected", [
    ([], (None, 40_000, "total", None), 40_000),
    ([], (30_000, None, "total", None), 30_000),  # only a lowest value given: it is the highest known
    ([], (None, 40_000, "per-year", 30), 100_000),  # a year's value over 2.5 years
    ([], (None, 40_000, "per-year", None), 40_000),  # length not known: the value as stated
    ([], (None, None, "total", 12), None),
    ([{"value_max": 9_000}, {"value_max": 8_000}], (None, 10_000, "total", None), 8_000),
    ([{"value_max": 9_000, "value_basis": "per-year"}], (None, None, "total", 24), 18_000),  # the contract's length
    ([{"value_max": 9_000, "value_basis": "per-year", "contract_length_months": 6}], (None, None, "total", 24), 4_500),
    ([{"title": "No value given"}], (None, 70_000, "total", None), 70_000),
])
def test_the_lot_value_facet(lots, whole, expected):
    value_min, value_max, basis, months = whole
    lots = [{"number": n, "title": "A lot"} | lot for n, lot in enumerate(lots, 1)]
    opportunity = SimpleNamespace(value_min=value_min, value_max=value_max, value_basis=basis,
                                  contract_length_months=months)
    assert smallest_lot_value(opportunity, BidFacts.model_validate({"lots": lots})) == expected
