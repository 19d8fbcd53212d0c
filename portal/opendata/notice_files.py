"""Finding notice files and reading the OCDS releases in them, each with its position in the file.

A file may hold a release package ({"releases": [...]}), a record package ({"records": [...]}), one record
({"compiledRelease": ..., "releases": [...]}), one release, or a JSON list of releases. From a record we take
its compiledRelease when it has one, otherwise each of its releases.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    file: str
    position: str  # "releases[3]", "line 4 column 2", or "" for the whole file
    reason: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.position, self.reason) if part)


@dataclass(frozen=True)
class FoundRelease:
    position: str
    release: object  # checked by the mapping, which reports anything that is not a release
    problem: str | None = None  # set when the position holds nothing we could try to import


class FileProblem(Exception):
    """The whole file cannot be read."""

    def __init__(self, reason: str, position: str = ""):
        super().__init__(reason)
        self.reason, self.position = reason, position


def notice_files(paths: list[str]) -> Iterator[Path | Problem]:
    """Each file named, and every .json file under each folder named, in a stable order."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".json"
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                yield Problem(name, "", "no .json files in this folder")
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
        with path.open(encoding="utf-8-sig") as f:
            data = json.load(f)
    except json.JSONDecodeError as error:
        raise FileProblem(f"not valid JSON ({error.msg})", f"line {error.lineno} column {error.colno}") from None
    except UnicodeDecodeError:
        raise FileProblem("not UTF-8 text") from None
    except RecursionError:
        raise FileProblem("nested too deeply to read") from None
    return list(_releases_in(data))


def _releases_in(data) -> Iterator[FoundRelease]:
    if isinstance(data, list):
        yield from (FoundRelease(f"[{i}]", release) for i, release in enumerate(data))
    elif not isinstance(data, dict):
        raise FileProblem("not an OCDS release package, record package or release")
    elif "records" in data:
        if not isinstance(data["records"], list):
            raise FileProblem("'records' is not a list")
        for i, record in enumerate(data["records"]):
            yield from _record_releases(record, f"records[{i}]")
    elif "compiledRelease" in data or "versionedRelease" in data:
        yield from _record_releases(data, "")
    elif "releases" in data:
        if not isinstance(data["releases"], list):
            raise FileProblem("'releases' is not a list")
        yield from (FoundRelease(f"releases[{i}]", release) for i, release in enumerate(data["releases"]))
    elif "ocid" in data or "tag" in data or "tender" in data:
        yield FoundRelease("", data)
    else:
        raise FileProblem("not an OCDS release package, record package or release")


def _record_releases(record, position: str) -> Iterator[FoundRelease]:
    where = f"{position}." if position else ""
    if not isinstance(record, dict):
        yield FoundRelease(position, record)
        return
    compiled = record.get("compiledRelease")
    if isinstance(compiled, dict):
        yield FoundRelease(f"{where}compiledRelease", _with_ocid(compiled, record))
        return
    releases = record.get("releases")
    if not isinstance(releases, list) or not releases:
        yield FoundRelease(position or "record", None, "a record with neither a compiledRelease nor releases")
        return
    for i, release in enumerate(releases):
        yield FoundRelease(f"{where}releases[{i}]", _with_ocid(release, record))


def _with_ocid(release, record: dict):
    """A record's release without its own ocid takes the record's."""
    if isinstance(release, dict) and not release.get("ocid") and record.get("ocid"):
        return {**release, "ocid": record["ocid"]}
    return release
