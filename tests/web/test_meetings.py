"""One-to-one meetings through the web: buyers offer times and see each day's list; suppliers book, move and cancel."""

import email
import email.policy
from datetime import date, time
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portal.mail import wait_for_background_mail
from portal.models import MeetingSlot, Opportunity, Status
from portal.services import meeting_slots
from portal.services.meeting_slots import NewSlots
from tests.factories import make_buyer, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_buyer_user, make_supplier, post, sign_in

LINK = "https://meet.example.org/camden-secret"
PAGE = "/opportunities/school-meals/meetings"
GOOD_SLOTS = {"day": "24", "month": "11", "year": "2026", "first_start": "10am", "minutes": "30", "count": "4",
              "how": "online", "meeting_link": LINK}


@pytest.fixture
def app(app, tmp_path):
    app.config["OUTBOX_DIR"] = str(tmp_path / "outbox")
    return app


@pytest.fixture
def world(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        kent = make_buyer(session, slug="kent", name="Kent County Council")
        meals = make_opportunity(session, camden, slug="school-meals", title="Healthy school meals")
        kents = make_opportunity(session, kent, slug="kent-item", title="Kent's own item")
    make_buyer_user(app, camden, "cam@camden.example.org")
    make_buyer_user(app, kent, "kim@kent.example.org")
    return {"meals": meals, "kents": kents}


def offer(app, opportunity, count=4, day=date(2026, 11, 24), first=time(10)) -> list[MeetingSlot]:
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        return meeting_slots.add_slots(session, opportunity, NewSlots(
            day=day, first_start=first, minutes=30, count=count, break_minutes=0, online=True, meeting_link=LINK))


def signed_in(app, email_address: str, supplier: str | None = None):
    client = app.test_client()
    if supplier:
        make_supplier(app, email=email_address, organisation=supplier)
    sign_in(client, email_address)
    return client


def holders(app, opportunity_id) -> dict[int, int | None]:
    with Session(app.extensions["engine"]) as session:
        return {s.id: s.holder_organisation_id for s in session.exec(
            select(MeetingSlot).where(MeetingSlot.opportunity_id == opportunity_id).order_by(MeetingSlot.id))}


def sent_emails(app) -> dict[str, email.message.EmailMessage]:
    wait_for_background_mail()
    folder = Path(app.config["OUTBOX_DIR"])
    messages = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                for p in sorted(folder.glob("*.eml"))] if folder.exists() else []
    return {message["To"]: message for message in messages}


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def banner(response) -> str:
    return soup(response).select_one(".govuk-notification-banner").get_text(" ", strip=True)


def error_summary(response) -> str:
    return soup(response).select_one(".govuk-error-summary").get_text(" ", strip=True)


# Suppliers

def test_anyone_sees_the_free_times_but_never_the_joining_link(client, app, world):
    offer(app, world["meals"])
    response = client.get(PAGE)
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "One-to-one meetings"
    assert "Tuesday 24 November 2026, 10am to 10:30am" in page.select_one("main").get_text()
    assert page.select('input[name="slot"]') == [], "only suppliers get the form"
    assert "Sign in" in page.select_one("main").get_text()
    assert LINK not in response.get_data(as_text=True)


def test_the_opportunity_page_links_to_the_meeting_times(client, app, world):
    assert client.get("/opportunities/school-meals").status_code == 200
    assert soup(client.get("/opportunities/school-meals")).find("a", href=PAGE) is None, "no times, no link"
    offer(app, world["meals"])
    page = soup(client.get("/opportunities/school-meals"))
    assert page.find("a", href=PAGE).get_text(strip=True) == "See the meeting times"
    assert "4 of 4 free" in page.select_one("#meetings").find_next("p").get_text()


@pytest.mark.parametrize("slug", ["no-such-thing", "secret-draft"])
def test_unpublished_or_unknown_opportunities_have_no_meetings_page(client, app, world, slug):
    with Session(app.extensions["engine"]) as session:
        make_opportunity(session, make_buyer(session), slug="secret-draft", status=Status.DRAFT)
    assert client.get(f"/opportunities/{slug}/meetings").status_code == 404
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    assert post(amy, f"/opportunities/{slug}/meetings/book", {"slot": "1"}).status_code == 404


def test_book_a_time_and_both_sides_get_an_email_with_the_time_a_link_and_a_calendar_file(app, world):
    slots = offer(app, world["meals"])
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    form = soup(amy.get(PAGE)).select_one(f'form[action="{PAGE}/book"]')
    assert [radio["value"] for radio in form.select('input[name="slot"]')] == [str(s.id) for s in slots]
    response = post(amy, f"{PAGE}/book", {"slot": str(slots[1].id)})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{PAGE}#confirmation")
    page = amy.get(PAGE)
    assert "Your meeting is booked" in banner(page)
    mine = soup(page).select_one("#your-meeting").find_next("dl")
    assert "Tuesday 24 November 2026, 10:30am to 11am (UK time)" in mine.get_text()
    assert mine.find("a", string="Join the meeting")["href"] == LINK
    assert soup(page).select_one(f'form[action="{PAGE}/move"]') is not None, "the free times now offer a move"
    sent = sent_emails(app)
    assert set(sent) == {"amy@example.org", "cam@camden.example.org"}
    for to, link in (("amy@example.org", f"http://localhost{PAGE}"),
                     ("cam@camden.example.org", f"http://localhost/buyer/opportunities/{world['meals'].id}/meetings")):
        text = body(sent[to])
        assert "Tuesday 24 November 2026, 10:30am to 11am (UK time)" in text and link in text
        [attachment] = [part for part in sent[to].iter_attachments()]
        assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == "meeting.ics"


def test_another_supplier_cannot_take_a_held_time_or_see_its_link(app, world):
    slots = offer(app, world["meals"])
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    post(amy, f"{PAGE}/book", {"slot": str(slots[0].id)})
    bob = signed_in(app, "bob@example.org", "Bob's Bakes")
    page = bob.get(PAGE)
    assert LINK not in page.get_data(as_text=True)
    assert str(slots[0].id) not in [radio["value"] for radio in soup(page).select('input[name="slot"]')]
    response = post(bob, f"{PAGE}/book", {"slot": str(slots[0].id)})
    assert response.status_code == 400
    assert "Someone has just booked that time. Choose another time." in error_summary(response)
    assert LINK not in response.get_data(as_text=True)
    assert holders(app, world["meals"].id)[slots[0].id] != holders(app, world["meals"].id)[slots[1].id]


@pytest.mark.parametrize("data, message", [
    ({}, "Choose a time"), ({"slot": "tomorrow"}, "Choose a time"), ({"slot": "9" * 40}, "Choose a time"),
    ({"slot": "-1"}, "Choose a time"), ({"slot": "<b>1</b>"}, "Choose a time"),
    ({"slot": "kents"}, "That time is no longer offered"),
])
def test_choosing_a_time_badly_says_why(app, world, data, message):
    offer(app, world["meals"])
    [kents] = offer(app, world["kents"], count=1)
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    response = post(amy, f"{PAGE}/book", {"slot": str(kents.id)} if data.get("slot") == "kents" else data)
    assert response.status_code == 400
    assert message in error_summary(response)
    assert soup(response).title.get_text().startswith("Error:")
    assert set(holders(app, world["meals"].id).values()) == {None}


def test_move_then_cancel(app, world):
    slots = offer(app, world["meals"])
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    post(amy, f"{PAGE}/book", {"slot": str(slots[0].id)})
    moved = post(amy, f"{PAGE}/move", {"slot": str(slots[2].id)})
    assert moved.status_code == 303
    assert "Your meeting has moved" in banner(amy.get(PAGE))
    held = holders(app, world["meals"].id)
    assert held[slots[0].id] is None and held[slots[2].id] is not None
    assert "moved to Tuesday 24 November 2026, 11am (UK time)" in sent_emails(app)["amy@example.org"]["Subject"]
    cancelled = post(amy, f"{PAGE}/cancel")
    assert cancelled.status_code == 303
    assert "Your meeting is cancelled" in banner(amy.get(PAGE))
    assert set(holders(app, world["meals"].id).values()) == {None}
    message = sent_emails(app)["cam@camden.example.org"]
    assert "cancelled" in message["Subject"] and "It was: Tuesday 24 November 2026, 11am to 11:30am (UK time)" in body(message)
    again = post(amy, f"{PAGE}/cancel")
    assert again.status_code == 303 and "does not have a meeting to cancel" in banner(amy.get(PAGE))


def test_the_suppliers_dashboard_lists_their_organisations_meeting_only_while_its_opportunity_is_published(app, world):
    slots = offer(app, world["meals"])
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    bob = signed_in(app, "bob@example.org", "Bob's Bikes")
    none_yet = soup(amy.get("/dashboard")).select_one("#meetings + p").get_text()
    assert none_yet == "Your organisation has not booked any one-to-one meetings with buyers."
    post(amy, f"{PAGE}/book", {"slot": str(slots[1].id)})

    listed = soup(amy.get("/dashboard")).select_one("#meetings + ul")
    assert listed.find("a", href=PAGE).get_text(strip=True) == "Healthy school meals"
    assert listed.get_text(" ", strip=True).endswith("Tuesday 24 November 2026, 10:30am to 11am (UK time) · Online")
    assert LINK not in str(listed)
    assert soup(bob.get("/dashboard")).select_one("#meetings + ul") is None, "another organisation's meeting"
    with Session(app.extensions["engine"]) as session:
        session.get(Opportunity, world["meals"].id).status = Status.WITHDRAWN
        session.commit()
    assert soup(amy.get("/dashboard")).select_one("#meetings + ul") is None, "its page is gone, so is the link"


def test_moving_without_a_meeting_or_to_the_same_time_is_refused(app, world):
    slots = offer(app, world["meals"])
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    response = post(amy, f"{PAGE}/move", {"slot": str(slots[0].id)})
    assert response.status_code == 400 and "does not have a meeting to move" in error_summary(response)
    post(amy, f"{PAGE}/book", {"slot": str(slots[0].id)})
    response = post(amy, f"{PAGE}/book", {"slot": str(slots[1].id)})
    assert response.status_code == 400 and "already has a meeting" in error_summary(response)


def test_nothing_is_booked_once_engagement_has_closed(app, world):
    slots = offer(app, world["meals"])
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    post(amy, f"{PAGE}/book", {"slot": str(slots[0].id)})
    with Session(app.extensions["engine"]) as session:
        meals = session.get(Opportunity, world["meals"].id)
        meals.engagement_closed_at = app.config["NOW"]
        session.add(meals)
        session.commit()
    page = soup(amy.get(PAGE))
    assert "Meetings can no longer be booked or moved." in page.select_one(".govuk-inset-text").get_text()
    told = soup(amy.get("/opportunities/school-meals")).select_one("#meetings").find_next("p").get_text()
    assert "Meetings can no longer be booked or moved." in told and "free" not in told, "no free times on offer"
    assert page.select('input[name="slot"]') == []
    for action in ("book", "move"):
        response = post(amy, f"{PAGE}/{action}", {"slot": str(slots[1].id)})
        assert response.status_code == 400 and "Meetings can no longer be booked or moved." in error_summary(response)
    assert post(amy, f"{PAGE}/cancel").status_code == 303, "cancelling still lets the buyer know"


def test_a_time_that_has_started_cannot_be_booked_or_given_up(app, world):
    slots = offer(app, world["meals"])
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    post(amy, f"{PAGE}/book", {"slot": str(slots[0].id)})
    app.config["NOW"] = slots[1].starts_at
    bob = signed_in(app, "bob@example.org", "Bob's Bakes")
    response = post(bob, f"{PAGE}/book", {"slot": str(slots[1].id)})
    assert response.status_code == 400 and "That time has already started" in error_summary(response)
    assert "This meeting has started or taken place." in soup(amy.get(PAGE)).select_one("main").get_text()
    post(amy, f"{PAGE}/cancel")
    assert "already started, so it cannot be cancelled" in banner(amy.get(PAGE))


def test_signed_out_people_are_sent_to_sign_in_and_buyers_are_refused(app, client, world):
    [slot] = offer(app, world["meals"], count=1)
    for action in ("book", "move", "cancel"):
        response = post(client, f"{PAGE}/{action}", {"slot": str(slot.id)}, headers={"Referer": f"http://localhost{PAGE}"})
        assert response.status_code == 302 and response.headers["Location"] == f"/sign-in?next={PAGE}"
    cam = signed_in(app, "cam@camden.example.org")
    assert post(cam, f"{PAGE}/book", {"slot": str(slot.id)}).status_code == 403
    assert cam.get(PAGE).status_code == 200
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    assert amy.post(f"{PAGE}/book", data={"slot": str(slot.id)}).status_code == 400, "no CSRF token"
    assert amy.post(f"{PAGE}/cancel").status_code == 400
    assert holders(app, world["meals"].id) == {slot.id: None}


# Buyers

def test_buyer_adds_times_in_a_row_and_sees_the_days_list(app, world):
    cam = signed_in(app, "cam@camden.example.org")
    url = f"/buyer/opportunities/{world['meals'].id}/meetings"
    page = soup(cam.get(url))
    assert page.h1.get_text(strip=True) == "One-to-one meetings"
    assert "You have not offered any times yet." in page.get_text()
    response = post(cam, url, GOOD_SLOTS)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{url}#confirmation")
    page = cam.get(url)
    assert "4 meeting times added on 24 November 2026." in banner(page)
    day = soup(page).find("h3", string="Tuesday 24 November 2026").find_next("dl")
    assert [key.get_text(strip=True) for key in day.select(".govuk-summary-list__key")] == [
        "10am to 10:30am", "10:30am to 11am", "11am to 11:30am", "11:30am to midday"]
    assert all("Free" in value.get_text() for value in day.select(".govuk-summary-list__value"))
    assert len(day.select('button[type="submit"]')) == 4


def test_the_days_list_says_who_holds_each_time(app, world):
    slots = offer(app, world["meals"], count=2)
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    post(amy, f"{PAGE}/book", {"slot": str(slots[1].id)})
    cam = signed_in(app, "cam@camden.example.org")
    rows = soup(cam.get(f"/buyer/opportunities/{world['meals'].id}/meetings")).select(".govuk-summary-list__row")
    assert "Free" in rows[0].get_text() and rows[0].select("button")
    held = rows[1].get_text(" ", strip=True)
    assert "Good Food CIC" in held and "Amy Example" in held and "amy@example.org" in held
    assert rows[1].select("button") == [], "a booked time cannot be removed"
    assert rows[1].find("a", href="mailto:amy@example.org") is not None


@pytest.mark.parametrize("changes, field, message", [
    ({"day": "", "month": "", "year": ""}, "day", "Enter the date of the meetings"),
    ({"day": "31", "month": "2"}, "day", "Enter a real date"),
    ({"year": "26"}, "day", "Enter a real date"),
    ({"day": "21"}, "day", "The date must be today or in the future"),
    ({"year": "2099"}, "day", "The date must be within the next 2 years"),
    ({"day": "22", "first_start": "9am"}, "first_start", "The first meeting must start in the future"),
    ({"first_start": "25:00"}, "first_start", "like 9:30am or 14:00"),
    ({"first_start": "teatime"}, "first_start", "like 9:30am or 14:00"),
    ({"minutes": "10"}, "minutes", "from 15 to 120 minutes"),
    ({"minutes": "thirty"}, "minutes", "from 15 to 120 minutes"),
    ({"minutes": "9" * 50}, "minutes", "from 15 to 120 minutes"),
    ({"count": "21"}, "count", "from 1 to 20"),
    ({"count": ""}, "count", "from 1 to 20"),
    ({"break_minutes": "-5"}, "break_minutes", "from 0 to 120"),
    ({"first_start": "11pm", "count": "3"}, "count", "must end by midnight"),
    ({"how": ""}, "how", "online or in person"),
    ({"how": "by-pigeon"}, "how", "online or in person"),
    ({"how": "in-person", "place": ""}, "place", "Enter the address for meetings in person"),
    ({"meeting_link": ""}, "meeting_link", "Enter the joining link for online meetings"),
    ({"meeting_link": "javascript:alert(1)"}, "meeting_link", "web address"),
    ({"place": "Town Hall\nHigh Street"}, "place", "must be on one line"),
])
def test_offering_times_badly_says_why_and_keeps_what_was_typed(app, world, changes, field, message):
    cam = signed_in(app, "cam@camden.example.org")
    data = {**GOOD_SLOTS, "place": "Town Hall", **changes}
    response = post(cam, f"/buyer/opportunities/{world['meals'].id}/meetings", data)
    assert response.status_code == 400
    summary = soup(response).select_one(".govuk-error-summary")
    assert message in summary.get_text()
    assert summary.find("a")["href"] == f"#{field}"
    page = soup(response)
    assert page.select_one("#first_start")["value"] == data["first_start"]
    assert page.select_one("#minutes")["value"] == data["minutes"]
    assert page.select_one("#year")["value"] == data["year"]
    assert holders(app, world["meals"].id) == {}


def test_times_that_overlap_those_offered_are_refused(app, world):
    offer(app, world["meals"], count=2)
    cam = signed_in(app, "cam@camden.example.org")
    response = post(cam, f"/buyer/opportunities/{world['meals'].id}/meetings", {**GOOD_SLOTS, "first_start": "10:45"})
    assert response.status_code == 400
    assert "overlap a meeting time you already offer: Tuesday 24 November 2026, 10:30am to 11am" in error_summary(response)
    assert len(holders(app, world["meals"].id)) == 2


def test_in_person_times_keep_the_address_and_no_link(app, world):
    cam = signed_in(app, "cam@camden.example.org")
    post(cam, f"/buyer/opportunities/{world['meals'].id}/meetings",
         {**GOOD_SLOTS, "how": "in-person", "place": "5 Pancras Square", "count": "1"})
    with Session(app.extensions["engine"]) as session:
        [slot] = session.exec(select(MeetingSlot)).all()
    assert (slot.online, slot.place, slot.meeting_link) == (False, "5 Pancras Square", "")


def test_buyer_removes_a_free_time_but_not_a_booked_one(app, world):
    slots = offer(app, world["meals"], count=2)
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    post(amy, f"{PAGE}/book", {"slot": str(slots[0].id)})
    cam = signed_in(app, "cam@camden.example.org")
    url = f"/buyer/opportunities/{world['meals'].id}/meetings"
    response = post(cam, f"/buyer/meetings/{slots[0].id}/remove")
    assert response.status_code == 303 and "has been booked, so it cannot be removed" in banner(cam.get(url))
    response = post(cam, f"/buyer/meetings/{slots[1].id}/remove")
    assert response.status_code == 303 and "The free time has been removed." in banner(cam.get(url))
    assert list(holders(app, world["meals"].id)) == [slots[0].id]
    assert cam.post(f"/buyer/meetings/{slots[0].id}/remove").status_code == 400, "no CSRF token"


def test_a_buyer_cannot_see_or_change_another_buyers_meetings(app, world):
    [kents] = offer(app, world["kents"], count=1)
    cam = signed_in(app, "cam@camden.example.org")
    assert cam.get(f"/buyer/opportunities/{world['kents'].id}/meetings").status_code == 404
    assert post(cam, f"/buyer/opportunities/{world['kents'].id}/meetings", GOOD_SLOTS).status_code == 404
    assert post(cam, f"/buyer/meetings/{kents.id}/remove").status_code == 404
    assert post(cam, "/buyer/meetings/999999/remove").status_code == 404
    assert list(holders(app, world["kents"].id)) == [kents.id]


def test_suppliers_and_signed_out_people_cannot_use_the_buyers_page(app, client, world):
    url = f"/buyer/opportunities/{world['meals'].id}/meetings"
    assert client.get(url).status_code == 302
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    assert amy.get(url).status_code == 403
    assert post(amy, url, GOOD_SLOTS).status_code == 403


def test_the_manage_page_links_to_the_meetings_page(app, world):
    cam = signed_in(app, "cam@camden.example.org")
    page = soup(cam.get(f"/buyer/opportunities/{world['meals'].id}"))
    assert page.select_one("#meetings").find_next("a")["href"] == f"/buyer/opportunities/{world['meals'].id}/meetings"


def test_buyer_staff_are_told_on_their_dashboard_list_too(app, world):
    from portal.models import Notification
    slots = offer(app, world["meals"], count=1)
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    post(amy, f"{PAGE}/book", {"slot": str(slots[0].id)})
    with Session(app.extensions["engine"]) as session:
        [notice] = session.exec(select(Notification)).all()
    assert notice.message == "Good Food CIC has booked a one-to-one meeting about \u201cHealthy school meals\u201d."
    assert notice.link["endpoint"] == "buyer_meetings.slots"


def test_html_in_what_people_type_is_shown_as_text(app, world):
    cam = signed_in(app, "cam@camden.example.org")
    post(cam, f"/buyer/opportunities/{world['meals'].id}/meetings",
         {**GOOD_SLOTS, "how": "in-person", "place": "<script>alert(1)</script>", "count": "1"})
    for client, url in ((cam, f"/buyer/opportunities/{world['meals'].id}/meetings"), (app.test_client(), PAGE)):
        text = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in text and "&lt;script&gt;" in text


def test_slot_ids_that_are_too_large_for_the_database_are_404(app, world):
    cam = signed_in(app, "cam@camden.example.org")
    assert post(cam, f"/buyer/meetings/{2**63}/remove").status_code == 404


def test_times_after_midnight_uk_time_fall_on_the_right_day(app, world):
    offer(app, world["meals"], count=1, day=date(2027, 6, 2), first=time(0, 30))  # 11:30pm on 1 June, UTC
    cam = signed_in(app, "cam@camden.example.org")
    page = soup(cam.get(f"/buyer/opportunities/{world['meals'].id}/meetings"))
    assert page.find("h3", string="Wednesday 2 June 2027").find_next("dt").get_text(strip=True) == "12:30am to 1am"


def test_the_buyer_gets_one_email_per_booking_the_one_with_the_calendar_file(app, world, runner):
    slots = offer(app, world["meals"])
    amy = signed_in(app, "amy@example.org", "Good Food CIC")
    post(amy, f"{PAGE}/book", {"slot": str(slots[0].id)})
    runner.invoke(args=["send-alerts"])
    wait_for_background_mail()
    to_buyer = [message for message in (email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                                        for p in Path(app.config["OUTBOX_DIR"]).glob("*.eml"))
                if message["To"] == "cam@camden.example.org"]
    assert len(to_buyer) == 1, "the booking is on the buyer's dashboard, but emailed once"
    assert [part.get_filename() for part in to_buyer[0].iter_attachments()] == ["meeting.ics"]
