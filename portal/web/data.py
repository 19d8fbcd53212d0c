"""Open data: what is published, and the files and API that publish it."""

from flask import Blueprint, render_template

bp = Blueprint("data", __name__)


@bp.get("/data")
def index():
    return render_template("data/index.html")
