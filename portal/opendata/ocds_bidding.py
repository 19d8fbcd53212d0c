"""An opportunity's "can we bid?" facts as OCDS 1.1 tender fields, using the extensions ocds.EXTENSIONS declares.

Where each fact goes:
- lots: tender.lots (lots extension), id = the lot number; how many a supplier may bid for: tender.lotDetails.
- award criteria: lots[].awardCriteria (the extension has them on lots only). Social value is a quality criterion
  named as such; the buyer's social value asks are written into its description, or, with no such criterion,
  into awardCriteria.description (UK extension).
- an opportunity without lots but with award criteria or social value asks is published as one lot "1" covering
  the whole contract, the convention the lots extension and OCDS for eForms use for a procedure not divided
  into lots; we add nothing else to that lot.
- conditions of participation: tender.selectionCriteria (economic: turnover and insurance; suitability or
  technical: accreditations); consortia and sharing conditions in its description.
- payment, e-invoicing and TUPE: tender.contractTerms; subcontracting: tender.subcontractingTerms;
  reserved contracts: tender.otherRequirements.reservedParticipation; why not split into lots:
  tender.lotDetails.noLotsDivisionRationale (UK extension).
Nothing is emitted for a fact the buyer has not given, and no object is emitted empty (the schema asks for at
least one property in each).
"""

from portal.bidding.facts import BidFacts, Lot, total_value
from portal.bidding.social_value import OUTCOMES_BY_SLUG, THEME_NAMES
from portal.bidding.vocabulary import (
    ACCREDITATIONS,
    INSURANCE_LABELS,
    PAYMENT_FREQUENCY_LABELS,
    RESERVED_OCDS_CODES,
    TUPE_LABELS,
    CriterionType,
)
from portal.presenters import money

DAYS_IN_A_MONTH = 365.25 / 12
# Registrations that show a supplier may lawfully do the work (OCDS "suitability"); other accreditations show
# ability ("technical").
REGISTRATIONS = frozenset({"cqc", "ofsted", "waste-carrier", "trustmark"})


def whole_range(value_min: int | None, value_max: int | None, basis: str, months: int | None
                ) -> tuple[int | None, int | None] | None:
    """The whole contract's value range; None when it is a yearly value over an unknown length."""
    if basis != "per-year":
        return value_min, value_max
    return total_value(value_min, value_max, basis, months)


def value_fields(value_min: int | None, value_max: int | None, low_key: str = "minValue") -> dict:
    """OCDS `value` is the highest estimate; `low_key` (minValue on a tender, minimumValue on a lot) the lowest."""
    if value_min is None and value_max is None:
        return {}
    if value_min is not None and value_max is not None and value_min < value_max:
        return {low_key: gbp(value_min), "value": gbp(value_max)}
    return {"value": gbp(value_max if value_max is not None else value_min)}


def gbp(pounds: int) -> dict:
    return {"amount": pounds, "currency": "GBP"}


def duration(months: int | None) -> dict:
    if not months:
        return {}
    return {"contractPeriod": {"durationInDays": round(months * DAYS_IN_A_MONTH), "durationInMonths": months}}


def tender_fields(facts: BidFacts, opportunity) -> dict:
    """The tender fields for these facts, to merge into the release's tender."""
    fields = {}
    lots = _lots(facts, opportunity)
    if lots:
        fields["lots"] = lots
    lot_details = {}
    if facts.max_lots_per_bidder:
        lot_details["maximumLotsBidPerSupplier"] = facts.max_lots_per_bidder
    if facts.terms.not_split_reason:
        lot_details["noLotsDivisionRationale"] = facts.terms.not_split_reason
    if lot_details:
        fields["lotDetails"] = lot_details
    for key, value in (("selectionCriteria", _selection_criteria(facts)), ("contractTerms", _contract_terms(facts)),
                       ("subcontractingTerms", _subcontracting_terms(facts))):
        if value:
            fields[key] = value
    if facts.terms.reserved_for:
        fields["otherRequirements"] = {
            "reservedParticipation": list(dict.fromkeys(RESERVED_OCDS_CODES[r] for r in facts.terms.reserved_for))}
    return fields


def _lots(facts: BidFacts, opportunity) -> list[dict]:
    award_criteria = _award_criteria(facts)

    def shared() -> dict:  # each lot its own copy, so that changing one lot never changes another
        return ({"suitability": {"sme": opportunity.suitable_for_sme, "vcse": opportunity.suitable_for_vcse}}
                | ({"awardCriteria": _award_criteria(facts)} if award_criteria else {}))
    if facts.lots:
        return [_lot(lot) | shared() for lot in facts.lots]
    if not award_criteria:
        return []
    whole = whole_range(opportunity.value_min, opportunity.value_max, opportunity.value_basis,
                        opportunity.contract_length_months)
    return [{"id": "1", "title": opportunity.title, **value_fields(*(whole or (None, None)), low_key="minimumValue"),
             **duration(opportunity.contract_length_months)} | shared()]


def _lot(lot: Lot) -> dict:
    built = {"id": str(lot.number), "title": lot.title}
    if lot.description:
        built["description"] = lot.description
    whole = whole_range(lot.value_min, lot.value_max, lot.value_basis, lot.contract_length_months)
    return built | value_fields(*(whole or (None, None)), low_key="minimumValue") | duration(lot.contract_length_months)


def _award_criteria(facts: BidFacts) -> dict:
    asks = _asks_in_words(facts)
    criteria = []
    for criterion in facts.criteria:
        social = criterion.type == CriterionType.SOCIAL_VALUE
        description = " ".join(part for part in (criterion.description, asks if social else "") if part)
        criteria.append({
            "type": "price" if criterion.type == CriterionType.PRICE else "quality",
            "name": criterion.name if not social or "social value" in criterion.name.casefold()
            else f"Social value: {criterion.name}",
            **({"description": description} if description else {}),
            "numbers": [{"number": criterion.weight, "weight": "percentageExact"}],
        })
    award_criteria = {"criteria": criteria} if criteria else {}
    if asks and not any(c.type == CriterionType.SOCIAL_VALUE for c in facts.criteria):
        award_criteria["description"] = asks
    return award_criteria


def _asks_in_words(facts: BidFacts) -> str:
    """'The buyer's social value asks: Make supply chains stronger, ... (Tackling economic inequality): <wish>.'"""
    if not facts.social_value:
        return ""
    asks = []
    for ask in facts.social_value:
        outcome = OUTCOMES_BY_SLUG[ask.outcome]
        asks.append(f"{outcome.name} ({THEME_NAMES[outcome.theme]}): {ask.wish.rstrip('.')}.")
    return "Social value the buyer asks for: " + " ".join(asks)


def _selection_criteria(facts: BidFacts) -> dict:
    conditions = facts.conditions
    criteria = []
    if conditions.min_turnover:
        criteria.append({"type": "economic", "subType": "turnover",
                         "description": f"A yearly turnover of at least {money(conditions.min_turnover)}.",
                         "minimum": money(conditions.min_turnover)})
    for insurance in conditions.insurance:
        criteria.append({"type": "economic", "subType": f"insurance: {insurance.kind}",
                         "description": f"{INSURANCE_LABELS[insurance.kind]} of at least {money(insurance.amount)}.",
                         "minimum": money(insurance.amount)})
    for slug in conditions.accreditations:
        label, meaning = ACCREDITATIONS[slug]
        criteria.append({"type": "suitability" if slug in REGISTRATIONS else "technical", "subType": slug,
                         "description": f"{label}: {meaning}."})
    if conditions.other_accreditations:
        criteria.append({"type": "technical", "description": conditions.other_accreditations})
    notes = []
    if conditions.consortia_welcome is not None:
        notes.append("Organisations may bid together as a group." if conditions.consortia_welcome
                     else "Organisations may not bid together as a group.")
    if conditions.may_combine is not None:
        notes.append("A group, or a supplier with subcontractors, may meet these conditions together."
                     if conditions.may_combine else "Each supplier must meet these conditions on its own.")
    selection = {"criteria": criteria} if criteria else {}
    if notes:
        selection["description"] = " ".join(notes)
    return selection


def _contract_terms(facts: BidFacts) -> dict:
    terms = facts.terms
    contract_terms = {}
    if terms.e_invoicing is not None:
        contract_terms["electronicInvoicingPolicy"] = "allowed" if terms.e_invoicing else "notAllowed"
    payment = payment_in_words(terms.payment_days, terms.payment_frequency)
    if payment:
        contract_terms["financialTerms"] = payment
    if terms.tupe:
        contract_terms["socialStandards"] = f"TUPE: {TUPE_LABELS[terms.tupe]}."
    return contract_terms


def payment_in_words(days: int | None, frequency: str | None) -> str:
    """'Paid within 30 days, every month.'; empty when neither is known."""
    parts = []
    if days is not None:
        parts.append(f"within {days} day{'s' if days != 1 else ''}")
    if frequency:
        parts.append(PAYMENT_FREQUENCY_LABELS[frequency])
    return f"Paid {', '.join(parts)}." if parts else ""


def subcontracting_in_words(allowed: bool | None, share: int | None) -> str:
    sentences = []
    if allowed is not None:
        sentences.append("Subcontracting is allowed." if allowed else "Subcontracting is not allowed.")
    if share:
        sentences.append(f"The buyer wants at least {share}% of the contract's value to go to small and "
                         "medium-sized firms or VCSEs.")
    return " ".join(sentences)


def _subcontracting_terms(facts: BidFacts) -> dict:
    words = subcontracting_in_words(facts.terms.subcontracting_allowed, facts.terms.small_firm_share)
    return {"description": words} if words else {}
