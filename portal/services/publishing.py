"""Saving opportunities: commit to the database first, then update the search index."""

from sqlmodel import Session

from portal.models import Opportunity, Status, utcnow
from portal.services.indexing import sync_opportunity


def save_opportunity(session: Session, index_dir: str, opportunity: Opportunity) -> Opportunity:
    """Commit the opportunity in one transaction, then index it. An index failure never loses the record."""
    opportunity.updated_at = utcnow()
    session.add(opportunity)
    session.commit()
    sync_opportunity(session, index_dir, opportunity.id)
    return opportunity


def publish(session: Session, index_dir: str, opportunity: Opportunity) -> Opportunity:
    opportunity.status = Status.PUBLISHED
    opportunity.first_published_at = opportunity.first_published_at or utcnow()
    return save_opportunity(session, index_dir, opportunity)


def withdraw(session: Session, index_dir: str, opportunity: Opportunity) -> Opportunity:
    opportunity.status = Status.WITHDRAWN
    return save_opportunity(session, index_dir, opportunity)
