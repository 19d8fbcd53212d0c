"""The read-only JSON API: the search page's results and single opportunities, as plain data."""

from datetime import date

from sqlmodel import Session

from portal.search import SearchIndex
from portal.models import Opportunity, Source
from portal.opendata.api_json import opportunity_detail, opportunity_summary
from portal.search.query import SearchQuery
from portal.security import external_url
from portal.services import voice
from portal.services.awards import awards_for
from portal.services.opportunities import get_published
from portal.services.search import run_search


def _links(opportunity: Opportunity) -> dict[str, str]:
    links = {
        "self": external_url("data.api_opportunity", slug=opportunity.slug),
        "page": external_url("opportunities.show", slug=opportunity.slug),
    }
    if opportunity.source == Source.PORTAL:
        links["ocds"] = external_url("data.release", slug=opportunity.slug)
    return links


def _search_url(query: SearchQuery, page: int) -> str:
    return external_url("data.api_opportunities", **query.url_params(page=page))


def search_results(session: Session, index: SearchIndex, query: SearchQuery, today: date, choices: dict) -> dict:
    """Exactly what the search page would show for this query. Raises PageOutOfRange past the last page."""
    results = run_search(session, index, query, today, choices)
    page = results.page
    links = {"self": _search_url(query, page.number), "first": _search_url(query, 1), "last": _search_url(query, page.count)}
    if page.has_next:
        links["next"] = _search_url(query, page.number + 1)
    if page.has_previous:
        links["prev"] = _search_url(query, page.number - 1)
    return {
        "results": [opportunity_summary(hit.opportunity, _links(hit.opportunity)) for hit in page.items],
        "total": page.total,
        "page": page.number,
        "pages": page.count,
        "size": page.size,
        "suggestion": results.suggestion,
        "links": links,
    }


def opportunity(session: Session, slug: str) -> dict | None:
    found = get_published(session, slug)
    if found is None:
        return None
    return opportunity_detail(found, _links(found), awards_for(session, found.id)) | {
        "residents": voice.open_data(session, voice.Subject(opportunity=found))}
