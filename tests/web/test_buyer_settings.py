"""Buyers' staff choose how often they are emailed, and see what is new on their dashboard."""

import pytest
from sqlmodel import Session, select

from portal.models import User
from portal.services import notifications
from portal.services.notifications import link
from tests.factories import make_buyer, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_buyer_user, make_supplier, post, sign_in


@pytest.fixture
def camden(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        item = make_opportunity(session, camden, slug="lunch-clubs", title="Lunch clubs")
    make_buyer_user(app, camden, "cam@camden.example.org")
    return item


@pytest.fixture
def buyer(app, camden):
    client = app.test_client()
    sign_in(client, "cam@camden.example.org")
    return client


def setting(app, email="cam@camden.example.org") -> str:
    with Session(app.extensions["engine"]) as session:
        return session.exec(select(User.update_emails).where(User.email == email)).one()


def test_the_setting_starts_at_straight_away_and_can_be_changed(app, buyer):
    page = soup(buyer.get("/buyer/settings"))
    assert page.h1.get_text(strip=True) == "Your email settings"
    legend = page.select_one("fieldset legend").get_text(strip=True)
    assert legend == "Email me about new interest, questions and bookings"
    options = {radio["value"]: radio.find_next("label").get_text(strip=True) for radio in page.select("input[type=radio]")}
    assert options == {"instant": "Straight away", "daily": "Once a day, in a daily summary", "never": "Never"}
    assert page.select_one("input[value=instant]").has_attr("checked")

    response = post(buyer, "/buyer/settings", {"update_emails": "daily"})
    assert response.status_code == 303 and response.headers["Location"] == "/buyer/settings#confirmation"
    assert setting(app) == "daily"
    page = soup(buyer.get("/buyer/settings"))
    assert "a summary of new interest, questions and bookings once a day" in page.select_one("#confirmation").get_text()
    assert page.select_one("input[value=daily]").has_attr("checked")


@pytest.mark.parametrize("value", ["", "hourly", "<script>alert(1)</script>", "x" * 5000])
def test_a_bad_choice_is_refused_with_a_message(app, buyer, value):
    response = post(buyer, "/buyer/settings", {"update_emails": value})
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one(".govuk-error-summary a")["href"] == "#update_emails"
    assert page.select_one("#update_emails-error") is not None
    assert "<script>alert(1)" not in response.get_data(as_text=True)
    assert setting(app) == "instant"


def test_the_setting_needs_the_form_token(app, buyer):
    assert buyer.post("/buyer/settings", data={"update_emails": "never"}).status_code == 400
    assert setting(app) == "instant"


def test_only_buyers_have_this_setting(app, client, camden):
    assert client.get("/buyer/settings").status_code == 302, "visitors are sent to sign in"
    make_supplier(app)
    sign_in(client)
    assert client.get("/buyer/settings").status_code == 403
    assert post(client, "/buyer/settings", {"update_emails": "never"}).status_code == 403
    assert setting(app, "amy@example.org") == "instant", "unchanged"


def test_the_dashboard_and_menu_lead_to_the_setting(buyer):
    page = soup(buyer.get("/buyer"))
    change = page.find("a", string="Change your email settings")
    assert change["href"] == "/buyer/settings"
    assert change.parent.get_text(" ", strip=True).startswith("We will email you straight away"), "says what is chosen"
    assert page.select_one(".govuk-service-navigation").find("a", string="Email settings")["href"] == "/buyer/settings"


def test_whats_new_lists_the_buyers_notifications_with_links(app, buyer, camden):
    assert "Nothing yet" in soup(buyer.get("/buyer")).get_text()
    with Session(app.extensions["engine"]) as session:
        notifications.tell_buyer(session, camden.id, "Good Food CIC registered interest in \u201cLunch clubs\u201d.",
                                 to=link("buyer.manage", opportunity_id=camden.id, _anchor="interest"))
        notifications.tell_buyer(session, camden.id, "Someone asked a question about \u201cLunch clubs\u201d.")
        session.commit()
    page = soup(buyer.get("/buyer"))
    updates = page.select_one("#whats-new").find_next("ul").select("li a")
    assert [(a.get_text(strip=True), a["href"]) for a in updates] == [
        ("Someone asked a question about \u201cLunch clubs\u201d.", "/opportunities/lunch-clubs"),
        ("Good Food CIC registered interest in \u201cLunch clubs\u201d.", f"/buyer/opportunities/{camden.id}#interest"),
    ]
