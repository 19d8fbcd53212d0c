"""Throwaway databases for tests: a SQLite file by default, or a PostgreSQL database per test when
TEST_DATABASE_URL names a PostgreSQL server (see scripts/throwaway-postgres.sh). Either way each starts as a copy
of a template made once per run with every table, so no test waits for the tables to be created.

On PostgreSQL, copying the template took a third of a second a test once earlier tests had written (the copy
waits for a checkpoint), most of the run's time. So a database a test has finished with is emptied and given to
the next test instead: every row deleted (but the migration stamp) and every sequence started again, which
leaves it as the template was. One whose tables no longer match the template's (a test dropped or changed one)
is dropped instead."""

import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from portal.db import create_tables, make_engine

SERVER_URL = os.environ.get("TEST_DATABASE_URL", "")
TEMPLATE = "portal_test_template"


def on_postgres() -> bool:
    return SERVER_URL.startswith("postgresql")


def _admin_engine():
    return create_engine(SERVER_URL, isolation_level="AUTOCOMMIT", pool_size=1)


_admin = None
_template_ready = False
_template_shape = None
_sqlite_template: Path | None = None
_from_template: set[str] = set()  # PostgreSQL databases this process copied from the template
_emptied: list[str] = []  # ... and emptied again, ready for the next test
# Every table, column and index, to tell a database whose tables a test changed.
SHAPE = ("SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)"
         " || '|' || (SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public')"
         " FROM information_schema.columns WHERE table_schema = 'public'")
KEPT_TABLES = {"alembic_version"}


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
    global _template_shape
    with engine.connect() as connection:
        _template_shape = connection.execute(text(SHAPE)).scalar_one()
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
    elif _emptied:
        name = _emptied.pop()
    else:
        _ensure_template()
        _run(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}" STRATEGY FILE_COPY')  # quicker than WAL_LOG here
        _from_template.add(name)
    return _url_for(name)


def drop_database(url: str) -> None:
    """Done with: a PostgreSQL database copied from the template is emptied for the next test (see above)."""
    if not url.startswith("postgresql"):
        return
    name = make_url(url).database
    if name in _emptied:  # dropped twice: it is already waiting for the next test
        return
    if name in _from_template and _empty(name):
        _emptied.append(name)
        return
    _from_template.discard(name)
    _run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty(name: str) -> bool:
    """Whether the database could be left as the template was: False when its tables differ from the template's."""
    _run(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()")
    engine = create_engine(_url_for(name), poolclass=NullPool)
    try:
        with engine.begin() as connection:
            if connection.execute(text(SHAPE)).scalar_one() != _template_shape:
                return False
            tables = [row[0] for row in connection.execute(text(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'")) if row[0] not in KEPT_TABLES]
            connection.execute(text("SET LOCAL session_replication_role = replica"))  # no foreign key checks
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
            connection.execute(text("SELECT setval(c.oid::regclass, 1, false) FROM pg_class c"
                                    " WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"))
        return True
    finally:
        engine.dispose()
