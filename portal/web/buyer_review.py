"""Review before publish: submitting a draft, a publisher's review (publish or ask for changes), private preview
links, and who in a buyer's staff is an editor or a publisher. Only the buyer's own items and staff."""

from flask import Blueprint, abort, current_app, flash, render_template, request
from flask_login import current_user

from portal.auth import buyer_required
from portal.clock import now
from portal.db import get_session
from portal.forms.engagement import ActionForm
from portal.forms.review import EditorsPublishForm, RequestChangesForm, StaffRoleForm
from portal.models import StaffRole
from portal.security import external_url
from portal.services import buyer_items, review
from portal.web.buyer import _organisation, _own_or_404, section_headings
from portal.web.confirmations import confirm

bp = Blueprint("buyer_review", __name__, url_prefix="/buyer")
NEW_PREVIEW_LINK = "address:new-preview-link"  # a flash category no confirmations() banner shows


@bp.app_context_processor
def review_helpers():
    def may_publish(opportunity=None) -> bool:
        if not current_user.is_authenticated or current_user.organisation_id is None:
            return False
        return review.may_publish(current_user, _organisation(), opportunity)
    return {"may_publish": may_publish, "review_states": review.STATE_WORDS, "new_preview_link": NEW_PREVIEW_LINK}


@bp.route("/opportunities/<int:opportunity_id>/review", methods=["GET", "POST"])
@buyer_required
def review_page(opportunity_id: int):
    """A publisher reads what was submitted, then publishes it or asks for changes with a comment."""
    opportunity = _own_or_404(opportunity_id)
    form = RequestChangesForm()
    if request.method == "POST":
        if not review.is_publisher(current_user):
            abort(403)
        if form.validate_on_submit():
            if not review.request_changes(get_session(), opportunity, current_user, form.comment.data):
                return confirm("This is not waiting for review, so there is nothing to send back.", "buyer.manage",
                               category="info", opportunity_id=opportunity.id)
            return confirm("Changes asked for. We have emailed the person who submitted it, with your comment.",
                           "buyer.manage", opportunity_id=opportunity.id)
    sections = section_headings(opportunity.kind)
    return render_template("buyer/review.html", opportunity=opportunity, form=form, action_form=ActionForm(),
                           draft=buyer_items.draft_of(get_session(), opportunity),
                           changes=buyer_items.pending_changes(get_session(), opportunity, sections),
                           is_publisher=review.is_publisher(current_user)), 400 if form.errors else 200


@bp.post("/opportunities/<int:opportunity_id>/submit")
@buyer_required
def submit(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    refused = review.cannot_submit(opportunity)
    if refused:
        return confirm(refused, "buyer.manage", category="info", opportunity_id=opportunity.id)
    review.submit(get_session(), opportunity, current_user)
    return confirm("Submitted for review. We have emailed your organisation's publishers. They will publish it or "
                   "ask you for changes.", "buyer.manage", opportunity_id=opportunity.id)


@bp.post("/opportunities/<int:opportunity_id>/preview-links")
@buyer_required
def make_preview_link(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    token = review.make_preview_link(get_session(), opportunity, current_user, now())
    # Shown once, in a read-only box of its own under the banner (see buyer/_review.html): a long address in the
    # banner's text would not wrap on a small screen, and a box is easier to copy from.
    flash(external_url("draft_preview.show", token=token), NEW_PREVIEW_LINK)
    return confirm(f"Preview link made. Anyone with it can read the draft, without signing in, for "
                   f"{review.PREVIEW_DAYS} days or until you revoke it. Copy it now: we cannot show it again.",
                   "buyer.manage", place="review", opportunity_id=opportunity.id)


@bp.post("/opportunities/<int:opportunity_id>/preview-links/<int:link_id>/revoke")
@buyer_required
def revoke_preview_link(opportunity_id: int, link_id: int):
    opportunity = _own_or_404(opportunity_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not review.revoke_preview_link(get_session(), opportunity, link_id, current_user, now()):
        abort(404)
    return confirm("Preview link revoked. It no longer works.", "buyer.manage", place="review",
                   opportunity_id=opportunity.id)


def _staff_page(role_forms=None, setting_form=None, status=200):
    organisation = _organisation()
    people = review.staff(get_session(), organisation.id)
    role_forms = role_forms or {}
    rows = []
    for person in people:
        form = role_forms.get(person.id) or StaffRoleForm(prefix=f"person-{person.id}",
                                                          data={"staff_role": person.staff_role})
        form.staff_role.label.text = f"Role of {person.name}"
        rows.append((person, form))
    return render_template(
        "buyer/staff.html", organisation=organisation, is_publisher=review.is_publisher(current_user), people=rows,
        setting_form=setting_form or EditorsPublishForm(data={"allowed": organisation.editors_publish_own}),
        roles=review.STAFF_ROLE_WORDS), status


@bp.get("/staff")
@buyer_required
def staff():
    return _staff_page()


@bp.post("/staff/<int:user_id>/role")
@buyer_required
def change_role(user_id: int):
    if not review.is_publisher(current_user):
        abort(403)
    form = StaffRoleForm(prefix=f"person-{user_id}")
    if not form.validate_on_submit():
        return _staff_page(role_forms={user_id: form}, status=400)
    refused = review.change_staff_role(get_session(), current_user, user_id, StaffRole(form.staff_role.data))
    if refused == "not found":
        abort(404)
    if refused:
        return confirm(refused, "buyer_review.staff", category="important")
    return confirm("Role changed.", "buyer_review.staff")


@bp.post("/staff/editors-publish")
@buyer_required
def editors_publish():
    if not review.is_publisher(current_user):
        abort(403)
    form = EditorsPublishForm()
    if not form.validate_on_submit():
        abort(400)
    review.set_editors_publish_own(get_session(), current_user, _organisation(), bool(form.allowed.data))
    return confirm("Editors can now publish items they wrote themselves." if form.allowed.data else
                   "Editors now need a publisher to check and publish their items.", "buyer_review.staff")
