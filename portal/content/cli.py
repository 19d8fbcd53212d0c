"""`load-content` checks the content folder and loads it; `reindex` rebuilds the search index."""

import click
from flask.cli import with_appcontext
from flask import current_app
from sqlmodel import Session

from portal.content.loader import ContentError, load_content
from portal.db import upgrade_database
from portal.progress import progress
from portal.services.indexing import published_count, rebuild_index


@click.command("load-content")
@with_appcontext
@click.argument("content_dir", required=False)
def load_content_command(content_dir: str | None):
    """Create or upgrade the tables, then load CONTENT_DIR (default: the configured content folder)."""
    engine = current_app.extensions["engine"]
    upgrade_database(engine)
    folder = content_dir or current_app.config["CONTENT_DIR"]
    try:
        counts = load_content(engine, folder, current_app.config["OCID_PREFIX"])
    except ContentError as error:
        click.echo(f"Content not loaded: {len(error.problems)} problem(s).", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from None
    click.echo(
        f"Content loaded from {folder}: {counts['created']} created, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged."
    )
    click.echo(f"Search index rebuilt: {_rebuild(engine)} opportunities.")


@click.command("reindex")
@with_appcontext
def reindex_command():
    """Rebuild the search index from the database, beside the live one, then swap it in."""
    click.echo(f"Search index rebuilt: {_rebuild(current_app.extensions['engine'])} opportunities.")


def _rebuild(engine) -> int:
    """Rebuild the index with a progress bar in a terminal (log lines otherwise)."""
    with Session(engine) as session:
        with progress("Rebuilding the search index", total=published_count(session)) as step:
            return rebuild_index(session, current_app.extensions["search"], on_indexed=step)
