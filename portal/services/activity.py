"""What has happened recently: new opportunities, answers and engagement, for a mission or a buyer."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from portal.clock import as_utc, london
from portal.models import EngagementEvent, Opportunity, OpportunityMission, Question, Status
from portal.published_dates import published_moment
from portal.services import questions
from portal.services.questions import PublicQuestion
from portal.services.engagement_window import open_clause


@dataclass(frozen=True)
class Happening:
    when: datetime
    text: str
    opportunity: Opportunity

    @property
    def day(self) -> date:
        """The UK date it happened; for a publishing, the item's published date, as its own page shows it."""
        return london(self.when).date()


def _opportunity_ids(session: Session, mission_id: int | None, buyer_id: int | None):
    query = select(Opportunity.id).where(Opportunity.status == Status.PUBLISHED)
    if mission_id is not None:
        query = query.where(col(Opportunity.id).in_(
            select(OpportunityMission.opportunity_id).where(OpportunityMission.mission_id == mission_id)))
    if buyer_id is not None:
        query = query.where(Opportunity.buyer_id == buyer_id)
    return query


def recent(session: Session, mission_id: int | None = None, buyer_id: int | None = None, limit: int = 6) -> list[Happening]:
    ids = _opportunity_ids(session, mission_id, buyer_id)
    opportunities = {o.id: o for o in session.exec(select(Opportunity).where(col(Opportunity.id).in_(ids))).all()}
    happenings = [
        Happening(published_moment(o), f"Published: {o.title}", o)
        for o in opportunities.values() if o.published_on
    ]
    answered = session.exec(select(Question).where(col(Question.opportunity_id).in_(ids), questions.IS_PUBLISHED)).all()
    happenings += [Happening(q.answered_at, f"A question was answered about {opportunities[q.opportunity_id].title}",
                             opportunities[q.opportunity_id]) for q in answered]
    held = session.exec(select(EngagementEvent).where(col(EngagementEvent.opportunity_id).in_(ids))).all()
    happenings += [Happening(e.created_at, f"Engagement event arranged: {e.title}", opportunities[e.opportunity_id]) for e in held]
    return sorted(happenings, key=lambda h: as_utc(h.when), reverse=True)[:limit]


def open_engagement(session: Session, buyer_id: int, today: date) -> list[Opportunity]:
    """Everything of this buyer's that suppliers can take part in now, the soonest deadline first."""
    return list(session.exec(select(Opportunity).where(Opportunity.buyer_id == buyer_id, open_clause(today)).order_by(
        col(Opportunity.engagement_closes_on).is_(None), Opportunity.engagement_closes_on, Opportunity.id)).all())


def recent_answers(session: Session, buyer_id: int, limit: int = 5) -> list[tuple[PublicQuestion, Opportunity]]:
    return [(questions.public(q), o) for q, o in session.exec(
        select(Question, Opportunity).join(Opportunity, Opportunity.id == Question.opportunity_id)
        .where(Opportunity.buyer_id == buyer_id, Opportunity.status == Status.PUBLISHED, questions.IS_PUBLISHED)
        .order_by(col(Question.answered_at).desc()).limit(limit)
    ).all()]
