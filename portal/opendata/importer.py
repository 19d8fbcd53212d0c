"""Importing Contracts Finder and Find a Tender notices (OCDS) as read-only opportunities.

Each file is saved in one transaction; a release that cannot be imported is reported with its file and
position and the rest still import. After each commit the search index is brought up to date; if that
fails the rows are kept and `flask --app portal reindex` repairs the index.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from portal.search import SearchIndex
from portal.opendata.notice_files import FileProblem, Problem, notice_files, read_releases
from portal.opendata.ocds_mapping import NoticeProblem, map_release
from portal.services.indexing import sync_opportunities
from portal.services.notices import Outcome, PortalOwned, save_notice

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    problems: list[Problem] = field(default_factory=list)
    index_failed: bool = False
    changed_ids: list[int] = field(default_factory=list)


def import_notices(engine, index: SearchIndex, paths: list[str]) -> ImportReport:
    report = ImportReport()
    with Session(engine) as session:
        for found in notice_files(paths):
            if isinstance(found, Problem):
                report.problems.append(found)
            else:
                _import_file(session, index, found, report)
    return report


def _import_file(session: Session, index: SearchIndex, path: Path, report: ImportReport) -> None:
    name = str(path)
    try:
        releases = read_releases(path)
    except FileProblem as problem:
        report.problems.append(Problem(name, problem.position, problem.reason))
        return
    try:
        counts, problems, changed = _save_releases(session, name, releases)
        session.commit()
    except SQLAlchemyError as error:
        session.rollback()
        log.exception("Could not save notices from %s", name)
        report.problems.append(Problem(name, "", f"nothing from this file was saved ({type(error).__name__})"))
        return
    for outcome, number in counts.items():
        report.counts[outcome] += number
    report.problems.extend(problems)
    if changed:
        report.changed_ids.extend(sorted(changed))
        if not sync_opportunities(session, index, sorted(changed)):
            report.index_failed = True
    session.expunge_all()


def _save_releases(session: Session, name: str, releases) -> tuple[dict, list[Problem], set[int]]:
    counts, problems, changed = dict.fromkeys(Outcome, 0), [], set()
    for found in releases:
        try:
            if found.problem:
                raise NoticeProblem(found.problem)
            outcome, opportunity = save_notice(session, map_release(found.release))
        except NoticeProblem as problem:
            problems.append(Problem(name, found.position, str(problem)))
            continue
        except PortalOwned as owned:
            problems.append(Problem(name, found.position, f"{owned}: an opportunity published on this portal "
                                                          "has this ocid, so the notice was not imported"))
            continue
        counts[outcome] += 1
        if outcome in (Outcome.CREATED, Outcome.UPDATED):
            changed.add(opportunity.id)
    return counts, problems, changed
