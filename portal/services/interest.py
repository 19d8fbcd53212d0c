"""Registering interest in an opportunity, and the public list of interested suppliers."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.models import Interest, Organisation, utcnow


@dataclass(frozen=True)
class InterestSummary:
    count: int
    public: list[Organisation]
    partnering: list[Organisation]  # publicly listed and open to partnering


def register(session: Session, opportunity_id: int, organisation_id: int, keep_updated: bool,
             open_to_partnering: bool, listed_publicly: bool) -> Interest:
    interest = get(session, opportunity_id, organisation_id) or Interest(
        opportunity_id=opportunity_id, organisation_id=organisation_id)
    interest.keep_updated = keep_updated
    interest.open_to_partnering = open_to_partnering
    interest.listed_publicly = listed_publicly
    interest.updated_at = utcnow()
    session.add(interest)
    session.commit()
    return interest


def get(session: Session, opportunity_id: int, organisation_id: int) -> Interest | None:
    return session.exec(select(Interest).where(
        Interest.opportunity_id == opportunity_id, Interest.organisation_id == organisation_id)).first()


def withdraw(session: Session, opportunity_id: int, organisation_id: int) -> bool:
    interest = get(session, opportunity_id, organisation_id)
    if interest is None:
        return False
    session.delete(interest)
    session.commit()
    return True


def summary(session: Session, opportunity_id: int) -> InterestSummary:
    count = session.exec(select(func.count()).where(Interest.opportunity_id == opportunity_id)).one()
    rows = session.exec(
        select(Organisation, Interest.open_to_partnering)
        .join(Interest, Interest.organisation_id == Organisation.id)
        .where(Interest.opportunity_id == opportunity_id, col(Interest.listed_publicly).is_(True))
        .order_by(Organisation.name)
    ).all()
    return InterestSummary(count, [org for org, _ in rows], [org for org, partnering in rows if partnering])

