"""Finding notice files and reading the OCDS releases in them, each with its position in the file.

A file may hold a release package ({"releases": [...]}), a record package ({"records": [...]}), one record
({"compiledRelease": ..., "releases": [...]}), one release, or a JSON list of releases; or JSON Lines (.jsonl,
.ndjson, or a .json file with one JSON value per line) of any of these. From a record we take its compiledRelease
when it has one, otherwise each of its embedded releases. Each release keeps its package's publisher and uri,
which say where it came from.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024
SUFFIXES = {".json", ".jsonl", ".ndjson", ".jsonlines"}
LINES_SUFFIXES = SUFFIXES - {".json"}


@dataclass(frozen=True)
class Problem:
    file: str
    position: str  # "releases[3]", "line 4 column 2", or "" for the whole file
    reason: str  # every reason, separated by "; "
    ocid: str = ""

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.position, self.ocid, self.reason) if part)


@dataclass(frozen=True)
class FoundRelease:
    position: str
    release: object  # checked by the mapping, which reports anything that is not a release
    problem: str | None = None  # set when the position holds nothing we could try to import
    package: dict = field(default_factory=dict)  # the package's publisher and uri, when it has them


class FileProblem(Exception):
    """The whole file cannot be read."""

    def __init__(self, reason: str, position: str = ""):
        super().__init__(reason)
        self.reason, self.position = reason, position


def notice_files(paths: list[str]) -> Iterator[Path | Problem]:
    """Each file named, and every .json or JSON Lines file under each folder named, in a stable order."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                yield Problem(name, "", "no .json or .jsonl files in this folder")
            yield from found
        elif path.is_file():
            yield path
        else:
            yield Problem(name, "", "no such file or folder")


def read_releases(path: Path) -> list[FoundRelease]:
    """Every release in the file. Raises FileProblem when the file is too big, not JSON or not OCDS."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        megabytes, limit = size / 1024 / 1024, MAX_FILE_BYTES / 1024 / 1024
        raise FileProblem(f"the file is {megabytes:.1f} MB, more than the {limit:g} MB limit; split it into smaller packages")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem("not UTF-8 text") from None
    return releases_in_text(text, json_lines=path.suffix.lower() in LINES_SUFFIXES)


def releases_in_text(text: str, json_lines: bool = False) -> list[FoundRelease]:
    """Every release in a JSON document, or in JSON Lines (also when a .json file turns out to hold them)."""
    if not json_lines:
        try:
            return list(_releases_in(_parse(text)))
        except json.JSONDecodeError as error:
            if error.msg != "Extra data":
                raise FileProblem(f"not valid JSON ({error.msg})", f"line {error.lineno} column {error.colno}") from None
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = _parse(line)
        except json.JSONDecodeError as error:
            found.append(FoundRelease(f"line {number}", None, f"not valid JSON ({error.msg})"))
            continue
        try:
            found.extend(_on_line(release, number) for release in _releases_in(data))
        except FileProblem as problem:
            found.append(FoundRelease(f"line {number}", None, problem.reason))
    if not found:
        raise FileProblem("no JSON in this file")
    return found


def releases_in_data(data) -> list[FoundRelease]:
    """Every release in parsed JSON (an API page). Raises FileProblem when it is not OCDS."""
    return list(_releases_in(data))


def _parse(text: str):
    try:
        return json.loads(text)
    except RecursionError:
        raise FileProblem("nested too deeply to read") from None


def _on_line(found: FoundRelease, number: int) -> FoundRelease:
    position = f"line {number}" + (f" {found.position}" if found.position else "")
    return FoundRelease(position, found.release, found.problem, found.package)


def _releases_in(data) -> Iterator[FoundRelease]:
    if isinstance(data, list):
        yield from (FoundRelease(f"[{i}]", release) for i, release in enumerate(data))
    elif not isinstance(data, dict):
        raise FileProblem("not an OCDS release package, record package or release")
    elif "records" in data:
        if not isinstance(data["records"], list):
            raise FileProblem("'records' is not a list")
        package = _package_of(data)
        for i, record in enumerate(data["records"]):
            yield from _record_releases(record, f"records[{i}]", package)
    elif "compiledRelease" in data or "versionedRelease" in data:
        yield from _record_releases(data, "", {})
    elif "releases" in data:
        if not isinstance(data["releases"], list):
            raise FileProblem("'releases' is not a list")
        package = _package_of(data)
        yield from (FoundRelease(f"releases[{i}]", release, package=package) for i, release in enumerate(data["releases"]))
    elif "ocid" in data or "tag" in data or "tender" in data:
        yield FoundRelease("", data)
    else:
        raise FileProblem("not an OCDS release package, record package or release")


def _package_of(data: dict) -> dict:
    return {key: data[key] for key in ("publisher", "uri") if key in data}


def _record_releases(record, position: str, package: dict) -> Iterator[FoundRelease]:
    where = f"{position}." if position else ""
    if not isinstance(record, dict):
        yield FoundRelease(position, record, package=package)
        return
    compiled = record.get("compiledRelease")
    if isinstance(compiled, dict):
        yield FoundRelease(f"{where}compiledRelease", _with_ocid(compiled, record), package=package)
        return
    releases = record.get("releases")
    if not isinstance(releases, list) or not releases:
        yield FoundRelease(position or "record", None, "a record with neither a compiledRelease nor releases", package)
        return
    for i, release in enumerate(releases):
        yield FoundRelease(f"{where}releases[{i}]", _with_ocid(release, record), package=package)


def _with_ocid(release, record: dict):
    """A record's release without its own ocid takes the record's."""
    if isinstance(release, dict) and not release.get("ocid") and record.get("ocid"):
        return {**release, "ocid": record["ocid"]}
    return release
