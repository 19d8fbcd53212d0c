"""What a person searched for, already checked, and how each filter matches a document."""

from dataclasses import dataclass, fields

MAX_QUERY_LENGTH = 200
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
CLOSING_WINDOWS = (7, 30, 90)
SORTS = ("relevance", "closing", "newest", "value")
FILTER_NAMES = ("kind", "stage", "mission", "buyer", "region", "cpv", "value", "sme", "vcse", "closing", "source")


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    kind: str | None = None
    stage: str | None = None
    mission: str | None = None
    buyer: str | None = None
    region: str | None = None
    cpv: str | None = None  # CPV division, two digits
    value: str | None = None  # a value band, see documents.VALUE_BANDS
    sme: bool = False
    vcse: bool = False
    closing: int | None = None  # days
    source: str | None = None  # where it was published, see models.Source
    sort: str = "relevance"
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE

    def active_filters(self) -> dict:
        return {name: getattr(self, name) for name in FILTER_NAMES if getattr(self, name)}

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


def matches(name: str, wanted, facets: dict, today: int) -> bool:
    """Whether a document's facets pass one filter."""
    match name:
        case "mission":
            return wanted in facets["missions"]
        case "region":
            return wanted in facets["regions"]
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
        case _:
            return facets[name] == wanted


def values_for_counting(name: str, facets: dict, today: int) -> list:
    """The values of one filter group that a document would count towards."""
    match name:
        case "mission":
            return list(facets["missions"])
        case "region":
            return list(facets["regions"])
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
        case _:
            return [facets[name]]
