"""The one place that knows how htmx talks to the server."""

from flask import request


def is_partial_request() -> bool:
    """True for an htmx swap; a history restore needs the full page."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def vary_on_htmx(response):
    """Full pages and partials share a URL, so caches must keep them apart."""
    response.vary.add("HX-Request")
    return response
