"""A draft seen through a private preview link, as the public would see it once published: no sign-in needed, never
indexed by search engines. A revoked or expired link says so (410); a link that never existed is not found."""

from flask import Blueprint, abort, render_template

from portal.clock import now, today
from portal.db import get_session
from portal.services import review

bp = Blueprint("draft_preview", __name__)

HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.get("/draft-preview/<token>")
def show(token: str):
    opened = review.open_preview(get_session(), token, now())
    if opened.gone:
        return render_template("drafts/gone.html"), 410, HEADERS
    if opened.opportunity is None:
        abort(404)
    return render_template("drafts/preview.html", opportunity=opened.opportunity, today=today()), 200, HEADERS
