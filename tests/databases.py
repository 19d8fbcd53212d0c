"""Throwaway databases for tests: a SQLite file by default, or a fresh PostgreSQL database per test when
TEST_DATABASE_URL names a PostgreSQL server (see scripts/throwaway-postgres.sh). Either way each is a copy of a
template made once per run with every table, so no test waits for the tables to be created."""

import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal.db import create_tables, make_engine

SERVER_URL = os.environ.get("TEST_DATABASE_URL", "")
TEMPLATE = "portal_test_template"


def on_postgres() -> bool:
    return SERVER_URL.startswith("postgresql")


def _admin_engine():
    return create_engine(SERVER_URL, isolation_level="AUTOCOMMIT", pool_size=1)


_admin = None
_template_ready = False
_sqlite_template: Path | None = None


def _run(statement: str) -> None:
    global _admin
    if _admin is None:
        _admin = _admin_engine()
    with _admin.connect() as connection:
        connection.execute(text(statement))


def _ensure_template() -> None:
    """A database with every table already made, copied for each test (much quicker than creating tables)."""
    global _template_ready
    if _template_ready:
        return
    _run(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
    _run(f'CREATE DATABASE "{TEMPLATE}"')
    engine = make_engine(_url_for(TEMPLATE))
    create_tables(engine)
    engine.dispose()
    _template_ready = True


def _sqlite_template_file() -> Path:
    """A SQLite file with every table made and stamped as migrated, once per process, to copy for each test."""
    global _sqlite_template
    if _sqlite_template is None:
        folder = tempfile.mkdtemp(prefix="portal-sqlite-template-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = Path(folder) / "template.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        create_tables(engine)
        with engine.connect() as connection:  # everything in the one file, so a copy of it is complete
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql("PRAGMA journal_mode=DELETE")
        engine.dispose()
        _sqlite_template = path
    return _sqlite_template


def _url_for(name: str) -> str:
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def new_database(folder: Path, *, empty: bool = False) -> str:
    """The URL of a new database with the portal's tables (or none, if `empty`)."""
    if not on_postgres():
        path = folder / f"portal-{uuid.uuid4().hex[:8]}.sqlite3"
        if not empty:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(_sqlite_template_file(), path)
        return f"sqlite:///{path}"
    name = f"portal_test_{uuid.uuid4().hex[:12]}"
    if empty:
        _run(f'CREATE DATABASE "{name}"')
    else:
        _ensure_template()
        _run(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    return _url_for(name)


def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        _run(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
