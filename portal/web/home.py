from flask import Blueprint, render_template

from portal.clock import today
from portal.db import get_session
from portal.services import missions, opportunities

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    session = get_session()
    return render_template(
        "home/index.html",
        newest=opportunities.newest(session),
        closing=opportunities.closing_soon(session, today()),
        missions=missions.list_missions(session),
        counts=opportunities.open_counts(session, today()),
        today=today(),
    )
