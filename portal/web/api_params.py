"""Checking query parameters for the JSON API and data files. Unlike the HTML pages, a bad value is refused."""

from werkzeug.datastructures import MultiDict

from portal.search.query import MAX_PAGE_SIZE, SORTS
from portal.web.params import parse_page

# The search page's messages talk about a form; these say what the parameter accepts.
API_MESSAGES = {
    "sme": "sme must be yes, or left out.",
    "vcse": "vcse must be yes, or left out.",
    "sort": f"sort must be one of: {', '.join(SORTS)}.",
    "page": "page must be a whole number, like 2.",
    "size": f"size must be a whole number from 1 to {MAX_PAGE_SIZE}.",
}


def api_errors(errors: dict[str, str], choices: dict[str, dict[str, str]]) -> list[dict]:
    """The search parser's errors as JSON: the parameter, what was wrong and, for lists, the allowed values."""
    result = []
    for name, message in errors.items():
        if name in choices:
            error = {"parameter": name, "message": f"{name} must be one of the allowed values.",
                     "allowed": list(choices[name])}
        else:
            error = {"parameter": name, "message": API_MESSAGES.get(name) or _first_sentence(message)}
        result.append(error)
    return result


def parse_data_page(args: MultiDict) -> tuple[int, list[dict]]:
    page, problem = parse_page(args.get("page"))
    return page, [{"parameter": "page", "message": API_MESSAGES["page"]}] if problem else []


def no_such_page_error(page: int, last_page: int) -> list[dict]:
    return [{"parameter": "page", "message": f"There is no page {page}. The last page is {last_page}."}]


def _first_sentence(message: str) -> str:
    return message.split(". ", 1)[0].rstrip(".") + "."
