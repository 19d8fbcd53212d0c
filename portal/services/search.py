"""The search page: results loaded from the database in rank order, with snippets and filter choices."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from portal import reference
from portal.search import SearchIndex
from portal.models import Opportunity, OpportunityKind, Organisation, OrganisationKind, Source, Stage
from portal.presenters import KIND_PLURALS, STAGE_LABELS
from portal.search.documents import VALUE_BANDS
from portal.search.query import CLOSING_WINDOWS, SearchQuery
from portal.services.missions import mission_choices
from portal.services.opportunities import published_in_order
from portal.services.pagination import Page, PageOutOfRange


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FilterGroup:
    name: str
    label: str
    options: list[Option]


@dataclass(frozen=True)
class Hit:
    opportunity: Opportunity
    snippet: object  # Markup or None


@dataclass(frozen=True)
class SearchPage:
    query: SearchQuery
    page: Page[Hit]
    groups: list[FilterGroup]
    sme_count: int
    vcse_count: int
    suggestion: str | None


SOURCE_CHOICES = {
    Source.PORTAL: "This portal", Source.CONTRACTS_FINDER: "Contracts Finder", Source.FIND_A_TENDER: "Find a Tender",
}


def filter_choices(session: Session) -> dict[str, dict[str, str]]:
    """Every value each select filter accepts, with its label."""
    missions = mission_choices(session)
    buyers = session.exec(
        select(Organisation.slug, Organisation.name).where(Organisation.kind == OrganisationKind.BUYER).order_by(Organisation.name)
    ).all()
    return {
        "kind": {kind.value: KIND_PLURALS[kind] for kind in OpportunityKind},
        "stage": {stage.value: STAGE_LABELS[stage] for stage in Stage},
        "mission": dict(missions),
        "buyer": dict(buyers),
        "region": {code: region.name for code, region in reference.regions().items()},
        "cpv": reference.cpv_divisions(),
        "value": dict(VALUE_BANDS),
        "closing": {str(days): f"Within {days} days" for days in CLOSING_WINDOWS},
        "source": {source.value: SOURCE_CHOICES[source] for source in Source},
    }


GROUP_LABELS = {
    "kind": "Kind of opportunity", "stage": "Stage", "mission": "Mission", "buyer": "Buyer",
    "region": "Where the work is", "cpv": "Type of work", "value": "Value", "closing": "Engagement closes",
    "source": "Published on",
}
SHOW_ONLY_WITH_RESULTS = {"cpv"}


def run_search(session: Session, index: SearchIndex, query: SearchQuery, today: date, choices: dict) -> SearchPage:
    """`choices` comes from filter_choices(). Raises PageOutOfRange for a page past the last one."""
    result = index.search(query, today)
    if query.page > result.last_page:
        raise PageOutOfRange(result.last_page)
    hits = [
        Hit(row, index.snippet(f"{row.summary}\n\n{row.body_md}", result))
        for row in published_in_order(session, result.ids)
    ]
    groups = []
    for name, values in choices.items():
        counts = result.counts[name]
        chosen = str(getattr(query, name) or "")
        options = [
            Option(value, label, counts.get(int(value) if name == "closing" else value, 0), value == chosen)
            for value, label in values.items()
            if name not in SHOW_ONLY_WITH_RESULTS or counts.get(value) or value == chosen
        ]
        groups.append(FilterGroup(name, GROUP_LABELS[name], options))
    return SearchPage(
        query=query,
        page=Page(items=hits, number=query.page, size=query.size, total=result.total),
        groups=groups,
        sme_count=result.counts["sme"].get(True, 0),
        vcse_count=result.counts["vcse"].get(True, 0),
        suggestion=result.suggestion,
    )
