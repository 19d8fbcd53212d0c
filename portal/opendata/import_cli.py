"""`flask --app portal import-notices PATH`: import OCDS notices from Contracts Finder or Find a Tender."""

import click
from flask.cli import with_appcontext


@click.command("import-notices")
@click.argument("paths", nargs=-1, required=True)
@with_appcontext
def import_notices_command(paths):
    """Import OCDS release packages, record packages or single releases (files or folders)."""
    raise click.ClickException("Not available yet.")
