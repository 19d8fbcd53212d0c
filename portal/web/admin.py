"""Portal administrators: create buyer organisations and invite their staff; deal with reported messages."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.auth import admin_required
from portal.db import get_session
from portal.forms.buyers import BuyerOrganisationForm
from portal.forms.engagement import ActionForm
from portal.forms.review import StaffInviteForm
from portal.mail import send_email
from portal.models import Organisation, OrganisationKind, Role, StaffRole
from portal.security import external_url
from portal.services import accounts, organisations, partner_message_reports
from portal.slugs import unique_slug
from portal.web.confirmations import confirm

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("")
@admin_required
def index():
    return render_template("admin/index.html", buyers=organisations.list_buyers(get_session()))


@bp.route("/buyers/new", methods=["GET", "POST"])
@admin_required
def new_buyer():
    form = BuyerOrganisationForm()
    if form.validate_on_submit():
        session = get_session()
        slug = unique_slug(session, Organisation, form.name.data, "buyer")
        session.add(Organisation(slug=slug, name=form.name.data.strip(), kind=OrganisationKind.BUYER,
                                 org_type=form.org_type.data, region=form.region.data))
        session.commit()
        flash(f"{form.name.data} has been created. Now invite its staff.", "success")
        return redirect(url_for("admin.invite", slug=slug), 303)
    return render_template("admin/new_buyer.html", form=form), 400 if form.errors else 200


@bp.route("/buyers/<slug>/invite", methods=["GET", "POST"])
@admin_required
def invite(slug: str):
    session = get_session()
    buyer = organisations.get_buyer(session, slug)
    if buyer is None:
        abort(404)
    form = StaffInviteForm()
    if form.validate_on_submit():
        token = accounts.invite(session, current_user, buyer.id, form.email.data, Role.BUYER, form.staff_role.data)
        what = "publish" if form.staff_role.data == StaffRole.PUBLISHER else "write"
        send_email(form.email.data, f"{what.capitalize()} opportunities for {buyer.name} on the Opportunity Portal",
                   f"You have been invited to {what} opportunities for {buyer.name}.\n\n"
                   f"Use this link within {accounts.INVITATION_DAYS} days:\n\n{external_url('accounts.join', token=token)}")
        flash(f"We have sent an invitation to {form.email.data}.", "success")
        return redirect(url_for("admin.index"), 303)
    return render_template("admin/invite.html", form=form, buyer=buyer), 400 if form.errors else 200


@bp.get("/reported-messages")
@admin_required
def reported_messages():
    return render_template("admin/reported_messages.html", reports=partner_message_reports.reported(get_session()),
                           action_form=ActionForm())


@bp.post("/organisations/<int:organisation_id>/<any(stop, allow):action>-messages")
@admin_required
def messages_from(organisation_id: int, action: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    organisation = partner_message_reports.stop_sending(get_session(), organisation_id, stopped=action == "stop")
    if organisation is None:
        abort(404)
    return confirm(f"{organisation.name} can no longer send messages to other suppliers." if action == "stop" else
                   f"{organisation.name} can send messages to other suppliers again.", "admin.reported_messages")
