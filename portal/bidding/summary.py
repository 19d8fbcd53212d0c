"""The "Can we bid?" facts of one opportunity, in the words and the order its page shows them. Facts the buyer has
not given are gathered into one plain line rather than shown as blanks."""

from dataclasses import dataclass, field

from portal import reference
from portal.bidding.facts import BidFacts
from portal.bidding.matching import and_list
from portal.bidding.social_value import OUTCOMES_BY_SLUG, THEME_NAMES
from portal.bidding.vocabulary import (
    ACCREDITATIONS,
    CRITERION_TYPE_LABELS,
    INSURANCE_LABELS,
    PAYMENT_FREQUENCY_LABELS,
    RESERVED_LABELS,
    TUPE_LABELS,
)
from portal.presenters import contract_length, lower_first, money, opportunity_value, value_range


@dataclass(frozen=True)
class LotView:
    number: int
    title: str
    description: str
    value: str
    length: str
    where: str


@dataclass(frozen=True)
class Row:
    key: str
    lines: tuple[str, ...] = ()
    lots: tuple[LotView, ...] = ()


@dataclass(frozen=True)
class CriterionView:
    name: str
    type: str
    weight: int
    description: str


@dataclass(frozen=True)
class AskView:
    outcome: str
    theme: str
    wish: str


@dataclass
class CanWeBid:
    rows: list[Row]
    criteria: list[CriterionView] = field(default_factory=list)
    asks: list[AskView] = field(default_factory=list)
    not_said: list[str] = field(default_factory=list)  # what the buyer has not given yet, in words
    empty: bool = False

    @property
    def not_said_sentence(self) -> str:
        return f"The buyer has not said yet {and_list(self.not_said)}." if self.not_said else ""


def _regions(codes) -> str:
    return ", ".join(reference.regions()[code].name for code in codes if code in reference.regions())


def _yes_no(value: bool | None, yes: str, no: str) -> tuple[str, ...]:
    return () if value is None else ((yes if value else no),)


def can_we_bid(opportunity, facts: BidFacts) -> CanWeBid:
    conditions, terms = facts.conditions, facts.terms
    rows = [Row("Value", (opportunity_value(opportunity),))]
    not_said = []

    def add(key: str, lines, missing: str) -> None:
        if lines:
            rows.append(Row(key, tuple(lines)))
        else:
            not_said.append(missing)

    if facts.lots:
        rows.append(Row(f"Lots ({len(facts.lots)})", lots=tuple(
            LotView(lot.number, lot.title, lot.description,
                    value_range(lot.value_min, lot.value_max, lot.value_basis, lot.contract_length_months),
                    contract_length(lot.contract_length_months), _regions(lot.regions))
            for lot in sorted(facts.lots, key=lambda lot: lot.number))))
        if facts.max_lots_per_bidder:
            rows.append(Row("How many lots you may bid for",
                            (f"Up to {facts.max_lots_per_bidder} of the {len(facts.lots)} lots",)))
    turnover = {None: [], 0: ["None: the buyer asks for no minimum turnover"]}.get(
        conditions.min_turnover, [f"At least {money(conditions.min_turnover or 0)}"])
    add("Minimum yearly turnover", turnover, "the turnover bidders need")
    add("Insurance", [f"{INSURANCE_LABELS[i.kind]}: {money(i.amount)}" for i in conditions.insurance],
        "the insurance bidders need")
    accreditations = [ACCREDITATIONS[slug][0] for slug in conditions.accreditations]
    if conditions.other_accreditations:
        accreditations.append(f"Also, in the buyer's words: {conditions.other_accreditations}")
    add("Registrations and certificates", accreditations, "the registrations or certificates bidders need")
    add("Bidding as a group", [
        *_yes_no(conditions.consortia_welcome, "Organisations may bid together as a group (a consortium).",
                 "Organisations may not bid together as a group."),
        *_yes_no(conditions.may_combine, "A group, or a supplier with its subcontractors, may meet the conditions "
                 "together.", "Each bidder must meet the conditions on its own.")], "whether groups may bid")
    payment = []
    if terms.payment_days is not None:
        payment.append(f"Paid within {terms.payment_days} days of a correct invoice")
    if terms.payment_frequency:
        payment.append(f"Paid {PAYMENT_FREQUENCY_LABELS[terms.payment_frequency]}")
    add("Payment", payment, "when suppliers are paid")
    add("Sending invoices electronically", _yes_no(terms.e_invoicing, "Yes: you can send invoices electronically.",
                                                  "No: the buyer will tell you how to send invoices."),
        "whether invoices can be sent electronically")
    add("Staff moving to the new supplier (TUPE)", (TUPE_LABELS[terms.tupe],) if terms.tupe else (),
        "whether staff will move to the new supplier (TUPE)")
    subcontracting = list(_yes_no(terms.subcontracting_allowed, "Allowed", "Not allowed"))
    if terms.small_firm_share:
        subcontracting.append(f"The buyer wants {terms.small_firm_share}% of the contract's value to go to small "
                              "firms and VCSEs.")
    add("Subcontracting", subcontracting, "whether subcontracting is allowed")
    if terms.reserved_for:
        rows.append(Row("Reserved for", tuple(f"Only {lower_first(RESERVED_LABELS[r])}" for r in terms.reserved_for)))
    split = []
    if terms.split_for_small_suppliers is True:
        split.append("Yes: the work is split so that small suppliers can bid.")
    elif terms.split_for_small_suppliers is False:
        split.append("No." + (f" The buyer's reason: {terms.not_split_reason}" if terms.not_split_reason else ""))
    add("Split to suit small suppliers", split, "whether the work is split to suit small suppliers")

    criteria = [CriterionView(c.name, CRITERION_TYPE_LABELS[c.type], c.weight, c.description) for c in facts.criteria]
    if not criteria:
        not_said.append("how bids will be judged")
    asks = [AskView(OUTCOMES_BY_SLUG[a.outcome].name, THEME_NAMES[OUTCOMES_BY_SLUG[a.outcome].theme], a.wish)
            for a in facts.social_value]
    if not asks:
        not_said.append("what social value it asks for")
    return CanWeBid(rows, criteria, asks, not_said, empty=facts.is_empty())
