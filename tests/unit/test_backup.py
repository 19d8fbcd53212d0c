"""`backup` and `restore` on the test database (SQLite, or PostgreSQL when TEST_DATABASE_URL names a server)."""

import pytest
from sqlalchemy import update
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from portal import backup
from portal.models import Opportunity
from tests.factories import make_buyer, make_opportunity

ORIGINAL_TITLES = {"Warm homes for older residents", "Safer routes to school"}


@pytest.fixture
def stored(app):
    with Session(app.extensions["engine"]) as session:
        buyer = make_buyer(session)
        for title in ORIGINAL_TITLES:
            make_opportunity(session, buyer, title=title)


def titles(app) -> set[str]:
    with Session(app.extensions["engine"]) as session:
        return set(session.exec(select(Opportunity.title)).all())


def retitle_everything(app, title: str) -> None:
    with app.extensions["engine"].begin() as connection:
        connection.execute(update(Opportunity).values(title=title))


def test_backup_taken_during_a_write_then_restored_over_changed_data(app, runner, stored, tmp_path):
    file = tmp_path / "backups" / "portal.backup"
    with app.extensions["engine"].connect() as writer:
        writer.execute(update(Opportunity).values(title="Half-finished edit"))  # an open write transaction
        result = runner.invoke(args=["backup", str(file)])
        writer.commit()
    assert result.exit_code == 0, result.output
    assert file.is_file() and f"Database backed up to {file}" in result.output
    assert list(file.parent.iterdir()) == [file], "no partial or -wal files are left beside the backup"
    assert titles(app) == {"Half-finished edit"}

    result = runner.invoke(args=["restore", "--yes", str(file)])

    assert result.exit_code == 0, result.output
    assert titles(app) == ORIGINAL_TITLES, "the backup holds only committed data"
    assert "Search index rebuilt: 2 opportunities" in result.output
    assert app.extensions["search"].check() == 2


def test_restore_asks_first_and_changes_nothing_when_refused(app, runner, stored, tmp_path):
    file = tmp_path / "portal.backup"
    assert runner.invoke(args=["backup", str(file)]).exit_code == 0
    retitle_everything(app, "Changed since the backup")

    refused = runner.invoke(args=["restore", str(file)], input="n\n")

    assert refused.exit_code == 1
    assert "This replaces all data in" in refused.output and "Aborted" in refused.output
    assert titles(app) == {"Changed since the backup"}

    accepted = runner.invoke(args=["restore", str(file)], input="y\n")

    assert accepted.exit_code == 0, accepted.output
    assert titles(app) == ORIGINAL_TITLES


@pytest.mark.parametrize("content", [b"Meeting notes, not a database.\n" * 50, b""], ids=["text", "empty"])
def test_restore_refuses_a_file_that_is_not_a_portal_backup(app, runner, stored, tmp_path, content):
    bogus = tmp_path / "notes.backup"
    bogus.write_bytes(content)

    result = runner.invoke(args=["restore", "--yes", str(bogus)])

    assert result.exit_code == 1
    assert f"Error: {bogus} is not a portal database backup" in result.output
    assert titles(app) == ORIGINAL_TITLES


def test_backup_of_a_missing_sqlite_database_says_so(tmp_path):
    with pytest.raises(backup.click.ClickException, match="There is no database at"):
        backup._sqlite_backup(tmp_path / "absent.sqlite3", tmp_path / "copy.sqlite3")
    assert not (tmp_path / "absent.sqlite3").exists(), "looking must not create an empty database"


def test_postgres_tools_get_the_password_through_the_environment_only():
    url = make_url("postgresql+psycopg://portal:p%40ss%20word@db.example:5433/portal?sslmode=require")

    address, environment = backup._libpq(url)

    assert address == "postgresql://portal@db.example:5433/portal?sslmode=require"
    assert environment["PGPASSWORD"] == "p@ss word"
    assert "PATH" in environment


def test_missing_postgres_tools_are_named_in_a_plain_message(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup, "glob", lambda pattern: [])

    with pytest.raises(backup.click.ClickException, match="pg_dump was not found.*postgresql-client"):
        backup._pg_tool("pg_dump")
