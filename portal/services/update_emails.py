"""Update emails: each person's unsent notifications in one email that says what happened, shows the content and
links to where they can act on it. Sent by `send-alerts`.

Suppliers get everything new on each run. Buyers' staff choose (User.update_emails): straight away (sent as the
action is saved, see instant_updates; a run only picks up what that could not send), a daily summary, or none."""

import logging
import textwrap
from datetime import datetime, time, timedelta

from sqlmodel import Session, col, select

from portal.clock import as_utc, from_london, london
from portal.models import Notification, Opportunity, Role, UpdateEmails, User, utcnow
from portal.presenters import ROLE_HOMES
from portal.security import external_url

log = logging.getLogger(__name__)

# Notifications this new are still the instant sender's to send.
INSTANT_GRACE = timedelta(minutes=10)

CHOICES = {
    UpdateEmails.INSTANT: "Straight away",
    UpdateEmails.DAILY: "Once a day, in a daily summary",
    UpdateEmails.NEVER: "Never",
}


def set_choice(session: Session, user: User, choice: UpdateEmails) -> None:
    user.update_emails = choice
    session.add(user)
    session.commit()


def target(notification: Notification, opportunity_slug: str | None) -> tuple[str, dict] | None:
    """Where a notification leads, as an endpoint and its values: its own link, else its opportunity's page."""
    if notification.link:
        return notification.link["endpoint"], notification.link.get("values", {})
    if opportunity_slug:
        return "opportunities.show", {"slug": opportunity_slug}
    return None


def notification_url(session: Session, notification: Notification) -> str | None:
    """The absolute address where the person can act on a notification (None if it has nowhere to go)."""
    opportunity = session.get(Opportunity, notification.opportunity_id) if notification.opportunity_id else None
    where = target(notification, opportunity.slug if opportunity else None)
    return external_url(where[0], **where[1]) if where else None


def update_email_body(session: Session, user: User, notifications: list[Notification], intro: str = "") -> str:
    lines = [intro, ""] if intro else []
    for notification in notifications:
        lines.append(notification.message)
        if notification.details:
            lines += ["", textwrap.indent(notification.details.strip(), "    ")]
        url = notification_url(session, notification)
        if url:
            lines += ["", url]
        lines.append("")
    home = ROLE_HOMES.get(user.role, ROLE_HOMES[Role.SUPPLIER])[0]
    lines += ["---", f"Everything in one place on your dashboard: {external_url(home)}"]
    if user.role == Role.BUYER:
        lines.append(f"Choose how often we email you: {external_url('buyer.settings')}")
    return "\n".join(lines)


def subject_for(notifications: list[Notification]) -> str:
    if len(notifications) == 1:
        return notifications[0].message[:150]
    return f"{len(notifications)} updates from the Opportunity Portal"


def daily_subject(notifications: list[Notification]) -> str:
    count = len(notifications)
    return f"Daily summary: {count} {'update' if count == 1 else 'updates'} on your opportunities"


def start_of_day(moment: datetime) -> datetime:
    """Midnight UK time at the start of the day `moment` falls on, in UTC."""
    return from_london(datetime.combine(london(moment).date(), time()))


def send_update_emails(session: Session, send, now: datetime | None = None) -> tuple[int, int]:
    """Each person's updates that are due, in one email: (emails sent, emails that failed and wait for the next run).

    A daily summary holds what came before today (UK time), so it goes out on the first run of the day and no run
    after it finds anything more until tomorrow. People who want no emails have their updates marked as dealt with."""
    now = now or utcnow()
    pending = session.exec(select(Notification).where(col(Notification.emailed_at).is_(None))
                           .order_by(Notification.user_id, Notification.id)).all()
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        by_user.setdefault(notification.user_id, []).append(notification)
    sent = failed = 0
    for user_id, notifications in by_user.items():
        try:
            user = session.get(User, user_id)
            if user.role == Role.BUYER and user.update_emails == UpdateEmails.NEVER:
                _mark_emailed(session, notifications)
                continue
            due, subject, intro = _due(user, notifications, now)
            if not due:
                continue
            send(user.email, subject, update_email_body(session, user, due, intro))
            _mark_emailed(session, due)
            sent += 1
        except Exception:
            session.rollback()
            log.exception("Could not send updates to user %s; they will be tried again next run", user_id)
            failed += 1
    return sent, failed


def _due(user: User, notifications: list[Notification], now: datetime) -> tuple[list[Notification], str, str]:
    """What to email this person on this run: the notifications, the subject and a first line."""
    if user.role != Role.BUYER:
        return notifications, subject_for(notifications), ""
    if user.update_emails == UpdateEmails.DAILY:
        due = [n for n in notifications if as_utc(n.created_at) < start_of_day(now)]
        return due, daily_subject(due), "Here is your daily summary of what happened on your opportunities."
    due = [n for n in notifications if as_utc(n.created_at) <= now - INSTANT_GRACE]
    return due, subject_for(due), ""


def _mark_emailed(session: Session, notifications: list[Notification]) -> None:
    for notification in notifications:
        notification.emailed_at = utcnow()
        session.add(notification)
    session.commit()
