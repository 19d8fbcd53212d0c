"""GET /health: 200 when the database and the search index work, 503 with a short reason when either fails."""

import pytest
from sqlalchemy import create_engine

from portal import create_app
from portal.auth import limiter
from portal.db import create_tables
from portal.security.headers import HEADERS
from tests.conftest import make_test_config
from tests.databases import drop_database, on_postgres

SECRET_PASSWORD = "hunter2-not-for-logs"


class BrokenIndex:
    def check(self) -> int:
        raise RuntimeError(f"index folder /srv/private/index is unreadable, password={SECRET_PASSWORD}")


def assert_check_shape(check: dict, ok: bool) -> None:
    assert check["ok"] is ok
    assert isinstance(check["ms"], float) and check["ms"] >= 0
    assert set(check) == ({"ok", "ms"} if ok else {"ok", "ms", "error"})


def test_healthy_portal_answers_200_with_every_check_ok(app, client, runner, portal_data):
    assert runner.invoke(args=["reindex"]).exit_code == 0

    response = client.get("/health")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "search_index"}
    for check in body["checks"].values():
        assert_check_shape(check, ok=True)


def test_health_is_never_cached_and_keeps_the_security_headers(client):
    response = client.get("/health")

    assert response.headers["Cache-Control"] == "no-store"
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["X-Request-ID"]


def test_unreachable_database_gives_503_without_secrets(app, client, monkeypatch):
    address = f"postgresql+psycopg://portal:{SECRET_PASSWORD}@127.0.0.1:1/portal"
    broken = create_engine(address, connect_args={"connect_timeout": 2})
    monkeypatch.setitem(app.extensions, "engine", broken)

    response = client.get("/health")

    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "failing"
    assert_check_shape(body["checks"]["database"], ok=False)
    assert body["checks"]["database"]["error"] == "OperationalError"
    text = response.get_data(as_text=True)
    for secret in (SECRET_PASSWORD, "127.0.0.1", app.config["DATABASE_URL"], "Traceback"):
        assert secret not in text
    broken.dispose()


def test_missing_tables_fail_the_database_check(app, client, monkeypatch, tmp_path):
    empty = create_engine(f"sqlite:///{tmp_path / 'no-tables.sqlite3'}")
    monkeypatch.setitem(app.extensions, "engine", empty)

    response = client.get("/health")

    assert response.status_code == 503
    assert response.get_json()["checks"]["database"]["ok"] is False
    empty.dispose()


def test_failing_search_index_gives_503_with_the_error_class_only(app, client, monkeypatch):
    monkeypatch.setitem(app.extensions, "search", BrokenIndex())

    response = client.get("/health")

    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "failing"
    assert body["checks"]["database"]["ok"] is True
    assert_check_shape(body["checks"]["search_index"], ok=False)
    assert body["checks"]["search_index"]["error"] == "RuntimeError"
    text = response.get_data(as_text=True)
    assert SECRET_PASSWORD not in text and "/srv/private" not in text


@pytest.fixture
def rate_limited_app(tmp_path):
    """An app where every route is limited to two requests a minute unless it is exempt."""
    manager = limiter.limit_manager
    saved_defaults = list(manager.default_limits)
    manager.set_default_limits([])  # the limiter is shared by every app, so its defaults come from this config
    app = create_app(make_test_config(tmp_path, RATELIMIT_DEFAULT="2 per minute"))
    if not on_postgres():
        create_tables(app.extensions["engine"])
    yield app
    manager.set_default_limits(saved_defaults)
    app.extensions["engine"].dispose()
    drop_database(app.config["DATABASE_URL"])


def test_health_is_exempt_from_rate_limits(rate_limited_app):
    assert rate_limited_app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    client = rate_limited_app.test_client()

    assert [client.get("/").status_code for _ in range(3)] == [200, 200, 429]  # the limit is really on
    assert {client.get("/health").status_code for _ in range(5)} == {200}
