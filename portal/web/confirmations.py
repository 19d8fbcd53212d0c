"""Confirmations where people look: after an action the page opens on a notification banner at the top of the part
of the page the person was using. The address ends in #confirmation, so the browser scrolls to the banner without
JavaScript; with it, GOV.UK Frontend moves focus to the banner."""

from flask import flash, redirect, url_for

ANCHOR = "confirmation"


def confirm(message: str, endpoint: str, place: str = "main", category: str = "success", **values):
    """Show `message` in a banner in `place` (a section that calls the `confirmations` macro) and go there."""
    flash(message, f"{category}:{place}")
    return redirect(url_for(endpoint, _anchor=ANCHOR, **values), 303)
