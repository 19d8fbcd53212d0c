"""Reports of unwanted messages between suppliers, and what administrators can do about them."""

from dataclasses import dataclass

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from portal.models import Conversation, Opportunity, Organisation, OrganisationKind, PartnerMessage, User, utcnow
from portal.services.partner_messages import setting


@dataclass(frozen=True)
class ReportedMessage:
    message: PartnerMessage
    sender: User
    sender_organisation: Organisation
    recipient_organisation: Organisation
    reported_by: User
    opportunity: Opportunity
    sending_stopped: bool


def reportable(session: Session, conversation: Conversation, message_id: int, organisation_id: int) -> PartnerMessage | None:
    """A message in this conversation that the other organisation sent to this one."""
    message = session.get(PartnerMessage, message_id)
    if message is None or message.conversation_id != conversation.id or message.sender_organisation_id == organisation_id:
        return None
    return message


def report(session: Session, message: PartnerMessage, reporter: User, reason: str) -> None:
    """The first report of a message is kept; reporting it again changes nothing."""
    if message.reported_at is None:
        message.reported_at = utcnow()
        message.reported_by_id = reporter.id
        message.report_reason = reason.strip()
        session.add(message)
        session.commit()


def reported(session: Session) -> list[ReportedMessage]:
    recipient, reporter = aliased(Organisation), aliased(User)
    rows = session.exec(
        select(PartnerMessage, User, Organisation, recipient, reporter, Opportunity)
        .join(User, User.id == PartnerMessage.sender_id)
        .join(Organisation, Organisation.id == PartnerMessage.sender_organisation_id)
        .join(Conversation, Conversation.id == PartnerMessage.conversation_id)
        .join(recipient, ((recipient.id == Conversation.recipient_id) | (recipient.id == Conversation.starter_id))
              & (recipient.id != PartnerMessage.sender_organisation_id))
        .join(reporter, reporter.id == PartnerMessage.reported_by_id)
        .join(Opportunity, Opportunity.id == Conversation.opportunity_id)
        .where(col(PartnerMessage.reported_at).is_not(None))
        .order_by(col(PartnerMessage.reported_at).desc())
    ).all()
    return [ReportedMessage(message, sender, organisation, to, by, opportunity,
                            setting(session, organisation.id).sending_stopped_at is not None)
            for message, sender, organisation, to, by, opportunity in rows]


def stop_sending(session: Session, organisation_id: int, stopped: bool) -> Organisation | None:
    """An administrator stops an organisation sending messages to other suppliers, or lets it again."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.kind != OrganisationKind.SUPPLIER:
        return None
    chosen = setting(session, organisation_id)
    chosen.sending_stopped_at = utcnow() if stopped else None
    chosen.updated_at = utcnow()
    session.add(chosen)
    session.commit()
    return organisation
