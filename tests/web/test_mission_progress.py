"""A resident's view of the seeded content: which outcomes are on track, off track or without a result, how much went
to SMEs and VCSEs, and who won an awarded item with its latest ratings."""

import pytest

from tests.web.conftest import soup


@pytest.fixture
def client(content_app):
    return content_app.test_client()


def outcome(page, slug):
    row = page.select_one(f"#outcome-{slug}")
    return row.select_one(".govuk-tag").get_text(strip=True), row.get_text(" ", strip=True)


def test_a_mission_shows_each_outcome_on_track_off_track_or_without_a_result(client):
    page = soup(client.get("/missions/camden-estates"))
    state, text = outcome(page, "estates-green-spaces")
    assert state == "Off track" and "1 of 2 latest results rated requires improvement or inadequate." in text
    assert "The target is 40% by 31 March 2028." in text and "It started at 21% in 2025." in text
    state, text = outcome(page, "estates-creative-use")
    assert state == "No result yet"
    assert "The target date, 31 December 2025, has passed and no result has been published." in text
    state, text = outcome(page, "estates-warm-homes")
    assert (state, "No result has been published yet." in text) == ("No result yet", True)
    assert "The target is 75% by 31 March 2030." in page.select_one(".portal-target").get_text(" ", strip=True)
    assert page.select_one("#mission-overdue") is None
    state, _ = outcome(soup(client.get("/missions/good-jobs")), "jobs-digital-inclusion")
    assert state == "Achieved or on track"


def test_mission_and_buyer_pages_count_what_went_to_smes_and_vcses(client):
    page = soup(client.get("/missions/camden-estates"))
    assert "1 contract has been awarded for this mission, worth £90,000" in page.select_one(".portal-small-suppliers").get_text(" ", strip=True)
    assert page.select_one("#to-smes").get_text(" ", strip=True).startswith("£90,000 went to small and medium-sized")
    assert page.select_one("#to-vcses").get_text(" ", strip=True).endswith(": 50%")
    buyer = soup(client.get("/buyers/leeds-teaching-hospitals"))
    assert "by Leeds Teaching Hospitals" in buyer.select_one(".portal-small-suppliers").get_text(" ", strip=True)
    assert buyer.select_one("#to-smes").get_text(" ", strip=True).startswith("£240,000")
    assert soup(client.get("/missions/net-zero")).select_one("#small-suppliers") is None


def test_an_awarded_item_says_who_won_for_how_much_and_the_latest_ratings(client):
    page = soup(client.get("/opportunities/camden-estate-green-spaces-after-dark"))
    assert page.select_one("#who-won").get_text(" ", strip=True).startswith(
        "Night Garden Collective CIC, Brightwell Landscape Design Ltd, for £90,000.")
    ratings = [p.get_text(" ", strip=True) for p in page.select(".portal-latest-rating")]
    assert ratings == ["Latest rating: Good for 1 October 2026 to 31 October 2026.",
                       "Latest rating: Requires improvement for 1 October 2026 to 31 October 2026."]
    leeds = soup(client.get("/opportunities/leeds-loneliness-after-discharge"))
    assert "No result has been published yet." in leeds.select("#award .portal-kpi")[1].get_text()
