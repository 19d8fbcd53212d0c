"""Saving a search for email alerts, and deleting it."""

from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from portal.auth import supplier_required
from portal.db import get_session
from portal.forms.engagement import ActionForm, SaveSearchForm
from portal.services import saved_searches
from portal.services import search as search_service
from portal.web.search_params import parse_search

bp = Blueprint("saved_searches", __name__)


MAX_QUERY_STRING = 8000  # room for the longest search (200 characters of emoji, 2,400 once encoded) and every filter


def _checked_query(query_string: str):
    parsed = parse_search(MultiDict(parse_qsl(query_string[:MAX_QUERY_STRING])), search_service.filter_choices(get_session()))
    return parsed.query


@bp.route("/saved-searches/new", methods=["GET", "POST"])
@supplier_required
def new():
    form = SaveSearchForm()
    if request.method == "GET":
        form.query.data = urlencode(_checked_query(request.query_string.decode("utf-8", "replace")).url_params(page=None))
        form.name.data = request.args.get("q", "")[:100]
    query = _checked_query(form.query.data or "")
    if form.validate_on_submit():
        saved_searches.save(get_session(), current_user.id, form.name.data, query, form.frequency.data)
        flash("Search saved. We will email you when new opportunities match it.", "success")
        return redirect(url_for("dashboard.index", _anchor="saved-searches"), 303)
    return render_template("saved_searches/new.html", form=form, query=query), 400 if form.errors else 200


@bp.post("/saved-searches/<int:saved_search_id>/delete")
@supplier_required
def delete(saved_search_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    if not saved_searches.delete(get_session(), current_user.id, saved_search_id):
        abort(404)
    flash("Saved search deleted. We will not email you about it again.", "success")
    return redirect(url_for("dashboard.index", _anchor="saved-searches"), 303)
