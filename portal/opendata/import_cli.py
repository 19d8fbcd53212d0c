"""`flask --app portal import-notices PATH...`: import OCDS notices from Contracts Finder or Find a Tender."""

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.db import upgrade_database
from portal.opendata.importer import import_notices
from portal.services.notices import Outcome


@click.command("import-notices")
@click.argument("paths", nargs=-1, required=True)
@with_appcontext
def import_notices_command(paths):
    """Import OCDS release packages, record packages or single releases (files or folders)."""
    upgrade_database(current_app.extensions["engine"])
    report = import_notices(current_app.extensions["engine"], current_app.extensions["search"], list(paths))
    counts = report.counts
    click.echo(
        f"Notices imported: {counts[Outcome.CREATED]} created, {counts[Outcome.UPDATED]} updated, "
        f"{counts[Outcome.UNCHANGED]} unchanged, {counts[Outcome.OLDER]} skipped as older than what we have, "
        f"{len(report.problems)} {'problem' if len(report.problems) == 1 else 'problems'}."
    )
    for problem in report.problems:
        click.echo(f"  {problem}", err=True)
    if report.index_failed:
        click.echo("The search index was not fully updated. Run `flask --app portal reindex` to repair it.", err=True)
    if report.problems or report.index_failed:
        raise SystemExit(1)
