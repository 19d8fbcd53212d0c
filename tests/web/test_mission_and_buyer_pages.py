"""Residents' view: planned spend charts that match their tables and the database, and the timeline."""

import re

import pytest
from sqlmodel import Session

from portal.services.pipeline import planned_spend
from tests.conftest import TODAY
from tests.web.conftest import soup


@pytest.fixture
def client(content_app):
    return content_app.test_client()


def chart_and_table(page, chart_id):
    bars = {(int(g["data-year"]), int(g["data-quarter"])): (int(g["data-value"]), int(g["data-count"]))
            for g in page.select(f"figure[aria-labelledby='{chart_id}-caption'] g.portal-chart__bar")}
    rows = {}
    for tr in page.select(f"#{chart_id}-table tbody tr[data-year]"):
        cells = tr.select("td")
        rows[(int(tr["data-year"]), int(tr["data-quarter"]))] = (int(cells[1]["data-value"]), int(cells[0].get_text()))
    return bars, rows


@pytest.mark.parametrize("slug", ["net-zero", "camden-food", "healthier-lives"])
def test_mission_chart_matches_its_table_and_the_database(client, content_app, slug):
    page = soup(client.get(f"/missions/{slug}"))
    bars, rows = chart_and_table(page, "mission-spend")
    assert len(bars) == 12 and bars == rows
    with Session(content_app.extensions["engine"]) as session:
        from portal.services.missions import get_mission
        mission = get_mission(session, slug)
        expected = {(q.year, q.quarter): (q.value, q.count) for q in planned_spend(session, TODAY, mission_id=mission.id).quarters}
    assert bars == expected
    assert any(value for value, _ in bars.values())
    heights = {(int(g["data-year"]), int(g["data-quarter"])): float(g.rect["height"]) if g.rect else 0.0
               for g in page.select("g.portal-chart__bar")}
    largest = max(v for v, _ in bars.values())
    for key, (value, _) in bars.items():
        assert heights[key] == pytest.approx(value / largest * 170, abs=0.06)


def test_buyer_page_has_pipeline_open_engagement_and_answers(client):
    page = soup(client.get("/buyers/bristol"))
    bars, rows = chart_and_table(page, "buyer-spend")
    assert bars == rows and sum(count for _, count in bars.values()) >= 1
    assert page.select_one("#open-engagement") is not None
    svg = page.select_one("svg.portal-chart__svg")
    assert svg["role"] == "img" and svg.title is not None and svg.desc is not None


def test_mission_page_lists_recent_happenings(client):
    page = soup(client.get("/missions/camden-food"))
    assert page.select_one("#recent") is not None
    assert page.select_one("#recent + ul li a")["href"].startswith("/opportunities/")


def test_opportunity_page_has_explainer_and_timeline(client):
    page = soup(client.get("/opportunities/camden-estate-retrofit-heat-pumps"))
    box = page.select_one("section.portal-explainer")
    assert box.h2.get_text() == "What is being bought and why"
    assert "London Borough of Camden" in box.get_text() and "£12 million to £20 million" in box.get_text()
    steps = page.select("ol.portal-timeline li")
    # A planned purchase whose engagement is open (until 12 February 2027) is past "Planned": engagement is now.
    assert [s.select_one(".portal-timeline__state").get_text() for s in steps] == ["Done", "Now", "Next", "Later"]
    assert "Engagement closes on 12 February 2027." in steps[1].get_text()
    assert re.search(r"Expected to invite bids July to September 2027", steps[2].get_text())


def test_public_page_shows_the_reading_age(client):
    page = soup(client.get("/opportunities/camden-healthy-school-meals"))
    assert re.fullmatch(r"About \d+ \(from our plain English check\)", page.select_one("#reading-age").get_text(" ", strip=True))


def test_mission_chart_says_what_it_adds_up_and_how_shared_purchases_count(client, content_app):
    page = soup(client.get("/missions/net-zero"))
    how = " ".join(page.select_one("#mission-spend-how").get_text().split())
    assert "we count the middle of it, so £1 million to £2 million counts as £1.5 million" in how
    assert "counted in full on each of those missions' pages" in how
    with Session(content_app.extensions["engine"]) as session:
        from portal.services.missions import get_mission
        shared = planned_spend(session, TODAY, mission_id=get_mission(session, "net-zero").id).shared_count
    assert (f"{shared} of the purchases here" in how) if shared else ("None of the purchases here" in how)
    buyer_page = " ".join(soup(client.get("/buyers/bristol")).select_one("#buyer-spend-how").get_text().split())
    assert "middle" in buyer_page and "missions' pages" not in buyer_page
