"""What a person searched for, already checked, and how each filter matches a document."""

from dataclasses import dataclass, fields

MAX_QUERY_LENGTH = 200
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
CLOSING_WINDOWS = (7, 30, 90)
SORTS = ("relevance", "closing", "newest", "value")
# "Can we bid?": lots (or whole contracts) worth up to each amount, and minimum turnovers asked for up to each.
LOT_VALUE_LIMITS = (25_000, 100_000, 500_000, 2_000_000)
TURNOVER_LIMITS = (100_000, 500_000, 2_000_000)
NO_MINIMUM = "none"
PROMPT_PAYMENT_DAYS = 30
BID_FILTER_NAMES = ("lot_value", "min_turnover", "social_value", "consortia", "reserved_vcse", "pays_within_30")
CHOSEN_FILTER_NAMES = ("kind", "stage", "mission", "buyer", "region", "area", "cpv", "value", "sme", "vcse", "closing",
                       "source", *BID_FILTER_NAMES)
# "open": still open for engagement, planned or open for bids. Applied unless closed and awarded ones are asked for
# (SearchQuery.closed) or a stage that is over is chosen; see SearchQuery.applied_filters.
FILTER_NAMES = (*CHOSEN_FILTER_NAMES, "open")
CLOSED_STAGES = ("awarded", "cancelled")
TICK_FILTERS = ("sme", "vcse", "consortia", "reserved_vcse", "pays_within_30")  # checkboxes: on or off


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    kind: str | None = None
    stage: str | None = None
    mission: str | None = None
    buyer: str | None = None
    region: str | None = None
    area: str | None = None  # a local authority's code (portal.places): work in its area, or in its county's
    cpv: str | None = None  # CPV division, two digits
    value: str | None = None  # a value band, see documents.VALUE_BANDS
    sme: bool = False
    vcse: bool = False
    closing: int | None = None  # days
    source: str | None = None  # where it was published, see models.Source
    lot_value: str | None = None  # pounds, one of LOT_VALUE_LIMITS: a lot (or the whole contract) worth up to this
    min_turnover: str | None = None  # NO_MINIMUM, or pounds (one of TURNOVER_LIMITS): the most it may ask for
    social_value: str | None = None  # a theme of the UK Social Value Model, see bidding.social_value
    consortia: bool = False  # organisations may bid together
    reserved_vcse: bool = False  # reserved for VCSEs (alone, or with small firms)
    pays_within_30: bool = False  # the buyer pays invoices within PROMPT_PAYMENT_DAYS
    closed: bool = False  # include closed, awarded and cancelled opportunities
    sort: str = "relevance"
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE

    def active_filters(self) -> dict:
        """The filters the person chose."""
        return {name: getattr(self, name) for name in CHOSEN_FILTER_NAMES if getattr(self, name)}

    def applied_filters(self) -> dict:
        """The filters a backend applies: those chosen, and only open opportunities unless others are asked for."""
        applied = self.active_filters()
        if not self.closed and self.stage not in CLOSED_STAGES:
            applied["open"] = True
        return applied

    def url_params(self, **changes) -> dict:
        """Query-string parameters that reproduce this search exactly (defaults left out)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)} | changes
        defaults = SearchQuery()
        params = {}
        for name, value in values.items():
            if value == getattr(defaults, name) or value in (None, "", False):
                continue
            key = {"text": "q"}.get(name, name)
            params[key] = "yes" if value is True else value
        return params


def is_open(facets: dict) -> bool:
    """Indexes built before "open" was a facet have none: their stage decides."""
    return facets.get("open", facets["stage"] not in CLOSED_STAGES)


def ignored_by(name: str) -> set[str]:
    """The filters a group's counts leave out: its own choice, and for stages whether they are open (so a stage
    that is over shows how many it would give)."""
    return {name, "open"} if name == "stage" else {name}


def counted_apart(applied: dict) -> list[str]:
    """The groups whose counts leave out one of the applied filters, so are counted apart from the results."""
    return [name for name in FILTER_NAMES if ignored_by(name) & applied.keys()]


def matches(name: str, wanted, facets: dict, today: int) -> bool:
    """Whether a document's facets pass one filter. Documents indexed before the "can we bid?" facets have none of
    their keys: they pass none of those filters until the index is rebuilt."""
    match name:
        case "mission":
            return wanted in facets["missions"]
        case "region":
            return wanted in facets["regions"]
        case "area":
            return wanted in facets.get("areas", ())  # indexes built before council areas have none
        case "cpv":
            return facets["cpv_division"] == wanted
        case "value":
            return facets["value_band"] == wanted
        case "sme" | "vcse":
            return facets[name] is True
        case "closing":
            closes = facets["closes"]
            return closes is not None and today <= closes <= today + wanted
        case "source":
            return facets.get("source", "portal") == wanted  # indexes built before imports have no source
        case "lot_value":
            smallest = facets.get("lot_value")
            return smallest is not None and smallest <= int(wanted)
        case "min_turnover":
            return wanted in _turnover_choices(facets)
        case "social_value":
            return wanted in facets.get("social_value_themes", ())
        case "consortia" | "reserved_vcse":
            return facets.get(name) is True
        case "open":
            return is_open(facets) is wanted
        case "pays_within_30":
            days = facets.get("payment_days")
            return days is not None and days <= PROMPT_PAYMENT_DAYS
        case _:
            return facets[name] == wanted


def values_for_counting(name: str, facets: dict, today: int) -> list:
    """The values of one filter group that a document would count towards."""
    match name:
        case "mission":
            return list(facets["missions"])
        case "region":
            return list(facets["regions"])
        case "area":
            return list(facets.get("areas", ()))
        case "cpv":
            return [facets["cpv_division"]]
        case "value":
            return [facets["value_band"]]
        case "sme" | "vcse":
            return [True] if facets[name] else []
        case "closing":
            closes = facets["closes"]
            if closes is None or closes < today:
                return []
            return [days for days in CLOSING_WINDOWS if closes <= today + days]
        case "source":
            return [facets.get("source", "portal")]
        case "lot_value":
            smallest = facets.get("lot_value")
            return [] if smallest is None else [str(limit) for limit in LOT_VALUE_LIMITS if smallest <= limit]
        case "min_turnover":
            return _turnover_choices(facets)
        case "social_value":
            return list(facets.get("social_value_themes", ()))
        case "consortia" | "reserved_vcse" | "pays_within_30":
            return [True] if matches(name, True, facets, today) else []
        case "open":
            return [is_open(facets)]
        case _:
            return [facets[name]]


def _turnover_choices(facets: dict) -> list[str]:
    """The minimum-turnover choices a document passes: an opportunity asking for none (0) passes every one; one
    whose buyer has not said (None), or indexed before turnover was a fact, passes none."""
    asked = facets.get("min_turnover")
    if asked is None:
        return []
    if asked == 0:
        return [NO_MINIMUM, *(str(limit) for limit in TURNOVER_LIMITS)]
    return [str(limit) for limit in TURNOVER_LIMITS if asked <= limit]
