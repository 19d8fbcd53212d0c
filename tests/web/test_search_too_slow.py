"""A search that gives up (PostgreSQL, after SEARCH_TIMEOUT_SECONDS) says so and keeps the words and filters to try
again: on the page, in live results, in the feed and in the API. The PostgreSQL run also checks the time limit
itself."""

import pytest
from sqlalchemy import text

from portal.search import SearchQuery, SearchTooSlow
from tests.conftest import TODAY
from tests.databases import on_postgres
from tests.web.conftest import soup


@pytest.fixture
def gives_up(app, monkeypatch):
    def too_slow(query, today):
        raise SearchTooSlow

    monkeypatch.setattr(app.extensions["search"], "search", too_slow)
    return app.test_client()


def test_the_page_says_the_search_took_too_long_and_keeps_words_and_filters(gives_up):
    response = gives_up.get("/search?q=school+meals&region=TLI&sme=yes")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    page = soup(response)
    assert "This search took too long" in page.get_text()
    assert page.select_one("form[role=search]")["action"] == "/search"
    assert page.select_one("#q")["value"] == "school meals"
    assert {field["name"]: field["value"] for field in page.select("form[role=search] input[type=hidden]")} == {
        "region": "TLI", "sme": "yes"}


def test_live_results_get_the_message_in_place_of_the_results(gives_up):
    response = gives_up.get("/search?q=school", headers={"HX-Request": "true"})
    assert response.status_code == 503
    page = soup(response)
    assert page.find("html") is None and page.find(True)["id"] == "search-results"
    assert "This search took too long" in page.get_text()


def test_the_feed_and_the_api_say_so_too(gives_up):
    assert gives_up.get("/search/feed.atom?q=school").status_code == 503
    response = gives_up.get("/api/opportunities?q=school")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "took too long" in response.get_json()["errors"][0]["message"]


# Defined on the PostgreSQL run only (rather than skipped on SQLite, where there is no PostgreSQL to ask).
if on_postgres():
    @pytest.mark.search_backend("postgres")
    def test_a_postgresql_search_over_its_time_limit_is_stopped(app, monkeypatch):
        index = app.extensions["search"]
        monkeypatch.setattr(index, "timeout_ms", 50)
        monkeypatch.setattr("portal.search.postgres_backend.search_sql",
                            lambda *args: ("SELECT pg_sleep(2)::text, NULL, NULL, NULL", {}))
        with pytest.raises(SearchTooSlow):
            index.search(SearchQuery(text="school meals"), TODAY)
        with index.engine.connect() as connection:  # the limit was the search's own
            assert connection.execute(text("SHOW statement_timeout")).scalar_one() == "0"
