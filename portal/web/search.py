from dataclasses import replace

from flask import Blueprint, Response, current_app, make_response, render_template, request, url_for
from markupsafe import Markup, escape

from portal.clock import today
from portal.db import get_session
from portal.security import external_url
from portal.services import search as search_service
from portal.search import SearchTooSlow
from portal.search.query import DEFAULT_PAGE_SIZE, MAX_QUERY_LENGTH
from portal.services.feeds import FEED_SIZE, atom_feed
from portal.services.pagination import PageOutOfRange
from portal.web.htmx import is_partial_request, vary_on_htmx
from portal.web.params import no_such_page
from portal.web.search_params import parse_search

bp = Blueprint("search", __name__)


@bp.app_template_filter("filter_options")
def filter_options(options) -> Markup:
    """A select filter's options, "Label (count)". Written here rather than in a template loop: a search page shows
    hundreds (one for each council area with results), and this is several times quicker."""
    return Markup("".join(
        f'<option value="{escape(option.value)}"{" selected" if option.selected else ""}>'
        f"{escape(option.label)} ({int(option.count)})</option>"
        for option in options))


@bp.get("/search")
def index():
    session = get_session()
    choices = search_service.filter_choices(session)
    parsed = parse_search(request.args, choices)
    partial = is_partial_request()
    try:
        results = search_service.run_search(session, current_app.extensions["search"], parsed.query, today(), choices)
    except PageOutOfRange as error:
        return vary_on_htmx(make_response(no_such_page(error.last_page, "search.index", parsed.query.url_params(page=1))))
    except SearchTooSlow:
        return vary_on_htmx(too_slow(parsed.query, partial))
    body = render_template(
        "search/_results.html" if partial else "search/index.html",
        results=results, query=parsed.query, errors=parsed.errors, notices=parsed.notices,
        partial=partial, max_query_length=MAX_QUERY_LENGTH, today=today(),
    )
    response = make_response(body, 400 if parsed.errors else 200)
    if partial:
        # The address bar shows the short, canonical address of this exact search.
        response.headers["HX-Push-Url"] = url_for("search.index", **parsed.query.url_params())
    return vary_on_htmx(response)


def too_slow(query, partial: bool) -> Response:
    """503, with the words and filters kept in a form to search again."""
    seconds = f"{current_app.config['SEARCH_TIMEOUT_SECONDS']:g}"
    body = render_template("search/_too_slow.html" if partial else "search/too_slow.html", query=query, seconds=seconds,
                           max_query_length=MAX_QUERY_LENGTH)
    return make_response(body, 503, {"Retry-After": "30"})


@bp.get("/search/feed.atom")
def feed():
    """The same search as an Atom feed, newest first."""
    session = get_session()
    choices = search_service.filter_choices(session)
    query = replace(parse_search(request.args, choices).query, sort="newest", page=1, size=FEED_SIZE)
    try:
        results = search_service.run_search(session, current_app.extensions["search"], query, today(), choices)
    except SearchTooSlow:
        return too_slow(query, partial=False)
    page_url = external_url("search.index", **replace(query, sort="relevance", size=DEFAULT_PAGE_SIZE).url_params())
    feed_url = external_url("search.feed", **replace(query, sort="relevance", size=DEFAULT_PAGE_SIZE).url_params())
    body = atom_feed(results.page.items, page_url, feed_url, query.text)
    return Response(body, mimetype="application/atom+xml")
