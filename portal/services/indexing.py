"""Keeping the search index in step with the database, which is always the source of truth."""

import logging
from collections.abc import Iterator

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from portal import search
from portal.models import Opportunity, Status

log = logging.getLogger(__name__)
BATCH = 500


def _with_search_fields(query):
    return query.options(
        selectinload(Opportunity.buyer), selectinload(Opportunity.missions),
        selectinload(Opportunity.outcomes), selectinload(Opportunity.regions),
    )


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


def rebuild_index(session: Session, index_dir: str) -> int:
    """Build a fresh index from the database and swap it in. Returns how many were indexed."""
    counted = 0

    def counting():
        nonlocal counted
        for document in published_documents(session):
            counted += 1
            yield document

    search.rebuild(index_dir, counting())
    return counted


def sync_opportunity(session: Session, index_dir: str, opportunity_id: int) -> bool:
    """Bring one opportunity's index entry up to date after a commit.

    A failure is logged and swallowed: the database record is already safe, and `reindex` repairs the index.
    """
    try:
        opportunity = session.exec(
            _with_search_fields(select(Opportunity).where(Opportunity.id == opportunity_id))
        ).first()
        if opportunity is None:
            search.remove_opportunity(index_dir, opportunity_id)
        else:
            search.index_opportunity(index_dir, opportunity)
        return True
    except Exception:  # noqa: BLE001 - the record must survive any index failure
        log.exception("Search index update failed for opportunity %s; run `flask --app portal reindex`", opportunity_id)
        return False


def sync_opportunities(session: Session, index_dir: str, opportunity_ids: list[int]) -> bool:
    """sync_opportunity for many at once, with one index commit per batch. Failures are logged, never raised."""
    try:
        for start in range(0, len(opportunity_ids), BATCH):
            wanted = set(opportunity_ids[start:start + BATCH])
            found = session.exec(_with_search_fields(select(Opportunity).where(col(Opportunity.id).in_(wanted)))).all()
            search.index_opportunities(index_dir, found, removed_ids=wanted - {o.id for o in found})
        return True
    except Exception:  # noqa: BLE001 - the records must survive any index failure
        log.exception("Search index update failed for %d opportunities; run `flask --app portal reindex`",
                      len(opportunity_ids))
        return False
