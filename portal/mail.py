"""Sending email: over SMTP when MAIL_SERVER is set, otherwise into a local outbox folder."""

import smtplib
import uuid
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from flask import current_app

from portal.security.text import clean_text, one_line


@dataclass(frozen=True)
class Attachment:
    """A file sent with an email, such as a calendar file."""
    filename: str
    content: bytes
    mimetype: str  # "text/calendar"


@dataclass(frozen=True)
class Email:
    """An email made ready by the part of the portal that knows what to say, sent by the web layer."""
    to: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()


def send_email(to: str, subject: str, body: str, attachments: tuple[Attachment, ...] = ()) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = one_line(to)
    message["Subject"] = one_line(subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = f"<{uuid.uuid4().hex}@opportunity-portal>"
    message.set_content(clean_text(body))
    for attachment in attachments:
        maintype, _, subtype = attachment.mimetype.partition("/")
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    if config["MAIL_SERVER"]:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
        return
    outbox = Path(config["OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    (outbox / f"{stamp}-{uuid.uuid4().hex[:8]}.eml").write_bytes(bytes(message))


# Emails whose timing must not show anything (whether an account exists) are sent by a background thread, so the
# request answers at once whatever happens to the email.
_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mail")
_pending: set[Future] = set()


def send_email_in_background(to: str, subject: str, body: str, attachments: tuple[Attachment, ...] = ()) -> None:
    run_in_background(send_email, to, subject, body, attachments)


def run_in_background(job, *args) -> None:
    """Run job(*args) on the mail thread, in this app's context. A failure is logged, never raised."""
    app = current_app._get_current_object()
    future = _executor.submit(_run_logged, app, job, args)
    _pending.add(future)
    future.add_done_callback(_pending.discard)


def _run_logged(app, job, args) -> None:
    with app.app_context():
        try:
            job(*args)
        except Exception:
            app.logger.exception("Could not send an email")


def wait_for_background_mail(timeout: float = 10) -> None:
    """Until every email handed to the background has been sent or has failed (for tests and shutdown)."""
    wait(list(_pending), timeout=timeout)
