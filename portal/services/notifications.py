"""Telling people about things they follow. Notifications are emailed in batches by `send-alerts`."""

from sqlmodel import Session, select

from portal.models import Follow, Notification


def notify(session: Session, user_ids: set[int], opportunity_id: int | None, message: str) -> None:
    for user_id in sorted(user_ids):
        session.add(Notification(user_id=user_id, opportunity_id=opportunity_id, message=message))


def followers(session: Session, opportunity_id: int) -> set[int]:
    return set(session.exec(select(Follow.user_id).where(Follow.opportunity_id == opportunity_id)).all())


def follow(session: Session, user_id: int, opportunity_id: int) -> None:
    exists = session.exec(select(Follow).where(Follow.user_id == user_id, Follow.opportunity_id == opportunity_id)).first()
    if exists is None:
        session.add(Follow(user_id=user_id, opportunity_id=opportunity_id))
        session.commit()


def unfollow(session: Session, user_id: int, opportunity_id: int) -> None:
    existing = session.exec(select(Follow).where(Follow.user_id == user_id, Follow.opportunity_id == opportunity_id)).first()
    if existing is not None:
        session.delete(existing)
        session.commit()


def is_following(session: Session, user_id: int, opportunity_id: int) -> bool:
    return session.exec(select(Follow.id).where(Follow.user_id == user_id, Follow.opportunity_id == opportunity_id)).first() is not None
