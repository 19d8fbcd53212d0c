"""How a supplier's organisation fits an opportunity's "can we bid?" facts: one result for each condition, in the
order the page shows them. It informs and never blocks: a condition a supplier does not meet comes with ways round
it (bidding as a group, working as a subcontractor) where the buyer's facts allow them."""

from dataclasses import dataclass, field
from enum import StrEnum

from portal import reference
from portal.bidding.facts import BidFacts
from portal.bidding.vocabulary import (
    ACCREDITATIONS,
    INSURANCE_LABELS,
    RESERVED_LABELS,
    TURNOVER_BOUNDS,
    TURNOVER_LABELS,
    Reserved,
)
from portal.models import LegalForm, is_sme, is_vcse
from portal.presenters import lower_first, money


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not-met"
    UNKNOWN = "unknown"


# Said in words beside each result, so no one relies on colour.
STATUS_LABELS = {"met": "You meet this", "not-met": "You do not meet this yet", "unknown": "Not known yet"}


class Link(StrEnum):
    """Where a piece of advice points; the page turns each into a link."""
    PROFILE = "profile"
    BIDDING_TOGETHER = "bidding-together"


LINK_TEXT = {"profile": "Update your organisation's profile", "bidding-together": "Read our guide to bidding together"}


@dataclass(frozen=True)
class Advice:
    text: str
    link: Link | None = None

    @property
    def link_text(self) -> str:
        return LINK_TEXT[self.link] if self.link else ""


@dataclass(frozen=True)
class Result:
    condition: str  # a short name: "Where the work is", "Turnover", ...
    status: Status
    sentence: str
    advice: tuple[Advice, ...] = field(default=())

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


ADD_TO_PROFILE = Advice("Add it to your profile to see whether you match.", Link.PROFILE)
READ_GUIDE = Advice("Small organisations often win work by teaming up with others.", Link.BIDDING_TOGETHER)


def how_you_match(facts: BidFacts, opportunity, organisation) -> list[Result]:
    """Results for every condition the buyer has given, in the page's order. `opportunity` needs region_codes,
    suitable_for_sme and suitable_for_vcse; `organisation` is the supplier's Organisation."""
    results = [
        where(facts, list(opportunity.region_codes), organisation),
        reserved(facts, organisation),
        suitability(opportunity, organisation),
        turnover(facts, organisation),
        *insurance(facts, organisation),
        *accreditations(facts, organisation),
        other_accreditations(facts),
    ]
    results = [result for result in results if result is not None]
    consortium_result = consortium(facts, organisation, results)
    return results + ([consortium_result] if consortium_result else [])


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return "".join(items) if len(items) <= 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _region_names(codes) -> str:
    return and_list([reference.regions()[code].name for code in codes if code in reference.regions()])


def where(facts: BidFacts, opportunity_regions: list[str], organisation) -> Result | None:
    """Lots with their own regions are compared one by one; otherwise the opportunity's regions."""
    served = set(organisation.regions_served or [])
    lots = [lot for lot in facts.lots if lot.regions]
    wanted = sorted({code for lot in lots for code in lot.regions} or set(opportunity_regions))
    if not wanted:
        return None
    condition = "Where the work is"
    if not served:
        return Result(condition, Status.UNKNOWN, f"The work is in {_region_names(wanted)}. You have not told us where "
                      "you work.", (ADD_TO_PROFILE,))
    if served & set(wanted):
        if lots:
            fitting = [f"lot {lot.number}" for lot in lots if served & set(lot.regions)]
            if len(fitting) < len(lots):
                return Result(condition, Status.MET, f"You work in {_region_names(sorted(served & set(wanted)))}, "
                              f"where {and_list(fitting)} {'is' if len(fitting) == 1 else 'are'} to be done.")
        return Result(condition, Status.MET, f"The work is in {_region_names(wanted)}, and you told us you work in "
                      f"{_region_names(sorted(served & set(wanted)))}.")
    return Result(condition, Status.NOT_MET, f"The work is in {_region_names(wanted)}. You told us you work in "
                  f"{_region_names(sorted(served))}.",
                  (Advice("You can still bid if you can deliver the work there, or team up with an organisation "
                          "that works there.", Link.BIDDING_TOGETHER),))


def _qualifies(reservation: Reserved, organisation) -> Status:
    size, legal_form = organisation.size, organisation.legal_form
    if reservation == Reserved.VCSE:
        return Status.UNKNOWN if legal_form is None else Status.MET if is_vcse(legal_form) else Status.NOT_MET
    if reservation == Reserved.SME_OR_VCSE:
        if is_sme(size) or is_vcse(legal_form):
            return Status.MET
        return Status.UNKNOWN if size is None or legal_form is None else Status.NOT_MET
    if reservation == Reserved.PUBLIC_SERVICE_MUTUAL and legal_form == LegalForm.MUTUAL:
        return Status.MET
    # Whether a quarter of staff are disabled or disadvantaged, or a mutual serves the public, is not on a profile.
    return Status.UNKNOWN


def reserved(facts: BidFacts, organisation) -> Result | None:
    reservations = facts.terms.reserved_for
    if not reservations:
        return None
    condition = "Who may bid"
    names = and_list([lower_first(RESERVED_LABELS[r]) for r in reservations])
    statuses = {r: _qualifies(r, organisation) for r in reservations}
    if Status.MET in statuses.values():
        met = next(r for r, s in statuses.items() if s == Status.MET)
        return Result(condition, Status.MET, f"Only {names} may bid. From your profile, you count as: "
                      f"{RESERVED_LABELS[met]}.")
    if Status.UNKNOWN in statuses.values():
        missing = organisation.size is None or organisation.legal_form is None
        advice = (ADD_TO_PROFILE,) if missing else (
            Advice("Check the rules in the buyer's documents. If you qualify, you can bid."),)
        return Result(condition, Status.UNKNOWN, f"Only {names} may bid. We cannot tell from your profile whether "
                      "you count.", advice)
    advice = []
    if facts.terms.subcontracting_allowed:
        advice.append(Advice("You cannot lead a bid, but the winner may subcontract work to you: the buyer allows "
                             "subcontracting."))
    advice.append(Advice("You could support an organisation that can bid, for example as its partner or "
                         "subcontractor.", Link.BIDDING_TOGETHER))
    return Result(condition, Status.NOT_MET, f"Only {names} may bid. From your profile, you do not count as any "
                  "of these.", tuple(advice))


def suitability(opportunity, organisation) -> Result | None:
    """The buyer's own flags: a plus when they fit, never a condition."""
    if opportunity.suitable_for_vcse and is_vcse(organisation.legal_form):
        return Result("Suitable for", Status.MET, "The buyer says this suits voluntary, community and social "
                      "enterprise organisations (VCSEs), and you are one.")
    if opportunity.suitable_for_sme and is_sme(organisation.size):
        return Result("Suitable for", Status.MET, "The buyer says this suits small and medium-sized organisations "
                      "(SMEs), and you are one.")
    return None


def _ways_round(facts: BidFacts, organisation) -> list[Advice]:
    """Bidding as a group, or working for the winner, where the buyer's facts allow either."""
    conditions, terms = facts.conditions, facts.terms
    advice = []
    if conditions.consortia_welcome or conditions.may_combine:
        together = ("the buyer says a group may meet the conditions together" if conditions.may_combine
                    else "the buyer welcomes bids from groups of organisations")
        if organisation.joins_consortia is False:
            advice.append(Advice(f"You told us you would not bid as part of a group, but {together}. A group could "
                                 "meet this where you cannot alone."))
        else:
            advice.append(Advice(f"Bid together with other organisations: {together}."))
    if terms.subcontracting_allowed or terms.small_firm_share:
        share = (f", and wants {terms.small_firm_share}% of the value to go to small firms and VCSEs"
                 if terms.small_firm_share else "")
        advice.append(Advice(f"Offer to work for the winning supplier as a subcontractor: the buyer allows "
                             f"subcontracting{share}."))
    advice.append(READ_GUIDE)
    return advice


def turnover(facts: BidFacts, organisation) -> Result | None:
    needed = facts.conditions.min_turnover
    if not needed:
        return None
    condition = "Turnover"
    asks = f"This needs a yearly turnover of at least {money(needed)}."
    band = organisation.turnover_band
    if band not in TURNOVER_BOUNDS:
        return Result(condition, Status.UNKNOWN, f"{asks} You have not told us your turnover.", (ADD_TO_PROFILE,))
    low, high = TURNOVER_BOUNDS[band]
    told = f"You told us yours is {_band_words(band)}"
    if low >= needed:
        return Result(condition, Status.MET, f"{asks} {told}.")
    if high is not None and high < needed:
        return Result(condition, Status.NOT_MET, f"{asks} {told}.", tuple(_ways_round(facts, organisation)))
    return Result(condition, Status.UNKNOWN, f"{asks} {told}, so yours may or may not be enough: check your last "
                  "accounts.", tuple(_ways_round(facts, organisation)))


def _band_words(band: str) -> str:
    return lower_first(TURNOVER_LABELS[band])  # "under £100,000", "£2 million to £9,999,999"


def insurance(facts: BidFacts, organisation) -> list[Result]:
    held = {}
    for item in organisation.insurance or []:
        if isinstance(item, dict) and isinstance(item.get("amount"), int):
            held[item.get("kind")] = item["amount"]
    results = []
    for needed in facts.conditions.insurance:
        name = INSURANCE_LABELS[needed.kind]
        asks = f"This needs {money(needed.amount)} {lower_first(name)}"
        if needed.kind not in held:
            results.append(Result(name, Status.UNKNOWN, f"{asks}. You have not told us whether you hold it.",
                                  (ADD_TO_PROFILE,)))
        elif held[needed.kind] >= needed.amount:
            results.append(Result(name, Status.MET, f"{asks}; you told us you hold {money(held[needed.kind])}."))
        else:
            results.append(Result(name, Status.NOT_MET, f"{asks}; you told us you hold {money(held[needed.kind])}.", (
                Advice("You often need the higher cover only once you win the contract. Ask your insurer or broker "
                       "what it would cost."),
                *_ways_round(facts, organisation))))
    return results


def accreditations(facts: BidFacts, organisation) -> list[Result]:
    held = set(organisation.accreditations or [])
    results = []
    for slug in facts.conditions.accreditations:
        label, meaning = ACCREDITATIONS[slug]
        asks = f"This needs: {label} ({meaning})."
        if slug in held:
            results.append(Result(label, Status.MET, f"{asks} You told us you have it."))
        elif not held:  # no accreditations given: perhaps none, perhaps not told us yet
            results.append(Result(label, Status.UNKNOWN, f"{asks} You have not told us whether you have it.",
                                  (ADD_TO_PROFILE,)))
        else:
            results.append(Result(label, Status.NOT_MET, f"{asks} It is not among the ones you told us you have.",
                                  tuple(_ways_round(facts, organisation))))
    return results


def other_accreditations(facts: BidFacts) -> Result | None:
    other = facts.conditions.other_accreditations
    if not other:
        return None
    return Result("Other things the buyer asks for", Status.UNKNOWN,
                  f"The buyer also asks for this, in their words: {other}",
                  (Advice("Check whether you have it. We cannot tell from your profile."),))


def consortium(facts: BidFacts, organisation, results: list[Result]) -> Result | None:
    """Only where groups are welcome: whether the supplier would join one, and whether that matters here."""
    if not facts.conditions.consortia_welcome:
        return None
    condition = "Bidding as a group"
    welcome = "The buyer welcomes bids from groups of organisations (consortia)."
    if organisation.joins_consortia is True:
        return Result(condition, Status.MET, f"{welcome} You told us you would bid as part of one.")
    if organisation.joins_consortia is None:
        return Result(condition, Status.UNKNOWN, f"{welcome} You have not told us whether you would bid as part of "
                      "one.", (ADD_TO_PROFILE, READ_GUIDE))
    unmet = sum(1 for r in results if r.status == Status.NOT_MET)
    if not unmet:
        return None
    return Result(condition, Status.NOT_MET, f"{welcome} You told us you would not bid as part of one, so you "
                  f"would need to meet every condition alone, and there {'is' if unmet == 1 else 'are'} "
                  f"{unmet} you do not meet yet.", (READ_GUIDE,))
