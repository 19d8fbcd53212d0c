"""Reading missions and their outcomes."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from portal.models import Mission, Opportunity, OpportunityMission, Status


@dataclass(frozen=True)
class MissionSummary:
    mission: Mission
    opportunity_count: int


def list_missions(session: Session) -> list[MissionSummary]:
    """Every mission with how many published opportunities serve it; the buyers' own missions first."""
    counts = dict(
        session.exec(
            select(OpportunityMission.mission_id, func.count())
            .join(Opportunity, Opportunity.id == OpportunityMission.opportunity_id)
            .where(Opportunity.status == Status.PUBLISHED)
            .group_by(OpportunityMission.mission_id)
        ).all()
    )
    missions = session.exec(
        select(Mission).options(selectinload(Mission.owner), selectinload(Mission.outcomes))
        .order_by(col(Mission.owner_id).is_(None), col(Mission.id))
    ).all()
    return [MissionSummary(m, counts.get(m.id, 0)) for m in missions]


def get_mission(session: Session, slug: str) -> Mission | None:
    return session.exec(
        select(Mission).where(Mission.slug == slug).options(selectinload(Mission.owner), selectinload(Mission.outcomes))
    ).first()


def mission_slugs(session: Session) -> set[str]:
    return set(session.exec(select(Mission.slug)).all())


def mission_choices(session: Session) -> list[tuple[str, str]]:
    """(slug, short title) of every mission, for forms and filters."""
    return list(session.exec(select(Mission.slug, Mission.short_title).order_by(Mission.id)).all())
