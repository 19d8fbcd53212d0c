from flask import Blueprint, abort, current_app, render_template, request

from portal.clock import today
from portal.db import get_session
from portal.services import activity, award_reports, opportunities, organisations, pipeline
from portal.services.opportunities import OpportunityFilters
from portal.web.params import no_such_page, parse_page

bp = Blueprint("buyers", __name__)


@bp.get("/buyers")
def index():
    return render_template("buyers/index.html", buyers=organisations.list_buyers(get_session()))


@bp.get("/buyers/<slug>")
def show(slug: str):
    session = get_session()
    buyer = organisations.get_buyer(session, slug)
    if buyer is None:
        abort(404)
    page_number, page_error = parse_page(request.args.get("page"))
    try:
        page = opportunities.list_published(
            session, OpportunityFilters(buyer_id=buyer.id), page_number, current_app.config["PAGE_SIZE"]
        )
    except opportunities.PageOutOfRange as error:
        return no_such_page(error.last_page, "buyers.show", {"slug": slug})
    errors = {"page": page_error} if page_error else {}
    return render_template(
        "buyers/show.html", buyer=buyer, page=page, errors=errors, today=today(),
        pipeline=pipeline.planned_spend(session, today(), buyer_id=buyer.id),
        open_engagement=activity.open_engagement(session, buyer.id, today()),
        answers=activity.recent_answers(session, buyer.id),
        small_suppliers=award_reports.small_supplier_spend(session, buyer_id=buyer.id),
    ), 400 if errors else 200
