"""Searching by council area: the filter counts each area (a county's work is found from its districts and the other
way round), a place typed in the box is offered as the filter, and a bad area gets a message."""

import pytest

from tests.web.conftest import soup


@pytest.fixture
def client(content_app):
    return content_app.test_client()


def result_slugs(response) -> list[str]:
    return [a["href"].rsplit("/", 1)[-1] for a in soup(response).select("#search-results .portal-card h3 a")]


def count_of(page, value: str) -> int:
    return int(page.select_one(f'#area option[value="{value}"]').get_text().rsplit("(", 1)[1].rstrip(")"))


def test_the_area_filter_lists_only_areas_with_work_and_its_counts_match_the_results(client):
    page = soup(client.get("/search?size=50"))
    offered = [option["value"] for option in page.select("#area option")[1:]]
    assert {"KEN", "CMD", "HCK", "LDS"} <= set(offered) and "HLD" not in offered, "only areas with work are listed"
    for value in ("KEN", "CMD"):
        filtered = client.get(f"/search?area={value}&size=50")
        assert count_of(page, value) == len(result_slugs(filtered)) > 0
    assert all(slug.startswith("kent-") for slug in result_slugs(client.get("/search?area=KEN&size=50")))


def test_work_in_a_county_is_found_from_one_of_its_districts(client):
    kent = set(result_slugs(client.get("/search?area=KEN&size=50")))
    canterbury = set(result_slugs(client.get("/search?area=CAT&size=50")))
    assert kent and canterbury == kent, "Kent County Council's work covers Canterbury"


def test_a_council_typed_in_the_box_is_offered_as_the_filter(client):
    page = soup(client.get("/search?q=home+care+in+Kent"))
    offer = page.select_one(".portal-place-offer a")
    assert offer.get_text(strip=True).startswith("Show only work in Kent (")
    assert "area=KEN" in offer["href"] and "q=home+care+in+Kent" in offer["href"]
    assert soup(client.get("/search?q=home+care+in+Kent&area=KEN")).select_one(".portal-place-offer") is None
    assert soup(client.get("/search?q=home+care")).select_one(".portal-place-offer") is None


@pytest.mark.parametrize("bad", ["Narnia", "<script>alert(1)</script>", "' OR 1=1 --", "x" * 500])
def test_an_unknown_area_gets_a_message_and_the_search_still_runs(client, bad):
    response = client.get("/search", query_string={"q": "care", "area": bad})
    assert response.status_code == 400
    page = soup(response)
    assert "Choose a council area from the list" in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("#q")["value"] == "care" and result_slugs(response)
