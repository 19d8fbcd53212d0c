"""LOG_FORMAT=json: one JSON object per line, one line per request, and a request id on every response."""

import io
import json
import logging
import re

import pytest
from flask import current_app

from portal import create_app, logs
from portal.db import create_tables
from tests.conftest import make_test_config
from tests.databases import drop_database, on_postgres

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_app(tmp_path):
    app = create_app(make_test_config(tmp_path, LOG_FORMAT="json"))
    if not on_postgres():
        create_tables(app.extensions["engine"])

    @app.get("/_test/log-a-warning")
    def log_a_warning():
        current_app.logger.warning("Something to look into")
        return "logged"

    yield app
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, logs.PortalJsonHandler)]:
        root.removeHandler(handler)
    app.extensions["engine"].dispose()
    drop_database(app.config["DATABASE_URL"])


@pytest.fixture
def json_log(json_app) -> io.StringIO:
    """What the JSON handler writes (to standard error, outside tests)."""
    (handler,) = [h for h in logging.getLogger().handlers if isinstance(h, logs.PortalJsonHandler)]
    output = io.StringIO()
    handler.setStream(output)
    return output


def json_lines(output: str) -> list[dict]:
    """Every line the app wrote, each of which must be a JSON object."""
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines, "nothing was logged"
    return [json.loads(line) for line in lines]


def request_lines(output: str) -> list[dict]:
    return [line for line in json_lines(output) if line["logger"] == "portal.requests"]


def test_every_line_is_a_json_object_with_the_basic_fields(json_app, json_log):
    with json_app.app_context():
        current_app.logger.warning("Disk nearly full")

    (line,) = json_lines(json_log.getvalue())
    assert line["message"] == "Disk nearly full"
    assert line["level"] == "WARNING"
    assert line["logger"] == "portal"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", line["timestamp"])


def test_each_request_logs_one_line_with_the_path_but_not_the_query(json_app, json_log):
    response = json_app.test_client().get("/search?q=amy%40example.org&kind=problem-statement",
                                          headers={"X-Request-ID": "req-42.a_b"})

    (line,) = request_lines(json_log.getvalue())
    assert line["method"] == "GET"
    assert line["path"] == "/search"
    assert line["status"] == response.status_code == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["remote_addr"] == "127.0.0.1"
    assert line["request_id"] == "req-42.a_b"
    assert "amy" not in json.dumps(line)


def test_the_callers_request_id_is_echoed_and_marks_lines_logged_during_the_request(json_app, json_log):
    response = json_app.test_client().get("/_test/log-a-warning", headers={"X-Request-ID": "3f2b-77"})

    assert response.headers["X-Request-ID"] == "3f2b-77"
    warning, request_line = json_lines(json_log.getvalue())
    assert warning["message"] == "Something to look into"
    assert warning["request_id"] == request_line["request_id"] == "3f2b-77"


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    'x", "level": "CRITICAL',
    "id with spaces",
    "../../etc/passwd",
    "a" * 65,
    "",
])
def test_an_unsafe_request_id_is_replaced(json_app, json_log, hostile):
    response = json_app.test_client().get("/health", headers={"X-Request-ID": hostile})

    request_id = response.headers["X-Request-ID"]
    assert GENERATED_ID.fullmatch(request_id)
    output = json_log.getvalue()
    (line,) = request_lines(output)
    assert line["request_id"] == request_id
    if hostile:
        assert hostile not in output


def test_each_request_gets_its_own_id(json_app):
    client = json_app.test_client()
    ids = {client.get("/health").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_text_format_keeps_requests_out_of_the_log(client, caplog):
    caplog.set_level(logging.DEBUG, logger="portal.requests")

    response = client.get("/health")

    assert GENERATED_ID.fullmatch(response.headers["X-Request-ID"])
    assert [r for r in caplog.records if r.name == "portal.requests"] == []
    assert not any(isinstance(h, logs.PortalJsonHandler) for h in logging.getLogger().handlers)


@pytest.mark.parametrize("setting", [{"LOG_FORMAT": "yaml"}, {"LOG_LEVEL": "LOUD"}])
def test_bad_log_settings_stop_the_app_starting(tmp_path, setting):
    config = {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "SECRET_KEY": "test"}
    with pytest.raises(ValueError, match=next(iter(setting))):
        create_app(config | setting)
