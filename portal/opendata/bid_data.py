"""An opportunity's "can we bid?" facts in the JSON API (one object) and the spreadsheet (flat, one cell each).

Both read the same BidFacts. A fact the buyer has not given is null in the API and an empty cell in the CSV,
never "no": "not stated" and "no" are different answers for a small supplier.
"""

from portal import reference
from portal.bidding.facts import BidFacts, facts_of
from portal.bidding.social_value import OUTCOMES_BY_SLUG, THEME_NAMES
from portal.bidding.vocabulary import (
    ACCREDITATIONS,
    CRITERION_TYPE_LABELS,
    INSURANCE_LABELS,
    PAYMENT_FREQUENCY_LABELS,
    RESERVED_LABELS,
    TUPE_LABELS,
)
from portal.opendata.ocds_bidding import whole_range
from portal.presenters import contract_length, money, value_range

LIST_SEPARATOR = "; "


def value_totals(opportunity) -> tuple[int | None, int | None]:
    """The whole contract's value range: the value itself when it is a total, worked out from a yearly value
    and the contract's length, or nothing when a yearly value's length is not known."""
    whole = whole_range(opportunity.value_min, opportunity.value_max, opportunity.value_basis,
                        opportunity.contract_length_months)
    return whole or (None, None)


# --- JSON API ------------------------------------------------------------------------------------------------------

def api_facts(opportunity) -> dict:
    facts = facts_of(opportunity)
    conditions, terms = facts.conditions, facts.terms
    return {
        "lots": [
            {"number": lot.number, "title": lot.title, "description": lot.description,
             "value": {"min": lot.value_min, "max": lot.value_max, "basis": lot.value_basis,
                       "total": _range(whole_range(lot.value_min, lot.value_max, lot.value_basis,
                                                   lot.contract_length_months), lot.value_min, lot.value_max)},
             "contract_length_months": lot.contract_length_months,
             "regions": [{"code": code, "name": reference.region_name(code)} for code in lot.regions]}
            for lot in facts.lots
        ],
        "max_lots_per_bidder": facts.max_lots_per_bidder,
        "min_turnover": conditions.min_turnover,
        "insurance": [{"kind": i.kind, "label": INSURANCE_LABELS[i.kind], "amount": i.amount}
                      for i in conditions.insurance],
        "accreditations": [{"slug": slug, "label": ACCREDITATIONS[slug][0]} for slug in conditions.accreditations],
        "other_accreditations": conditions.other_accreditations or None,
        "consortia_welcome": conditions.consortia_welcome,
        "may_combine": conditions.may_combine,
        "payment_days": terms.payment_days,
        "payment_frequency": terms.payment_frequency,
        "e_invoicing": terms.e_invoicing,
        "tupe": terms.tupe,
        "subcontracting_allowed": terms.subcontracting_allowed,
        "small_firm_share": terms.small_firm_share,
        "reserved_for": list(terms.reserved_for),
        "split_for_small_suppliers": terms.split_for_small_suppliers,
        "not_split_reason": terms.not_split_reason or None,
        "criteria": [{"type": c.type, "name": c.name, "description": c.description, "weight": c.weight}
                     for c in facts.criteria],
        "social_value": [
            {"theme": {"slug": OUTCOMES_BY_SLUG[a.outcome].theme, "name": THEME_NAMES[OUTCOMES_BY_SLUG[a.outcome].theme]},
             "outcome": {"slug": a.outcome, "name": OUTCOMES_BY_SLUG[a.outcome].name},
             "mission": a.mission, "wish": a.wish}
            for a in facts.social_value
        ],
    }


def _range(whole: tuple[int | None, int | None] | None, value_min, value_max) -> dict | None:
    if whole is None or (value_min is None and value_max is None):
        return None
    return {"min": whole[0], "max": whole[1]}


# --- CSV -----------------------------------------------------------------------------------------------------------

# New columns go after the first release's, so that software reading columns by position keeps working.
CSV_COLUMNS = [
    "value_basis", "value_total_min", "value_total_max", "contract_length_months", "lots_count", "lots",
    "max_lots_per_bidder", "min_turnover", "insurance", "accreditations", "consortia_welcome", "payment_days",
    "payment_frequency", "e_invoicing", "tupe", "subcontracting_allowed", "small_firm_share", "reserved_for",
    "split_for_small_suppliers", "not_split_reason", "criteria", "social_value_themes",
]


def csv_cells(opportunity) -> dict[str, object]:
    facts = facts_of(opportunity)
    conditions, terms = facts.conditions, facts.terms
    total_min, total_max = value_totals(opportunity)
    return {
        "value_basis": opportunity.value_basis,
        "value_total_min": total_min,
        "value_total_max": total_max,
        "contract_length_months": opportunity.contract_length_months,
        "lots_count": len(facts.lots),
        "lots": LIST_SEPARATOR.join(_lot_in_words(lot) for lot in facts.lots),
        "max_lots_per_bidder": facts.max_lots_per_bidder,
        "min_turnover": conditions.min_turnover,
        "insurance": LIST_SEPARATOR.join(f"{INSURANCE_LABELS[i.kind]} {money(i.amount)}" for i in conditions.insurance),
        "accreditations": LIST_SEPARATOR.join(
            [ACCREDITATIONS[slug][0] for slug in conditions.accreditations]
            + ([conditions.other_accreditations] if conditions.other_accreditations else [])),
        "consortia_welcome": _yes_no(conditions.consortia_welcome),
        "payment_days": terms.payment_days,
        "payment_frequency": PAYMENT_FREQUENCY_LABELS.get(terms.payment_frequency, ""),
        "e_invoicing": _yes_no(terms.e_invoicing),
        "tupe": TUPE_LABELS[terms.tupe].split(":")[0] if terms.tupe else "",
        "subcontracting_allowed": _yes_no(terms.subcontracting_allowed),
        "small_firm_share": terms.small_firm_share,
        "reserved_for": LIST_SEPARATOR.join(RESERVED_LABELS[r] for r in terms.reserved_for),
        "split_for_small_suppliers": _yes_no(terms.split_for_small_suppliers),
        "not_split_reason": terms.not_split_reason,
        "criteria": criteria_in_words(facts),
        "social_value_themes": LIST_SEPARATOR.join(dict.fromkeys(
            THEME_NAMES[OUTCOMES_BY_SLUG[a.outcome].theme] for a in facts.social_value)),
    }


def criteria_in_words(facts: BidFacts) -> str:
    """'Price 40%; Quality 50% (Quality of food); Social value 10%': the buyer's name for a criterion follows
    its type when the two differ."""
    parts = []
    for c in facts.criteria:
        label = CRITERION_TYPE_LABELS[c.type]
        parts.append(f"{label} {c.weight}%" + (f" ({c.name})" if c.name.casefold() != label.casefold() else ""))
    return LIST_SEPARATOR.join(parts)


def _lot_in_words(lot) -> str:
    """'Lot 1: Fruit and vegetables, £100,000 a year (£300,000 in total over 3 years)'."""
    details = []
    if lot.value_min is not None or lot.value_max is not None:
        details.append(value_range(lot.value_min, lot.value_max, lot.value_basis, lot.contract_length_months))
    if lot.contract_length_months and lot.value_basis != "per-year":
        details.append(f"for {contract_length(lot.contract_length_months)}")
    return f"Lot {lot.number}: {lot.title}" + (f", {', '.join(details)}" if details else "")


def _yes_no(flag: bool | None) -> str:
    return "" if flag is None else ("yes" if flag else "no")
