"""What a supplier sees on their dashboard, and what changed since their last visit."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from portal.clock import as_utc
from portal.models import Interest, Notification, Opportunity, Question, User, utcnow
from portal.services import events, questions, saved_searches


@dataclass(frozen=True)
class InterestRow:
    interest: Interest
    opportunity: Opportunity
    changed: bool


@dataclass(frozen=True)
class Dashboard:
    interests: list[InterestRow]
    bookings: list
    questions: list[tuple[Question, Opportunity, bool]]  # question, its opportunity, decided since the last visit
    saved_searches: list
    notifications: list[Notification]
    last_visit: datetime | None


def _since(moment, last_visit) -> bool:
    return last_visit is not None and moment is not None and as_utc(moment) > as_utc(last_visit)


def _decided_at(question: Question) -> datetime | None:
    """When the buyer last published, changed or rejected the question."""
    return question.answer_changed_at or question.answered_at or question.rejected_at


def build(session: Session, user: User) -> Dashboard:
    last_visit = user.last_dashboard_visit
    interest_rows = session.exec(
        select(Interest, Opportunity).join(Opportunity, Opportunity.id == Interest.opportunity_id)
        .where(Interest.organisation_id == user.organisation_id).order_by(col(Interest.created_at).desc())
    ).all()
    asked = questions.asked_by_organisation(session, user.organisation_id)
    opportunities = {o.id: o for o in session.exec(select(Opportunity).where(
        col(Opportunity.id).in_({q.opportunity_id for q in asked}))).all()} if asked else {}
    notifications = list(session.exec(select(Notification).where(Notification.user_id == user.id)
                                      .order_by(col(Notification.created_at).desc()).limit(20)).all())
    return Dashboard(
        interests=[InterestRow(i, o, _since(o.updated_at, last_visit)) for i, o in interest_rows],
        bookings=events.bookings_for_user(session, user.id),
        questions=[(q, opportunities[q.opportunity_id], _since(_decided_at(q), last_visit)) for q in asked],
        saved_searches=saved_searches.for_user(session, user.id),
        notifications=[n for n in notifications if last_visit is None or _since(n.created_at, last_visit)],
        last_visit=last_visit,
    )


def record_visit(session: Session, user: User) -> None:
    user.last_dashboard_visit = utcnow()
    session.add(user)
    session.commit()
