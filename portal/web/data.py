"""Open data: the page that explains it, the data files, and the read-only JSON API. GET only.

Data files and API responses can be read from any website (Access-Control-Allow-Origin: *); the HTML page cannot.
"""

import json

from flask import Blueprint, Response, current_app, render_template, request

from portal.clock import today
from portal.db import get_session
from portal.opendata.csv_export import COLUMNS
from portal.opendata.openapi import openapi_document
from portal.services import api, open_data
from portal.services import search as search_service
from portal.services.pagination import PageOutOfRange
from portal.web.api_params import api_errors, no_such_page_error, parse_data_page
from portal.web.search_params import parse_search
from portal.security import external_url

bp = Blueprint("data", __name__)


def _open(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _json(body: dict, status: int = 200) -> Response:
    # Keys stay in the order we build them (ocid first, and so on); jsonify would sort them.
    return _open(Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json"))


def _errors(errors: list[dict], status: int) -> Response:
    return _json({"errors": errors}, status)


@bp.get("/data")
def index():
    return render_template("data/index.html", summary=open_data.summary(get_session()), columns=COLUMNS)


@bp.get("/data/ocds/releases.json")
def releases():
    page, errors = parse_data_page(request.args)
    if errors:
        return _errors(errors, 400)
    try:
        return _json(open_data.release_package_page(get_session(), page, today()))
    except PageOutOfRange as error:
        return _errors(no_such_page_error(page, error.last_page), 404)


@bp.get("/opportunities/<slug>/ocds.json")
def release(slug):
    package = open_data.release_package_for(get_session(), slug, today())
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
    parsed = parse_search(request.args, choices)
    if parsed.errors:
        return _errors(api_errors(parsed.errors, choices), 400)
    try:
        body = api.search_results(session, current_app.extensions["search"], parsed.query, today(), choices)
    except PageOutOfRange as error:
        return _errors(no_such_page_error(parsed.query.page, error.last_page), 404)
    return _json(body | {"notices": parsed.notices})


@bp.get("/api/opportunities/<slug>")
def api_opportunity(slug):
    body = api.opportunity(get_session(), slug)
    if body is None:
        return _errors([{"message": "There is no published opportunity at this address."}], 404)
    return _json(body)


@bp.get("/api/openapi.json")
def openapi():
    return _json(openapi_document(external_url("home.index").rstrip("/")))
