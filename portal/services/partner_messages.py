"""Messages between suppliers about partnering on an opportunity.

A supplier writes to an organisation on the opportunity's public list that is open to partnering; the two
organisations then share one conversation about that opportunity. Neither side sees the other's email address until
the organisation written to replies.

Limits are counted in the database, not by Flask-Limiter: they are per organisation and per person rather than per
address, they hold across every worker and restart, and a refusal can show the form again with the message kept.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from portal.clock import as_utc
from portal.models import (
    Conversation,
    Interest,
    MessagingSetting,
    Opportunity,
    Organisation,
    PartnerMessage,
    Role,
    Stage,
    User,
    utcnow,
)
from portal.presenters import london_time
from portal.services.interest import shown_to_buyer
from portal.services import partner_message_emails

MAX_MESSAGE_WORDS = 300
NEW_CONVERSATIONS_PER_DAY = 5  # per organisation
MESSAGES_PER_DAY = 30  # per person
DAY = timedelta(hours=24)
FINISHED_STAGES = {Stage.AWARDED: "its contract has been awarded", Stage.CANCELLED: "it has been cancelled"}


class Refused(Exception):
    """Why a message cannot be sent, in words for the sender; status 403 for a rule, 429 for a limit."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class ThreadMessage:
    message: PartnerMessage
    sender_name: str
    organisation_name: str
    from_us: bool


@dataclass(frozen=True)
class ConversationRow:
    conversation: Conversation
    opportunity: Opportunity
    other: Organisation
    last_message: PartnerMessage
    waiting_for_us: bool  # the other organisation wrote last


def partner(session: Session, opportunity_id: int, organisation_slug: str) -> Organisation | None:
    """An organisation on the opportunity's public list that is open to partnering."""
    return session.exec(
        shown_to_buyer(select(Organisation).join(Interest, Interest.organisation_id == Organisation.id))
        .where(Organisation.slug == organisation_slug, Interest.opportunity_id == opportunity_id,
               col(Interest.listed_publicly).is_(True), col(Interest.open_to_partnering).is_(True))
    ).first()


def setting(session: Session, organisation_id: int) -> MessagingSetting:
    return session.get(MessagingSetting, organisation_id) or MessagingSetting(organisation_id=organisation_id)


def set_accepts_messages(session: Session, organisation_id: int, accepts: bool) -> None:
    chosen = setting(session, organisation_id)
    chosen.accepts_messages = accepts
    chosen.updated_at = utcnow()
    session.add(chosen)
    session.commit()


def reachable_partners(session: Session, opportunity: Opportunity, user) -> set[int]:
    """The organisations on the opportunity's partnering list this person may start a conversation with."""
    if not user.is_authenticated or user.role != Role.SUPPLIER or user.organisation_id is None:
        return set()
    if opportunity.stage in FINISHED_STAGES or setting(session, user.organisation_id).sending_stopped_at:
        return set()
    turned_off = select(MessagingSetting.organisation_id).where(col(MessagingSetting.accepts_messages).is_(False))
    return set(session.exec(
        shown_to_buyer(select(Interest.organisation_id)).where(
            Interest.opportunity_id == opportunity.id, col(Interest.listed_publicly).is_(True),
            col(Interest.open_to_partnering).is_(True), Interest.organisation_id != user.organisation_id,
            col(Interest.organisation_id).not_in(turned_off))
    ).all())


def refusal_to_start(session: Session, opportunity: Opportunity, sender: User, recipient: Organisation) -> str | None:
    """Why this person may not write to this organisation about this opportunity, or None if they may."""
    if sender.role != Role.SUPPLIER or sender.organisation_id is None:
        return "Only suppliers can send messages to other suppliers."
    if recipient.id == sender.organisation_id:
        return "This is your own organisation."
    if partner(session, opportunity.id, recipient.slug) is None:
        return f"{recipient.name} is not on this opportunity's list of suppliers open to partnering."
    if opportunity.stage in FINISHED_STAGES:
        return f"You can no longer start conversations about this opportunity: {FINISHED_STAGES[opportunity.stage]}."
    if not setting(session, recipient.id).accepts_messages:
        return f"{recipient.name} has chosen not to get messages from other suppliers."
    return _sending_stopped(session, sender)


def between(session: Session, opportunity_id: int, one: int, other: int) -> Conversation | None:
    """The conversation two organisations have about an opportunity, whichever of them wrote first."""
    return session.exec(select(Conversation).where(
        Conversation.opportunity_id == opportunity_id,
        or_((Conversation.starter_id == one) & (Conversation.recipient_id == other),
            (Conversation.starter_id == other) & (Conversation.recipient_id == one)))).first()


def start(session: Session, opportunity: Opportunity, sender: User, recipient: Organisation, text: str,
          now: datetime | None = None) -> Conversation:
    """Write to a partner. If the two organisations already talk about this opportunity, the message joins
    that conversation."""
    now = now or utcnow()
    refusal = refusal_to_start(session, opportunity, sender, recipient)
    if refusal:
        raise Refused(refusal)
    conversation = between(session, opportunity.id, sender.organisation_id, recipient.id)
    if conversation is None:
        _check_new_conversation_limit(session, sender.organisation_id, now)
        _check_message_limit(session, sender, now)
        conversation = Conversation(opportunity_id=opportunity.id, starter_id=sender.organisation_id,
                                    recipient_id=recipient.id, created_at=now, last_message_at=now)
        session.add(conversation)
        try:
            session.flush()
        except IntegrityError:  # the same message sent twice at once: the first made the conversation
            session.rollback()
            conversation = between(session, opportunity.id, sender.organisation_id, recipient.id)
    try:
        send(session, conversation, sender, text, now)
    except Refused:
        session.rollback()  # no conversation without its first message
        raise
    return conversation


def send(session: Session, conversation: Conversation, sender: User, text: str,
         now: datetime | None = None) -> PartnerMessage:
    """A message in a conversation the sender's organisation is part of."""
    now = now or utcnow()
    refusal = refusal_to_send(session, conversation, sender)
    if refusal:
        raise Refused(refusal)
    _check_message_limit(session, sender, now)
    from_recipient = sender.organisation_id == conversation.recipient_id
    message = PartnerMessage(conversation_id=conversation.id, sender_id=sender.id,
                             sender_organisation_id=sender.organisation_id, text=text.strip(), sent_at=now)
    if from_recipient and conversation.replied_at is None:
        conversation.replied_at = now
    conversation.last_message_at = now
    session.add_all([message, conversation])
    session.commit()
    partner_message_emails.tell_the_other_side(session, conversation, message, sender)
    return message


def refusal_to_send(session: Session, conversation: Conversation, sender: User) -> str | None:
    """Why this person may not write in this conversation now, or None if they may. Turning messages off stops
    new messages to an organisation, except in conversations where it has replied."""
    refusal = _sending_stopped(session, sender)
    if refusal is None and sender.organisation_id == conversation.starter_id and conversation.replied_at is None \
            and not setting(session, conversation.recipient_id).accepts_messages:
        other = session.get(Organisation, conversation.recipient_id)
        refusal = f"{other.name} has chosen not to get messages from other suppliers, and has not replied to you."
    return refusal


def _sending_stopped(session: Session, sender: User) -> str | None:
    if setting(session, sender.organisation_id).sending_stopped_at:
        return ("An administrator has stopped your organisation from sending messages to other suppliers, "
                "after a message was reported.")
    return None


def _check_new_conversation_limit(session: Session, organisation_id: int, now: datetime) -> None:
    started = session.exec(select(Conversation.created_at).where(
        Conversation.starter_id == organisation_id, Conversation.created_at > now - DAY)
        .order_by(Conversation.created_at)).all()
    if len(started) >= NEW_CONVERSATIONS_PER_DAY:
        raise Refused(f"Your organisation has started {NEW_CONVERSATIONS_PER_DAY} new conversations in the last "
                      f"24 hours, the most it can. Your message has not been sent. You can send it from "
                      f"{_when_free(started, len(started) - NEW_CONVERSATIONS_PER_DAY)} (UK time).", 429)


def _check_message_limit(session: Session, sender: User, now: datetime) -> None:
    sent = session.exec(select(PartnerMessage.sent_at).where(
        PartnerMessage.sender_id == sender.id, PartnerMessage.sent_at > now - DAY)
        .order_by(PartnerMessage.sent_at)).all()
    if len(sent) >= MESSAGES_PER_DAY:
        raise Refused(f"You have sent {MESSAGES_PER_DAY} messages in the last 24 hours, the most one person can. "
                      f"Your message has not been sent. You can send it from "
                      f"{_when_free(sent, len(sent) - MESSAGES_PER_DAY)} (UK time).", 429)


def _when_free(times: list[datetime], index: int) -> str:
    """When the oldest counted message leaves the 24 hours, making room for one more."""
    return london_time(as_utc(times[index]) + DAY + timedelta(minutes=1))


def get_for(session: Session, conversation_id: int, organisation_id: int) -> Conversation | None:
    """A conversation the organisation is part of; None for anyone else's."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or organisation_id not in (conversation.starter_id, conversation.recipient_id):
        return None
    return conversation


def other_side(conversation: Conversation, organisation_id: int) -> int:
    return conversation.recipient_id if organisation_id == conversation.starter_id else conversation.starter_id


def thread(session: Session, conversation: Conversation, organisation_id: int) -> list[ThreadMessage]:
    rows = session.exec(
        select(PartnerMessage, User.name, Organisation.name)
        .join(User, User.id == PartnerMessage.sender_id)
        .join(Organisation, Organisation.id == PartnerMessage.sender_organisation_id)
        .where(PartnerMessage.conversation_id == conversation.id)
        .order_by(PartnerMessage.sent_at, PartnerMessage.id)
    ).all()
    return [ThreadMessage(message, name, organisation, message.sender_organisation_id == organisation_id)
            for message, name, organisation in rows]


def revealed_emails(session: Session, conversation: Conversation, organisation_id: int) -> list[str]:
    """Once the organisation written to has replied: the addresses of the other side's people who wrote."""
    if conversation.replied_at is None:
        return []
    return list(session.exec(
        select(User.email).distinct().join(PartnerMessage, PartnerMessage.sender_id == User.id)
        .where(PartnerMessage.conversation_id == conversation.id,
               PartnerMessage.sender_organisation_id != organisation_id)
        .order_by(User.email)
    ).all())


def conversations_for(session: Session, organisation_id: int) -> list[ConversationRow]:
    rows = session.exec(
        select(Conversation, Opportunity).join(Opportunity, Opportunity.id == Conversation.opportunity_id)
        .where(or_(Conversation.starter_id == organisation_id, Conversation.recipient_id == organisation_id))
        .order_by(col(Conversation.last_message_at).desc(), col(Conversation.id).desc())
    ).all()
    if not rows:
        return []
    ids = [conversation.id for conversation, _ in rows]
    newest = select(func.max(PartnerMessage.id)).where(col(PartnerMessage.conversation_id).in_(ids)) \
        .group_by(PartnerMessage.conversation_id)
    last = {m.conversation_id: m for m in session.exec(select(PartnerMessage).where(col(PartnerMessage.id).in_(newest)))}
    others = {o.id: o for o in session.exec(select(Organisation).where(
        col(Organisation.id).in_({other_side(c, organisation_id) for c, _ in rows})))}
    return [ConversationRow(c, opportunity, others[other_side(c, organisation_id)], last[c.id],
                            last[c.id].sender_organisation_id != organisation_id)
            for c, opportunity in rows]
