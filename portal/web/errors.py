"""Error pages that tell people what to do next. Never a stack trace."""

from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/generic.html", title="Your form had expired", message="Go back, reload the page and try again."), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        template = {404: "errors/404.html", 500: "errors/500.html"}.get(error.code, "errors/generic.html")
        return render_template(template, error=error), error.code

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("Unhandled error")
        return render_template("errors/500.html"), 500
