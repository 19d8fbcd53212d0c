"""`backup FILE` and `restore FILE`: a consistent copy of the database, safe to take while the portal runs,
and putting one back.

SQLite uses its online backup API, which copies a consistent snapshot while other connections go on reading and
writing (WAL mode). PostgreSQL uses pg_dump's custom format and pg_restore. The search index is not backed up:
it is rebuilt from the database after a restore.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import uuid
from contextlib import closing
from glob import glob
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from portal.content.cli import reindex_command

_PG_ALEMBIC_TABLE = re.compile(r"\bTABLE \S+ alembic_version\b")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup_command(file: Path):
    """Write a consistent copy of the database to FILE, even while the portal is running."""
    url = _database_url()
    partial = file.with_name(f"{file.name}.partial-{uuid.uuid4().hex[:8]}")
    file.parent.mkdir(parents=True, exist_ok=True)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_path(url), partial)
        else:
            _pg_dump(url, partial)
        partial.replace(file)  # a backup appears whole or not at all
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"Database backed up to {file} ({file.stat().st_size:,} bytes).")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the data without asking first.")
@with_appcontext
@click.pass_context
def restore_command(ctx: click.Context, file: Path, yes: bool):
    """Replace everything in the database with the backup in FILE, then rebuild the search index."""
    url = _database_url()
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite:
        _check_sqlite_backup(file)
    else:
        _check_pg_backup(file)
    if not yes:
        click.confirm(f"This replaces all data in {url.render_as_string(hide_password=True)} "
                      f"with the backup in {file}. Continue?", abort=True)
    current_app.extensions["engine"].dispose()  # no pooled connection of ours keeps locks or the old schema
    if sqlite:
        _sqlite_restore(file, _sqlite_path(url))
    else:
        _pg_restore(file, url)
    click.echo(f"Database restored from {file}.")
    try:
        ctx.invoke(reindex_command)
    except Exception as error:  # the data is back; only the index is stale, and reindex repairs it
        raise click.ClickException(
            f"The search index was not rebuilt ({type(error).__name__}): run `flask --app portal reindex`."
        ) from error


def _database_url() -> URL:
    url = make_url(current_app.config["DATABASE_URL"])
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise click.ClickException(f"Backups work with SQLite and PostgreSQL, not {url.get_backend_name()}.")
    return url


# SQLite

def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise click.ClickException("The database is in memory: there is nothing to back up or restore.")
    return Path(url.database)


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """mode "rw" never creates a file, unlike a plain connect; the long timeout waits out a busy writer."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=30)


def _sqlite_backup(database: Path, target: Path) -> None:
    if not database.is_file():
        raise click.ClickException(f"There is no database at {database}.")
    with closing(_connect(database, "rw")) as source, closing(_connect(target, "rwc")) as copy:
        source.backup(copy)  # all pages in one step: one consistent snapshot, writers carry on meanwhile
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it


def _check_sqlite_backup(file: Path) -> None:
    try:
        with closing(_connect(file, "rw")) as connection:
            has_version = connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{file} is not a portal database backup: {error}.") from None
    if not has_version:
        raise click.ClickException(f"{file} is not a portal database backup: it has no alembic_version table.")


def _sqlite_restore(file: Path, database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    # Through the backup API, not a file copy: it takes the database's locks, so a running portal never reads
    # a half-written file, and it keeps the live database in WAL mode.
    with closing(_connect(file, "rw")) as backup, closing(_connect(database, "rwc")) as live:
        backup.backup(live)


# PostgreSQL

def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise click.ClickException(
            f"{name} was not found. Install the PostgreSQL client tools of the server's version "
            f"(on Debian: apt-get install postgresql-client) and try again."
        )
    return found


def _libpq(url: URL) -> tuple[str, dict]:
    """The address pg_dump and pg_restore understand, without the password, and an environment carrying it:
    a password on the command line would be visible to every user of the machine in the process list."""
    address = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                         database=url.database, query=url.query).render_as_string(hide_password=False)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return address, environment


def _run(arguments: list[str], environment: dict | None = None) -> str:
    result = subprocess.run(arguments, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tool = Path(arguments[0]).name
        raise click.ClickException(f"{tool} failed: {result.stderr.strip() or f'exit status {result.returncode}'}")
    return result.stdout


def _pg_dump(url: URL, target: Path) -> None:
    address, environment = _libpq(url)
    _run([_pg_tool("pg_dump"), "--format=custom", f"--file={target}", f"--dbname={address}"], environment)


def _check_pg_backup(file: Path) -> None:
    result = subprocess.run([_pg_tool("pg_restore"), "--list", str(file)], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        raise click.ClickException(f"{file} is not a portal database backup: {result.stderr.strip()}")
    if not _PG_ALEMBIC_TABLE.search(result.stdout):
        raise click.ClickException(f"{file} is not a portal database backup: it has no alembic_version table.")


def _pg_restore(file: Path, url: URL) -> None:
    address, environment = _libpq(url)
    # One transaction: if anything fails, the database is left as it was.
    _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
          f"--dbname={address}", str(file)], environment)
