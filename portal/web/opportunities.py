from flask import Blueprint, abort, current_app, render_template, request
from flask import session as flask_session
from flask_login import current_user

from portal.clock import today
from portal.db import get_session
from portal.models import OpportunityKind
from portal.presenters import KIND_PLURALS
from portal.services import buyer_items, missions, opportunities, shared_figures, withdrawals
from portal.web.opportunity_page import OpportunityPage, page_of, render_opportunity, render_page
from portal.web.params import no_such_page, parse_listing

bp = Blueprint("opportunities", __name__)


@bp.get("/opportunities")
def index():
    session = get_session()
    mission_list = missions.list_missions(session)
    parsed = parse_listing(request.args, {m.mission.slug for m in mission_list})
    try:
        page = opportunities.list_published(session, parsed.filters, parsed.page, current_app.config["PAGE_SIZE"])
    except opportunities.PageOutOfRange as error:
        return no_such_page(error.last_page, "opportunities.index", _filter_params(parsed.filters))
    return render_template(
        "opportunities/index.html",
        page=page,
        filters=parsed.filters,
        params=_filter_params(parsed.filters),
        errors=parsed.errors,
        kinds=[(kind.value, KIND_PLURALS[kind]) for kind in OpportunityKind],
        missions=mission_list,
        today=today(),
    ), 400 if parsed.errors else 200


@bp.get("/opportunities/<slug>")
def show(slug: str):
    session = get_session()
    if not current_user.is_authenticated and "_flashes" not in flask_session:
        # Everyone not signed in sees the same page: keep it (services/shared_figures.py).
        page = shared_figures.kept(session, ("opportunity page", slug, today()), lambda: _public_page(session, slug))
        if page is not None:
            return render_page(page)
    opportunity = opportunities.get_published(session, slug)
    if opportunity is not None:
        return render_opportunity(opportunity)
    withdrawn = withdrawals.get_withdrawn(session, slug)
    if withdrawn is None:
        abort(404)
    # 410 Gone: the address is kept on purpose, to say why, but the opportunity itself is not coming back as it was.
    changes = [v for v in buyer_items.versions(session, withdrawn.id) if v.number > 1]
    return render_template("opportunities/withdrawn.html", opportunity=withdrawn, changes=changes,
                           notice=withdrawals.public_notice(session, withdrawn)), 410


def _public_page(session, slug: str) -> OpportunityPage | None:
    opportunity = opportunities.get_published(session, slug)
    return page_of(opportunity) if opportunity is not None else None


def _filter_params(filters) -> dict:
    return {name: value for name, value in (("kind", filters.kind), ("mission", filters.mission)) if value}
