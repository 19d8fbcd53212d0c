"""`flask --app portal load-content`: check the content folder and load it."""

import click
from flask.cli import with_appcontext
from flask import current_app

from portal.content.loader import ContentError, load_content
from portal.db import create_tables


@click.command("load-content")
@with_appcontext
@click.argument("content_dir", required=False)
def load_content_command(content_dir: str | None):
    """Create the tables if needed, then load CONTENT_DIR (default: the configured content folder)."""
    engine = current_app.extensions["engine"]
    create_tables(engine)
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
