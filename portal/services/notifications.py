"""Telling people what happened: followers of an opportunity, and the buyer's staff who run it.

Each notification says what happened, carries the content itself (an answer, an event's time) and where to act on
it. They are listed on the dashboard and emailed by `send-alerts`.
"""

from sqlmodel import Session, select

from portal.models import Follow, Notification, Opportunity, Role, User


def link(endpoint: str, **values) -> dict:
    """A notification's link, kept as an endpoint so that it is built on BASE_URL when it is emailed."""
    return {"endpoint": endpoint, "values": values}


def notify(session: Session, user_ids: set[int], opportunity_id: int | None, message: str, details: str = "",
           to: dict | None = None) -> None:
    for user_id in sorted(user_ids):
        session.add(Notification(user_id=user_id, opportunity_id=opportunity_id, message=message, details=details,
                                 link=to))


def buyer_staff(session: Session, opportunity_id: int) -> set[int]:
    """The people who work for the opportunity's buyer."""
    buyer_id = select(Opportunity.buyer_id).where(Opportunity.id == opportunity_id).scalar_subquery()
    return set(session.exec(select(User.id).where(User.organisation_id == buyer_id, User.role == Role.BUYER)).all())


def tell_buyer(session: Session, opportunity_id: int, message: str, details: str = "", to: dict | None = None) -> None:
    """Something the buyer's staff should know: new interest, a question, a booking."""
    notify(session, buyer_staff(session, opportunity_id), opportunity_id, message, details, to)


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
