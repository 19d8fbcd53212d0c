"""One-to-one meetings for buyers: offer times on their own opportunity, see each day's list, remove a free time."""

from flask import Blueprint, abort, render_template, request

from portal.auth import buyer_required
from portal.db import get_session
from portal.forms.engagement import ActionForm
from portal.forms.meetings import SlotsForm
from portal.models import MeetingSlot
from portal.presenters import clock_times, long_date
from portal.services import meeting_slots
from portal.web.buyer import _may_publish_or_403, _own_or_404
from portal.web.confirmations import confirm

bp = Blueprint("buyer_meetings", __name__, url_prefix="/buyer")


def _page(opportunity, form: SlotsForm, status: int = 200):
    return render_template("buyer/meetings.html", opportunity=opportunity, form=form, action_form=ActionForm(),
                           days=meeting_slots.by_day(get_session(), opportunity.id), where=meeting_slots.where,
                           clock_times=clock_times), status


@bp.route("/opportunities/<int:opportunity_id>/meetings", methods=["GET", "POST"])
@buyer_required
def slots(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    if request.method == "POST":
        _may_publish_or_403(opportunity)  # free times, and where they are, are public once added
    form = SlotsForm()
    if not form.validate_on_submit():
        return _page(opportunity, form, 400 if form.is_submitted() else 200)
    try:
        added = meeting_slots.add_slots(get_session(), opportunity, form.planned)
    except meeting_slots.SlotError as error:
        form.first_start.errors = [str(error)]
        return _page(opportunity, form, 400)
    count = "1 meeting time" if len(added) == 1 else f"{len(added)} meeting times"
    return confirm(f"{count} added on {long_date(form.planned.day)}.",
                   "buyer_meetings.slots", opportunity_id=opportunity.id)


@bp.post("/meetings/<int:slot_id>/remove")
@buyer_required
def remove(slot_id: int):
    slot = get_session().get(MeetingSlot, slot_id)
    opportunity = _own_or_404(slot.opportunity_id) if slot else abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        meeting_slots.remove(get_session(), opportunity, slot_id)
    except meeting_slots.SlotError as error:
        return confirm(str(error), "buyer_meetings.slots", category="info", opportunity_id=opportunity.id)
    return confirm("The free time has been removed.", "buyer_meetings.slots", opportunity_id=opportunity.id)
