"""Reading buyer organisations."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.models import Opportunity, Organisation, OrganisationKind, Status


@dataclass(frozen=True)
class BuyerSummary:
    buyer: Organisation
    opportunity_count: int


def list_buyers(session: Session) -> list[BuyerSummary]:
    rows = session.exec(
        select(Organisation, func.count(col(Opportunity.id)))
        .join(
            Opportunity,
            (Opportunity.buyer_id == Organisation.id) & (Opportunity.status == Status.PUBLISHED),
            isouter=True,
        )
        .where(Organisation.kind == OrganisationKind.BUYER)
        .group_by(col(Organisation.id))
        .order_by(Organisation.name)
    ).all()
    return [BuyerSummary(buyer, count) for buyer, count in rows]


def get_buyer(session: Session, slug: str) -> Organisation | None:
    return session.exec(
        select(Organisation).where(Organisation.slug == slug, Organisation.kind == OrganisationKind.BUYER)
    ).first()
