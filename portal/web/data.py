"""Open data: the page that explains it, the data files, and the read-only JSON API. GET only.

Data files and API responses can be read from any website (Access-Control-Allow-Origin: *); the HTML page cannot.
"""

import json

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from portal.clock import today
from portal.db import get_session
from portal.opendata.csv_export import COLUMNS
from portal.search import SearchTooSlow
from portal.opendata.openapi import RELEASE_PAGE_PARAMETERS, openapi_document, search_parameters
from portal.security import external_url
from portal.services import api, open_data
from portal.services import search as search_service
from portal.services.pagination import PageOutOfRange
from portal.slugs import is_slug
from portal.web.api_params import check_parameters, no_such_page_error, search_errors
from portal.web.search_params import parse_search

bp = Blueprint("data", __name__)


def _open(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _json(body: dict, status: int = 200) -> Response:
    # Keys stay in the order we build them (ocid first, and so on); jsonify would sort them.
    return _open(Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json"))


def _errors(errors: list[dict], status: int) -> Response:
    return _json({"errors": errors}, status)


@bp.before_app_request
def json_errors_for_api_addresses():
    """The data files and the API answer a wrong method, or an unknown API or OCDS address, in JSON like their other
    errors.

    Routing fails before any view runs, so this looks at the routing error itself."""
    error = request.routing_exception
    if isinstance(error, MethodNotAllowed) and _is_data_file_or_api():
        allowed = ", ".join(sorted(error.valid_methods))
        response = _errors([{"message": f"This address answers {allowed} only."}], 405)
        response.headers["Allow"] = allowed
        return response
    if isinstance(error, NotFound) and (request.path.startswith("/api/") or request.path.endswith("/ocds.json")):
        return _errors([{"message": "There is nothing at this address."}], 404)
    return None


def _is_data_file_or_api() -> bool:
    try:
        endpoint, _ = current_app.url_map.bind_to_environ(request.environ).match(method="GET")
    except HTTPException:
        return False
    return endpoint.startswith("data.") and endpoint != "data.index"


@bp.get("/data")
def index():
    return render_template("data/index.html", summary=open_data.summary(get_session()), columns=COLUMNS)


@bp.get("/data/ocds/releases.json")
def releases():
    errors = check_parameters(request.args, RELEASE_PAGE_PARAMETERS)
    if errors:
        return _errors(errors, 400)
    page = int(request.args.get("page", 1))
    try:
        return _json(open_data.release_package_page(get_session(), page, today()))
    except PageOutOfRange as error:
        return _errors(no_such_page_error(page, error.last_page), 404)


# <path:> so that a slug with a slash in it still gets the JSON 404 below, not the HTML page.
@bp.get("/opportunities/<path:slug>/ocds.json")
def release(slug):
    # Not a slug, so nothing to find; PostgreSQL would also refuse a NUL character in the query.
    package = open_data.release_package_for(get_session(), slug, today()) if is_slug(slug) else None
    if package is None:
        return _errors([{"message": "There is no opportunity published on this portal at this address."}], 404)
    return _json(package)


@bp.get("/data/opportunities.csv")
def opportunities_csv():
    response = Response(open_data.opportunities_csv(get_session()), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="opportunities.csv"'
    return _open(response)


@bp.get("/api/opportunities")
def api_opportunities():
    session = get_session()
    choices = search_service.filter_choices(session)
    errors = check_parameters(request.args, search_parameters(choices))
    if errors:
        return _errors(errors, 400)
    parsed = parse_search(request.args, choices)
    if parsed.errors:  # only if the description allows a value the search cannot use: a bug the tests look for
        return _errors(search_errors(parsed.errors), 400)
    query = parsed.query
    try:
        body = api.search_results(session, current_app.extensions["search"], query, today(), choices)
    except PageOutOfRange as error:
        return _errors(no_such_page_error(query.page, error.last_page), 404)
    except SearchTooSlow:
        response = _errors([{"message": "This search took too long. Try more particular words, or add a filter."}], 503)
        response.headers["Retry-After"] = "30"
        return response
    return _json(body)


@bp.get("/api/opportunities/<slug>")
def api_opportunity(slug):
    body = api.opportunity(get_session(), slug) if is_slug(slug) else None
    if body is None:
        return _errors([{"message": "There is no published opportunity at this address."}], 404)
    return _json(body)


@bp.get("/api/openapi.json")
def openapi():
    server_url = external_url("home.index").rstrip("/")
    return _json(openapi_document(server_url, search_service.filter_choices(get_session())))
