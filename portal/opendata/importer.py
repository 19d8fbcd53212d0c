"""Importing OCDS notices from any UK publisher as read-only opportunities, with a report for each file.

Each file (or API page) is saved in one transaction; a release that cannot be imported is refused, with its
file, position, ocid and every reason, and the rest still import. A release imported with an assumption (a made
up id, no link back, a value left out) is counted as warned. With dry_run nothing is written. After each commit
the search index is brought up to date; if that fails the rows are kept and `flask --app portal reindex`
repairs the index.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from portal.opendata.api_fetch import Fetcher, FetchProblem, ResumeState, pages
from portal.opendata.notice_files import FileProblem, FoundRelease, Problem, notice_files, read_releases, releases_in_data
from portal.opendata.notice_awards import awards_in
from portal.opendata.ocds_mapping import NoticeProblem, read_release
from portal.progress import progress
from portal.search import SearchIndex
from portal.services.indexing import sync_opportunities
from portal.services.notices import Outcome, PortalOwned, save_notice

log = logging.getLogger(__name__)


@dataclass
class FileReport:
    file: str
    read: int = 0
    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    warnings: list[Problem] = field(default_factory=list)
    refusals: list[Problem] = field(default_factory=list)
    saved: bool = True  # False when the database refused the file's transaction

    @property
    def warned(self) -> int:
        return len({warning.position for warning in self.warnings})

    def summary(self) -> str:
        c = self.counts
        return (f"{self.file}: {self.read} read, {c[Outcome.CREATED]} created, {c[Outcome.UPDATED]} updated, "
                f"{c[Outcome.UNCHANGED]} unchanged, {c[Outcome.OLDER]} older, {self.warned} warned, "
                f"{len(self.refusals)} refused")


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    index_failed: bool = False
    changed_ids: list[int] = field(default_factory=list)
    dry_run: bool = False

    @property
    def counts(self) -> dict[Outcome, int]:
        return {outcome: sum(f.counts[outcome] for f in self.files) for outcome in Outcome}

    @property
    def problems(self) -> list[Problem]:
        """Every refusal, and every file that could not be read."""
        return [problem for f in self.files for problem in f.refusals]

    @property
    def warnings(self) -> list[Problem]:
        return [warning for f in self.files for warning in f.warnings]

    def file(self, name: str) -> FileReport:
        self.files.append(FileReport(name))
        return self.files[-1]


def import_notices(engine, index: SearchIndex, paths: list[str], dry_run: bool = False) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    found = list(notice_files(paths))
    with Session(engine) as session, progress("Importing notice files", total=len(found)) as step:
        for item in found:
            if isinstance(item, Problem):
                report.file(item.file).refusals.append(item)
            else:
                _import_file(session, index, item, report, dry_run)
            step()
    return report


def import_from_api(engine, index: SearchIndex, start_url: str, fetcher: Fetcher, state: ResumeState,
                    dry_run: bool = False, max_pages: int | None = None) -> ImportReport:
    """Page through a publisher's OCDS API from where the last run stopped; each page is reported as a file."""
    report = ImportReport(dry_run=dry_run)
    with Session(engine) as session, progress(f"Reading pages from {start_url}") as step:
        try:
            for page in pages(fetcher, start_url, state, max_pages):
                try:
                    releases = releases_in_data(page.data)
                except FileProblem as problem:
                    report.file(page.url).refusals.append(Problem(page.url, "", problem.reason))
                    break
                saved = import_releases(session, index, page.url, releases, report, dry_run).saved
                step()
                if not saved:
                    break
                if not dry_run:
                    state.done(page)
        except FetchProblem as problem:
            report.file(problem.url).refusals.append(Problem(problem.url, "", str(problem)))
    return report


def _import_file(session: Session, index: SearchIndex, path: Path, report: ImportReport, dry_run: bool) -> None:
    name = str(path)
    try:
        releases = read_releases(path)
    except FileProblem as problem:
        report.file(name).refusals.append(Problem(name, problem.position, problem.reason))
        return
    import_releases(session, index, name, releases, report, dry_run)


def import_releases(session: Session, index: SearchIndex, name: str, releases: Iterable[FoundRelease],
                    report: ImportReport, dry_run: bool = False) -> FileReport:
    """Save one file's (or one API page's) releases in one transaction, and add its report to `report`."""
    file_report = report.file(name)
    try:
        changed = _save_releases(session, file_report, releases)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except SQLAlchemyError as error:
        session.rollback()
        log.exception("Could not save notices from %s", name)
        file_report.counts, file_report.saved = dict.fromkeys(Outcome, 0), False
        file_report.refusals.append(Problem(name, "", f"nothing from this file was saved ({type(error).__name__})"))
        return file_report
    if changed and not dry_run:
        report.changed_ids.extend(sorted(changed))
        if not sync_opportunities(session, index, sorted(changed)):
            report.index_failed = True
    session.expunge_all()
    return file_report


def _save_releases(session: Session, file_report: FileReport, releases: Iterable[FoundRelease]) -> set[int]:
    name, changed = file_report.file, set()
    for found in releases:
        file_report.read += 1
        ocid = _ocid_of(found.release)
        try:
            if found.problem:
                raise NoticeProblem(found.problem)
            mapped = read_release(found.release, found.package)
            outcome, opportunity = save_notice(session, mapped.notice)
        except NoticeProblem as problem:
            file_report.refusals.append(Problem(name, found.position, "; ".join(problem.reasons), ocid))
            continue
        except PortalOwned:
            file_report.refusals.append(Problem(name, found.position, "an opportunity published on this portal "
                                                "has this ocid, so the notice was not imported", ocid))
            continue
        file_report.warnings.extend(Problem(name, found.position, warning, ocid) for warning in mapped.warnings)
        file_report.counts[outcome] += 1
        _awards_found(opportunity, awards_in(found.release))
        if outcome in (Outcome.CREATED, Outcome.UPDATED):
            changed.add(opportunity.id)
    return changed


def _awards_found(opportunity, awards: list[dict]) -> None:
    """Where an imported notice's awards (plain data from notice_awards.awards_in) will be saved as award records.
    Nothing is stored yet: award records are being added separately."""


def _ocid_of(release) -> str:
    ocid = release.get("ocid") if isinstance(release, dict) else None
    return ocid.strip()[:200] if isinstance(ocid, str) else ""
