import pytest

from tests.web.conftest import soup


def titles(response) -> list[str]:
    return [a.get_text(strip=True) for a in soup(response).select(".portal-card h2 a, .portal-card h3 a")]


def test_home_shows_new_closing_soon_and_missions(client, portal_data):
    response = client.get("/")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True).startswith("Find public-sector work early")
    assert "Heat pumps for schools" in titles(response)
    closing = [a.get_text(strip=True) for a in page.find("h2", string="Closing soon").find_next("ul").select("a")]
    assert closing[0] == "Heat pumps for schools", "the soonest deadline comes first"
    assert "Solar challenge" not in closing, "closed engagement is not 'closing soon'"
    mission_links = [a["href"] for a in page.select(".portal-mission-card a")]
    assert mission_links == ["/missions/food", "/search?mission=food", "/missions/net-zero", "/search?mission=net-zero"]


def test_home_hides_drafts_and_withdrawn(client, portal_data):
    response = client.get("/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Secret draft" not in body and "Withdrawn one" not in body


def test_list_is_paginated_newest_first(client, portal_data):
    first = client.get("/opportunities")
    assert first.status_code == 200
    assert titles(first)[0] == "Heat pumps for schools"
    assert len(titles(first)) == 5
    assert "Showing 1 to 5 of 8 opportunities" in soup(first).get_text(" ", strip=True)
    second = client.get("/opportunities?page=2")
    assert len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    assert soup(second).select_one('a[rel="prev"]')["href"] == "/opportunities?page=1"


@pytest.mark.parametrize("query, expected", [
    ("kind=pipeline-item", ["Heat pumps for schools"]),
    ("kind=innovation-challenge", ["Solar challenge"]),
    ("mission=net-zero", ["Heat pumps for schools", "Solar challenge"]),
    ("mission=net-zero&kind=pipeline-item", ["Heat pumps for schools"]),
    ("mission=food&kind=pipeline-item", []),
])
def test_list_filters(client, portal_data, query, expected):
    response = client.get(f"/opportunities?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_filters_are_kept_in_the_form_and_in_pagination_links(client, portal_data):
    page = soup(client.get("/opportunities?mission=food&page=1"))
    assert page.select_one("#mission option[selected]")["value"] == "food"
    assert page.select_one('a[rel="next"]')["href"] == "/opportunities?page=2&mission=food"


@pytest.mark.parametrize("query, field", [
    ("kind=bogus", "kind"),
    ("mission=%3Cscript%3Ealert(1)%3C/script%3E", "mission"),
    ("page=abc", "page"),
    ("page=-4", "page"),
    ("page=" + "9" * 500, "page"),
    ("page=1%27%20OR%201=1--", "page"),
])
def test_bad_filter_values_get_400_with_a_message_and_still_show_results(client, portal_data, query, field):
    response = client.get(f"/opportunities?{query}")
    assert response.status_code == 400
    page = soup(response)
    summary = page.select_one(".govuk-error-summary")
    assert summary is not None
    assert summary.select_one(f'a[href="#{field}"]') is not None
    assert page.find(id=field) is not None, "the error summary links to a real element"
    assert len(titles(response)) == 5
    assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_page_past_the_end_is_404_with_links_back(client, portal_data):
    response = client.get("/opportunities?page=3&kind=pipeline-item")
    assert response.status_code == 404
    links = [a["href"] for a in soup(response).select("main a")]
    assert "/opportunities?kind=pipeline-item" in links


def test_opportunity_page_shows_the_brief(client, portal_data):
    response = client.get("/opportunities/heat-pumps")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Heat pumps for schools"
    text = page.get_text(" ", strip=True)
    for expected in ("Why we are buying this", "Because residents need it.", "The problem", "Kent County Council",
                     "Not stated", "October to December 2027", "London",
                     "Social work services with accommodation", "ocds-test00-"):
        assert expected in text
    assert page.select_one('a[href="/missions/net-zero"]') is not None
    assert page.select_one('a[href="/buyers/kent"]') is not None


def test_challenge_page_lists_phases(client, portal_data):
    page = soup(client.get("/opportunities/solar-challenge"))
    row = page.select_one("table.govuk-table tbody tr")
    assert "Discovery" in row.get_text() and "£20,000" in row.get_text()


def test_hostile_markdown_is_neutralised_on_the_page(client, app, portal_data):
    from sqlmodel import Session, select

    from portal.models import Opportunity
    with Session(app.extensions["engine"]) as session:
        row = session.exec(select(Opportunity).where(Opportunity.slug == "food-1")).one()
        row.body_md = '<script>alert("x")</script>\n\n[click](javascript:alert(1))\n\n<img src=x onerror=alert(1)>'
        session.add(row)
        session.commit()
    response = client.get("/opportunities/food-1")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'alert("x")' not in body and "javascript:" not in body and "onerror" not in body


@pytest.mark.parametrize("path", [
    "/opportunities/nope", "/opportunities/secret-draft",
    "/missions/nope", "/buyers/nope", "/guidance/nope", "/no-such-page", "/opportunities/%3Cscript%3E",
])
def test_unknown_or_hidden_things_are_404(client, portal_data, path):
    response = client.get(path)
    assert response.status_code == 404
    assert soup(response).h1.get_text(strip=True) == "Page not found"


def test_missions_index_and_page(client, portal_data):
    index = soup(client.get("/missions"))
    assert [a.get_text(strip=True) for a in index.select(".portal-card h2 a")] == ["Food", "Net zero"]
    response = client.get("/missions/net-zero")
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Net zero"
    assert "Outcome 0" in page.get_text()
    assert sorted(titles(response)) == ["Heat pumps for schools", "Solar challenge"]


def test_mission_page_pagination_and_bad_page(client, portal_data):
    assert len(titles(client.get("/missions/food?page=2"))) == 1
    assert client.get("/missions/food?page=9").status_code == 404
    assert client.get("/missions/food?page=zero").status_code == 400


def test_buyers_index_and_page(client, portal_data):
    index = soup(client.get("/buyers"))
    rows = [[c.get_text(strip=True) for c in tr.select("th, td")] for tr in index.select("tbody tr")]
    assert rows == [["Kent County Council", "County council", "South East", "2"],
                    ["London Borough of Camden", "London borough", "London", "6"]]
    page = client.get("/buyers/kent")
    assert page.status_code == 200
    assert sorted(titles(page)) == ["Heat pumps for schools", "Solar challenge"]
    assert client.get("/buyers/kent?page=4").status_code == 404
    assert client.get("/buyers/kent?page=x").status_code == 400


def test_guidance_pages_and_glossary(client, portal_data):
    index = soup(client.get("/guidance"))
    assert "How to work with us" in index.get_text()
    page = client.get("/guidance/how-to-work-with-us")
    assert page.status_code == 200
    assert soup(page).select_one("h2.govuk-heading-m").get_text() == "Start"
    glossary = soup(client.get("/guidance/glossary"))
    assert glossary.select_one("#lot dt").get_text(strip=True) == "Lot"


def test_empty_portal_still_renders(client):
    for path in ("/", "/opportunities", "/missions", "/buyers", "/guidance", "/guidance/glossary"):
        assert client.get(path).status_code == 200, path


def test_navigation_marks_the_current_area(client, portal_data):
    page = soup(client.get("/missions"))
    current = page.select_one(".govuk-service-navigation__item--active a")
    assert current.get_text(strip=True) == "Missions" and current["aria-current"] == "true"
