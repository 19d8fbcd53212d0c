from flask import Blueprint, abort, render_template

from portal.db import get_session
from portal.services import guidance

bp = Blueprint("guidance", __name__)


@bp.get("/guidance")
def index():
    return render_template("guidance/index.html", pages=guidance.list_pages(get_session()))


@bp.get("/guidance/glossary")
def glossary():
    return render_template("guidance/glossary.html", terms=guidance.glossary(get_session()))


@bp.get("/guidance/<slug>")
def show(slug: str):
    page = guidance.get_page(get_session(), slug)
    if page is None:
        abort(404)
    return render_template("guidance/show.html", page=page)
