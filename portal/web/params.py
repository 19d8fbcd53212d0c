"""Checking query-string parameters. Bad values are reported to the person, never raised."""

import re
from dataclasses import dataclass, field

from flask import render_template, url_for
from werkzeug.datastructures import MultiDict

from portal.models import OpportunityKind
from portal.services.opportunities import OpportunityFilters

MAX_PAGE = 10_000


def parse_page(raw: str | None) -> tuple[int, str | None]:
    """The page number, or page 1 and a message saying what was wrong."""
    if raw is None or raw == "":
        return 1, None
    raw = raw.strip()
    if not re.fullmatch(r"[0-9]{1,6}", raw) or not 1 <= int(raw) <= MAX_PAGE:
        return 1, "Page must be a whole number, like 2. We have shown the first page."
    return int(raw), None


@dataclass
class ListingRequest:
    filters: OpportunityFilters
    page: int
    errors: dict[str, str] = field(default_factory=dict)


def parse_listing(args: MultiDict, mission_slugs: set[str]) -> ListingRequest:
    errors = {}
    page, page_error = parse_page(args.get("page"))
    if page_error:
        errors["page"] = page_error
    kind = (args.get("kind") or "").strip() or None
    if kind and kind not in set(OpportunityKind):
        errors["kind"] = "Choose a kind of opportunity from the list. We have shown every kind."
        kind = None
    mission = (args.get("mission") or "").strip() or None
    if mission and mission not in mission_slugs:
        errors["mission"] = "Choose a mission from the list. We have shown opportunities for every mission."
        mission = None
    return ListingRequest(OpportunityFilters(kind=kind, mission=mission), page, errors)


def no_such_page(last_page: int, endpoint: str, params: dict):
    """A 404 for a page number past the end, with links back to real pages."""
    return render_template(
        "errors/no_such_page.html",
        last_page=last_page,
        first_url=url_for(endpoint, **params),
        last_url=url_for(endpoint, page=last_page, **params),
    ), 404
