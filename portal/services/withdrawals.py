"""Withdrawing and cancelling a published item, each with a reason the public sees.

Withdraw takes the item off the portal: its page says why (410 Gone), and it leaves search, feeds and the lists,
but its open data release says it was withdrawn. Cancel means the buying is not going ahead: the item stays public
at the cancelled stage, and says why near the top of its page. Either way its followers are told once, with the
reason, and the change log keeps it, even if the item is published again later.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from portal.clock import london
from portal.models import Opportunity, Stage, Status, StopKind, StopNotice, User, utcnow
from portal.search import SearchIndex
from portal.models import ReviewStep
from portal.services import buyer_items, review
from portal.services.indexing import sync_opportunity
from portal.services.notifications import followers, notify

LOG_LINES = {StopKind.WITHDRAWN: "Withdrawn: {reason}", StopKind.CANCELLED: "Cancelled: {reason}"}
FOLLOWER_MESSAGES = {
    StopKind.WITHDRAWN: "\u201c{title}\u201d has been withdrawn. It is no longer on the portal.",
    StopKind.CANCELLED: "\u201c{title}\u201d has been cancelled. The buying is not going ahead.",
}


def cannot_stop(opportunity: Opportunity, kind: StopKind) -> str | None:
    """Why this item cannot be withdrawn or cancelled now, in words for the buyer; None if it can."""
    if opportunity.status != Status.PUBLISHED:
        return ("Only a published item can be withdrawn or cancelled. This one is not public."
                if opportunity.status == Status.DRAFT else "This item is already withdrawn.")
    if kind == StopKind.CANCELLED and opportunity.stage == Stage.CANCELLED:
        return "This item is already cancelled."
    return None


def withdraw(session: Session, index: SearchIndex, opportunity: Opportunity, person: User, reason: str,
             at: datetime) -> StopNotice:
    opportunity.status = Status.WITHDRAWN
    return _stop(session, index, opportunity, StopKind.WITHDRAWN, person, reason, at)


def cancel(session: Session, index: SearchIndex, opportunity: Opportunity, person: User, reason: str,
           at: datetime) -> StopNotice:
    opportunity.stage = Stage.CANCELLED
    return _stop(session, index, opportunity, StopKind.CANCELLED, person, reason, at)


def _stop(session: Session, index: SearchIndex, opportunity: Opportunity, kind: StopKind, person: User,
          reason: str, at: datetime) -> StopNotice:
    """The change, the notice, the followers' notification and the change log are saved together; the search
    index follows."""
    reason = reason.strip()
    notice = StopNotice(opportunity_id=opportunity.id, kind=kind, reason=reason, made_by_id=person.id, made_at=at)
    session.add(notice)
    review.record(session, opportunity.id, person, ReviewStep(kind.value), at=at)
    # Told here, once, with the reason: not also through the general "it has changed" notice.
    notify(session, followers(session, opportunity.id), opportunity.id,
           FOLLOWER_MESSAGES[kind].format(title=opportunity.title), details=reason)
    opportunity.updated_at = utcnow()
    session.add(opportunity)
    buyer_items.log_change(session, opportunity, LOG_LINES[kind].format(reason=reason))  # commits
    sync_opportunity(session, index, opportunity.id)
    return notice


def _shown_kind(opportunity: Opportunity) -> StopKind | None:
    if opportunity.status == Status.WITHDRAWN:
        return StopKind.WITHDRAWN
    return StopKind.CANCELLED if opportunity.stage == Stage.CANCELLED else None


def current_notice(session: Session, opportunity: Opportunity) -> StopNotice | None:
    """What the public sees about a withdrawn or cancelled item; None for an item that is neither (or that was
    withdrawn or cancelled before reasons were kept)."""
    return current_notices(session, [opportunity]).get(opportunity.id)


def current_notices(session: Session, opportunities: list[Opportunity]) -> dict[int, StopNotice]:
    """current_notice for many items at once, by item id."""
    found = {}
    for kind in StopKind:
        ids = [o.id for o in opportunities if _shown_kind(o) == kind]
        found |= notices_for(session, ids, kind)
    return found


@dataclass(frozen=True)
class PublicNotice:
    """What an item's public page says: "Withdrawn on 3 December 2026" and the buyer's reason."""
    kind: str  # a StopKind
    on: date  # the day in the UK
    reason: str


def public_notice(session: Session, opportunity: Opportunity) -> PublicNotice | None:
    notice = current_notice(session, opportunity)
    if notice is None:
        return None
    return PublicNotice(notice.kind, london(notice.made_at).date(), notice.reason)


def notices_for(session: Session, opportunity_ids: list[int], kind: StopKind) -> dict[int, StopNotice]:
    """The latest notice of this kind for each of these items."""
    latest = {}
    if opportunity_ids:
        for notice in session.exec(select(StopNotice).where(col(StopNotice.opportunity_id).in_(opportunity_ids),
                                                            StopNotice.kind == kind)
                                   .order_by(StopNotice.made_at, StopNotice.id)):
            latest[notice.opportunity_id] = notice
    return latest


@dataclass(frozen=True)
class NoticeRecord:
    notice: StopNotice
    made_by: str  # the person's name, or "" if their account has gone


def history(session: Session, opportunity_id: int) -> list[NoticeRecord]:
    """Every withdrawal and cancellation of an item, newest first, with who did it: for the buyer's staff."""
    rows = session.exec(select(StopNotice, User.name).outerjoin(User, User.id == StopNotice.made_by_id)
                        .where(StopNotice.opportunity_id == opportunity_id)
                        .order_by(col(StopNotice.made_at).desc(), col(StopNotice.id).desc())).all()
    return [NoticeRecord(notice, name or "") for notice, name in rows]


def get_withdrawn(session: Session, slug: str) -> Opportunity | None:
    return session.exec(select(Opportunity).where(Opportunity.slug == slug,
                                                  Opportunity.status == Status.WITHDRAWN)).first()
