"""One-to-one meetings for suppliers: see the free times on an opportunity, book one, move it or cancel it."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from portal.auth import supplier_required
from portal.clock import now
from portal.db import get_session
from portal.forms.engagement import ActionForm
from portal.forms.meetings import SlotChoiceForm
from portal.mail import send_email_in_background
from portal.models import Organisation, Role
from portal.services import meeting_emails, meeting_slots, opportunities
from portal.web.confirmations import confirm

bp = Blueprint("meetings", __name__)

DONE = {
    "booked": "Your meeting is booked. We have emailed you and the buyer the details and a calendar file.",
    "moved": "Your meeting has moved. We have emailed you and the buyer the new time and a calendar file.",
    "cancelled": "Your meeting is cancelled. We have told the buyer.",
}


def _published_or_404(slug: str):
    opportunity = opportunities.get_published(get_session(), slug)
    if opportunity is None:
        abort(404)
    return opportunity


def _page(opportunity, form: SlotChoiceForm | None = None, status: int = 200):
    session, moment = get_session(), now()
    is_supplier = current_user.is_authenticated and current_user.role == Role.SUPPLIER
    held = meeting_slots.held_by(session, opportunity.id, current_user.organisation_id) if is_supplier else None
    return render_template(
        "meetings/show.html", opportunity=opportunity, form=form or SlotChoiceForm(), action_form=ActionForm(),
        buyer=session.get(Organisation, opportunity.buyer_id), is_supplier=is_supplier, held=held,
        held_is_to_come=held is not None and meeting_slots.is_to_come(held, moment),
        free=meeting_slots.free_slots(session, opportunity.id, moment),
        is_open=meeting_slots.open_for_booking(opportunity, moment),
        closed_message=meeting_slots.closed_reason(opportunity), where=meeting_slots.where,
    ), status


def _tell_everyone(change: meeting_slots.SlotChange) -> None:
    for email in meeting_emails.emails_for(get_session(), change):
        send_email_in_background(email.to, email.subject, email.body, email.attachments)


@bp.get("/opportunities/<slug>/meetings")
def show(slug: str):
    return _page(_published_or_404(slug))


@bp.post("/opportunities/<slug>/meetings/<any(book, move):action>")
@supplier_required
def choose(slug: str, action: str):
    opportunity = _published_or_404(slug)
    form = SlotChoiceForm()
    if not form.validate_on_submit():
        return _page(opportunity, form, 400)
    change_slot = meeting_slots.book if action == "book" else meeting_slots.move
    try:
        change = change_slot(get_session(), opportunity, form.slot.number, current_user, now())
    except meeting_slots.SlotError as error:
        form.slot.errors = [str(error)]
        return _page(opportunity, form, 400)
    _tell_everyone(change)
    return confirm(DONE[change.kind], "meetings.show", slug=slug)


@bp.post("/opportunities/<slug>/meetings/cancel")
@supplier_required
def cancel(slug: str):
    opportunity = _published_or_404(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        change = meeting_slots.cancel(get_session(), opportunity, current_user, now())
    except meeting_slots.SlotError as error:
        return confirm(str(error), "meetings.show", category="info", slug=slug)
    _tell_everyone(change)
    return confirm(DONE[change.kind], "meetings.show", slug=slug)
