"""The search page: results loaded from the database in rank order, with snippets and filter choices."""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from portal import reference
from portal.bidding.social_value import THEMES
from portal.search import SearchIndex
from portal.opendata.publishers import PUBLISHERS
from portal.models import Mission, Opportunity, OpportunityKind, Organisation, OrganisationKind, Source, Stage
from portal.places import authorities
from portal.presenters import KIND_PLURALS, STAGE_LABELS, money
from portal.search.documents import VALUE_BANDS
from portal.search.query import (
    BID_FILTER_NAMES,
    CLOSING_WINDOWS,
    LOT_VALUE_LIMITS,
    NO_MINIMUM,
    PROMPT_PAYMENT_DAYS,
    TICK_FILTERS,
    TURNOVER_LIMITS,
    SearchQuery,
)
from portal.services.missions import mission_choices
from portal.services.opportunities import published_in_order
from portal.services import shared_figures
from portal.services.pagination import Page, PageOutOfRange
from portal.services.search_text import stored_plain_text


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
class Tick:
    """A filter that is a checkbox: on or off."""
    name: str
    label: str
    tag: str  # what the filter is called among the chosen filters
    count: int
    checked: bool


@dataclass(frozen=True)
class Hit:
    opportunity: Opportunity
    snippet: object  # Markup or None


@dataclass(frozen=True)
class SearchPage:
    query: SearchQuery
    page: Page[Hit]
    groups: list[FilterGroup]  # the select filters, but for "can we bid?"
    bid_groups: list[FilterGroup]  # the "can we bid?" select filters
    ticks: dict[str, Tick]  # every checkbox filter, by name
    chosen: list[tuple[str, str]]  # (name, what it is called) of each filter in use, to remove it
    suggestion: str | None
    include_closed: Tick  # "Include closed and awarded", counting what ticking it adds (or added)
    # This page's results matching every word typed (or their synonyms), then those matching only some. With a
    # search of one word, or not sorted by relevance, all results are in the first list and the second is None.
    matching_all: list[Hit]
    matching_some: list[Hit] | None
    places: list[Option]  # council areas named in the words typed, to filter by
    bid_filter_names = BID_FILTER_NAMES

    @property
    def bid_filters_chosen(self) -> bool:
        return any(getattr(self.query, name) for name in BID_FILTER_NAMES)


SOURCE_CHOICES = {Source.PORTAL: "This portal"} | {
    publisher.source: publisher.label for publisher in PUBLISHERS} | {Source.OTHER: "Other publishers"}


def filter_choices(session: Session) -> dict[str, dict[str, str]]:
    """Every value each select filter accepts, with its label (the same dict for every search: do not change it)."""
    return shared_figures.kept(session, "filter choices", lambda: _read_choices(session))


def _read_choices(session: Session) -> dict[str, dict[str, str]]:
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
        "area": {authority.code: authority.name for authority in sorted(authorities.authorities().values(),
                                                                         key=lambda a: a.name.lower())},
        "cpv": reference.cpv_divisions(),
        "value": dict(VALUE_BANDS),
        "closing": {str(days): f"Within {days} days" for days in CLOSING_WINDOWS},
        "source": {source.value: SOURCE_CHOICES[source] for source in Source},
        "lot_value": {str(limit): f"Up to {money(limit)}" for limit in LOT_VALUE_LIMITS},
        "min_turnover": {NO_MINIMUM: "No minimum turnover"} | {str(limit): f"Up to {money(limit)}"
                                                               for limit in TURNOVER_LIMITS},
        "social_value": {theme.slug: theme.name for theme in THEMES},
    }


GROUP_LABELS = {
    "kind": "Kind of opportunity", "stage": "Stage", "mission": "Mission", "buyer": "Buyer",
    "region": "Where the work is", "area": "Council area", "cpv": "Type of work", "value": "Value", "closing": "Engagement closes",
    "source": "Published on", "lot_value": "Contract or lot worth", "min_turnover": "Minimum turnover asked for",
    "social_value": "Social value theme",
}
# Each checkbox's label, and what it is called among the chosen filters.
TICK_LABELS = {
    "sme": ("Small firms", "Suitable for small firms"),
    "vcse": ("Charities and social enterprises", "Suitable for charities and social enterprises"),
    "consortia": ("welcome groups of organisations bidding together", "Groups may bid together"),
    "reserved_vcse": ("are reserved for charities and social enterprises (some for small firms too)",
                      "Reserved for charities and social enterprises"),
    "pays_within_30": (f"pay invoices within {PROMPT_PAYMENT_DAYS} days",
                       f"Pays invoices within {PROMPT_PAYMENT_DAYS} days"),
}
SHOW_ONLY_WITH_RESULTS = {"cpv", "area"}


def run_search(session: Session, index: SearchIndex, query: SearchQuery, today: date, choices: dict) -> SearchPage:
    """`choices` comes from filter_choices(). Raises PageOutOfRange for a page past the last one."""
    result = index.search(query, today)
    if query.page > result.last_page:
        raise PageOutOfRange(result.last_page)
    hits = [
        Hit(row, result.snippets[row.id] if row.id in result.snippets
            else index.snippet(stored_plain_text(row), result))
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
    ticks = {name: Tick(name, *TICK_LABELS[name], result.counts[name].get(True, 0), getattr(query, name))
             for name in TICK_FILTERS}
    include_closed = Tick("closed", "Include closed and awarded", "Including closed and awarded",
                          result.counts["open"].get(False, 0), query.closed)
    matching_all, matching_some = hits, None
    if result.all_words is not None:
        split = min(max(result.all_words - (query.page - 1) * query.size, 0), len(hits))
        matching_all, matching_some = hits[:split], hits[split:]
    chosen = []
    for name in query.active_filters():
        if name in ticks:
            chosen.append((name, ticks[name].tag))
        else:
            label = choices[name].get(str(getattr(query, name)), "")
            chosen.append((name, f"{GROUP_LABELS[name]}: {label}"))
    if query.closed:
        chosen.append(("closed", include_closed.tag))
    return SearchPage(
        query=query,
        page=Page(items=hits, number=query.page, size=query.size, total=result.total),
        groups=[group for group in groups if group.name not in BID_FILTER_NAMES],
        bid_groups=[group for group in groups if group.name in BID_FILTER_NAMES],
        ticks=ticks,
        chosen=chosen,
        suggestion=result.suggestion,
        include_closed=include_closed,
        matching_all=matching_all,
        matching_some=matching_some,
        places=places_named(query, result.counts["area"]),
    )


def places_named(query: SearchQuery, area_counts) -> list[Option]:
    """Council areas the words typed name ("home care in Kent"), with how many results are in each, to offer as the
    council area filter; none once that filter is chosen."""
    if query.area:
        return []
    return [Option(authority.code, authority.name, count, False) for authority in authorities.mentioned_in(query.text)
            if (count := area_counts.get(authority.code, 0))]
