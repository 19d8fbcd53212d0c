"""Saving opportunities: commit to the database first, then update the search index."""

from sqlalchemy import inspect
from sqlmodel import Session

from portal.bidding.changes import what_changed
from portal.search import SearchIndex
from portal.models import Opportunity, Status, utcnow
from portal.presenters import STAGE_LABELS, long_date, market_quarter
from portal.published_dates import mark_published
from portal.services.indexing import sync_opportunity
from portal.services.notifications import followers, notify


def material_changes(opportunity: Opportunity) -> list[str]:
    """Plain descriptions of changes to stage, dates or "can we bid?" facts that followers should hear about."""
    state = inspect(opportunity)
    if state.transient or state.pending:
        return []

    def changed(name):
        history = state.attrs[name].history
        return history.has_changes() and history.deleted and history.deleted[0] != getattr(opportunity, name)

    changes = []
    if changed("stage"):
        changes.append(f"its stage is now \u201c{STAGE_LABELS.get(opportunity.stage, opportunity.stage)}\u201d")
    if changed("engagement_closed_at") and opportunity.engagement_closed_at:
        changes.append("engagement has closed, so suppliers can no longer register interest, ask questions or book "
                       "places")  # its closing date moving to today is part of the same news
    elif changed("engagement_closes_on"):
        changes.append(f"engagement now closes on {long_date(opportunity.engagement_closes_on)}" if opportunity.engagement_closes_on
                       else "it no longer has an engagement closing date")
    if changed("market_year") or changed("market_quarter"):
        changes.append(f"it now goes to market {market_quarter(opportunity.market_year, opportunity.market_quarter)}")
    if changed("bid_facts"):
        changes += what_changed(state.attrs["bid_facts"].history.deleted[0], opportunity.bid_facts)
    return changes


def tell_followers_of_changes(session: Session, opportunity: Opportunity, changes: list[str] | None = None) -> None:
    """Followers of a published item hear, in one notice, about `changes` (sentences), or else about changes to its
    stage, dates or "can we bid?" facts read from the values' history; each on its own line."""
    if changes is None:
        changes = material_changes(opportunity) if opportunity.status == Status.PUBLISHED else []
    if changes:
        notify(session, followers(session, opportunity.id), opportunity.id,
               f"\u201c{opportunity.title}\u201d has changed.",
               details="\n".join(change[0].upper() + change[1:] + ("" if change.endswith(".") else ".")
                         for change in changes))


def save_opportunity(session: Session, index: SearchIndex, opportunity: Opportunity,
                     changes: list[str] | None = None) -> Opportunity:
    """Commit the opportunity in one transaction, then index it. An index failure never loses the record. Followers
    are told `changes` when given (a published change), else what the values' history shows."""
    tell_followers_of_changes(session, opportunity, changes)
    opportunity.updated_at = utcnow()
    session.add(opportunity)
    session.commit()
    sync_opportunity(session, index, opportunity.id)
    return opportunity


def publish(session: Session, index: SearchIndex, opportunity: Opportunity) -> Opportunity:
    opportunity.status = Status.PUBLISHED
    mark_published(opportunity, utcnow())
    return save_opportunity(session, index, opportunity)


def withdraw(session: Session, index: SearchIndex, opportunity: Opportunity) -> Opportunity:
    opportunity.status = Status.WITHDRAWN
    return save_opportunity(session, index, opportunity)
