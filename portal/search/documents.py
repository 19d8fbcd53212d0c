"""Turning an opportunity into an index document, and the facet values search filters on."""

from dataclasses import asdict, dataclass

from portal import reference
from portal.models import Opportunity
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
    cpv_division: str
    value_band: str
    value: int | None
    sme: bool
    vcse: bool
    published: int  # date ordinal
    closes: int | None  # date ordinal of the last day of engagement, while it may still be open
    source: str  # where it was published: see models.Source


def facets_for(opportunity: Opportunity) -> Facets:
    return Facets(
        kind=opportunity.kind,
        stage=opportunity.stage,
        buyer=opportunity.buyer.slug,
        missions=tuple(sorted(m.slug for m in opportunity.missions)),
        regions=tuple(opportunity.region_codes),
        cpv_division=opportunity.cpv_code[:2],
        value_band=value_band(opportunity.value_min, opportunity.value_max),
        value=opportunity.value_max if opportunity.value_max is not None else opportunity.value_min,
        sme=opportunity.suitable_for_sme,
        vcse=opportunity.suitable_for_vcse,
        published=opportunity.published_on.toordinal() if opportunity.published_on else 0,
        closes=closing.toordinal() if (closing := deadline(opportunity)) else None,
        source=opportunity.source or "portal",
    )


def document_for(opportunity: Opportunity) -> dict:
    """The index document. The opportunity's buyer, missions and regions must be loaded."""
    cpv = reference.cpv(opportunity.cpv_code)
    keywords = [
        opportunity.buyer.name,
        *(f"{m.short_title} {m.title}" for m in opportunity.missions),
        *(o.title for o in opportunity.outcomes),
        *(reference.region_name(code) for code in opportunity.region_codes),
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
    }
