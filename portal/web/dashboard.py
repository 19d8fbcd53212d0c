from flask import Blueprint, render_template
from flask_login import current_user

from portal.auth import supplier_required
from portal.db import get_session
from portal.forms.engagement import ActionForm
from portal.models import Organisation
from portal.services import accounts, dashboard, meeting_slots

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@supplier_required
def index():
    session = get_session()
    view = dashboard.build(session, current_user)
    organisation = session.get(Organisation, current_user.organisation_id)
    page = render_template("dashboard/index.html", view=view, organisation=organisation, action_form=ActionForm(),
                           where=meeting_slots.where, asks_bidding_details=not accounts.has_bidding_details(organisation))
    dashboard.record_visit(session, current_user)
    return page
