"""Error pages that tell people what to do next. Never a stack trace."""

from flask import g, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError


def _roll_back() -> None:
    """A failed statement leaves the request's transaction unusable (on PostgreSQL): end it before the error page
    asks the database who is signed in."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/generic.html", title="Your form had expired", message="Go back, reload the page and try again."), 400

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # No page can be drawn: its links would be built for a host the portal does not serve.
        return "This portal is not served at this address.", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def http_error(error):
        _roll_back()
        template = {404: "errors/404.html", 500: "errors/500.html"}.get(error.code, "errors/generic.html")
        # Keep what the error says about itself, such as the methods a 405 allows.
        headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
        return render_template(template, error=error), error.code, headers

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("Unhandled error")
        _roll_back()
        return render_template("errors/500.html"), 500
