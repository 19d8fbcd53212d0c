"""Messages between suppliers: who may write to whom, the daily limits, when email addresses are shown, reports."""

from datetime import timedelta

import pytest
from sqlmodel import select

from portal.models import Conversation, Organisation, PartnerMessage, Stage, utcnow
from portal.services import partner_message_emails, partner_message_reports, partner_messages
from portal.services.partner_messages import MESSAGES_PER_DAY, NEW_CONVERSATIONS_PER_DAY, Refused
from tests.factories import make_buyer, make_interest, make_opportunity, make_supplier_user


@pytest.fixture
def inbox(monkeypatch):
    sent = []
    monkeypatch.setattr(partner_message_emails, "send_email_in_background",
                        lambda to, subject, body: sent.append({"to": to, "subject": subject, "body": body}))
    return sent


@pytest.fixture
def opportunity(app, session):
    with app.test_request_context():  # emails build their links on BASE_URL
        yield make_opportunity(session, make_buyer(session), title="Healthy school meals")


def supplier(session, email: str, organisation: str, opportunity=None, listed: bool = True, partnering: bool = True):
    """A supplier who confirmed their email address; with an opportunity, their organisation's interest in it."""
    user = make_supplier_user(session, email, organisation)
    user.name = email.split("@")[0].title()
    user.email_confirmed_at = utcnow()
    session.add(user)
    session.commit()
    if opportunity is not None:
        make_interest(session, opportunity, user, open_to_partnering=partnering, listed_publicly=listed)
    return user


@pytest.fixture
def alpha(session, opportunity):
    return supplier(session, "ann@alpha.example.org", "Alpha Kitchens", opportunity)


@pytest.fixture
def beta(session, opportunity):
    return supplier(session, "bea@beta.example.org", "Beta Growers", opportunity)


def organisation(session, user) -> Organisation:
    return session.get(Organisation, user.organisation_id)


def test_a_listed_partner_can_be_written_to_and_is_emailed(session, opportunity, alpha, beta, inbox):
    conversation = partner_messages.start(session, opportunity, alpha, organisation(session, beta), "Shall we bid together?")
    [message] = session.exec(select(PartnerMessage)).all()
    assert (message.conversation_id, message.sender_id, message.text) == (conversation.id, alpha.id, "Shall we bid together?")
    [email] = inbox
    assert email["to"] == "bea@beta.example.org"
    assert "Ann from Alpha Kitchens" in email["subject"] and "Healthy school meals" in email["subject"]
    assert "Shall we bid together?" in email["body"]
    assert f"http://localhost/messages/{conversation.id}" in email["body"]
    assert "ann@alpha.example.org" not in email["body"], "no email address until they reply"


def test_nobody_can_write_to_their_own_organisation(session, opportunity, alpha):
    colleague = organisation(session, alpha)
    assert partner_messages.refusal_to_start(session, opportunity, alpha, colleague) == "This is your own organisation."
    with pytest.raises(Refused):
        partner_messages.start(session, opportunity, alpha, colleague, "Hello me")
    assert partner_messages.reachable_partners(session, opportunity, alpha) == set()


@pytest.mark.parametrize("listed, partnering", [(False, True), (True, False), (False, False)])
def test_only_organisations_listed_as_open_to_partnering_can_be_written_to(session, opportunity, alpha, listed, partnering):
    other = supplier(session, "oli@other.example.org", "Other Ltd", opportunity, listed=listed, partnering=partnering)
    other_organisation = organisation(session, other)
    assert partner_messages.partner(session, opportunity.id, other_organisation.slug) is None
    assert "not on this opportunity's list" in partner_messages.refusal_to_start(session, opportunity, alpha, other_organisation)
    assert partner_messages.reachable_partners(session, opportunity, alpha) == set()


def test_a_partner_listed_on_another_opportunity_only_is_not_reachable(session, opportunity, alpha):
    elsewhere = make_opportunity(session, make_buyer(session))
    other = supplier(session, "oli@other.example.org", "Other Ltd", elsewhere)
    assert partner_messages.partner(session, opportunity.id, organisation(session, other).slug) is None


def test_buyers_cannot_write_to_suppliers(session, opportunity, beta):
    from portal.models import Role
    buyer = make_supplier_user(session, "boss@council.example.org", "Council")
    buyer.role = Role.BUYER
    assert partner_messages.refusal_to_start(session, opportunity, buyer, organisation(session, beta)) == \
        "Only suppliers can send messages to other suppliers."


def test_turning_messages_off_stops_new_ones_except_where_they_replied(session, opportunity, alpha, beta, inbox):
    betas = organisation(session, beta)
    conversation = partner_messages.start(session, opportunity, alpha, betas, "First")
    partner_messages.set_accepts_messages(session, betas.id, False)

    assert "has chosen not to get messages" in partner_messages.refusal_to_start(session, opportunity, alpha, betas)
    assert partner_messages.reachable_partners(session, opportunity, alpha) == set()
    with pytest.raises(Refused, match="has not replied to you"):
        partner_messages.send(session, conversation, alpha, "Did you get my message?")

    partner_messages.send(session, conversation, beta, "Yes, let us talk")  # they may always reply
    partner_messages.send(session, conversation, alpha, "Great")
    assert len(partner_messages.thread(session, conversation, alpha.organisation_id)) == 3


@pytest.mark.parametrize("stage", [Stage.AWARDED, Stage.CANCELLED])
def test_no_new_conversations_once_an_opportunity_is_awarded_or_cancelled(session, opportunity, alpha, beta, stage):
    opportunity.stage = stage
    assert "no longer start conversations" in partner_messages.refusal_to_start(
        session, opportunity, alpha, organisation(session, beta))
    assert partner_messages.reachable_partners(session, opportunity, alpha) == set()


def test_closing_engagement_does_not_stop_suppliers_forming_partnerships(session, opportunity, alpha, beta):
    opportunity.engagement_closed_at = utcnow()
    opportunity.stage = Stage.TENDER
    assert partner_messages.refusal_to_start(session, opportunity, alpha, organisation(session, beta)) is None


def test_an_organisation_starts_at_most_five_conversations_a_day(session, alpha, inbox):
    buyer = make_buyer(session)
    opportunities = [make_opportunity(session, buyer) for _ in range(NEW_CONVERSATIONS_PER_DAY + 1)]
    partner = supplier(session, "pat@partner.example.org", "Partner Ltd")
    for item in opportunities:
        make_interest(session, item, partner, open_to_partnering=True, listed_publicly=True)
    colleague = supplier(session, "cal@alpha.example.org", "Colleague's first")
    colleague.organisation_id = alpha.organisation_id  # the limit is the organisation's, whoever writes
    session.add(colleague)
    session.commit()
    now = utcnow()
    partners = organisation(session, partner)
    for i, item in enumerate(opportunities[:-1]):
        partner_messages.start(session, item, alpha if i % 2 else colleague, partners, "Hello", now=now - timedelta(hours=i))

    with pytest.raises(Refused) as refused:
        partner_messages.start(session, opportunities[-1], alpha, partners, "Hello", now=now)
    assert refused.value.status == 429
    assert "started 5 new conversations in the last 24 hours" in refused.value.message
    assert session.exec(select(Conversation).where(Conversation.opportunity_id == opportunities[-1].id)).first() is None

    first = partner_messages.between(session, opportunities[0].id, alpha.organisation_id, partners.id)
    partner_messages.send(session, first, alpha, "Still talking is fine", now=now)  # not a new conversation
    partner_messages.start(session, opportunities[-1], alpha, partners, "Hello", now=now + timedelta(days=1, minutes=1))


def test_a_person_sends_at_most_thirty_messages_a_day(session, opportunity, alpha, beta, inbox):
    now = utcnow()
    conversation = partner_messages.start(session, opportunity, alpha, organisation(session, beta), "1", now=now - timedelta(hours=23))
    for i in range(MESSAGES_PER_DAY - 1):
        partner_messages.send(session, conversation, alpha, str(i + 2), now=now)
    with pytest.raises(Refused) as refused:
        partner_messages.send(session, conversation, alpha, "one too many", now=now)
    assert refused.value.status == 429
    assert "sent 30 messages in the last 24 hours" in refused.value.message
    colleague = supplier(session, "cal@alpha.example.org", "Colleague's first")
    colleague.organisation_id = alpha.organisation_id
    session.add(colleague)
    session.commit()
    partner_messages.send(session, conversation, colleague, "A colleague still can", now=now)
    partner_messages.send(session, conversation, alpha, "An hour later, one more", now=now + timedelta(hours=1, minutes=1))


def test_email_addresses_are_shown_only_once_the_organisation_written_to_replies(session, opportunity, alpha, beta, inbox):
    conversation = partner_messages.start(session, opportunity, alpha, organisation(session, beta), "Hello")
    partner_messages.send(session, conversation, alpha, "Anyone there?")
    assert partner_messages.revealed_emails(session, conversation, alpha.organisation_id) == []
    assert partner_messages.revealed_emails(session, conversation, beta.organisation_id) == []
    assert all("@alpha.example.org" not in email["body"] for email in inbox)

    partner_messages.send(session, conversation, beta, "Hello back")
    assert partner_messages.revealed_emails(session, conversation, alpha.organisation_id) == ["bea@beta.example.org"]
    assert partner_messages.revealed_emails(session, conversation, beta.organisation_id) == ["ann@alpha.example.org"]
    reply_email = inbox[-1]
    assert reply_email["to"] == "ann@alpha.example.org" and "has replied" in reply_email["subject"]
    assert "Now that they have replied, you can also email them at bea@beta.example.org." in reply_email["body"]


def test_writing_again_joins_the_conversation_the_two_organisations_already_have(session, opportunity, alpha, beta, inbox):
    first = partner_messages.start(session, opportunity, alpha, organisation(session, beta), "Hello")
    again = partner_messages.start(session, opportunity, alpha, organisation(session, beta), "Hello again")
    answer = partner_messages.start(session, opportunity, beta, organisation(session, alpha), "Hello from us")
    assert first.id == again.id == answer.id
    assert answer.replied_at is not None, "the organisation written to answered"
    assert len(session.exec(select(Conversation)).all()) == 1


def test_later_messages_go_to_the_people_who_wrote(session, opportunity, alpha, beta, inbox):
    colleague = supplier(session, "bob@beta.example.org", "Beta's second")
    colleague.organisation_id = beta.organisation_id
    session.add(colleague)
    session.commit()
    conversation = partner_messages.start(session, opportunity, alpha, organisation(session, beta), "Hello")
    assert sorted(email["to"] for email in inbox) == ["bea@beta.example.org", "bob@beta.example.org"]
    partner_messages.send(session, conversation, colleague, "Bob here")
    inbox.clear()
    partner_messages.send(session, conversation, alpha, "Hi Bob")
    assert [email["to"] for email in inbox] == ["bob@beta.example.org"]


def test_conversations_are_listed_newest_first_with_whose_turn_it_is(session, opportunity, alpha, beta, inbox):
    gamma = supplier(session, "gus@gamma.example.org", "Gamma Co", opportunity)
    now = utcnow()
    with_beta = partner_messages.start(session, opportunity, alpha, organisation(session, beta), "To Beta", now=now)
    with_gamma = partner_messages.start(session, opportunity, alpha, organisation(session, gamma), "To Gamma",
                                        now=now + timedelta(minutes=1))
    partner_messages.send(session, with_beta, beta, "From Beta", now=now + timedelta(minutes=2))
    rows = partner_messages.conversations_for(session, alpha.organisation_id)
    assert [(row.conversation.id, row.other.name, row.waiting_for_us) for row in rows] == [
        (with_beta.id, "Beta Growers", True), (with_gamma.id, "Gamma Co", False)]
    assert [row.conversation.id for row in partner_messages.conversations_for(session, beta.organisation_id)] == [with_beta.id]
    assert partner_messages.get_for(session, with_gamma.id, beta.organisation_id) is None


def test_reports_reach_administrators_who_can_stop_the_sender(session, opportunity, alpha, beta, inbox):
    conversation = partner_messages.start(session, opportunity, alpha, organisation(session, beta), "Buy my product now!")
    [message] = session.exec(select(PartnerMessage)).all()
    assert partner_message_reports.reportable(session, conversation, message.id, alpha.organisation_id) is None, \
        "nobody reports their own message"
    assert partner_message_reports.reportable(session, conversation, message.id, beta.organisation_id) == message
    partner_message_reports.report(session, message, beta, "Selling, not partnering")
    partner_message_reports.report(session, message, beta, "Changed my mind")  # the first report stands

    [reported] = partner_message_reports.reported(session)
    assert (reported.sender.email, reported.sender_organisation.name, reported.recipient_organisation.name) == (
        "ann@alpha.example.org", "Alpha Kitchens", "Beta Growers")
    assert (reported.message.text, reported.message.report_reason) == ("Buy my product now!", "Selling, not partnering")
    assert not reported.sending_stopped

    partner_message_reports.stop_sending(session, alpha.organisation_id, stopped=True)
    assert partner_message_reports.reported(session)[0].sending_stopped
    assert "administrator has stopped" in partner_messages.refusal_to_start(session, opportunity, alpha, organisation(session, beta))
    with pytest.raises(Refused, match="administrator has stopped"):
        partner_messages.send(session, conversation, alpha, "Again")
    partner_message_reports.stop_sending(session, alpha.organisation_id, stopped=False)
    partner_messages.send(session, conversation, alpha, "Sorry")


def test_only_supplier_organisations_can_be_stopped(session, opportunity):
    assert partner_message_reports.stop_sending(session, opportunity.buyer_id, stopped=True) is None
    assert partner_message_reports.stop_sending(session, 999_999, stopped=True) is None
