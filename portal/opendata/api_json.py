"""How one opportunity looks in the JSON API. The OpenAPI description (openapi.py) documents these fields."""

from portal import reference
from portal.clock import as_utc
from portal.models import Opportunity
from portal.opendata import award_data, bid_data
from portal.opendata.market_dates import approach_to_market_date, financial_year_quarter
from portal.presenters import cpv_label, market_quarter


def opportunity_summary(opportunity: Opportunity, links: dict[str, str]) -> dict:
    """The fields shown in search results. Buyer, missions and regions must be loaded."""
    starts = approach_to_market_date(opportunity.market_year, opportunity.market_quarter)
    return {
        "slug": opportunity.slug,
        "ocid": opportunity.ocid,
        "kind": opportunity.kind,
        "title": opportunity.title,
        "summary": opportunity.summary,
        "buyer": {"slug": opportunity.buyer.slug, "name": opportunity.buyer.name},
        "missions": [{"slug": m.slug, "title": m.title, "short_title": m.short_title} for m in opportunity.missions],
        "regions": [{"code": code, "name": reference.region_name(code)} for code in opportunity.region_codes],
        "cpv": {"code": opportunity.cpv_code, "label": cpv_label(opportunity.cpv_code)},
        "value": {
            "min": opportunity.value_min,
            "max": opportunity.value_max,
            "stated": opportunity.value_min is not None or opportunity.value_max is not None,
            "basis": opportunity.value_basis,
            "total": _total(opportunity),
        },
        "published": opportunity.published_on.isoformat() if opportunity.published_on else None,
        "engagement_closes": opportunity.engagement_closes_on.isoformat() if opportunity.engagement_closes_on else None,
        "approach_to_market": {
            "financial_year_quarter": financial_year_quarter(opportunity.market_year, opportunity.market_quarter),
            "starts": starts.isoformat(),
            "label": market_quarter(opportunity.market_year, opportunity.market_quarter),
        } if starts else None,
        "stage": opportunity.stage,
        "suitable_for_sme": opportunity.suitable_for_sme,
        "suitable_for_vcse": opportunity.suitable_for_vcse,
        "contract_length_months": opportunity.contract_length_months,
        "source": opportunity.source,
        "source_url": opportunity.source_url,
        "updated": as_utc(opportunity.updated_at).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "links": links,
    }


def opportunity_detail(opportunity: Opportunity, links: dict[str, str], awards: list = ()) -> dict:
    """Everything public about one opportunity. Outcomes and phases must be loaded too; `awards` with suppliers, KPIs
    and results."""
    return opportunity_summary(opportunity, links) | {
        "why_markdown": opportunity.why_md,
        "brief_markdown": opportunity.body_md,
        "outcomes": [{"slug": o.slug, "title": o.title} for o in opportunity.outcomes],
        "can_we_bid": bid_data.api_facts(opportunity),
        "phases": [
            {"name": p.name, "starts": p.starts_on.isoformat(), "ends": p.ends_on.isoformat(), "funding": p.funding,
             "description": p.description}
            for p in opportunity.phases
        ],
        "awards": award_data.api_awards(list(awards)),
    }


def _total(opportunity: Opportunity) -> dict | None:
    """The whole contract's value; null when no value is stated, or a yearly value's length is not known."""
    total_min, total_max = bid_data.value_totals(opportunity)
    return None if total_min is None and total_max is None else {"min": total_min, "max": total_max}
