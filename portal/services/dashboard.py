"""What a supplier sees on their dashboard, and what changed since their last visit."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from portal.clock import as_utc
from portal.models import (
    Follow,
    Interest,
    Notification,
    Opportunity,
    OpportunityVersion,
    Question,
    Status,
    User,
    utcnow,
)
from portal.services import events, meeting_slots, questions, saved_searches
from portal.services import interest as interest_service


@dataclass(frozen=True)
class InterestRow:
    interest: Interest
    opportunity: Opportunity
    changed: bool
    state: str  # "draft", "waiting" (sent, but the sender's email address is not confirmed) or "sent"


@dataclass(frozen=True)
class FollowedRow:
    opportunity: Opportunity
    changes: list[str]  # what changed since the last visit: published changes, then what the person was told


@dataclass(frozen=True)
class Dashboard:
    interests: list[InterestRow]
    followed: list[FollowedRow]
    bookings: list
    meetings: list  # (MeetingSlot, Opportunity): the organisation's one-to-one meetings
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
    shown = {interest.id for interest, _ in interest_rows if interest_service.is_shown(session, interest)}
    return Dashboard(
        interests=[InterestRow(i, o, _since(o.updated_at, last_visit),
                               "draft" if i.submitted_at is None else "sent" if i.id in shown else "waiting")
                   for i, o in interest_rows],
        followed=_followed(session, user, last_visit, notifications),
        bookings=events.bookings_for_user(session, user.id),
        meetings=meeting_slots.held_by_organisation(session, user.organisation_id),
        questions=[(q, opportunities[q.opportunity_id], _since(_decided_at(q), last_visit)) for q in asked],
        saved_searches=saved_searches.for_user(session, user.id),
        notifications=[n for n in notifications if last_visit is None or _since(n.created_at, last_visit)],
        last_visit=last_visit,
    )


def _followed(session: Session, user: User, last_visit, notifications: list[Notification]) -> list[FollowedRow]:
    """Published items the person follows, most recently changed first, each with what changed since the last visit
    (nothing is marked on a first visit)."""
    followed = session.exec(select(Opportunity).join(Follow, Follow.opportunity_id == Opportunity.id)
                            .where(Follow.user_id == user.id, Opportunity.status == Status.PUBLISHED)
                            .order_by(col(Opportunity.updated_at).desc(), Opportunity.id)).all()
    changes: dict[int, list[str]] = {}
    if last_visit is not None and followed:
        versions = session.exec(select(OpportunityVersion).where(
            col(OpportunityVersion.opportunity_id).in_([o.id for o in followed]),
            col(OpportunityVersion.published_at) > last_visit).order_by(OpportunityVersion.number)).all()
        for version in versions:
            changes.setdefault(version.opportunity_id, []).extend(version.changes)
        titles = {o.id: o.title for o in followed}
        for notification in reversed(notifications):
            # Notices of a changed stage or date repeat what the published versions already say.
            repeats_a_version = notification.message.startswith(f"\u201c{titles.get(notification.opportunity_id)}\u201d has changed")
            if notification.opportunity_id in titles and _since(notification.created_at, last_visit) and not repeats_a_version:
                changes.setdefault(notification.opportunity_id, []).append(notification.message)
    return [FollowedRow(o, list(dict.fromkeys(changes.get(o.id, [])))) for o in followed]


def record_visit(session: Session, user: User) -> None:
    user.last_dashboard_visit = utcnow()
    session.add(user)
    session.commit()
