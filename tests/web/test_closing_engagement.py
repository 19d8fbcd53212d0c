"""A buyer closes engagement after confirming it; the public page then says so and what happens next, and suppliers
can send nothing more. The brief editor refuses dates that are already past, unless they were saved before."""

from datetime import date

import pytest
from sqlmodel import Session, select

from portal.models import Interest, Opportunity, Question, Status
from portal.services import buyer_items
from tests.factories import make_buyer, make_mission, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_buyer_user, make_supplier, post, sign_in
from tests.web.test_buyers import GOOD_BRIEF

SECTIONS = ("problem", "who_it_affects", "outcomes_wanted", "market_questions")


@pytest.fixture
def item(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        food = make_mission(session, owner=camden, slug="food", short_title="Food")
        item = make_opportunity(session, camden, [food], slug="lunch-clubs", title="Lunch clubs", status=Status.DRAFT,
                                market_year=2027, market_quarter=3, engagement_closes_on=date(2027, 1, 31),
                                likely_route="open procedure", brief_answers={name: GOOD_BRIEF[name] for name in SECTIONS})
        buyer_items.publish(session, app.extensions["search"], item, date(2026, 11, 1))
    make_buyer_user(app, camden, "cam@camden.example.org")
    return item


@pytest.fixture
def buyer(app, item):
    client = app.test_client()
    sign_in(client, "cam@camden.example.org")
    return client


def stored(app, item) -> Opportunity:
    with Session(app.extensions["engine"]) as session:
        return session.get(Opportunity, item.id)


def close(app, buyer, item):
    response = post(buyer, f"/buyer/opportunities/{item.id}/close")
    assert response.status_code == 303
    return response


def test_closing_asks_first_then_closes_and_the_button_goes(app, buyer, item):
    manage = soup(buyer.get(f"/buyer/opportunities/{item.id}"))
    link = manage.find("a", string="Close engagement")
    assert link["href"] == f"/buyer/opportunities/{item.id}/close", "a link to the question, not a form that closes"

    page = soup(buyer.get(link["href"]))
    assert page.h1.get_text(strip=True) == "Are you sure you want to close engagement?"
    assert "Suppliers will no longer be able to register interest" in page.get_text()
    assert "Camden Council is now writing the tender" in page.select_one(".govuk-inset-text").get_text()
    form = page.find("button", string="Close engagement").find_parent("form")
    assert form["method"] == "post" and form["action"] == f"/buyer/opportunities/{item.id}/close"
    assert stored(app, item).engagement_closed_at is None, "looking at the question changes nothing"

    response = close(app, buyer, item)
    assert response.headers["Location"] == f"/buyer/opportunities/{item.id}#confirmation"
    closed = stored(app, item)
    assert closed.engagement_closed_at is not None and closed.engagement_closes_on == date(2026, 11, 22)

    manage = soup(buyer.get(f"/buyer/opportunities/{item.id}"))
    assert "Engagement is closed." in manage.select_one(".govuk-notification-banner").get_text()
    assert manage.find("a", string="Close engagement") is None
    assert manage.select_one("#engagement-closed").get_text(strip=True) == \
        "Engagement on this opportunity closed on 22 November 2026."
    assert manage.select_one("#engagement-closed").find_parent(class_="govuk-button-group") is None, \
        "the sentence stands on its own line, not among the buttons"
    assert "Engagement closed early, on 22 November 2026 (it was due to close on 31 January 2027)" in \
        manage.select_one("#history").find_next("ul").get_text()
    preview = soup(buyer.get(f"/buyer/opportunities/{item.id}/preview"))
    assert "Camden Council is now writing the tender" in preview.select_one("#engagement-closed").get_text()


def test_closing_again_changes_nothing_and_says_it_is_closed(app, buyer, item):
    close(app, buyer, item)
    first = stored(app, item).engagement_closed_at
    response = close(app, buyer, item)
    assert stored(app, item).engagement_closed_at == first
    banner = soup(buyer.get(response.headers["Location"])).select_one(".govuk-notification-banner")
    assert "closed on 22 November 2026" in banner.get_text()
    assert buyer.get(f"/buyer/opportunities/{item.id}/close").status_code == 303, "no question about closed engagement"


def test_closing_needs_the_form_token(app, buyer, item):
    assert buyer.post(f"/buyer/opportunities/{item.id}/close").status_code == 400
    assert stored(app, item).engagement_closed_at is None


def test_suppliers_and_visitors_cannot_close_engagement(app, client, item):
    assert client.get(f"/buyer/opportunities/{item.id}/close").status_code == 302
    make_supplier(app)
    sign_in(client)
    assert client.get(f"/buyer/opportunities/{item.id}/close").status_code == 403
    assert post(client, f"/buyer/opportunities/{item.id}/close").status_code == 403
    assert stored(app, item).engagement_closed_at is None


def test_the_public_page_says_engagement_has_closed_and_what_happens_next(app, client, buyer, item):
    make_supplier(app)
    sign_in(client)
    open_page = soup(client.get("/opportunities/lunch-clubs"))
    assert open_page.select_one("#engagement-closed") is None
    assert open_page.find("button", string="Send to the buyer") and open_page.find("button", string="Send question")

    close(app, buyer, item)
    page = soup(client.get("/opportunities/lunch-clubs"))
    closed = page.select_one("#engagement-closed")
    assert "Engagement has closed" in closed.get_text()
    assert "Engagement on this opportunity closed on 22 November 2026." in closed.get_text()
    assert ("Camden Council is now writing the tender, using what suppliers told it. It plans to go to market in "
            "October to December 2027. The likely route to market is open procedure.") in closed.get_text()
    assert page.find("button", string="Send to the buyer") is None, "no interest form"
    assert page.select_one("#question") is None, "no question form"
    assert page.find("button", string="Follow this opportunity"), "people can still follow what happens next"
    facts = page.select_one(".portal-facts").get_text(" ", strip=True)
    assert "Engagement closed 22 November 2026" in facts and "closes today" not in facts


def test_visitors_are_not_asked_to_sign_in_to_take_part_once_closed(app, client, buyer, item):
    close(app, buyer, item)
    page = soup(client.get("/opportunities/lunch-clubs"))
    assert page.select_one("#engagement-closed") is not None
    assert "to register interest" not in page.get_text()


@pytest.mark.parametrize("path, data, place", [
    ("/opportunities/lunch-clubs/interest", {"action": "send"}, "take-part"),
    ("/opportunities/lunch-clubs/questions", {"question": "Can charities bid?"}, "questions"),
])
def test_sending_to_a_closed_opportunity_says_why_and_keeps_nothing(app, client, buyer, item, path, data, place):
    close(app, buyer, item)
    make_supplier(app)
    sign_in(client)
    response = post(client, path, data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/opportunities/lunch-clubs#confirmation"
    page = soup(client.get("/opportunities/lunch-clubs"))
    banner = page.select_one("#confirmation")
    assert "Engagement on this opportunity closed on 22 November 2026." in banner.get_text()
    assert banner.find_previous("h2")["id"] == place, "the message is where the person was"
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(Interest)).all() == [] and session.exec(select(Question)).all() == []


# Dates in the brief editor. Today is 22 November 2026: April to September 2026 is over, October to December is not.

@pytest.mark.parametrize("changes, field, message", [
    ({"engagement_closes": "2026-11-21"}, "engagement_closes", "The closing date must be today or in the future"),
    ({"financial_year": "2026", "quarter": "2"}, "financial_year", "July to September 2026 has already ended"),
])
def test_a_new_brief_cannot_have_dates_that_are_past(app, buyer, changes, field, message):
    response = post(buyer, "/buyer/opportunities/new/problem-statement", {**GOOD_BRIEF, **changes})
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one(".govuk-error-summary").get_text()
    group = page.select_one(f"#{field}").find_parent(class_="govuk-form-group")
    assert message in group.select_one(".govuk-error-message").get_text(), "and by the field"
    assert page.select_one("#title")["value"] == GOOD_BRIEF["title"], "what was typed is kept"


def test_today_and_the_current_quarter_are_allowed(app, buyer):
    response = post(buyer, "/buyer/opportunities/new/problem-statement",
                    {**GOOD_BRIEF, "engagement_closes": "2026-11-22", "financial_year": "2026", "quarter": "3"})
    assert response.status_code == 303


@pytest.fixture
def old_item(app, item):
    """Published last year, closed long ago, going to market in a year that is over."""
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        old = session.get(Opportunity, item.id)
        old.engagement_closes_on, old.market_year, old.market_quarter = date(2025, 10, 1), 2025, 4
        session.add(old)
        session.commit()
        return old


def edit_form(buyer, item) -> dict:
    """What the edit page sends back when the buyer saves it as it is."""
    page = soup(buyer.get(f"/buyer/opportunities/{item.id}/edit"))
    data = {}
    for field in page.select("form input, form textarea, form select"):
        name = field.get("name")
        if not name or field.get("type") == "submit":
            continue
        if field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field["value"])
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            data[name] = chosen["value"] if chosen else ""
        else:
            data[name] = field.get_text() if field.name == "textarea" else field.get("value", "")
    return data


def test_an_old_item_can_be_edited_without_changing_its_past_dates(app, buyer, old_item):
    data = edit_form(buyer, old_item)
    assert (data["engagement_closes"], data["financial_year"], data["quarter"]) == ("1 October 2025", "2025", "4")
    response = post(buyer, f"/buyer/opportunities/{old_item.id}/edit", {**data, "title": "Lunch clubs for everyone"})
    assert response.status_code == 303, soup(response).select_one(".govuk-error-summary")
    assert stored(app, old_item).pending["title"] == "Lunch clubs for everyone"
    assert post(buyer, f"/buyer/opportunities/{old_item.id}/changes").status_code == 303
    saved = stored(app, old_item)
    assert saved.title == "Lunch clubs for everyone"
    assert (saved.engagement_closes_on, saved.market_year, saved.market_quarter) == (date(2025, 10, 1), 2025, 4)


@pytest.mark.parametrize("changes, message", [
    ({"engagement_closes": "2025-10-02"}, "The closing date must be today or in the future"),
    ({"quarter": "3"}, "October to December 2025 has already ended"),
])
def test_changing_an_old_item_to_another_past_date_is_refused(app, buyer, old_item, changes, message):
    response = post(buyer, f"/buyer/opportunities/{old_item.id}/edit", {**edit_form(buyer, old_item), **changes})
    assert response.status_code == 400
    assert message in soup(response).select_one(".govuk-error-summary").get_text()
    assert stored(app, old_item).engagement_closes_on == date(2025, 10, 1)
