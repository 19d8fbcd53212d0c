"""Buyers' staff who asked to hear straight away are emailed as soon as the action that concerns them is saved.

`tell_buyer` queues their notifications on the session. They go out only once the session's transaction commits, so
an action that is rolled back sends nothing, and they go out on the mail thread, so the supplier acting does not wait.
Each notification is claimed (marked emailed) before it is sent, so `send-alerts` never sends it as well; one whose
email fails is released, and the next `send-alerts` run sends it.
"""

import logging

from flask import current_app, has_app_context
from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from portal.mail import run_in_background, send_email
from portal.models import Notification, User, utcnow
from portal.services.update_emails import subject_for, update_email_body

log = logging.getLogger(__name__)

QUEUE = "instant_update_emails"  # key in Session.info


def queue(session: Session, notifications: list[Notification]) -> None:
    session.info.setdefault(QUEUE, []).extend(notifications)


@event.listens_for(OrmSession, "after_commit")
def _send_once_committed(session: OrmSession) -> None:
    queued = session.info.pop(QUEUE, [])
    # A notification whose transaction was rolled back has no identity (no row), so it is never sent.
    ids = [identity[0] for notification in queued if (identity := inspect(notification).identity)]
    if not ids:
        return
    if has_app_context():
        run_in_background(send_now, ids)
    else:  # a script without the app: the next send-alerts run sends them
        log.info("Instant update emails %s are left for send-alerts", ids)


def send_now(notification_ids: list[int]) -> int:
    """Email each person their notifications among these that nobody has sent yet; the number of emails sent."""
    with Session(current_app.extensions["engine"], expire_on_commit=False) as session:
        claimed = _claim(session, notification_ids)
        by_user: dict[int, list[Notification]] = {}
        for notification in claimed:
            by_user.setdefault(notification.user_id, []).append(notification)
        sent = 0
        for user_id, notifications in by_user.items():
            user = session.get(User, user_id)
            try:
                send_email(user.email, subject_for(notifications), update_email_body(session, user, notifications))
                sent += 1
            except Exception:
                log.exception("Could not email updates to user %s at once; send-alerts will send them", user_id)
                for notification in notifications:
                    notification.emailed_at = None
                    session.add(notification)
                session.commit()
        return sent


def _claim(session: Session, notification_ids: list[int]) -> list[Notification]:
    """Mark as emailed those not emailed yet, and return them: whoever claims a notification sends it."""
    claimed = []
    for notification_id in notification_ids:
        result = session.exec(update(Notification).where(col(Notification.id) == notification_id,
                                                          col(Notification.emailed_at).is_(None))
                              .values(emailed_at=utcnow()))
        if result.rowcount == 1:
            claimed.append(notification_id)
    session.commit()
    return list(session.exec(select(Notification).where(col(Notification.id).in_(claimed))
                             .order_by(Notification.user_id, Notification.id)).all()) if claimed else []
