"""Buyers' staff moderate what residents say about their problem statements and missions: nothing is public before
they approve it. Only their own organisation's comments."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from portal.auth import buyer_required
from portal.db import get_session
from portal.forms.voice import ApproveForm, RedactForm, RejectContributionForm, ResponseForm, WhatChangedForm
from portal.mail import send_email_in_background
from portal.models import ContributionStatus
from portal.services import buyer_items, voice, voice_moderation
from portal.web.confirmations import confirm

bp = Blueprint("buyer_voice", __name__, url_prefix="/buyer/residents")


@bp.get("")
@buyer_required
def index():
    return render_template("buyer/voice/index.html",
                           groups=voice_moderation.for_organisation(get_session(), current_user.organisation_id))


def _own_or_404(contribution_id: int):
    contribution = voice_moderation.get_own(get_session(), current_user.organisation_id, contribution_id)
    if contribution is None:
        abort(404)
    return contribution


def _page(contribution, status=200, **forms):
    row = voice_moderation.row(get_session(), contribution)
    defaults = {
        "approve_form": ApproveForm(formdata=None, data={"hide_name": not contribution.show_name}),
        "reject_form": RejectContributionForm(formdata=None),
        "redact_form": RedactForm(formdata=None, data={"published_text": contribution.published_text or contribution.text,
                                                       "hide_name": not contribution.show_name}),
        "response_form": ResponseForm(formdata=None, data={"response": contribution.official_response}),
    }
    return render_template("buyer/voice/show.html", row=row, **(defaults | forms)), status


@bp.get("/<int:contribution_id>")
@buyer_required
def show(contribution_id: int):
    return _page(_own_or_404(contribution_id))


def _done(message: str, contribution_id: int, category: str = "success"):
    return confirm(message, "buyer_voice.show", category=category, contribution_id=contribution_id)


@bp.post("/<int:contribution_id>/approve")
@buyer_required
def approve(contribution_id: int):
    contribution = _own_or_404(contribution_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        return _page(contribution, 400, approve_form=form)
    if not voice_moderation.approve(get_session(), contribution, current_user, show_name=not form.hide_name.data):
        return _done("This comment was already published or rejected, so nothing changed.", contribution_id, "important")
    return _done("The comment is published.", contribution_id)


@bp.post("/<int:contribution_id>/reject")
@buyer_required
def reject(contribution_id: int):
    contribution = _own_or_404(contribution_id)
    form = RejectContributionForm()
    if not form.validate_on_submit():
        return _page(contribution, 400, reject_form=form)
    email = voice_moderation.reject(get_session(), contribution, current_user, form.reason.data)
    if email is None:
        return _done("Only a comment that is waiting or hidden can be rejected. You can publish part of it instead.",
                     contribution_id, "important")
    send_email_in_background(email.to, email.subject, email.body)
    return _done("The comment will not be published. The resident will see your reason.", contribution_id)


@bp.post("/<int:contribution_id>/redact")
@buyer_required
def redact(contribution_id: int):
    contribution = _own_or_404(contribution_id)
    form = RedactForm()
    if not form.validate_on_submit():
        return _page(contribution, 400, redact_form=form)
    email = voice_moderation.redact(get_session(), contribution, current_user, form.published_text.data,
                                    form.reason.data, show_name=not form.hide_name.data)
    if email is None:
        if contribution.status != ContributionStatus.REJECTED:
            form.published_text.errors.append("Change the text before publishing part of it, or approve it as it is")
            return _page(contribution, 400, redact_form=form)
        return _done("This comment was rejected, so it cannot be published.", contribution_id, "important")
    send_email_in_background(email.to, email.subject, email.body)
    return _done("Part of the comment is published. The resident will see your reason.", contribution_id)


@bp.post("/<int:contribution_id>/respond")
@buyer_required
def respond(contribution_id: int):
    contribution = _own_or_404(contribution_id)
    form = ResponseForm()
    if not form.validate_on_submit():
        return _page(contribution, 400, response_form=form)
    if not voice_moderation.respond(get_session(), contribution, form.response.data):
        return _done("Only a published comment can have a response.", contribution_id, "important")
    return _done("Your response is published under the comment.", contribution_id)


@bp.route("/opportunities/<int:opportunity_id>/what-changed", methods=["GET", "POST"])
@buyer_required
def what_changed(opportunity_id: int):
    session = get_session()
    opportunity = buyer_items.get_own(session, current_user.organisation_id, opportunity_id)
    if opportunity is None:
        abort(404)
    form = WhatChangedForm() if request.method == "POST" else WhatChangedForm(
        formdata=None, data={"what_changed": voice.what_changed(session, opportunity.id)})
    if form.validate_on_submit():
        voice_moderation.save_what_changed(session, opportunity, form.what_changed.data or "")
        return confirm("Saved. It is shown on the page under \u201cYou said, we did\u201d once engagement has closed.",
                       "buyer_voice.what_changed", opportunity_id=opportunity.id)
    return render_template("buyer/voice/what_changed.html", form=form, opportunity=opportunity), \
        400 if form.errors else 200
