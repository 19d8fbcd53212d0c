"""Saved searches and the alert emails that come from them."""

from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from werkzeug.datastructures import MultiDict

from portal.search import SearchIndex
from portal.clock import as_utc
from portal.models import AlertDelivery, Notification, Opportunity, SavedSearch, Status, User, utcnow
from portal.search.query import SearchQuery

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


def send_alerts(session: Session, index: SearchIndex, parse_query, send, base_url: str,
                now: datetime | None = None) -> AlertRun:
    """Send each saved search's alert for this period, once. Safe to repeat; an interrupted run resumes.

    `parse_query(MultiDict) -> SearchQuery` checks a saved query string; `send(to, subject, body)` sends email.
    """
    now = now or utcnow()
    run = AlertRun()
    for saved in session.exec(select(SavedSearch).order_by(SavedSearch.id)).all():
        delivery = _delivery_for(session, saved, index, parse_query, now)
        if delivery is None or delivery.sent_at is not None:
            continue
        if delivery.opportunity_ids:
            user = session.get(User, saved.user_id)
            items = session.exec(select(Opportunity).where(col(Opportunity.id).in_(delivery.opportunity_ids))
                                 .order_by(col(Opportunity.first_published_at).desc())).all()
            send(user.email, f"New opportunities for \u201c{saved.name}\u201d", _alert_body(saved, items, base_url))
            run.alerts_sent += 1
        delivery.sent_at = utcnow()
        session.add(delivery)
        session.commit()
    run.notification_emails_sent = _send_notifications(session, send, base_url)
    return run


def _alert_body(saved: SavedSearch, items, base_url: str) -> str:
    lines = [f"New opportunities matching your saved search \u201c{saved.name}\u201d:", ""]
    for item in items:
        lines += [item.title, item.summary, f"{base_url}/opportunities/{item.slug}", ""]
    lines += [f"See the whole search: {base_url}/search?{saved.query_string}",
              f"Change or stop these emails from your dashboard: {base_url}/dashboard"]
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


def _send_notifications(session: Session, send, base_url: str) -> int:
    pending = session.exec(select(Notification).where(col(Notification.emailed_at).is_(None))
                           .order_by(Notification.user_id, Notification.id)).all()
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        by_user.setdefault(notification.user_id, []).append(notification)
    for user_id, notifications in by_user.items():
        user = session.get(User, user_id)
        body = "\n".join([n.message for n in notifications] + ["", f"See them on your dashboard: {base_url}/dashboard"])
        send(user.email, "Updates on opportunities you follow", body)
        for notification in notifications:
            notification.emailed_at = utcnow()
            session.add(notification)
        session.commit()
    return len(by_user)
