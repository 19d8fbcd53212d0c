"""The database engine and the per-request session."""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask import current_app, g
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, create_engine

from portal import models  # noqa: F401  (registers the tables)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str):
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def get_session() -> Session:
    """One session per request, closed when the request ends."""
    if "db_session" not in g:
        g.db_session = Session(current_app.extensions["engine"], expire_on_commit=False)
    return g.db_session


def close_session(_exc=None):
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def create_tables(engine) -> None:
    """Tables straight from the models, marked as fully migrated: quick, for throwaway test databases.
    Real databases use upgrade_database."""
    from alembic import command

    SQLModel.metadata.create_all(engine)
    with engine.begin() as connection:
        command.stamp(_alembic_config(connection), "head")


def _alembic_config(connection):
    # Alembic is imported where it is used, not at the top: web workers never need it (11 MB each).
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade_database(engine) -> None:
    """Bring the database's tables up to date with the migrations in portal/migrations, keeping its data."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database tables, keeping existing data."""
    upgrade_database(current_app.extensions["engine"])
    click.echo("Database ready.")


@click.command("db-revision")
@click.argument("message")
@with_appcontext
def db_revision_command(message: str):
    """Write a new migration from the difference between the models and the database (for developers)."""
    from alembic import command

    with current_app.extensions["engine"].begin() as connection:
        command.revision(_alembic_config(connection), message=message, autogenerate=True)


def init_app(app) -> None:
    from portal.search import make_index

    app.extensions["engine"] = make_engine(app.config["DATABASE_URL"])
    app.extensions["search"] = make_index(app.config.get("SEARCH_BACKEND", "tantivy"), app.config["SEARCH_INDEX_DIR"],
                                          app.extensions["engine"], app.config["SEARCH_TIMEOUT_SECONDS"])
    app.teardown_appcontext(close_session)
    app.cli.add_command(init_db_command)
    app.cli.add_command(db_revision_command)
