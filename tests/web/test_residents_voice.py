"""Residents' voice through the web: a resident signs up and confirms, says what a problem statement or a mission
means to them and that it matters; the buyer's staff approve, reject or redact; anyone signed in can report; nothing
is public before approval, and no email address ever is."""

import email
import email.policy
import re
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portal.mail import wait_for_background_mail
from portal.models import Contribution, ContributionStatus, User
from portal.services import accounts
from tests.factories import make_buyer, make_mission, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier, post, sign_in

PAGE = "/opportunities/lonely-winters"
FORM = PAGE + "/what-it-means-to-me"
STORY = "My mum lives alone and the winter evenings are long. A warm place to meet people would help her."


def outbox(app) -> list[str]:
    wait_for_background_mail()
    folder = Path(app.config["OUTBOX_DIR"])
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default).get_content() for p in files]


def make_resident(app, address="rita@example.org", name="Rita", confirmed=True) -> User:
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        user = accounts.sign_up_resident(session, name, address, PASSWORD)
        if confirmed:
            accounts.confirm_email(session, accounts.make_confirmation_token(user, app.config["SECRET_KEY"]),
                                   app.config["SECRET_KEY"])
        return user


def client_for(app, address):
    client = app.test_client()
    sign_in(client, address)
    return client


@pytest.fixture
def world(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        kent = make_buyer(session, slug="kent", name="Kent County Council")
        mission = make_mission(session, camden, slug="warm-homes", short_title="Warm homes")
        national = make_mission(session, None, slug="national", short_title="National")
        opportunity = make_opportunity(session, camden, slug="lonely-winters", title="Lonely winters")
        closed = make_opportunity(session, camden, slug="closed-one", title="Closed one",
                                  engagement_closes_on=date(2026, 11, 1))
        pipeline = make_opportunity(session, camden, slug="pipeline-one", kind="pipeline-item")
    make_buyer_user(app, camden, "cam@camden.example.org")
    make_buyer_user(app, kent, "kim@kent.example.org")
    make_supplier(app)
    rita = make_resident(app)
    return {"opportunity": opportunity, "closed": closed, "mission": mission, "rita": rita, "national": national,
            "pipeline": pipeline}


@pytest.fixture
def rita(app, world):
    return client_for(app, "rita@example.org")


@pytest.fixture
def camden(app, world):
    return client_for(app, "cam@camden.example.org")


def send(client, path=FORM, text=STORY, consent="y", **extra):
    return post(client, path, {"text": text, "consent": consent, **extra})


def only_contribution(app) -> Contribution:
    with Session(app.extensions["engine"]) as session:
        [found] = session.exec(select(Contribution)).all()
        return found


def test_a_resident_signs_up_with_a_display_name_and_confirms_by_email(client, app):
    response = post(client, "/residents/sign-up", {"display_name": "R. B.", "email": "rb@example.org",
                                                   "password": PASSWORD})
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    [message] = outbox(app)
    link = re.search(r"http://localhost(/confirm-email/\S+)", message).group(1)
    confirmed = client.get(link)
    assert confirmed.status_code == 303 and confirmed.headers["Location"] == "/residents"
    with Session(app.extensions["engine"]) as session:
        user = accounts.find_user(session, "rb@example.org")
        assert (user.role, user.organisation_id, user.name) == ("resident", None, "R. B.")
    assert client.get("/residents").status_code == 200


@pytest.mark.parametrize("data, message", [
    ({"display_name": "", "email": "a@example.org", "password": PASSWORD}, "Enter a display name"),
    ({"display_name": "x" * 61, "email": "a@example.org", "password": PASSWORD}, "60 characters or fewer"),
    ({"display_name": "Al", "email": "not an email", "password": PASSWORD}, "correct format"),
    ({"display_name": "Al", "email": "a@example.org", "password": "short"}, None),
])
def test_resident_sign_up_refuses_bad_input_and_keeps_what_was_typed(client, data, message):
    response = post(client, "/residents/sign-up", data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and (message is None or message in page)
    assert soup(response).select_one("#email")["value"] == data["email"]


def test_nothing_is_public_before_the_staff_approve(app, world, rita, camden, client):
    response = send(rita)
    assert response.status_code == 303 and response.headers["Location"].startswith("/residents")
    assert STORY not in client.get(PAGE).get_data(as_text=True)
    assert "Waiting for the council" in rita.get("/residents").get_data(as_text=True)
    contribution = only_contribution(app)
    assert camden.get("/buyer/residents").status_code == 200
    assert post(camden, f"/buyer/residents/{contribution.id}/approve").status_code == 303
    page = client.get(PAGE).get_data(as_text=True)
    assert STORY in page and "Rita" in page and "rita@example.org" not in page
    assert "Published" in rita.get("/residents").get_data(as_text=True)


def test_html_and_script_are_shown_as_text(app, world, rita, camden, client):
    send(rita, text="<script>alert(1)</script> <b>bold</b>")
    post(camden, f"/buyer/residents/{only_contribution(app).id}/approve")
    page = client.get(PAGE).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("data, message", [
    ({"text": ""}, "Say what this problem means to you"),
    ({"text": "   "}, "Say what this problem means to you"),
    ({"text": "word " * 301}, "300 words or fewer"),
    ({"text": "x" * 3001}, "3,000 characters or fewer"),
    ({"consent": ""}, "Tick the box"),
])
def test_contribution_form_refuses_bad_input_and_keeps_the_text(app, world, rita, data, message):
    response = send(rita, **({"text": STORY, "consent": "y"} | data))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(Contribution)).all() == []
    if data.get("text", STORY).strip() and "consent" in data:
        assert STORY in soup(response).select_one("textarea#text").text


def test_the_honeypot_thanks_a_robot_and_keeps_nothing(app, world, rita):
    response = send(rita, website="http://spam.example")
    assert response.status_code == 303
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(Contribution)).all() == []


def test_five_a_day_then_a_clear_refusal(app, world, rita):
    for _ in range(5):
        assert send(rita).status_code == 303
    response = send(rita)
    assert response.status_code == 429 and "up to 5 comments a day" in response.get_data(as_text=True)
    assert STORY in soup(response).select_one("textarea#text").text


def test_signed_out_people_are_invited_to_a_resident_account_not_a_supplier_one(client, world):
    page = soup(client.get(PAGE))
    section = page.select_one("section[aria-labelledby=residents]")
    links = [a["href"] for a in section.select("a")]
    assert "/residents/sign-up" in links and "/sign-up" not in links
    assert client.get(FORM).status_code == 200
    response = send(client)
    assert response.status_code == 303 and "/sign-in" in response.headers["Location"]


def test_a_supplier_and_an_unconfirmed_resident_cannot_contribute(app, world):
    supplier = client_for(app, "amy@example.org")
    assert send(supplier).status_code == 403
    make_resident(app, "new@example.org", "New")
    client = client_for(app, "new@example.org")
    with Session(app.extensions["engine"]) as session:  # signed in, then the address is no longer confirmed
        user = accounts.find_user(session, "new@example.org")
        user.email_confirmed_at = None
        session.add(user)
        session.commit()
    response = send(client)
    assert response.status_code == 403 and "Confirm your email address" in response.get_data(as_text=True)
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(Contribution)).all() == []


@pytest.mark.parametrize("path", ["/opportunities/pipeline-one/what-it-means-to-me", "/opportunities/nope/what-it-means-to-me",
                                  "/missions/nope/what-it-means-to-me"])
def test_only_problem_statements_and_missions_take_comments(rita, path):
    assert send(rita, path).status_code == 404


def test_closed_engagement_and_national_missions_refuse(rita):
    assert send(rita, "/opportunities/closed-one/what-it-means-to-me").status_code == 403
    assert send(rita, "/missions/national/what-it-means-to-me").status_code == 403


def test_this_matters_to_me_counts_once_per_person(app, world, rita, client):
    for _ in range(2):
        assert post(rita, PAGE + "/matters-to-me").status_code == 303
    assert "1 person has said this matters" in client.get(PAGE).get_data(as_text=True)
    assert post(client, PAGE + "/matters-to-me").headers["Location"].startswith("/sign-in")
    supplier = client_for(app, "amy@example.org")
    post(supplier, PAGE + "/matters-to-me")
    assert "1 person has said this matters" in client.get(PAGE).get_data(as_text=True)


def test_missions_take_comments_moderated_by_the_missions_organisation(app, world, rita, camden, client):
    send(rita, "/missions/warm-homes/what-it-means-to-me")
    post(rita, "/missions/warm-homes/matters-to-me")
    contribution = only_contribution(app)
    kent = client_for(app, "kim@kent.example.org")
    assert post(kent, f"/buyer/residents/{contribution.id}/approve").status_code == 404
    post(camden, f"/buyer/residents/{contribution.id}/approve")
    page = client.get("/missions/warm-homes").get_data(as_text=True)
    assert STORY in page and "1 person has said this matters" in page


def test_reject_with_a_reason_the_resident_sees_and_is_emailed(app, world, rita, camden, client):
    send(rita)
    contribution = only_contribution(app)
    assert post(camden, f"/buyer/residents/{contribution.id}/reject", {"reason": ""}).status_code == 400
    response = post(camden, f"/buyer/residents/{contribution.id}/reject", {"reason": "It names a neighbour."})
    assert response.status_code == 303
    assert "It names a neighbour." in rita.get("/residents").get_data(as_text=True)
    assert any("It names a neighbour." in body for body in outbox(app))
    assert STORY not in client.get(PAGE).get_data(as_text=True)


def test_redaction_publishes_part_and_keeps_the_original_for_staff(app, world, rita, camden, client):
    send(rita, text=STORY + " Her neighbour Bob at number 4 never helps.")
    contribution = only_contribution(app)
    response = post(camden, f"/buyer/residents/{contribution.id}/redact",
                    {"published_text": STORY, "reason": "We took out a neighbour's name.", "hide_name": "y"})
    assert response.status_code == 303
    page = client.get(PAGE).get_data(as_text=True)
    assert STORY in page and "Bob" not in page and "Rita" not in page and "A resident" in page
    staff_page = camden.get(f"/buyer/residents/{contribution.id}").get_data(as_text=True)
    assert "Bob at number 4" in staff_page and "We took out a neighbour" in staff_page
    assert "We took out a neighbour" in rita.get("/residents").get_data(as_text=True)


def test_redaction_needs_a_change_and_a_reason(app, world, rita, camden):
    send(rita)
    contribution = only_contribution(app)
    assert post(camden, f"/buyer/residents/{contribution.id}/redact",
                {"published_text": STORY, "reason": "x"}).status_code == 400
    assert post(camden, f"/buyer/residents/{contribution.id}/redact",
                {"published_text": "Shorter.", "reason": ""}).status_code == 400


def test_moderation_is_refused_to_everyone_but_the_owner(app, world, rita, client):
    send(rita)
    contribution = only_contribution(app)
    kent = client_for(app, "kim@kent.example.org")
    supplier = client_for(app, "amy@example.org")
    for action in ("approve", "reject", "redact", "respond"):
        assert post(kent, f"/buyer/residents/{contribution.id}/{action}").status_code == 404
        assert post(supplier, f"/buyer/residents/{contribution.id}/{action}").status_code == 403
        assert post(rita, f"/buyer/residents/{contribution.id}/{action}").status_code == 403
        assert post(client, f"/buyer/residents/{contribution.id}/{action}").status_code == 302
    assert kent.get(f"/buyer/residents/{contribution.id}").status_code == 404
    assert supplier.get("/buyer/residents").status_code == 403
    assert only_contribution(app).status == ContributionStatus.WAITING


def test_three_reports_hide_a_comment_and_the_staff_see_them(app, world, rita, camden, client):
    send(rita)
    contribution = only_contribution(app)
    post(camden, f"/buyer/residents/{contribution.id}/approve")
    report = f"/residents/comments/{contribution.id}/report"
    assert client.get(report).status_code == 200
    assert post(client, report).headers["Location"].startswith("/sign-in")
    reporters = [client_for(app, "amy@example.org"), rita]
    for reporter in reporters:
        assert post(reporter, report, {"reason": "Rude"}).status_code == 303
        assert post(reporter, report, {"reason": "Rude again"}).status_code == 303  # counted once
    assert STORY in client.get(PAGE).get_data(as_text=True)
    make_resident(app, "third@example.org", "Third")
    post(client_for(app, "third@example.org"), report, {"reason": "<b>nasty</b>"})
    assert STORY not in client.get(PAGE).get_data(as_text=True)
    assert client.get(report).status_code == 404
    staff_page = camden.get(f"/buyer/residents/{contribution.id}").get_data(as_text=True)
    assert "&lt;b&gt;nasty&lt;/b&gt;" in staff_page and "Hidden after reports" in staff_page
    post(camden, f"/buyer/residents/{contribution.id}/approve")
    assert STORY in client.get(PAGE).get_data(as_text=True)


def test_report_reason_is_limited(app, world, rita, camden):
    send(rita)
    contribution = only_contribution(app)
    post(camden, f"/buyer/residents/{contribution.id}/approve")
    response = post(rita, f"/residents/comments/{contribution.id}/report", {"reason": "x" * 501})
    assert response.status_code == 400 and "500 characters" in response.get_data(as_text=True)


def test_official_response_and_you_said_we_did_after_engagement(app, world, rita, camden, client):
    send(rita)
    contribution = only_contribution(app)
    assert post(camden, f"/buyer/residents/{contribution.id}/respond", {"response": "Thank you."}).status_code == 303
    assert only_contribution(app).official_response == ""  # not published yet: refused
    post(camden, f"/buyer/residents/{contribution.id}/approve")
    assert post(camden, f"/buyer/residents/{contribution.id}/respond", {"response": ""}).status_code == 400
    post(camden, f"/buyer/residents/{contribution.id}/respond", {"response": "We will open the library at night."})
    assert "We will open the library at night." in client.get(PAGE).get_data(as_text=True)
    opportunity_id = world["opportunity"].id
    assert post(camden, f"/buyer/residents/opportunities/{opportunity_id}/what-changed",
                {"what_changed": "x" * 3001}).status_code == 400
    assert post(camden, f"/buyer/residents/opportunities/{opportunity_id}/what-changed",
                {"what_changed": "Evening opening."}).status_code == 303
    assert "You said, we did" not in client.get(PAGE).get_data(as_text=True)  # engagement still open
    kent = client_for(app, "kim@kent.example.org")
    assert kent.get(f"/buyer/residents/opportunities/{opportunity_id}/what-changed").status_code == 404
    app.config["TODAY"] = date(2026, 12, 20)
    page = soup(client.get(PAGE))
    assert page.select_one("#you-said-we-did") is not None
    assert page.select_one("#what-changed").text.strip() == "Evening opening."
    assert "1 published comment" in page.get_text()


def test_open_data_has_counts_and_moderated_text_only(app, world, rita, camden, client):
    send(rita, text=STORY + " Call me on 07700 900123.")
    send(rita, text="This one waits.")
    post(rita, PAGE + "/matters-to-me")
    with Session(app.extensions["engine"]) as session:
        first = session.exec(select(Contribution).order_by(Contribution.id)).first()
    post(camden, f"/buyer/residents/{first.id}/redact", {"published_text": STORY, "reason": "A phone number."})
    body = client.get("/api/opportunities/lonely-winters").get_json()
    assert body["residents"] == {"matters": 1, "comments": 1,
                                 "published_comments": [{"text": STORY, "response": ""}]}
    text = client.get("/api/opportunities/lonely-winters").get_data(as_text=True)
    assert "Rita" not in text and "rita@example.org" not in text and "07700" not in text and "waits" not in text
