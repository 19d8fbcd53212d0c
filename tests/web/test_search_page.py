import pytest

from tests.web.conftest import soup


@pytest.fixture
def client(content_app):
    return content_app.test_client()


def result_slugs(response) -> list[str]:
    return [a["href"].rsplit("/", 1)[-1] for a in soup(response).select("#search-results .portal-card h3 a")]


def test_full_page_has_form_results_and_live_region(client):
    response = client.get("/search?q=school+meals")
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    page = soup(response)
    assert page.select_one("form#search-form")["method"] == "get"
    assert page.select_one("#q")["value"] == "school meals"
    assert page.select_one("#search-status")["role"] == "status"
    assert result_slugs(response)[0] in {"camden-healthy-school-meals", "dfe-free-school-meals-take-up"}, \
        "a title with both words comes first (the backends may order those two either way)"
    assert page.select("#search-results mark.portal-match"), "matched words are highlighted"


def test_htmx_request_gets_only_the_results_partial(client):
    response = client.get("/search?q=school+meals", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    page = soup(response)
    assert page.find("html") is None and page.find("form") is None
    root = page.find(True)
    assert root["id"] == "search-results"
    assert page.select_one('[hx-swap-oob="innerHTML:#search-status"]').get_text(strip=True).endswith("for school meals")


def test_history_restore_gets_the_full_page(client):
    response = client.get("/search?q=school", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert soup(response).find("html") is not None


def test_filter_options_show_counts_that_match_results(client):
    page = soup(client.get("/search?q=food"))
    for option in page.select("#kind option")[1:]:
        count = int(option.get_text().rsplit("(", 1)[1].rstrip(")"))
        filtered = client.get(f"/search?q=food&kind={option['value']}&size=50")
        assert count == len(result_slugs(filtered)), option["value"]


def test_value_not_stated_is_a_choice_with_a_count(client):
    option = soup(client.get("/search")).select_one('#value option[value="not-stated"]')
    count = int(option.get_text().rsplit("(", 1)[1].rstrip(")"))
    assert count >= 1
    assert len(result_slugs(client.get("/search?value=not-stated&size=50"))) == count


def test_filters_and_sort_are_kept_in_the_form_and_the_pagination_links(client):
    page = soup(client.get("/search?q=people&sme=yes&sort=newest&size=5"))
    assert page.select_one("#sme").has_attr("checked")
    assert page.select_one("#sort option[selected]")["value"] == "newest"
    next_link = page.select_one('a[rel="next"]')["href"]
    assert "q=people" in next_link and "sme=yes" in next_link and "sort=newest" in next_link and "page=2" in next_link


def test_did_you_mean(client):
    page = soup(client.get("/search?q=lonelyness"))
    link = page.find("a", string="loneliness")
    assert link is not None and "q=loneliness" in link["href"]


def test_empty_state_explains_what_to_try(client):
    response = client.get("/search?q=zzzzqqqq")
    assert response.status_code == 200
    assert soup(response).find("h2", string="No opportunities match") is not None


def test_bad_filter_values_get_400_a_message_and_results(client):
    response = client.get("/search?q=school&kind=tender&sort=sideways")
    assert response.status_code == 400
    page = soup(response)
    links = [a["href"] for a in page.select(".govuk-error-summary a")]
    assert links == ["#kind", "#sort"]
    assert page.select_one("#q")["value"] == "school", "what the person typed is kept"
    assert result_slugs(response)


def test_page_past_the_end_is_404_with_links(client):
    response = client.get("/search?q=school&page=40")
    assert response.status_code == 404
    assert "Vary" in response.headers


@pytest.mark.parametrize("q", [
    '"unclosed', "title:heat", "(((", "AND OR NOT", "he*t", "🔥", "مضخات حرارية", "'; DROP TABLE opportunity; --",
    "<script>alert(1)</script>", "x" * 10_000, "%00", "\\",
])
def test_hostile_queries_never_break_the_page(client, q):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_very_long_query_is_cut_with_a_notice(client):
    response = client.get("/search", query_string={"q": "heat pumps " * 2000})
    assert response.status_code == 200
    assert "first" in soup(response).select_one(".govuk-inset-text").get_text()
    assert len(soup(response).select_one("#q")["value"]) <= 200


@pytest.mark.parametrize("length, cut", [(200, False), (201, True)])
def test_query_length_limit_is_200_characters(client, length, cut):
    response = client.get("/search", query_string={"q": "x" * length})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#q")["maxlength"] == "200"
    assert page.select_one("#q")["value"] == "x" * 200
    assert any("first 200 characters" in notice.get_text() for notice in page.select(".govuk-inset-text")) is cut


def test_header_search_box_on_other_pages(client):
    form = soup(client.get("/")).select_one("form.portal-header-search")
    assert form["action"] == "/search" and form.select_one("input")["name"] == "q"


def test_home_and_mission_pages_link_into_filtered_searches(client):
    home = soup(client.get("/"))
    hrefs = [a["href"] for a in home.select("main a")]
    assert "/search?closing=30&sort=closing" in hrefs
    assert "/search?mission=camden-food" in hrefs
    mission = soup(client.get("/missions/camden-food"))
    assert mission.select_one('main a[href="/search?mission=camden-food"]') is not None
    assert len(result_slugs(client.get("/search?mission=camden-food&size=50"))) == int(
        mission.find(string=lambda t: t and "serve this mission" in t).split()[0])


def test_htmx_responses_push_the_canonical_address(client):
    response = client.get("/search?q=heat&kind=&stage=&sme=yes&sort=relevance", headers={"HX-Request": "true"})
    assert response.headers["HX-Push-Url"] == "/search?q=heat&sme=yes"
