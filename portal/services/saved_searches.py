"""Saved searches and the alert emails that come from them."""

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from werkzeug.datastructures import MultiDict

from portal.search import SearchIndex
from portal.clock import as_utc
from portal.models import AlertDelivery, Opportunity, SavedSearch, Status, User, utcnow
from portal.search.query import SearchQuery
from portal.security import external_url
from portal.services.update_emails import send_update_emails

log = logging.getLogger(__name__)

FREQUENCIES = {"daily": "Every day", "weekly": "Every week"}
ALERT_LIMIT = 1000


def save(session: Session, user_id: int, name: str, query: SearchQuery, frequency: str) -> SavedSearch:
    saved = SavedSearch(user_id=user_id, name=name.strip(), query_string=urlencode(query.url_params(page=None)),
                        frequency=frequency)
    session.add(saved)
    session.commit()
    return saved


def for_user(session: Session, user_id: int) -> list[SavedSearch]:
    return list(session.exec(select(SavedSearch).where(SavedSearch.user_id == user_id).order_by(SavedSearch.name)).all())


def delete(session: Session, user_id: int, saved_search_id: int) -> bool:
    saved = session.get(SavedSearch, saved_search_id)
    if saved is None or saved.user_id != user_id:
        return False
    session.delete(saved)
    session.commit()
    return True


def period_for(frequency: str, now: datetime) -> str:
    if frequency == "daily":
        return now.date().isoformat()
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class AlertRun:
    alerts_sent: int = 0
    notification_emails_sent: int = 0
    failed: int = 0  # emails that could not be made or sent: logged, and tried again on the next run


def send_alerts(session: Session, index: SearchIndex, parse_query, send, now: datetime | None = None) -> AlertRun:
    """Send each saved search's alert for this period, once. Safe to repeat; an interrupted run resumes. One email
    that fails is logged and left for the next run; it never stops anybody else's.

    `parse_query(MultiDict) -> SearchQuery` checks a saved query string; `send(to, subject, body)` sends email.
    """
    now = now or utcnow()
    run = AlertRun()
    for saved_id in session.exec(select(SavedSearch.id).order_by(SavedSearch.id)).all():
        try:
            run.alerts_sent += _send_alert(session, session.get(SavedSearch, saved_id), index, parse_query, send, now)
        except Exception:
            session.rollback()
            log.exception("Could not send the alert for saved search %s; it will be tried again next run", saved_id)
            run.failed += 1
    sent, failed = send_update_emails(session, send, now)
    run.notification_emails_sent, run.failed = sent, run.failed + failed
    return run


def _send_alert(session: Session, saved: SavedSearch, index: SearchIndex, parse_query, send, now: datetime) -> int:
    """1 if an email went out for this saved search, 0 if there was nothing new or it was already sent."""
    delivery = _delivery_for(session, saved, index, parse_query, now)
    if delivery is None or delivery.sent_at is not None:
        return 0
    sent = 0
    if delivery.opportunity_ids:
        user = session.get(User, saved.user_id)
        items = session.exec(select(Opportunity).where(col(Opportunity.id).in_(delivery.opportunity_ids))
                             .order_by(col(Opportunity.first_published_at).desc())).all()
        send(user.email, f"New opportunities for \u201c{saved.name}\u201d", _alert_body(saved, items))
        sent = 1
    delivery.sent_at = utcnow()
    session.add(delivery)
    session.commit()
    return sent


def _alert_body(saved: SavedSearch, items) -> str:
    lines = [f"New opportunities matching your saved search \u201c{saved.name}\u201d:", ""]
    for item in items:
        lines += [item.title, item.summary, external_url("opportunities.show", slug=item.slug), ""]
    lines += [f"See the whole search: {external_url('search.index')}?{saved.query_string}",
              f"Change or stop these emails from your dashboard: {external_url('dashboard.index')}"]
    return "\n".join(lines)


def _delivery_for(session, saved, index, parse_query, now) -> AlertDelivery | None:
    period = period_for(saved.frequency, now)
    existing = session.exec(select(AlertDelivery).where(
        AlertDelivery.saved_search_id == saved.id, AlertDelivery.period == period)).first()
    if existing is not None:
        return existing
    previous = session.exec(select(AlertDelivery).where(AlertDelivery.saved_search_id == saved.id)
                            .order_by(col(AlertDelivery.until).desc())).first()
    since = as_utc(previous.until) if previous else as_utc(saved.created_at)
    query = parse_query(MultiDict(parse_qsl(saved.query_string)))
    matching = index.search(replace(query, page=1, size=ALERT_LIMIT), now.date()).ids
    new_ids = list(session.exec(select(Opportunity.id).where(
        col(Opportunity.id).in_(matching), Opportunity.status == Status.PUBLISHED,
        col(Opportunity.first_published_at) > since, col(Opportunity.first_published_at) <= now,
    )).all()) if matching else []
    delivery = AlertDelivery(saved_search_id=saved.id, period=period, since=since, until=now, opportunity_ids=sorted(new_ids))
    session.add(delivery)
    try:
        session.commit()
    except IntegrityError:  # another run made it first; use theirs
        session.rollback()
        return session.exec(select(AlertDelivery).where(
            AlertDelivery.saved_search_id == saved.id, AlertDelivery.period == period)).first()
    return delivery
