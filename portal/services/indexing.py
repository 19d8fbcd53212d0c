"""Keeping the search index in step with the database, which is always the source of truth.

Every change is committed to the database first, then sent to the index. If the index can't take it (another
process holds the Whoosh write lock, or the index is broken), the opportunity goes on the `search_backlog` and
`catch_up` sends it later: each worker does so in the background, and after every successful update.
"""

import logging
from collections.abc import Callable, Iterator
from datetime import timedelta

from sqlalchemy import delete, func
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from portal import search
from portal.models import Opportunity, SearchBacklog, Status, utcnow
from portal.search import SearchIndex

log = logging.getLogger(__name__)
BATCH = 500
# Changes committed while a rebuild was reading are sent again after it: this much allows for clock skew.
REBUILD_OVERLAP = timedelta(seconds=5)


def _with_search_fields(query):
    return query.options(
        selectinload(Opportunity.buyer), selectinload(Opportunity.missions),
        selectinload(Opportunity.outcomes), selectinload(Opportunity.regions),
    )


def published_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Opportunity).where(Opportunity.status == Status.PUBLISHED)).one()


def published_documents(session: Session) -> Iterator[dict]:
    last_id = 0
    while True:
        batch = session.exec(_with_search_fields(
            select(Opportunity).where(Opportunity.status == Status.PUBLISHED, Opportunity.id > last_id)
            .order_by(Opportunity.id).limit(BATCH)
        )).all()
        if not batch:
            return
        for opportunity in batch:
            yield search.document_for(opportunity)
        last_id = batch[-1].id
        session.expunge_all()


def rebuild_index(session: Session, index: SearchIndex, on_indexed: Callable[[int], None] | None = None) -> int:
    """Build a fresh index from the database and swap it in. Returns how many were indexed. `on_indexed(1)` is
    called for each opportunity read (for a progress bar).

    Changes committed while it reads are sent again afterwards, and the backlog from before it is cleared.
    """
    started = utcnow()
    counted = 0

    def counting():
        nonlocal counted
        for document in published_documents(session):
            counted += 1
            if on_indexed:
                on_indexed(1)
            yield document

    index.rebuild(counting())
    session.exec(delete(SearchBacklog).where(col(SearchBacklog.queued_at) < started))
    session.commit()
    changed = session.exec(select(Opportunity.id).where(Opportunity.updated_at >= started - REBUILD_OVERLAP)).all()
    if changed:
        sync_opportunities(session, index, list(changed))
    return counted


def sync_opportunity(session: Session, index: SearchIndex, opportunity_id: int) -> bool:
    """Bring one opportunity's index entry up to date after a commit."""
    return sync_opportunities(session, index, [opportunity_id])


def sync_opportunities(session: Session, index: SearchIndex, opportunity_ids: list[int]) -> bool:
    """Bring these opportunities' index entries up to date after a commit, one index commit per batch.

    Never raises: if the index fails, the ids go on the backlog for `catch_up`, and the records are safe anyway.
    Returns whether the index took them straight away.
    """
    try:
        _send(session, index, opportunity_ids)
    except Exception:  # noqa: BLE001 - the records must survive any index failure
        log.warning("Search index busy or failing; %d opportunities queued for catch-up", len(opportunity_ids),
                    exc_info=True)
        queue(session, opportunity_ids)
        return False
    if backlog_size(session):
        catch_up(session, index)
    return True


def _send(session: Session, index: SearchIndex, opportunity_ids: list[int]) -> None:
    for start in range(0, len(opportunity_ids), BATCH):
        wanted = set(opportunity_ids[start:start + BATCH])
        found = session.exec(_with_search_fields(select(Opportunity).where(col(Opportunity.id).in_(wanted)))).all()
        index.update(found, removed_ids=wanted - {o.id for o in found})


def queue(session: Session, opportunity_ids: list[int]) -> None:
    """Put opportunities on the backlog (again), noting when. Never raises."""
    session.rollback()
    try:
        now = utcnow()
        for opportunity_id in set(opportunity_ids):
            session.merge(SearchBacklog(opportunity_id=opportunity_id, queued_at=now))
        session.commit()
    except Exception:  # noqa: BLE001
        session.rollback()
        log.exception("Could not queue %d opportunities for the search index; run `flask --app portal reindex`",
                      len(opportunity_ids))


def catch_up(session: Session, index: SearchIndex) -> int:
    """Send everything on the backlog to the index. Returns how many were sent; never raises.

    An entry queued again while this runs stays on the backlog for next time.
    """
    sent = 0
    try:
        while True:
            waiting = session.exec(select(SearchBacklog).order_by(SearchBacklog.queued_at).limit(BATCH)).all()
            if not waiting:
                return sent
            _send(session, index, [entry.opportunity_id for entry in waiting])
            for entry in waiting:
                session.exec(delete(SearchBacklog).where(
                    SearchBacklog.opportunity_id == entry.opportunity_id, SearchBacklog.queued_at == entry.queued_at))
            session.commit()
            sent += len(waiting)
    except Exception:  # noqa: BLE001 - tried again on the next catch-up
        session.rollback()
        log.warning("Search index catch-up stopped after %d; will try again", sent, exc_info=True)
        return sent


def backlog_size(session: Session) -> int:
    return session.exec(select(func.count()).select_from(SearchBacklog)).one()
