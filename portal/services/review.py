"""Review before publish. Buyers' staff are editors (write and submit for review) or publishers (approve, ask for
changes with a comment, publish). An organisation may let editors publish what they wrote themselves.

A draft, or a published item's pending change, goes: being written -> submitted -> changes requested (with a comment)
-> ... -> published. Every step is kept in the item's history with who and when, for its buyer's staff only. Anyone
with a private preview link can read the draft until the link expires or is revoked.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from portal.clock import as_utc
from portal.models import (
    Notification,
    Opportunity,
    Organisation,
    PreviewLink,
    ReviewEvent,
    ReviewState,
    ReviewStep,
    Role,
    StaffRole,
    Status,
    User,
)
from portal.search import SearchIndex
from portal.services import buyer_items, instant_updates
from portal.services.buyer_items import BriefData
from portal.services.notifications import link

PREVIEW_DAYS = 30
MAX_COMMENT_CHARACTERS = 2000

STEP_WORDS = {
    ReviewStep.CREATED: "Created",
    ReviewStep.SUBMITTED: "Submitted for review",
    ReviewStep.CHANGES_REQUESTED: "Changes asked for",
    ReviewStep.PUBLISHED: "Approved and published",
    ReviewStep.CHANGES_PUBLISHED: "Changes approved and published",
    ReviewStep.WITHDRAWN: "Withdrawn",
    ReviewStep.CANCELLED: "Cancelled",
    ReviewStep.PREVIEW_LINK_MADE: "Preview link made",
    ReviewStep.PREVIEW_LINK_REVOKED: "Preview link revoked",
}
STATE_WORDS = {
    ReviewState.NONE: "Being written",
    ReviewState.SUBMITTED: "Waiting for a publisher to review it",
    ReviewState.CHANGES_REQUESTED: "Changes asked for",
}


def is_publisher(user: User) -> bool:
    return user.role == Role.BUYER and user.staff_role == StaffRole.PUBLISHER


def may_publish(user: User, organisation: Organisation, opportunity: Opportunity | None = None) -> bool:
    """Whether this person may make text public for their organisation: publishers always; editors only when the
    organisation lets editors publish their own and they wrote this item's draft (or, with no item, new items)."""
    if user.role != Role.BUYER or user.organisation_id != organisation.id:
        return False
    if is_publisher(user):
        return True
    if not organisation.editors_publish_own:
        return False
    return opportunity is None or opportunity.written_by_id == user.id


def has_draft(opportunity: Opportunity) -> bool:
    """Is there something not public to review: a draft (or withdrawn) item, or a published item's pending change?"""
    return opportunity.status != Status.PUBLISHED or bool(opportunity.pending)


def record(session: Session, opportunity_id: int, person: User | None, step: ReviewStep, comment: str = "",
           at: datetime | None = None) -> None:
    """Add (not commit) a step to an item's history."""
    event = ReviewEvent(opportunity_id=opportunity_id, user_id=person.id if person else None, step=step,
                        comment=comment)
    if at is not None:
        event.at = at
    session.add(event)


def save_draft(session: Session, index: SearchIndex, organisation: Organisation, data: BriefData, ocid_prefix: str,
               author: User, opportunity: Opportunity | None = None) -> Opportunity:
    """Save the editor's brief as buyer_items.save_draft does, noting who wrote it; a new item's history starts."""
    saved = buyer_items.save_draft(session, index, organisation, data, ocid_prefix, opportunity)
    saved.written_by_id = author.id
    if opportunity is None:
        record(session, saved.id, author, ReviewStep.CREATED)
    session.add(saved)
    session.commit()
    return saved


def cannot_submit(opportunity: Opportunity) -> str | None:
    if not has_draft(opportunity):
        return "There is nothing to submit: the public page already shows this item as it is."
    if opportunity.review_state == ReviewState.SUBMITTED:
        return "This is already waiting for a publisher to review it."
    return None


def submit(session: Session, opportunity: Opportunity, person: User) -> bool:
    """Ask the organisation's publishers to review the draft; each is emailed at once. False if it cannot be."""
    if cannot_submit(opportunity):
        return False
    opportunity.review_state = ReviewState.SUBMITTED
    session.add(opportunity)
    record(session, opportunity.id, person, ReviewStep.SUBMITTED)
    what = "changes to" if opportunity.status == Status.PUBLISHED else "the draft of"
    _email(session, publishers(session, opportunity.buyer_id) - {person.id}, opportunity.id,
           f"{person.name} asked you to review {what} \u201c{opportunity.title}\u201d.",
           "Read it, then publish it or ask for changes.", link("buyer_review.review_page", opportunity_id=opportunity.id))
    session.commit()
    return True


def request_changes(session: Session, opportunity: Opportunity, person: User, comment: str) -> bool:
    """A publisher sends a submitted draft back with a comment, emailed to the editor who submitted it. False if
    it was not waiting for review."""
    comment = comment.strip()
    if opportunity.review_state != ReviewState.SUBMITTED or not comment or not is_publisher(person):
        return False
    opportunity.review_state = ReviewState.CHANGES_REQUESTED
    session.add(opportunity)
    record(session, opportunity.id, person, ReviewStep.CHANGES_REQUESTED, comment)
    submitter = last_submitter(session, opportunity.id)
    if submitter is not None:
        _email(session, {submitter}, opportunity.id,
               f"{person.name} asked for changes to \u201c{opportunity.title}\u201d before it is published.",
               comment, link("buyer.edit", opportunity_id=opportunity.id))
    session.commit()
    return True


def publish(session: Session, index: SearchIndex, opportunity: Opportunity, person: User, today: date,
            sections: dict[str, str]) -> bool:
    """Publish a draft or withdrawn item, if this person may. False (and nothing changes) if not."""
    if not may_publish(person, opportunity.buyer, opportunity) or opportunity.status == Status.PUBLISHED:
        return False
    opportunity.review_state = ReviewState.NONE
    record(session, opportunity.id, person, ReviewStep.PUBLISHED)
    buyer_items.publish(session, index, opportunity, today, sections)  # commits
    return True


def publish_changes(session: Session, index: SearchIndex, opportunity: Opportunity, person: User,
                    sections: dict[str, str]) -> bool:
    """Publish a published item's pending change, if this person may. False if not, or if nothing was pending."""
    if not may_publish(person, opportunity.buyer, opportunity) or not opportunity.pending:
        return False
    opportunity.review_state = ReviewState.NONE
    record(session, opportunity.id, person, ReviewStep.CHANGES_PUBLISHED)
    buyer_items.publish_changes(session, index, opportunity, sections)  # commits
    return True


def discard_changes(session: Session, opportunity: Opportunity) -> bool:
    """Forget a pending change; what was in review goes with it."""
    if opportunity.pending:
        opportunity.review_state = ReviewState.NONE
    return buyer_items.discard_changes(session, opportunity)


def publishers(session: Session, organisation_id: int) -> set[int]:
    return set(session.exec(select(User.id).where(User.organisation_id == organisation_id, User.role == Role.BUYER,
                                                  User.staff_role == StaffRole.PUBLISHER)).all())


def last_submitter(session: Session, opportunity_id: int) -> int | None:
    return session.exec(select(ReviewEvent.user_id).where(ReviewEvent.opportunity_id == opportunity_id,
                                                          ReviewEvent.step == ReviewStep.SUBMITTED)
                        .order_by(col(ReviewEvent.at).desc(), col(ReviewEvent.id).desc())).first()


def _email(session: Session, user_ids: set[int], opportunity_id: int, message: str, details: str, to: dict) -> None:
    """Listed on their pages and emailed once the caller commits, whatever they chose for supplier news: a review
    is something to act on."""
    notifications = [Notification(user_id=user_id, opportunity_id=opportunity_id, message=message, details=details,
                                  link=to) for user_id in sorted(user_ids)]
    session.add_all(notifications)
    instant_updates.queue(session, notifications)


@dataclass(frozen=True)
class HistoryRow:
    what: str
    who: str  # "" if the person's account has gone, or a script did it
    at: datetime
    comment: str


def history(session: Session, opportunity_id: int) -> list[HistoryRow]:
    """Every step of an item's review, oldest first: for its buyer's staff only."""
    rows = session.exec(select(ReviewEvent, User.name).outerjoin(User, User.id == ReviewEvent.user_id)
                        .where(ReviewEvent.opportunity_id == opportunity_id)
                        .order_by(ReviewEvent.at, ReviewEvent.id)).all()
    return [HistoryRow(STEP_WORDS.get(event.step, event.step), name or "", event.at, event.comment)
            for event, name in rows]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_preview_link(session: Session, opportunity: Opportunity, person: User, at: datetime) -> str:
    """A new private link to the item's draft; returns the token, which is only stored hashed."""
    token = secrets.token_urlsafe(32)
    session.add(PreviewLink(opportunity_id=opportunity.id, token_hash=_token_hash(token), made_by_id=person.id,
                            made_at=at, expires_at=at + timedelta(days=PREVIEW_DAYS)))
    record(session, opportunity.id, person, ReviewStep.PREVIEW_LINK_MADE, at=at)
    session.commit()
    return token


def revoke_preview_link(session: Session, opportunity: Opportunity, link_id: int, person: User,
                        at: datetime) -> bool:
    """False if the link is not this item's, or was already revoked."""
    preview = session.get(PreviewLink, link_id)
    if preview is None or preview.opportunity_id != opportunity.id or preview.revoked_at is not None:
        return False
    preview.revoked_at = at
    session.add(preview)
    record(session, opportunity.id, person, ReviewStep.PREVIEW_LINK_REVOKED, at=at)
    session.commit()
    return True


def live_preview_links(session: Session, opportunity_id: int, at: datetime) -> list[PreviewLink]:
    links = session.exec(select(PreviewLink).where(PreviewLink.opportunity_id == opportunity_id,
                                                   col(PreviewLink.revoked_at).is_(None))
                         .order_by(PreviewLink.made_at, PreviewLink.id)).all()
    return [preview for preview in links if as_utc(preview.expires_at) > at]


@dataclass(frozen=True)
class OpenedPreview:
    opportunity: Opportunity | None  # the draft, as the public would see it; None when gone or never existed
    gone: bool  # the link existed but was revoked or has expired


def open_preview(session: Session, token: str, at: datetime) -> OpenedPreview:
    preview = session.exec(select(PreviewLink).where(PreviewLink.token_hash == _token_hash(token))).first() \
        if 0 < len(token) <= 100 else None
    if preview is None:
        return OpenedPreview(None, False)
    if preview.revoked_at is not None or as_utc(preview.expires_at) <= at:
        return OpenedPreview(None, True)
    opportunity = session.get(Opportunity, preview.opportunity_id)
    return OpenedPreview(buyer_items.draft_of(session, opportunity), False)


def staff(session: Session, organisation_id: int) -> list[User]:
    return list(session.exec(select(User).where(User.organisation_id == organisation_id, User.role == Role.BUYER)
                             .order_by(User.name, User.id)).all())


def change_staff_role(session: Session, changer: User, user_id: int, staff_role: StaffRole) -> str | None:
    """A publisher changes a colleague's role (or their own). Returns why not, in words, or None when done."""
    if not is_publisher(changer):
        return "Only publishers can change who is an editor or a publisher."
    colleague = session.get(User, user_id)
    if colleague is None or colleague.organisation_id != changer.organisation_id or colleague.role != Role.BUYER:
        return "not found"
    if staff_role == StaffRole.EDITOR and publishers(session, changer.organisation_id) == {colleague.id}:
        return "Your organisation needs at least one publisher, so this person stays a publisher."
    colleague.staff_role = staff_role
    session.add(colleague)
    session.commit()
    return None


def set_editors_publish_own(session: Session, changer: User, organisation: Organisation, allowed: bool) -> bool:
    if not is_publisher(changer) or changer.organisation_id != organisation.id:
        return False
    organisation.editors_publish_own = allowed
    session.add(organisation)
    session.commit()
    return True


STAFF_ROLE_WORDS = {StaffRole.EDITOR: "Editor", StaffRole.PUBLISHER: "Publisher"}
