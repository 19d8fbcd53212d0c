"""`flask --app portal import-notices PATH_OR_URL...`: import OCDS notices from files, folders or a publisher's API."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.db import upgrade_database
from portal.opendata.api_fetch import Fetcher, ResumeState
from portal.opendata.importer import ImportReport, import_from_api, import_notices
from portal.services.notices import Outcome


@click.command("import-notices")
@click.argument("sources", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Read and check everything, print the report, and save nothing.")
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="Stop an API import after this many pages.")
@click.option("--wait", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds between requests to a publisher's API.")
@with_appcontext
def import_notices_command(sources, dry_run, max_pages, wait):
    """Import OCDS release packages, record packages or releases (JSON or JSON Lines; files or folders), or page
    through a publisher's OCDS API from a URL, carrying on from where the last import of that URL stopped.

    Exits with 1 when any release or file was refused, 0 when there were only warnings."""
    engine, index = current_app.extensions["engine"], current_app.extensions["search"]
    if not dry_run:
        upgrade_database(engine)
    urls = [s for s in sources if s.startswith(("https://", "http://"))]
    paths = [s for s in sources if s not in urls]
    reports = []
    if paths:
        reports.append(import_notices(engine, index, paths, dry_run=dry_run))
    if urls:
        fetcher = Fetcher(user_agent=user_agent(current_app.config), min_interval=wait)
        state = ResumeState(Path(current_app.instance_path) / "import-notices-state.json")
        for url in urls:
            reports.append(import_from_api(engine, index, url, fetcher, state, dry_run=dry_run, max_pages=max_pages))
    refused = print_report(reports, dry_run)
    if any(report.index_failed for report in reports):
        click.echo("The search index was not fully updated. Run `flask --app portal reindex` to repair it.", err=True)
    if refused or any(report.index_failed for report in reports):
        raise SystemExit(1)


def user_agent(config) -> str:
    return f"OpportunityPortal-notice-importer/1.0 (+{config.get('BASE_URL', '')})"


def print_report(reports: list[ImportReport], dry_run: bool) -> int:
    """Each file's counts, then every warning and refusal. Returns how many were refused."""
    files = [f for report in reports for f in report.files]
    for file_report in files:
        click.echo(file_report.summary())
    warnings = [w for f in files for w in f.warnings]
    refusals = [r for f in files for r in f.refusals]
    if warnings:
        click.echo(f"Warnings ({len(warnings)}): imported, but check these:")
        for warning in warnings:
            click.echo(f"  {warning}")
    if refusals:
        click.echo(f"Refused ({len(refusals)}): not imported:", err=True)
        for refusal in refusals:
            click.echo(f"  {refusal}", err=True)
    counts = {outcome: sum(f.counts[outcome] for f in files) for outcome in Outcome}
    click.echo(
        f"{'Dry run, nothing saved. Notices that would be imported' if dry_run else 'Notices imported'}: "
        f"{counts[Outcome.CREATED]} created, {counts[Outcome.UPDATED]} updated, "
        f"{counts[Outcome.UNCHANGED]} unchanged, {counts[Outcome.OLDER]} skipped as older than what we have, "
        f"{sum(f.warned for f in files)} warned, {len(refusals)} refused. "
        f"Awards: {sum(f.awards_created for f in files)} created, {sum(f.awards_updated for f in files)} updated."
    )
    return len(refusals)
