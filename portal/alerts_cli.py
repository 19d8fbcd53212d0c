"""`flask --app portal send-alerts`: email saved-search alerts and follow updates. Safe to run from cron."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from portal.mail import send_email
from portal.services import search as search_service
from portal.services.saved_searches import send_alerts
from portal.web.search_params import parse_search


@click.command("send-alerts")
@with_appcontext
def send_alerts_command():
    """Send what is due. Running it twice sends nothing twice; an interrupted run carries on next time."""
    with Session(current_app.extensions["engine"], expire_on_commit=False) as session:
        choices = search_service.filter_choices(session)
        run = send_alerts(
            session, current_app.extensions["search"],
            parse_query=lambda args: parse_search(args, choices).query,
            send=send_email,
        )
    click.echo(f"Alerts sent: {run.alerts_sent}. Update emails sent: {run.notification_emails_sent}.")
    if run.failed:
        click.echo(f"Emails that could not be sent: {run.failed} (see the log; they are tried again next run).")
