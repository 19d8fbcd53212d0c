"""Messages between suppliers through the web: writing to a listed partner, conversations, replies, reports, the
setting that turns messages off, and the administrators' list of reported messages."""

import email
import email.policy
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portal.mail import wait_for_background_mail
from portal.models import Conversation, MessagingSetting, Opportunity, Organisation, PartnerMessage, Stage, utcnow
from portal.services import accounts
from portal.services.partner_messages import MESSAGES_PER_DAY, NEW_CONVERSATIONS_PER_DAY
from tests.factories import make_buyer, make_interest, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier, post, sign_in

NEW = "/opportunities/school-meals/partners/beta-growers/message"


@pytest.fixture
def app(app, tmp_path):
    app.config["OUTBOX_DIR"] = str(tmp_path / "outbox")
    return app


def outbox(app) -> list[email.message.EmailMessage]:
    wait_for_background_mail()
    folder = Path(app.config["OUTBOX_DIR"])
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(folder.glob("*.eml"))] if folder.exists() else []


@pytest.fixture
def opportunity(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        buyer = make_buyer(session, slug="camden", name="Camden Council")
        return make_opportunity(session, buyer, slug="school-meals", title="Healthy school meals")


def partner(app, opportunity, email: str, name: str, listed: bool = True, partnering: bool = True):
    user = make_supplier(app, email, name)
    with Session(app.extensions["engine"]) as session:
        make_interest(session, opportunity, user, open_to_partnering=partnering, listed_publicly=listed)
    return user


@pytest.fixture
def ann(app, opportunity):
    return partner(app, opportunity, "ann@alpha.example.org", "Alpha Kitchens")


@pytest.fixture
def bea(app, opportunity):
    return partner(app, opportunity, "bea@beta.example.org", "Beta Growers")


def rows(app, model):
    with Session(app.extensions["engine"]) as session:
        return session.exec(select(model)).all()


def send_first(client, ann, bea, text="Shall we bid together for the school meals work?") -> int:
    sign_in(client, ann.email)
    response = post(client, NEW, {"message": text})
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    [conversation] = rows(client.application, Conversation)
    assert response.headers["Location"] == f"/messages/{conversation.id}#confirmation"
    return conversation.id


def switch(app, user):
    """A fresh client signed in as someone else."""
    other = app.test_client()
    sign_in(other, user.email)
    return other


def test_send_a_message_link_is_offered_only_for_listed_partners(client, app, opportunity, ann, bea):
    partner(app, opportunity, "cat@gamma.example.org", "Gamma Listed Only", partnering=False)
    sign_in(client, ann.email)
    page = soup(client.get("/opportunities/school-meals"))
    links = {a["href"] for a in page.select("table a") if a.get_text().startswith("Send a message")}
    assert links == {NEW}, "not to themselves, not to a supplier not open to partnering"
    [link] = page.select(f'a[href="{NEW}"]')
    assert link.get_text() == "Send a message to Beta Growers"


def sign_in_buyer(client, app, opportunity) -> None:
    with Session(app.extensions["engine"]) as session:
        buyer = session.get(Organisation, opportunity.buyer_id)
    make_buyer_user(app, buyer, "boss@camden.example.org")
    sign_in(client, "boss@camden.example.org")


@pytest.mark.parametrize("who", ["anonymous", "buyer"])
def test_send_a_message_link_is_not_offered_to_people_who_cannot_send(client, app, opportunity, bea, who):
    if who == "buyer":
        sign_in_buyer(client, app, opportunity)
    page = client.get("/opportunities/school-meals").get_data(as_text=True)
    assert "Beta Growers" in page and "Send a message" not in page


def test_write_to_a_partner_who_is_emailed_with_a_link_to_reply(client, app, opportunity, ann, bea):
    sign_in(client, ann.email)
    form = soup(client.get(NEW))
    assert form.select_one("h1").get_text() == "Send a message to Beta Growers"
    conversation_id = send_first(client, ann, bea)
    page = soup(client.get(f"/messages/{conversation_id}"))
    assert "Your message has been sent to Beta Growers." in page.select_one("#reply ~ .govuk-notification-banner").get_text()
    [message] = page.select(".portal-message")
    assert "Amy Example, Alpha Kitchens" in message.select_one("h2").get_text()
    assert "(UK time)" in message.get_text()
    assert "Shall we bid together" in message.select_one(".portal-message__text").get_text()
    assert "cannot see your email address" in page.select_one("#email-addresses").get_text()

    [sent] = outbox(app)
    assert sent["To"] == "bea@beta.example.org"
    assert "\u201cHealthy school meals\u201d" in sent["Subject"], "titles are quoted, as in every email"
    body = sent.get_content()
    assert "Amy Example from Alpha Kitchens has written to you" in body
    assert "Healthy school meals" in body and "Shall we bid together" in body
    assert f"http://localhost/messages/{conversation_id}" in body
    assert "ann@alpha.example.org" not in body


@pytest.mark.parametrize("text, error", [
    ("", "Enter your message"),
    ("   ", "Enter your message"),
    ("word " * 301, "Message must be 300 words or fewer (it has 301)"),
    ("x" * 3001, "Message must be 3,000 characters or fewer"),
])
def test_bad_messages_are_refused_and_the_text_kept(client, app, opportunity, ann, bea, text, error):
    sign_in(client, ann.email)
    response = post(client, NEW, {"message": text})
    assert response.status_code == 400
    page = soup(response)
    assert error in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("#message-error")
    assert page.select_one("textarea#message").get_text() == text
    assert rows(app, PartnerMessage) == []


def test_html_in_a_message_is_shown_as_text(client, app, opportunity, ann, bea):
    conversation_id = send_first(client, ann, bea, text="<script>alert(1)</script> **not bold**\nSecond line")
    as_bea = switch(app, bea)
    page = as_bea.get(f"/messages/{conversation_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **not bold**\nSecond line" in page


def test_anonymous_people_are_sent_to_sign_in(client, opportunity, bea):
    response = client.get(NEW)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/opportunities/school-meals/partners/")
    for path in ["/messages", "/messages/1"]:
        assert client.get(path).headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("method", ["get", "post"])
def test_buyers_cannot_write_to_suppliers(client, app, opportunity, bea, method):
    sign_in_buyer(client, app, opportunity)
    response = client.get(NEW) if method == "get" else post(client, NEW, {"message": "Hello"})
    assert response.status_code == 403
    assert client.get("/messages").status_code == 403
    assert rows(app, PartnerMessage) == []


@pytest.mark.parametrize("path", [
    "/opportunities/school-meals/partners/gamma-listed-only/message",  # listed but not open to partnering
    "/opportunities/school-meals/partners/delta-private/message",  # interested, not listed
    "/opportunities/school-meals/partners/no-such-organisation/message",
    "/opportunities/no-such-opportunity/partners/beta-growers/message",
    "/opportunities/school-meals/partners/camden/message",  # the buyer
])
def test_only_listed_partners_can_be_written_to(client, app, opportunity, ann, bea, path):
    partner(app, opportunity, "cat@gamma.example.org", "Gamma Listed Only", partnering=False)
    partner(app, opportunity, "dan@delta.example.org", "Delta Private", listed=False)
    sign_in(client, ann.email)
    assert client.get(path).status_code == 404
    assert post(client, path, {"message": "Hello"}).status_code == 404
    assert rows(app, PartnerMessage) == []


def test_nobody_writes_to_their_own_organisation(client, app, opportunity, ann):
    sign_in(client, ann.email)
    own = "/opportunities/school-meals/partners/alpha-kitchens/message"
    response = client.get(own)
    assert response.status_code == 403
    assert "This is your own organisation." in response.get_data(as_text=True)
    assert post(client, own, {"message": "Hello me"}).status_code == 403
    assert rows(app, PartnerMessage) == []


def test_turning_messages_off_hides_the_link_and_refuses_messages(client, app, opportunity, ann, bea):
    as_bea = switch(app, bea)
    profile = soup(as_bea.get("/organisation"))
    assert profile.select_one("#accepts_messages").has_attr("checked"), "on by default"
    response = post(as_bea, "/organisation/messages", {})
    assert response.status_code == 303 and response.headers["Location"] == "/organisation#confirmation"
    profile = soup(as_bea.get("/organisation"))
    assert "can no longer message you" in profile.select_one("#messages-setting ~ .govuk-notification-banner").get_text()
    assert not profile.select_one("#accepts_messages").has_attr("checked")

    sign_in(client, ann.email)
    assert "Send a message" not in client.get("/opportunities/school-meals").get_data(as_text=True)
    assert "Beta Growers has chosen not to get messages" in client.get(NEW).get_data(as_text=True)
    response = post(client, NEW, {"message": "Please read this"})
    assert response.status_code == 403
    page = soup(response)
    assert "has chosen not to get messages" in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("textarea#message").get_text() == "Please read this"
    assert rows(app, PartnerMessage) == []

    post(as_bea, "/organisation/messages", {"accepts_messages": "y"})
    assert NEW in client.get("/opportunities/school-meals").get_data(as_text=True)


def test_the_setting_belongs_to_suppliers(client, app, opportunity):
    assert post(client, "/organisation/messages", {}).status_code == 302
    sign_in_buyer(client, app, opportunity)
    assert post(client, "/organisation/messages", {}).status_code == 403
    assert client.post("/organisation/messages", data={}).status_code in (400, 403)
    assert rows(app, MessagingSetting) == []


def test_a_failed_profile_save_still_shows_the_saved_message_setting(client, app, ann):
    sign_in(client, ann.email)
    response = post(client, "/organisation", {"organisation_name": ""})
    assert response.status_code == 400
    assert soup(response).select_one("#accepts_messages").has_attr("checked")


def test_an_organisation_starts_at_most_five_conversations_a_day(client, app, opportunity, ann, bea):
    with Session(app.extensions["engine"]) as session:
        for i in range(NEW_CONVERSATIONS_PER_DAY):
            other = make_opportunity(session, session.get(Organisation, opportunity.buyer_id))
            session.add(Conversation(opportunity_id=other.id, starter_id=ann.organisation_id,
                                     recipient_id=bea.organisation_id, created_at=utcnow() - timedelta(hours=i)))
        session.commit()
    sign_in(client, ann.email)
    response = post(client, NEW, {"message": "One more, please"})
    assert response.status_code == 429
    page = soup(response)
    assert "started 5 new conversations in the last 24 hours" in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("textarea#message").get_text() == "One more, please"
    assert rows(app, PartnerMessage) == []


def test_a_person_sends_at_most_thirty_messages_a_day(client, app, opportunity, ann, bea):
    conversation_id = send_first(client, ann, bea)
    with Session(app.extensions["engine"]) as session:
        for _ in range(MESSAGES_PER_DAY - 1):
            session.add(PartnerMessage(conversation_id=conversation_id, sender_id=ann.id,
                                       sender_organisation_id=ann.organisation_id, text="More"))
        session.commit()
    response = post(client, f"/messages/{conversation_id}/reply", {"message": "And another thing"})
    assert response.status_code == 429
    page = soup(response)
    assert "sent 30 messages in the last 24 hours" in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("textarea#message").get_text() == "And another thing"


def test_the_reply_reveals_both_email_addresses(client, app, opportunity, ann, bea):
    conversation_id = send_first(client, ann, bea)
    as_bea = switch(app, bea)
    listing = soup(as_bea.get("/messages"))
    [item] = listing.select(".portal-conversations li")
    assert "Alpha Kitchens" in item.get_text() and "Waiting for your reply" in item.get_text()
    assert "Healthy school meals" in item.get_text()
    before = as_bea.get(f"/messages/{conversation_id}").get_data(as_text=True)
    assert "ann@alpha.example.org" not in before and "If you reply, you will both see" in before

    response = post(as_bea, f"/messages/{conversation_id}/reply", {"message": "Yes please. Call me."})
    assert response.status_code == 303
    page = soup(as_bea.get(f"/messages/{conversation_id}"))
    assert "Now that you have replied, you can also email them at ann@alpha.example.org." in \
        " ".join(page.select_one("#email-addresses").get_text().split())

    page = soup(client.get(f"/messages/{conversation_id}"))
    assert "Now that they have replied, you can also email them at bea@beta.example.org." in \
        " ".join(page.select_one("#email-addresses").get_text().split())
    assert [m.select_one(".portal-message__text").get_text() for m in page.select(".portal-message")] == [
        "Shall we bid together for the school meals work?", "Yes please. Call me."]
    reply_email = outbox(app)[-1]
    assert reply_email["To"] == "ann@alpha.example.org"
    assert "you can also email them at bea@beta.example.org" in reply_email.get_content()


@pytest.mark.parametrize("text, error", [("", "Enter your reply"), ("word " * 301, "300 words or fewer")])
def test_bad_replies_are_refused_and_the_text_kept(client, app, opportunity, ann, bea, text, error):
    conversation_id = send_first(client, ann, bea)
    as_bea = switch(app, bea)
    response = post(as_bea, f"/messages/{conversation_id}/reply", {"message": text})
    assert response.status_code == 400
    page = soup(response)
    assert error in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("textarea#message").get_text() == text


def test_another_organisations_conversation_is_not_found(client, app, opportunity, ann, bea):
    conversation_id = send_first(client, ann, bea)
    [message] = rows(app, PartnerMessage)
    outsider = switch(app, partner(app, opportunity, "eve@epsilon.example.org", "Epsilon Ltd"))
    assert outsider.get(f"/messages/{conversation_id}").status_code == 404
    assert post(outsider, f"/messages/{conversation_id}/reply", {"message": "Hi"}).status_code == 404
    assert outsider.get(f"/messages/{conversation_id}/report/{message.id}").status_code == 404
    assert post(outsider, f"/messages/{conversation_id}/report/{message.id}", {}).status_code == 404
    assert "Alpha Kitchens" not in outsider.get("/messages").get_data(as_text=True)
    assert outsider.get("/messages/99999999999").status_code == 404
    assert len(rows(app, PartnerMessage)) == 1


def test_report_a_message_and_an_administrator_stops_the_sender(client, app, opportunity, ann, bea):
    conversation_id = send_first(client, ann, bea, text="Buy my oven cleaner")
    [message] = rows(app, PartnerMessage)
    report_path = f"/messages/{conversation_id}/report/{message.id}"
    assert client.get(report_path).status_code == 404, "nobody reports their own message"

    as_bea = switch(app, bea)
    page = soup(as_bea.get(f"/messages/{conversation_id}"))
    assert page.select_one(f'a[href="{report_path}"]').get_text() == "Report this message from Amy Example"
    assert as_bea.get(report_path).status_code == 200
    too_long = post(as_bea, report_path, {"reason": "why " * 101})
    assert too_long.status_code == 400 and soup(too_long).select_one("textarea#reason").get_text() == "why " * 101
    response = post(as_bea, report_path, {"reason": "Selling, not partnering"})
    assert response.status_code == 303
    page = soup(as_bea.get(response.headers["Location"]))
    assert "You have reported the message" in page.get_text() and "You reported this message." in page.get_text()

    admin = app.test_client()
    with Session(app.extensions["engine"]) as session:
        accounts.create_admin(session, "admin@portal.example.org", "Ada Admin", PASSWORD)
    sign_in(admin, "admin@portal.example.org")
    assert 'href="/admin/reported-messages"' in admin.get("/admin").get_data(as_text=True)
    [item] = soup(admin.get("/admin/reported-messages")).select(".portal-message")
    text = item.get_text()
    assert "Amy Example, Alpha Kitchens (ann@alpha.example.org)" in text and "Beta Growers" in text
    assert "Buy my oven cleaner" in text and "Selling, not partnering" in text
    stop = item.select_one("form")["action"]
    assert stop == f"/admin/organisations/{ann.organisation_id}/stop-messages"
    assert post(admin, stop).status_code == 303

    response = post(client, f"/messages/{conversation_id}/reply", {"message": "Special offer"})
    assert response.status_code == 403
    assert "administrator has stopped" in response.get_data(as_text=True)
    assert "Send a message" not in client.get("/opportunities/school-meals").get_data(as_text=True)
    assert post(admin, f"/admin/organisations/{ann.organisation_id}/allow-messages").status_code == 303
    assert post(client, f"/messages/{conversation_id}/reply", {"message": "Sorry"}).status_code == 303


def test_only_administrators_see_reports(client, app, opportunity, ann):
    assert client.get("/admin/reported-messages").status_code == 302
    assert post(client, f"/admin/organisations/{ann.organisation_id}/stop-messages").status_code == 302
    sign_in(client, ann.email)
    assert client.get("/admin/reported-messages").status_code == 403
    assert post(client, f"/admin/organisations/{ann.organisation_id}/stop-messages").status_code == 403
    assert rows(app, MessagingSetting) == []


def test_administrators_cannot_stop_an_organisation_that_does_not_exist(client, app, opportunity):
    with Session(app.extensions["engine"]) as session:
        accounts.create_admin(session, "admin@portal.example.org", "Ada Admin", PASSWORD)
    sign_in(client, "admin@portal.example.org")
    assert post(client, "/admin/organisations/999999/stop-messages").status_code == 404
    assert post(client, f"/admin/organisations/{opportunity.buyer_id}/stop-messages").status_code == 404
    assert client.post("/admin/organisations/1/stop-messages").status_code == 400, "no CSRF token"


def test_messages_page_is_in_the_menu_and_on_the_dashboard(client, app, ann):
    sign_in(client, ann.email)
    dashboard = soup(client.get("/dashboard"))
    assert dashboard.select_one('.govuk-service-navigation a[href="/messages"]').get_text().strip() == "Messages"
    assert dashboard.select_one('main a[href="/messages"]')
    page = soup(client.get("/messages"))
    assert "You have no messages yet." in page.get_text()
    assert page.select_one('.govuk-service-navigation a[href="/messages"]')["aria-current"] == "true"


def test_no_new_conversations_once_an_opportunity_is_awarded(client, app, opportunity, ann, bea):
    with Session(app.extensions["engine"]) as session:
        session.get(Opportunity, opportunity.id).stage = Stage.AWARDED
        session.commit()
    sign_in(client, ann.email)
    assert "Send a message" not in client.get("/opportunities/school-meals").get_data(as_text=True)
    response = client.get(NEW)
    assert response.status_code == 403 and "contract has been awarded" in response.get_data(as_text=True)
    response = post(client, NEW, {"message": "Too late?"})
    assert response.status_code == 403 and soup(response).select_one("textarea#message").get_text() == "Too late?"


def test_closing_engagement_early_still_lets_suppliers_find_partners(client, app, opportunity, ann, bea):
    with Session(app.extensions["engine"]) as session:
        session.get(Opportunity, opportunity.id).engagement_closed_at = utcnow()
        session.commit()
    send_first(client, ann, bea)


def test_the_recipient_follows_the_emailed_link_after_signing_in(client, app, opportunity, ann, bea):
    conversation_id = send_first(client, ann, bea)
    link = re.search(r"http://localhost(/messages/\d+)", outbox(app)[0].get_content()).group(1)
    reader = app.test_client()
    response = reader.get(link)
    assert response.status_code == 302 and response.headers["Location"] == f"/sign-in?next={link}"
    sign_in(reader, bea.email)
    assert reader.get(link).status_code == 200
    assert link == f"/messages/{conversation_id}"
