"""Checking the search page's query string: bad values are dropped with a message, never raised."""

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from portal.search.query import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_QUERY_LENGTH, SORTS, TICK_FILTERS, SearchQuery
from portal.web.params import parse_page

SELECT_MESSAGES = {
    "kind": "Choose a kind of opportunity from the list",
    "stage": "Choose a stage from the list",
    "mission": "Choose a mission from the list",
    "buyer": "Choose a buyer from the list",
    "region": "Choose a region from the list",
    "area": "Choose a council area from the list",
    "cpv": "Choose a type of work from the list",
    "value": "Choose a value from the list",
    "closing": "Choose when engagement closes from the list",
    "source": "Choose where it was published from the list",
    "lot_value": "Choose what a contract or lot is worth from the list",
    "min_turnover": "Choose a minimum turnover from the list",
    "social_value": "Choose a social value theme from the list",
}


@dataclass
class ParsedSearch:
    query: SearchQuery
    errors: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def _first(args: MultiDict, name: str) -> str:
    value = args.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def parse_search(args: MultiDict, choices: dict[str, dict[str, str]]) -> ParsedSearch:
    errors, notices, values = {}, [], {}

    text = " ".join(_first(args, "q").split())
    if len(text) > MAX_QUERY_LENGTH:
        cut = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH]
        notices.append(f"Your search was long, so we used only the first {len(cut)} characters.")
        text = cut
    values["text"] = text

    for name, message in SELECT_MESSAGES.items():
        raw = _first(args, name)
        if raw and raw not in choices[name]:
            errors[name] = f"{message}. We have ignored this filter."
        elif raw:
            values[name] = int(raw) if name == "closing" else raw

    for name in TICK_FILTERS:
        raw = _first(args, name)
        if raw and raw != "yes":
            errors[name] = "Tick the box or leave it empty. We have ignored this filter."
        values[name] = raw == "yes"

    raw = _first(args, "closed")
    if raw and raw != "yes":
        errors["closed"] = "Tick the box or leave it empty. We have shown only open opportunities."
    values["closed"] = raw == "yes"

    sort = _first(args, "sort") or "relevance"
    if sort not in SORTS:
        errors["sort"] = "Choose how to sort the results from the list. We have sorted by relevance."
        sort = "relevance"
    values["sort"] = sort

    page, page_error = parse_page(_first(args, "page"))
    if page_error:
        errors["page"] = page_error
    values["page"] = page

    raw_size = _first(args, "size")
    size = DEFAULT_PAGE_SIZE
    if raw_size:
        if raw_size.isascii() and raw_size.isdigit() and 1 <= int(raw_size) <= MAX_PAGE_SIZE:
            size = int(raw_size)
        else:
            errors["size"] = f"Results per page must be a number from 1 to {MAX_PAGE_SIZE}. We have shown {DEFAULT_PAGE_SIZE}."
    values["size"] = size
    return ParsedSearch(SearchQuery(**values), errors, notices)


