"""Telling people what happened: followers of an opportunity, and the buyer's staff who run it.

Each notification says what happened, carries the content itself (an answer, an event's time) and where to act on
it. They are listed on the dashboard and emailed by `send-alerts`, or at once (see instant_updates).
"""

from sqlmodel import Session, col, select

from portal.models import Follow, Notification, Opportunity, Role, UpdateEmails, User, utcnow
from portal.services import instant_updates


def link(endpoint: str, **values) -> dict:
    """A notification's link, kept as an endpoint so that it is built on BASE_URL when it is emailed."""
    return {"endpoint": endpoint, "values": values}


def notify(session: Session, user_ids: set[int], opportunity_id: int | None, message: str, details: str = "",
           to: dict | None = None) -> None:
    for user_id in sorted(user_ids):
        session.add(Notification(user_id=user_id, opportunity_id=opportunity_id, message=message, details=details,
                                 link=to))


def _works_for_buyer_of(opportunity_id: int) -> tuple:
    buyer_id = select(Opportunity.buyer_id).where(Opportunity.id == opportunity_id).scalar_subquery()
    return User.organisation_id == buyer_id, User.role == Role.BUYER


def buyer_staff(session: Session, opportunity_id: int) -> set[int]:
    """The people who work for the opportunity's buyer."""
    return set(session.exec(select(User.id).where(*_works_for_buyer_of(opportunity_id))).all())


def tell_buyer(session: Session, opportunity_id: int, message: str, details: str = "", to: dict | None = None,
               emailed_already: bool = False) -> None:
    """Something the buyer's staff should know: new interest, a question, a booking. Those who asked to hear straight
    away are emailed once the caller commits; the others get a daily summary or no email, as they chose.
    `emailed_already`: the caller emails every one of them itself (a meeting with its calendar file), so the
    notification is only listed on their pages."""
    staff = session.exec(select(User.id, User.update_emails).where(*_works_for_buyer_of(opportunity_id))
                         .order_by(User.id)).all()
    at_once = []
    for user_id, choice in staff:
        notification = Notification(user_id=user_id, opportunity_id=opportunity_id, message=message, details=details,
                                    link=to, emailed_at=utcnow() if emailed_already else None)
        session.add(notification)
        if choice == UpdateEmails.INSTANT and not emailed_already:
            at_once.append(notification)
    instant_updates.queue(session, at_once)


def recent(session: Session, user_id: int, limit: int = 10) -> list[tuple[Notification, str | None]]:
    """A person's newest notifications, each with the slug of its opportunity (None if it has none)."""
    return list(session.exec(
        select(Notification, Opportunity.slug).outerjoin(Opportunity, Opportunity.id == Notification.opportunity_id)
        .where(Notification.user_id == user_id).order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(limit)).all())


def followers(session: Session, opportunity_id: int) -> set[int]:
    return set(session.exec(select(Follow.user_id).where(Follow.opportunity_id == opportunity_id)).all())


def follow(session: Session, user_id: int, opportunity_id: int, commit: bool = True) -> None:
    exists = session.exec(select(Follow).where(Follow.user_id == user_id, Follow.opportunity_id == opportunity_id)).first()
    if exists is None:
        session.add(Follow(user_id=user_id, opportunity_id=opportunity_id))
    if commit:
        session.commit()


def unfollow(session: Session, user_id: int, opportunity_id: int, commit: bool = True) -> None:
    existing = session.exec(select(Follow).where(Follow.user_id == user_id, Follow.opportunity_id == opportunity_id)).first()
    if existing is not None:
        session.delete(existing)
    if commit:
        session.commit()


def is_following(session: Session, user_id: int, opportunity_id: int) -> bool:
    return session.exec(select(Follow.id).where(Follow.user_id == user_id, Follow.opportunity_id == opportunity_id)).first() is not None
