"""Withdrawing or cancelling a published item. Neither can be undone by accident, and the public sees the reason,
so the buyer is asked first on a page of its own that says what will happen. Only the buyer's own items."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user

from portal.auth import buyer_required
from portal.clock import now
from portal.db import get_session
from portal.forms.withdrawals import REASON_HINT, StopReasonForm
from portal.models import StopKind
from portal.services import withdrawals
from portal.web.buyer import _may_publish_or_403, _own_or_404
from portal.web.confirmations import confirm

bp = Blueprint("buyer_withdraw", __name__, url_prefix="/buyer")

QUESTIONS = {StopKind.WITHDRAWN: "Why are you withdrawing it?", StopKind.CANCELLED: "Why is the buying not going ahead?"}
DONE = {
    StopKind.WITHDRAWN: "Withdrawn. It is no longer in search or the lists. Its page now says it was withdrawn, "
                        "and why. People following it have been told.",
    StopKind.CANCELLED: "Cancelled. Its page now says the buying is not going ahead, and why. People following it "
                        "have been told.",
}


def _confirmation_page(opportunity_id: int, kind: StopKind):
    opportunity = _own_or_404(opportunity_id)
    _may_publish_or_403(opportunity)  # the reason is public
    refused = withdrawals.cannot_stop(opportunity, kind)
    if refused:
        return confirm(refused, "buyer.manage", category="info", opportunity_id=opportunity.id)
    form = StopReasonForm()
    form.reason.label.text = QUESTIONS[kind]
    if form.validate_on_submit():
        act = withdrawals.withdraw if kind == StopKind.WITHDRAWN else withdrawals.cancel
        act(get_session(), current_app.extensions["search"], opportunity, current_user, form.reason.data,
            now())
        return confirm(DONE[kind], "buyer.manage", opportunity_id=opportunity.id)
    return render_template("buyer/stop.html", opportunity=opportunity, form=form, kind=kind,
                           hint=REASON_HINT), 400 if form.errors else 200


@bp.route("/opportunities/<int:opportunity_id>/withdraw", methods=["GET", "POST"])
@buyer_required
def withdraw(opportunity_id: int):
    return _confirmation_page(opportunity_id, StopKind.WITHDRAWN)


@bp.route("/opportunities/<int:opportunity_id>/cancel", methods=["GET", "POST"])
@buyer_required
def cancel(opportunity_id: int):
    return _confirmation_page(opportunity_id, StopKind.CANCELLED)
