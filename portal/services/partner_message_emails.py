"""Emailing a supplier at once when another supplier writes to them about partnering."""

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.mail import send_email_in_background
from portal.models import Conversation, Opportunity, Organisation, PartnerMessage, Role, User
from portal.security import external_url


def people_to_tell(session: Session, conversation: Conversation, organisation_id: int) -> list[str]:
    """The organisation's people who have written in the conversation, or all of them while none has."""
    people = select(User.email).where(User.organisation_id == organisation_id, User.role == Role.SUPPLIER,
                                      col(User.email_confirmed_at).is_not(None)).order_by(User.email)
    writers = select(PartnerMessage.sender_id).where(PartnerMessage.conversation_id == conversation.id)
    return list(session.exec(people.where(col(User.id).in_(writers))).all()) or list(session.exec(people).all())


def tell_the_other_side(session: Session, conversation: Conversation, message: PartnerMessage, sender: User) -> None:
    to_starter = message.sender_organisation_id == conversation.recipient_id
    other_id = conversation.starter_id if to_starter else conversation.recipient_id
    opportunity = session.get(Opportunity, conversation.opportunity_id)
    sender_organisation = session.get(Organisation, message.sender_organisation_id)
    first = session.exec(select(func.count()).where(PartnerMessage.conversation_id == conversation.id)).one() == 1
    first_reply = to_starter and conversation.replied_at == message.sent_at
    did = ("has written to you" if first else "has replied" if first_reply else "has sent you a new message")
    who = f"{sender.name} from {sender_organisation.name}"
    subject = f"{who} {did} about \u201c{opportunity.title}\u201d"
    lines = [
        f"{who} {did} about partnering on this opportunity: {opportunity.title}.", "",
        "Their message:", "", message.text, "",
        "Read it and reply on the Opportunity Portal:", external_url("messages.show", conversation_id=conversation.id), "",
    ]
    if conversation.replied_at is not None:
        lines += [f"Now that {'they have' if to_starter else 'you have'} replied, you can also email them at "
                  f"{sender.email}.", ""]
    else:
        lines += ["They cannot see your email address. If you reply, you will both see each other's email address.", ""]
    if not to_starter:
        lines += ["You got this email because your organisation is on this opportunity's list of suppliers open to "
                  "partnering. You can turn off messages from other suppliers on your organisation's profile:",
                  external_url("accounts.organisation")]
    for address in people_to_tell(session, conversation, other_id):
        send_email_in_background(address, subject, "\n".join(lines).rstrip() + "\n")
