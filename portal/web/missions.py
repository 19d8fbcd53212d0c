from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user

from portal.clock import today
from portal.db import get_session
from portal.forms.engagement import ActionForm
from portal.services import activity, missions, opportunities, pipeline, voice
from portal.services import activity, award_reports, missions, opportunities, pipeline
from portal.services.performance import PROGRESS_LABELS, PROGRESS_TAG_COLOURS
from portal.services.opportunities import OpportunityFilters
from portal.web.params import no_such_page, parse_page

bp = Blueprint("missions", __name__)


@bp.get("/missions")
def index():
    return render_template("missions/index.html", missions=missions.list_missions(get_session()))


@bp.get("/missions/<slug>")
def show(slug: str):
    session = get_session()
    mission = missions.get_mission(session, slug)
    if mission is None:
        abort(404)
    page_number, page_error = parse_page(request.args.get("page"))
    filters = OpportunityFilters(mission=slug)
    try:
        page = opportunities.list_published(session, filters, page_number, current_app.config["PAGE_SIZE"])
    except opportunities.PageOutOfRange as error:
        return no_such_page(error.last_page, "missions.show", {"slug": slug})
    errors = {"page": page_error} if page_error else {}
    return render_template(
        "missions/show.html", mission=mission, page=page, errors=errors, today=today(),
        pipeline=pipeline.planned_spend(session, today(), mission_id=mission.id),
        recent=activity.recent(session, mission_id=mission.id),
        residents=voice.page_view(session, voice.Subject(mission=mission), current_user, today()),
        action_form=ActionForm(),
        progress=award_reports.outcome_progress_for(session, mission.outcomes, today()),
        mission_progress=award_reports.mission_progress_for(session, mission, today()),
        contracts=award_reports.awarded_items_for(session, mission.outcomes),
        progress_labels=PROGRESS_LABELS, progress_colours=PROGRESS_TAG_COLOURS,
        small_suppliers=award_reports.small_supplier_spend(session, mission_id=mission.id),
    ), 400 if errors else 200
