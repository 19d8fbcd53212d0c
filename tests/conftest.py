import os
from datetime import date, datetime, timezone

import pytest
from flask import Flask
from jinja2 import BytecodeCache
from sqlmodel import Session

from portal import create_app
from tests.databases import drop_database, new_database

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)  # midday on TODAY
# The search backend the suite runs on: tantivy, whoosh (TEST_SEARCH_BACKEND=whoosh), or postgres when
# TEST_DATABASE_URL names a PostgreSQL server.
SEARCH_BACKEND = os.environ.get("TEST_SEARCH_BACKEND", "tantivy")
# One round of PBKDF2 instead of scrypt: hashing is the slowest step of signing up or in, and tests do both thousands
# of times. tests/unit/test_password_hashing.py checks that the real settings still use scrypt.
TEST_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"



class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per run and shared by every app the tests make (each test makes its own app, whose
    templates would otherwise be compiled again: a fifth of a Flask client test's time). A template whose source
    changes is compiled afresh, as Jinja checks each one's checksum."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": _CompiledTemplates()}


def make_test_config(folder, **extra) -> dict:
    """Settings for an app whose database and search index live in `folder`."""
    return {
        "TESTING": True,
        "DATABASE_URL": new_database(folder),
        "SEARCH_INDEX_DIR": str(folder / "search_index"),
        "OUTBOX_DIR": str(folder / "outbox"),  # emails from any test stay in its own folder
        "SEARCH_BACKEND": SEARCH_BACKEND,
        "SECRET_KEY": "test-secret",
        "BASE_URL": "http://localhost",  # the test client's host
        "TODAY": TODAY,
        "NOW": NOW,
        "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH_METHOD,
    } | extra


def pytest_configure(config):
    config.addinivalue_line("markers", "search_backend(name): run this test's app on one search backend only")


@pytest.fixture
def app(tmp_path, request):
    backend = request.node.get_closest_marker("search_backend")
    extra = {"SEARCH_BACKEND": backend.args[0]} if backend else {}
    app = create_app(make_test_config(tmp_path, PAGE_SIZE=5, **extra))  # its database already has every table
    yield app
    app.extensions["engine"].dispose()
    drop_database(app.config["DATABASE_URL"])


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture(scope="session")
def content_app(tmp_path_factory):
    """An app loaded with the real content/ folder and its search index, shared by read-only tests."""
    from portal.config import PROJECT_ROOT
    from portal.content import load_content
    from portal.services.indexing import rebuild_index

    app = create_app(make_test_config(tmp_path_factory.mktemp("content-app")))
    engine = app.extensions["engine"]
    load_content(engine, PROJECT_ROOT / "content", app.config["OCID_PREFIX"])
    with Session(engine) as session:
        rebuild_index(session, app.extensions["search"])
    yield app
    engine.dispose()
    drop_database(app.config["DATABASE_URL"])
