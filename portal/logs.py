"""Logging: Flask's plain text by default; with LOG_FORMAT=json, one JSON object per line and one line per request.

Every response carries an X-Request-ID header (the caller's, if it is a short safe token, else a new one), so a
person reporting a problem and the log lines about it can be matched up.
"""

import logging
import re
import sys
import time
import uuid

from flask import current_app, g, has_request_context, request
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits, dot, underscore and hyphen: a UUID fits; nothing that could forge a log line or carry markup.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
request_log = logging.getLogger("portal.requests")


class _RequestIdFilter(logging.Filter):
    """Adds the request id to every line logged while a request is being handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and "request_id" in g and not hasattr(record, "request_id"):
            record.request_id = g.request_id
        return True


class PortalJsonHandler(logging.StreamHandler):
    """Marks the handler this module installs, so making a second app replaces it instead of adding another."""


def json_handler(stream=None) -> logging.Handler:
    handler = PortalJsonHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(
        "{levelname}{name}{message}", style="{", timestamp=True,
        rename_fields={"levelname": "level", "name": "logger"},
    ))
    handler.addFilter(_RequestIdFilter())
    return handler


def _use_json_on_root_logger(use_json: bool) -> None:
    # The root logger, so that library warnings come out as JSON too. Its level is left alone: lowering it
    # would switch on SQLAlchemy's statement logging.
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, PortalJsonHandler)]:
        root.removeHandler(handler)
    if use_json:
        root.addHandler(json_handler())


def _start_request() -> None:
    g.request_started = time.perf_counter()
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = offered if SAFE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


def _finish_request(response):
    request_id = g.get("request_id") or uuid.uuid4().hex  # a before_request hook that failed first skips ours
    response.headers[REQUEST_ID_HEADER] = request_id
    if current_app.config["LOG_FORMAT"] == "json":
        started = g.get("request_started")
        duration_ms = round((time.perf_counter() - started) * 1000, 2) if started is not None else None
        # The path only: query strings can hold search terms, email addresses and tokens.
        request_log.info("%s %s %s", request.method, request.path, response.status_code, extra={
            "method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": duration_ms, "remote_addr": request.remote_addr, "request_id": request_id,
        })
    return response


def init_app(app) -> None:
    """Call first in create_app, so the request timer starts before any other hook runs."""
    log_format = app.config["LOG_FORMAT"]
    if log_format not in ("text", "json"):
        raise ValueError(f"LOG_FORMAT must be text or json, not {log_format!r}")
    level = logging.getLevelNamesMapping().get(app.config["LOG_LEVEL"])
    if level is None:
        raise ValueError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {app.config['LOG_LEVEL']!r}")
    _use_json_on_root_logger(log_format == "json")
    if log_format == "json":
        app.logger.removeHandler(default_handler)
    app.logger.setLevel(level)
    app.before_request(_start_request)
    app.after_request(_finish_request)
