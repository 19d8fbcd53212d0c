"""The open data page, the CSV and OCDS files, the JSON API and its OpenAPI description."""

import csv
import io

import pytest
from jsonschema import Draft202012Validator
from sqlmodel import Session

from portal.models import Source
from portal.opendata.csv_export import COLUMNS
from portal.search.query import CHOSEN_FILTER_NAMES
from tests.factories import make_opportunity
from tests.ocds_validation import assert_valid_package
from tests.web.conftest import soup

PUBLISHED_IN_PORTAL_DATA = 8  # the portal_data fixture: 8 published, 1 draft, 1 withdrawn


@pytest.fixture
def content_client(content_app):
    return content_app.test_client()


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def search_page_slugs(client, query: str) -> list[str]:
    page = soup(client.get(f"/search?{query}"))
    return [a["href"].rsplit("/", 1)[-1] for a in page.select("#search-results .portal-card h3 a")]


def openapi_validator(client, schema_name: str) -> Draft202012Validator:
    document = client.get("/api/openapi.json").get_json()
    return Draft202012Validator({"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]},
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


# --- the /data page --------------------------------------------------------------------------------------------------

def test_data_page_explains_and_links_every_file(client, portal_data):
    response = client.get("/data")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Open data"
    hrefs = {a["href"] for a in page.select("main a")}
    for path in ("/data/opportunities.csv", "/data/ocds/releases.json", "/api/openapi.json"):
        assert f"http://localhost{path}" in hrefs, path
    assert "/api/opportunities?q=school+meals" in hrefs
    examples = [h for h in hrefs if h.startswith("/api/opportunities/") or h.endswith("/ocds.json")]
    assert len(examples) == 2, examples
    assert all(client.get(href).status_code == 200 for href in examples), "the examples use a real opportunity"
    assert "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" in hrefs
    documented = [row.dt.get_text(strip=True) for row in page.select("#csv-columns .govuk-summary-list__row")]
    assert documented == COLUMNS
    assert all(row.dd.get_text(strip=True) for row in page.select("#csv-columns .govuk-summary-list__row")), \
        "every column is explained"
    parameters = {row.dt.get_text(strip=True) for row in page.select("#api-parameters .govuk-summary-list__row")}
    assert parameters == {p["name"] for p in client.get("/api/openapi.json").get_json()["paths"]["/api/opportunities"]["get"]["parameters"]}
    assert f"There are {PUBLISHED_IN_PORTAL_DATA} published opportunities" in page.get_text(" ", strip=True)


def test_footer_links_to_open_data(client):
    assert soup(client.get("/")).select_one('footer a[href="/data"]') is not None


# --- CSV -----------------------------------------------------------------------------------------------------------

def test_csv_has_one_row_per_published_portal_opportunity(client, app, portal_data):
    with Session(app.extensions["engine"]) as session:
        make_opportunity(session, portal_data["buyers"][0], slug="imported-notice", source=Source.CONTRACTS_FINDER)
    response = client.get("/data/opportunities.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Content-Disposition"] == 'attachment; filename="opportunities.csv"'
    assert next(csv.reader(io.StringIO(response.get_data(as_text=True)))) == [  # published: renaming one breaks users
        "ocid", "slug", "url", "kind", "title", "summary", "buyer", "missions", "regions", "cpv_code", "cpv_label",
        "value_min", "value_max", "value_stated", "published", "engagement_closes", "approach_to_market", "stage",
        "suitable_for_sme", "suitable_for_vcse", "updated",
        # "Can we bid?" facts, added after the first columns so that their positions stay the same
        "value_basis", "value_total_min", "value_total_max", "contract_length_months", "lots_count", "lots",
        "max_lots_per_bidder", "min_turnover", "insurance", "accreditations", "consortia_welcome", "payment_days",
        "payment_frequency", "e_invoicing", "tupe", "subcontracting_allowed", "small_firm_share", "reserved_for",
        "split_for_small_suppliers", "not_split_reason", "criteria", "social_value_themes",
        # Awards, suppliers and KPIs, added after those
        "award_value", "awarded_on", "suppliers", "supplier_sizes", "awarded_to_sme", "awarded_to_vcse", "kpis",
        "latest_ratings"]
    rows = csv_rows(response)
    slugs = {row["slug"] for row in rows}
    assert len(rows) == len(slugs) == PUBLISHED_IN_PORTAL_DATA
    assert not {"secret-draft", "withdrawn-one", "imported-notice"} & slugs

    heat_pumps = next(row for row in rows if row["slug"] == "heat-pumps")
    assert heat_pumps | {"updated": ""} == {
        "ocid": heat_pumps["ocid"], "slug": "heat-pumps", "url": "http://localhost/opportunities/heat-pumps",
        "kind": "pipeline-item", "title": "Heat pumps for schools", "summary": "A short plain summary.",
        "buyer": "Kent County Council", "missions": "Net zero", "regions": "London", "cpv_code": "85311000-2",
        "cpv_label": "Social work services with accommodation", "value_min": "", "value_max": "", "value_stated": "no",
        "published": "2026-11-20", "engagement_closes": "2026-11-25", "approach_to_market": "2027-28 Q3",
        "stage": "pipeline", "suitable_for_sme": "yes", "suitable_for_vcse": "no", "updated": "",
        "value_basis": "total", "value_total_min": "", "value_total_max": "", "contract_length_months": "",
        "lots_count": "0", **dict.fromkeys(["lots", "max_lots_per_bidder", "min_turnover", "insurance",
                                            "accreditations", "consortia_welcome", "payment_days",
                                            "payment_frequency", "e_invoicing", "tupe", "subcontracting_allowed",
                                            "small_firm_share", "reserved_for", "split_for_small_suppliers",
                                            "not_split_reason", "criteria", "social_value_themes"], ""),
        **dict.fromkeys(["award_value", "awarded_on", "suppliers", "supplier_sizes", "awarded_to_sme",
                         "awarded_to_vcse", "kpis", "latest_ratings"], ""),
    }
    assert heat_pumps["updated"].endswith("Z")


@pytest.mark.parametrize("title", ['=HYPERLINK("https://evil.example","Click")', "+44 helpline", "-1 budget",
                                   "@SUM(A1:A9)", "\tTabbed", "\rReturned"])
def test_csv_cells_that_look_like_formulas_are_neutralised(client, app, portal_data, title):
    with Session(app.extensions["engine"]) as session:
        make_opportunity(session, portal_data["buyers"][0], slug="risky", title=title, summary="=1+1")
    row = next(r for r in csv_rows(client.get("/data/opportunities.csv")) if r["slug"] == "risky")
    assert row["title"] == f"'{title}"
    assert row["summary"] == "'=1+1"
    assert row["buyer"] == "London Borough of Camden", "ordinary cells are left alone"


# --- OCDS files ----------------------------------------------------------------------------------------------------

def test_release_package_is_valid_and_open_to_other_sites(client, portal_data):
    response = client.get("/data/ocds/releases.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    package = response.get_json()
    assert_valid_package(package)
    assert len(package["releases"]) == PUBLISHED_IN_PORTAL_DATA
    assert "links" not in package, "one page only"
    assert list(package["releases"][0])[:2] == ["ocid", "id"], "keys keep their order"


def test_release_package_pages_hold_100_releases(client, app, portal_data):
    with Session(app.extensions["engine"]) as session:
        for n in range(100):
            make_opportunity(session, portal_data["buyers"][1], slug=f"bulk-{n}")
    first = client.get("/data/ocds/releases.json").get_json()
    assert len(first["releases"]) == 100
    assert first["links"] == {"next": "http://localhost/data/ocds/releases.json?page=2"}
    second = client.get(first["links"]["next"]).get_json()
    assert len(second["releases"]) == PUBLISHED_IN_PORTAL_DATA
    assert second["links"] == {"prev": "http://localhost/data/ocds/releases.json"}
    assert_valid_package(second)


@pytest.mark.parametrize("query, status", [("page=abc", 400), ("page=0", 400), ("page=2", 404)])
def test_bad_release_package_page_is_a_json_error(client, portal_data, query, status):
    response = client.get(f"/data/ocds/releases.json?{query}")
    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.get_json()["errors"][0]["parameter"] == "page"


def test_one_opportunity_as_ocds(client, portal_data):
    response = client.get("/opportunities/solar-challenge/ocds.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    package = response.get_json()
    assert_valid_package(package)
    assert package["uri"] == "http://localhost/opportunities/solar-challenge/ocds.json"
    assert package["releases"][0]["tender"]["milestones"][0]["title"] == "Discovery"


@pytest.mark.parametrize("slug", ["secret-draft", "withdrawn-one", "no-such-thing", "heat%20pumps", "heat/pumps"])
def test_unpublished_opportunity_has_no_ocds(client, portal_data, slug):
    response = client.get(f"/opportunities/{slug}/ocds.json")
    assert response.status_code == 404
    assert response.get_json()["errors"]


# --- the JSON API --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "q=school+meals", "kind=problem-statement&sme=yes", "region=TLI&sort=newest", "value=not-stated",
    "q=food&stage=engagement&sort=closing", "closing=90&sort=value", "cpv=45", "vcse=yes&sort=newest",
    "source=portal&sort=newest",
])
def test_api_gives_the_same_results_as_the_search_page(content_client, query):
    response = content_client.get(f"/api/opportunities?{query}&size=50")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert [r["slug"] for r in body["results"]] == search_page_slugs(content_client, f"{query}&size=50")
    assert body["total"] == len(body["results"]) > 0
    assert openapi_validator(content_client, "SearchResults").is_valid(body)


def test_api_pages_like_the_search_page(content_client):
    first = content_client.get("/api/opportunities?q=food&size=5").get_json()
    assert first["page"] == 1 and first["size"] == 5
    assert first["pages"] == -(-first["total"] // 5) > 1
    assert "prev" not in first["links"]
    second = content_client.get(first["links"]["next"]).get_json()
    assert second["page"] == 2 and second["total"] == first["total"]
    assert [r["slug"] for r in second["results"]] == search_page_slugs(content_client, "q=food&size=5&page=2")
    assert second["links"]["prev"] == first["links"]["self"]
    last = content_client.get(first["links"]["last"]).get_json()
    assert last["page"] == first["pages"] and "next" not in last["links"]
    everything = content_client.get("/api/opportunities?size=50&closed=yes").get_json()
    assert everything["total"] == len(csv_rows(content_client.get("/data/opportunities.csv"))), "no imported notices here"


def test_api_results_match_the_openapi_description(content_client):
    body = content_client.get("/api/opportunities?q=school&size=50").get_json()
    errors = [e.message for e in openapi_validator(content_client, "SearchResults").iter_errors(body)]
    assert not errors
    detail = content_client.get("/api/opportunities/bristol-flood-resilience-homes").get_json()
    errors = [e.message for e in openapi_validator(content_client, "OpportunityDetail").iter_errors(detail)]
    assert not errors
    assert detail["phases"] and detail["why_markdown"] and detail["brief_markdown"]
    assert detail["links"]["ocds"] == "http://localhost/opportunities/bristol-flood-resilience-homes/ocds.json"


@pytest.mark.parametrize("query, parameters", [
    ("kind=nonsense", ["kind"]),
    ("region=XX&mission=nope", ["mission", "region"]),
    ("sme=true", ["sme"]),
    ("sort=random", ["sort"]),
    ("page=-1", ["page"]),
    ("size=500", ["size"]),
    ("closing=5&vcse=1", ["closing", "vcse"]),
])
def test_api_refuses_bad_parameters_with_json_messages(content_client, query, parameters):
    response = content_client.get(f"/api/opportunities?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    errors = response.get_json()["errors"]
    assert sorted(e["parameter"] for e in errors) == parameters
    assert all(e["message"].endswith(".") and "ignored" not in e["message"] for e in errors)
    assert openapi_validator(content_client, "Errors").is_valid(response.get_json())
    if "kind" in parameters:
        assert errors[0]["allowed"] == ["problem-statement", "innovation-challenge", "pipeline-item"]


def test_api_page_past_the_end_is_404_json(content_client):
    response = content_client.get("/api/opportunities?q=school+meals&page=999")
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "The last page is" in response.get_json()["errors"][0]["message"]


def test_api_single_opportunity(client, portal_data):
    response = client.get("/api/opportunities/heat-pumps")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["title"] == "Heat pumps for schools"
    assert body["value"] == {"min": None, "max": None, "stated": False, "basis": "total", "total": None}
    assert body["approach_to_market"] == {"financial_year_quarter": "2027-28 Q3", "starts": "2027-10-01",
                                          "label": "October to December 2027"}
    assert body["links"]["page"] == "http://localhost/opportunities/heat-pumps"


@pytest.mark.parametrize("slug", ["no-such-thing", "secret-draft", "withdrawn-one", "Heat-Pumps", "heat%20pumps",
                                  "heat/pumps"])
def test_api_unknown_opportunity_is_404_json(client, portal_data, slug):
    response = client.get(f"/api/opportunities/{slug}")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.get_json()["errors"][0]["message"]


@pytest.mark.parametrize("path", ["/api/opportunities", "/api/opportunities/heat-pumps", "/data/opportunities.csv",
                                  "/data/ocds/releases.json"])
def test_everything_is_get_only(client, portal_data, path):
    assert client.post(path).status_code == 405


# --- OpenAPI -------------------------------------------------------------------------------------------------------

def test_openapi_description_lists_every_path(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "http://localhost"}]
    assert set(document["paths"]) == {"/api/opportunities", "/api/opportunities/{slug}", "/data/ocds/releases.json",
                                      "/opportunities/{slug}/ocds.json", "/data/opportunities.csv"}
    names = {p["name"] for p in document["paths"]["/api/opportunities"]["get"]["parameters"]}
    assert names == {"q", "sort", "page", "size", "closed", *CHOSEN_FILTER_NAMES}, "every search filter is described"


def test_drafts_never_reach_the_api_search(client, app, portal_data):
    from portal.services.indexing import rebuild_index

    with Session(app.extensions["engine"]) as session:
        rebuild_index(session, app.extensions["search"])
    body = client.get("/api/opportunities?size=50").get_json()
    slugs = {r["slug"] for r in body["results"]}
    assert body["total"] == PUBLISHED_IN_PORTAL_DATA == len(slugs)
    assert not {"secret-draft", "withdrawn-one"} & slugs
