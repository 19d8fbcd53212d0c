"""Turning an opportunity into an index document, and the facet values search filters on."""

from dataclasses import asdict, dataclass

from portal import reference
from portal.bidding.facts import BidFacts, facts_of, total_value
from portal.bidding.social_value import theme_of
from portal.bidding.vocabulary import OPEN_TO_VCSES
from portal.models import Opportunity, Stage
from portal.places import authorities
from portal.places.authorities import covered_by
from portal.search.snippets import searchable_text
from portal.services.engagement_window import deadline

VALUE_BANDS = {
    "under-100k": "Under £100,000",
    "100k-1m": "£100,000 to £1 million",
    "1m-10m": "£1 million to £10 million",
    "over-10m": "Over £10 million",
    "not-stated": "Value not stated",
}


def value_band(value_min: int | None, value_max: int | None) -> str:
    top = value_max if value_max is not None else value_min
    if top is None:
        return "not-stated"
    if top < 100_000:
        return "under-100k"
    if top < 1_000_000:
        return "100k-1m"
    return "1m-10m" if top < 10_000_000 else "over-10m"


@dataclass(frozen=True)
class Facets:
    """What one document contributes to filters, counts and sorting."""
    kind: str
    stage: str
    buyer: str
    missions: tuple[str, ...]
    regions: tuple[str, ...]
    areas: tuple[str, ...]  # council areas, with the counties and combined authorities they belong to or cover
    cpv_division: str
    value_band: str
    value: int | None
    sme: bool
    vcse: bool
    published: int  # date ordinal
    closes: int | None  # date ordinal of the last day of engagement, while it may still be open
    source: str  # where it was published: see models.Source
    # "Can we bid?" (see bidding.facts):
    lot_value: int | None  # the smallest highest value of a lot or of the whole contract, in total
    min_turnover: int | None  # the minimum turnover asked for, if any
    social_value_themes: tuple[str, ...]  # themes of the social value asks
    consortia: bool  # organisations may bid together
    reserved_vcse: bool  # reserved for VCSEs, alone or with small firms
    payment_days: int | None  # the buyer pays invoices within this many days
    open: bool  # open for engagement, planned or open for bids: not awarded, cancelled or closed early


def highest_total(value_min: int | None, value_max: int | None, basis: str, months: int | None) -> int | None:
    """The most a contract (or a lot) is worth over its whole length, as far as is known: a per-year value counts as
    the whole contract's total where the length is known, and as it is where it is not."""
    low, high = total_value(value_min, value_max, basis, months) or (value_min, value_max)
    return high if high is not None else low


def smallest_lot_value(opportunity: Opportunity, facts: BidFacts) -> int | None:
    """What the smallest part a supplier can bid for is worth at most: the lowest of the lots' highest values, or,
    with no lots (or none giving a value), the whole contract's highest value."""
    lots = [highest_total(lot.value_min, lot.value_max, lot.value_basis,
                          lot.contract_length_months or opportunity.contract_length_months)
            for lot in facts.lots]
    stated = [top for top in lots if top is not None]
    if stated:
        return min(stated)
    return highest_total(opportunity.value_min, opportunity.value_max, opportunity.value_basis,
                         opportunity.contract_length_months)


def facets_for(opportunity: Opportunity) -> Facets:
    facts = facts_of(opportunity)
    if opportunity.value_currency not in (None, "", "GBP"):
        # An imported notice valued in another currency fits no band in pounds; we never convert it.
        return _facets(opportunity, facts, pounds=False)
    return _facets(opportunity, facts, pounds=True)


def _facets(opportunity: Opportunity, facts: BidFacts, pounds: bool) -> Facets:
    value = opportunity.value_max if opportunity.value_max is not None else opportunity.value_min
    return Facets(
        kind=opportunity.kind,
        stage=opportunity.stage,
        buyer=opportunity.buyer.slug,
        missions=tuple(sorted(m.slug for m in opportunity.missions)),
        regions=tuple(opportunity.region_codes),
        areas=tuple(sorted(covered_by(opportunity.area_codes or []))),
        cpv_division=opportunity.cpv_code[:2],
        value_band=value_band(opportunity.value_min, opportunity.value_max) if pounds else "other-currency",
        value=value if pounds else None,
        sme=opportunity.suitable_for_sme,
        vcse=opportunity.suitable_for_vcse,
        published=opportunity.published_on.toordinal() if opportunity.published_on else 0,
        closes=closing.toordinal() if (closing := deadline(opportunity)) else None,
        source=opportunity.source or "portal",
        lot_value=smallest_lot_value(opportunity, facts) if pounds else None,
        min_turnover=facts.conditions.min_turnover,
        social_value_themes=tuple(sorted({theme for ask in facts.social_value if (theme := theme_of(ask.outcome))})),
        consortia=facts.conditions.consortia_welcome is True,
        reserved_vcse=bool(OPEN_TO_VCSES.intersection(facts.terms.reserved_for)),
        payment_days=facts.terms.payment_days,
        open=is_still_open(opportunity),
    )


def is_still_open(opportunity: Opportunity) -> bool:
    """What search shows by default: planned, open for engagement or open for bids, and not closed early."""
    if opportunity.stage in (Stage.AWARDED, Stage.CANCELLED):
        return False
    return opportunity.stage == Stage.TENDER or opportunity.engagement_closed_at is None


def document_for(opportunity: Opportunity) -> dict:
    """The index document. The opportunity's buyer, missions and regions must be loaded."""
    cpv = reference.cpv(opportunity.cpv_code)
    keywords = [
        opportunity.buyer.name,
        *(f"{m.short_title} {m.title}" for m in opportunity.missions),
        *(o.title for o in opportunity.outcomes),
        *(reference.region_name(code) for code in opportunity.region_codes),
        *(authorities.name_of(code) for code in opportunity.area_codes or []),
        cpv.label if cpv else "",
    ]
    return {
        "id": str(opportunity.id),
        "title": opportunity.title,
        "summary": opportunity.summary,
        "keywords": " ".join(keywords),
        "why": opportunity.why_md,
        "body": opportunity.body_md,
        "facets": asdict(facets_for(opportunity)),
        "plain": searchable_text(opportunity.summary, opportunity.body_md),
    }
