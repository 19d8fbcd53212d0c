"""Who won, and how the contract is doing: a buyer records the award for one of its own items, adds the contract's
KPIs and publishes a result for each period. Everything here is public once saved. Only the buyer's own items."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user
from pydantic import ValidationError

from portal.auth import buyer_required
from portal.bidding.facts import facts_of
from portal.clock import now, today
from portal.db import get_session
from portal.forms.awards import RATING_HINTS, AwardForm, KPIForm, ResultForm
from portal.services import awards
from portal.services.performance import RATING_LABELS
from portal.web.buyer import _own_or_404
from portal.web.confirmations import confirm

bp = Blueprint("buyer_awards", __name__, url_prefix="/buyer")


def _lots(opportunity) -> list[tuple[str, str]]:
    try:
        return [(str(lot.number), f"Lot {lot.number}: {lot.title}") for lot in facts_of(opportunity).lots]
    except ValidationError:
        return []


def _own_award_or_404(award_id: int):
    found = awards.get_own_award(get_session(), current_user.organisation_id, award_id)
    if found is None:
        abort(404)
    return found


@bp.route("/opportunities/<int:opportunity_id>/award", methods=["GET", "POST"])
@buyer_required
def record(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    refused = awards.cannot_award(opportunity)
    if refused:
        return confirm(refused, "buyer.manage", category="info", opportunity_id=opportunity.id)
    session = get_session()
    choices = awards.supplier_choices(session)
    form = AwardForm(supplier_choices=choices, lot_choices=_lots(opportunity))
    if form.validate_on_submit():
        award = awards.record_award(session, current_app.extensions["search"], opportunity,
                                    form.values(dict(choices)))
        message = f"Award recorded. The public page now says who won and for how much, and people following it " \
                  f"have been told."
        if awards.kpis_needed(award):
            message += f" The contract is worth over £5 million, so add at least " \
                       f"{awards.MIN_KPIS_OVER_THRESHOLD} KPIs."
        return confirm(message, "buyer_awards.show", award_id=award.id)
    return render_template("buyer/award.html", opportunity=opportunity, form=form,
                           has_lots=len(form.lot.choices) > 1), 400 if form.errors else 200


@bp.get("/awards/<int:award_id>")
@buyer_required
def show(award_id: int):
    award, opportunity = _own_award_or_404(award_id)
    return render_template("buyer/award_kpis.html", award=award, opportunity=opportunity,
                           needed=awards.kpis_needed(award), threshold=awards.KPI_THRESHOLD,
                           minimum=awards.MIN_KPIS_OVER_THRESHOLD, frequencies=awards.FREQUENCIES,
                           latest=awards.latest_result, rating_labels=RATING_LABELS,
                           supplier_names=awards.supplier_names(award))


@bp.route("/awards/<int:award_id>/kpis/new", methods=["GET", "POST"])
@buyer_required
def new_kpi(award_id: int):
    award, opportunity = _own_award_or_404(award_id)
    form = KPIForm()
    if form.validate_on_submit():
        awards.add_kpi(get_session(), award, form.values())
        return confirm("KPI added. It is now on the public page.", "buyer_awards.show", award_id=award.id)
    return render_template("buyer/kpi.html", award=award, opportunity=opportunity, form=form,
                           needed=awards.kpis_needed(award)), 400 if form.errors else 200


@bp.route("/kpis/<int:kpi_id>/results/new", methods=["GET", "POST"])
@buyer_required
def new_result(kpi_id: int):
    found = awards.get_own_kpi(get_session(), current_user.organisation_id, kpi_id)
    if found is None:
        abort(404)
    kpi, award, opportunity = found
    form = ResultForm(today=today())
    if form.validate_on_submit():
        awards.publish_result(get_session(), kpi, form.values(), now())
        return confirm("Result published. It is now on the public page.", "buyer_awards.show", award_id=award.id)
    return render_template("buyer/kpi_result.html", kpi=kpi, award=award, opportunity=opportunity, form=form,
                           rating_hints=RATING_HINTS), 400 if form.errors else 200
