"""Engagement events: details, booking, cancelling and a calendar file."""

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from portal.auth import supplier_required
from portal.clock import now, today
from portal.db import get_session
from portal.forms.engagement import ActionForm
from portal.mail import send_email_in_background
from portal.models import BookingStatus, EngagementEvent, Opportunity, Role, Status
from portal.security import external_url
from portal.services import engagement_window, event_emails, events
from portal.services.calendar_file import event_ics
from portal.web.confirmations import confirm

bp = Blueprint("events", __name__)


def _event_or_404(event_id: int):
    session = get_session()
    event = session.get(EngagementEvent, event_id)
    if event is None:
        abort(404)
    opportunity = session.get(Opportunity, event.opportunity_id)
    if opportunity is None or opportunity.status != Status.PUBLISHED:
        abort(404)
    return event, opportunity


def _closed_message(opportunity) -> str:
    return engagement_window.closed_message(opportunity) + " Places can no longer be booked."


def _own_booking(event_id: int):
    if current_user.is_authenticated and current_user.role == Role.SUPPLIER:
        return events.booking_for(get_session(), event_id, current_user.id)
    return None


@bp.get("/events/<int:event_id>")
def show(event_id: int):
    event, opportunity = _event_or_404(event_id)
    booking = _own_booking(event_id)
    position = events.waiting_position(get_session(), booking) if booking and booking.status == BookingStatus.WAITING else None
    return render_template("events/show.html", event=event, opportunity=opportunity, booking=booking, position=position,
                           places=events.places(get_session(), event_id), action_form=ActionForm(),
                           booking_open=engagement_window.is_open(opportunity, today()),
                           closed_message=_closed_message(opportunity))


@bp.post("/events/<int:event_id>/book")
@supplier_required
def book(event_id: int):
    event, opportunity = _event_or_404(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not engagement_window.is_open(opportunity, today()):
        return confirm(_closed_message(opportunity), "events.show", category="info", event_id=event_id)
    try:
        booking = events.book(get_session(), event_id, current_user.id, now())
    except events.BookingError as error:
        return confirm(str(error), "events.show", category="info", event_id=event_id)
    position = events.waiting_position(get_session(), booking) if booking.status == BookingStatus.WAITING else None
    email = event_emails.booking_confirmation(event, opportunity, booking, current_user, position)
    send_email_in_background(email.to, email.subject, email.body, email.attachments)
    return confirm("You have a place. We have emailed you the details and a calendar file."
                   if booking.status == BookingStatus.BOOKED
                   else "The event is full, so you are on the waiting list. We will email you if a place comes free.",
                   "events.show", event_id=event_id)


@bp.post("/events/<int:event_id>/cancel")
@supplier_required
def cancel(event_id: int):
    _event_or_404(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    events.cancel(get_session(), event_id, current_user.id)
    return confirm("Your booking has been cancelled.", "events.show", event_id=event_id)


@bp.get("/events/<int:event_id>/calendar.ics")
def calendar(event_id: int):
    event, opportunity = _event_or_404(event_id)
    booking = _own_booking(event_id)
    body = event_ics(event, opportunity.title, external_url("events.show", event_id=event_id),
                     show_link=booking is not None and booking.status == BookingStatus.BOOKED)
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="event-{event_id}.ics"'})
