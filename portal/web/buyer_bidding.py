"""The "Can we bid?" page of the brief editor: the buyer says, as facts, whether a small supplier can realistically
bid. Only the buyer's own items."""

from pathlib import Path

from flask import Blueprint, current_app, render_template, request

from portal import plain
from portal.auth import buyer_required
from portal.bidding.facts import facts_of
from portal.bidding.social_value import MINIMUM_WEIGHT, OUTCOMES_BY_SLUG, THEME_NAMES
from portal.bidding.vocabulary import ACCREDITATIONS, INSURANCE_HINTS
from portal.briefs import templates
from portal.db import get_session
from portal.forms.bidding import BiddingForm
from portal.forms.bidding_facts import checked_texts, form_data
from portal.forms.engagement import ActionForm
from portal.services import buyer_items
from portal.web.buyer import _own_or_404
from portal.web.buyer_brief import MAX_CHECKED_CHARACTERS
from portal.web.confirmations import confirm

bp = Blueprint("buyer_bidding", __name__, url_prefix="/buyer")
TABLES = ("lots", "criteria", "social_value")


def _report(form: BiddingForm) -> plain.Report:
    texts = {name: text[:MAX_CHECKED_CHARACTERS] for name, text in checked_texts(form).items()}
    return plain.check(texts, labels={name: _label(name) for name in texts},
                       glossary_path=Path(current_app.config["CONTENT_DIR"]) / "glossary.yaml")


_TABLE_LABELS = {"lots": "Lot", "criteria": "Criterion", "social_value": "Social value ask"}


def _label(name: str) -> str:
    """"Lot 2: description" for "lots-1-description"; "Other accreditations" for "other_accreditations"."""
    table, _, rest = name.partition("-")
    position, _, field = rest.partition("-")
    if table in _TABLE_LABELS and position.isdigit():
        return f"{_TABLE_LABELS[table]} {int(position) + 1}: {field.replace('_', ' ')}"
    return name.replace("_", " ").capitalize()


def _page(opportunity, form: BiddingForm, status: int = 200, suggested: bool = False):
    draft = buyer_items.draft_of(get_session(), opportunity)
    warnings = form.facts.warnings() if form.facts else facts_of(draft).warnings()
    return render_template("buyer/bidding.html", opportunity=draft, form=form, report=_report(form),
                           suggested=suggested, action_form=ActionForm(),
                           warnings=warnings, minimum_weight=MINIMUM_WEIGHT, accreditation_hints=ACCREDITATIONS,
                           insurance_hints=INSURANCE_HINTS, themes=THEME_NAMES, outcomes=OUTCOMES_BY_SLUG), status


@bp.route("/opportunities/<int:opportunity_id>/bidding", methods=["GET", "POST"])
@buyer_required
def edit(opportunity_id: int):
    opportunity = _own_or_404(opportunity_id)
    missions = [(m.slug, m.short_title) for m in opportunity.missions]
    if request.method == "GET":
        facts = facts_of(buyer_items.draft_of(get_session(), opportunity))
        suggested = templates(current_app.config["CONTENT_DIR"])[opportunity.kind].suggested_criteria
        return _page(opportunity, BiddingForm(data=form_data(facts, suggested), formdata=None, missions=missions),
                     suggested=bool(suggested and not facts.criteria))
    form = BiddingForm(missions=missions)
    adding = request.form.get("add", "")
    if adding in TABLES and form.is_submitted():
        form.add_row(adding)  # no JavaScript needed: the page comes back with one more empty row
        return _page(opportunity, form)
    if not form.validate_on_submit():
        return _page(opportunity, form, 400)
    buyer_items.save_bid_facts(get_session(), current_app.extensions["search"], opportunity, form.facts)
    told = (" The public page will not change until you publish your changes." if opportunity.pending else "")
    warnings = form.facts.warnings()
    if warnings:
        return confirm(f"Saved, with a warning. {' '.join(warnings)} You can change the weights below.{told}",
                       "buyer_bidding.edit", category="important", opportunity_id=opportunity.id)
    return confirm(f"Your answers about who can bid are saved.{told}", "buyer_bidding.edit",
                   opportunity_id=opportunity.id)
