from flask import Blueprint, render_template
from markupsafe import Markup

from portal.clock import today
from portal.db import get_session
from portal.services import missions, opportunities, shared_figures

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    session = get_session()
    day = today()

    def content() -> Markup:
        return Markup(render_template(
            "home/_content.html",
            newest=opportunities.newest(session),
            closing=opportunities.closing_soon(session, day),
            missions=missions.list_missions(session),
            counts=opportunities.open_counts(session, day),
            today=day,
        ))

    return render_template("home/index.html", content=shared_figures.kept(session, ("home page", day), content))
