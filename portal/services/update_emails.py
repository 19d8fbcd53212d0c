"""Update emails: each person's unsent notifications in one email that says what happened, shows the content and
links to where they can act on it. Sent by `send-alerts`."""

import logging
import textwrap

from sqlmodel import Session, col, select

from portal.models import Notification, Opportunity, User, utcnow
from portal.security import external_url

log = logging.getLogger(__name__)


def notification_url(session: Session, notification: Notification) -> str | None:
    """The absolute address where the person can act on a notification (None if it has nowhere to go)."""
    if notification.link:
        return external_url(notification.link["endpoint"], **notification.link.get("values", {}))
    if notification.opportunity_id is not None:
        opportunity = session.get(Opportunity, notification.opportunity_id)
        if opportunity is not None:
            return external_url("opportunities.show", slug=opportunity.slug)
    return None


def update_email_body(session: Session, notifications: list[Notification]) -> str:
    lines = []
    for notification in notifications:
        lines.append(notification.message)
        if notification.details:
            lines += ["", textwrap.indent(notification.details.strip(), "    ")]
        url = notification_url(session, notification)
        if url:
            lines += ["", url]
        lines.append("")
    lines += ["---", f"Everything in one place on your dashboard: {external_url('dashboard.index')}"]
    return "\n".join(lines)


def subject_for(notifications: list[Notification]) -> str:
    if len(notifications) == 1:
        return notifications[0].message[:150]
    return f"{len(notifications)} updates from the Opportunity Portal"


def send_update_emails(session: Session, send) -> tuple[int, int]:
    """Each person's unsent updates in one email: (emails sent, emails that failed and wait for the next run)."""
    pending = session.exec(select(Notification).where(col(Notification.emailed_at).is_(None))
                           .order_by(Notification.user_id, Notification.id)).all()
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        by_user.setdefault(notification.user_id, []).append(notification)
    sent = failed = 0
    for user_id, notifications in by_user.items():
        try:
            user = session.get(User, user_id)
            send(user.email, subject_for(notifications), update_email_body(session, notifications))
            for notification in notifications:
                notification.emailed_at = utcnow()
                session.add(notification)
            session.commit()
            sent += 1
        except Exception:
            session.rollback()
            log.exception("Could not send updates to user %s; they will be tried again next run", user_id)
            failed += 1
    return sent, failed
