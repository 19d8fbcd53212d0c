"""The UK's local authorities current today (mySociety's list, CC-BY-4.0; see portal/reference_data/SOURCES.md), and
finding one by any name people use for it: "Camden", "London Borough of Camden", "Kent County Council"."""

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Authority:
    code: str  # mySociety's three- or four-letter code, "CMD"
    name: str  # "Camden"
    official_name: str  # "London Borough of Camden"
    nation: str
    region_code: str  # ITL1, "TLI"
    kind: str  # "London borough", "County", "Non-metropolitan district", "Combined authority"…
    county: str  # a district's county council, "KEN"; empty otherwise
    combined_authority: str  # "GMCA", "GLA"; empty when it belongs to none
    other_names: tuple[str, ...]


def _key(name: str) -> str:
    """Names compared without case, punctuation or extra spaces, "&" read as "and"."""
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower().replace("&", " and ")).split())


@cache
def authorities() -> dict[str, Authority]:
    with resources.files("portal.reference_data").joinpath("uk_local_authorities.csv").open(encoding="utf-8") as f:
        return {row["code"]: Authority(
            code=row["code"], name=row["name"], official_name=row["official_name"], nation=row["nation"],
            region_code=row["region_code"], kind=row["kind"], county=row["county"],
            combined_authority=row["combined_authority"],
            other_names=tuple(n for n in row["other_names"].split("|") if n),
        ) for row in csv.DictReader(f)}


@cache
def _by_name() -> dict[str, str]:
    found: dict[str, str] = {}
    for authority in authorities().values():
        for name in (authority.name, authority.official_name, *authority.other_names):
            found.setdefault(_key(name), authority.code)  # a name two authorities share goes to the first
    return found


def get(code: str) -> Authority | None:
    return authorities().get(code)


def find(name: str) -> Authority | None:
    """The authority a name means, or None."""
    code = _by_name().get(_key(name or ""))
    return authorities()[code] if code else None


def name_of(code: str) -> str:
    authority = get(code)
    return authority.name if authority else code


def mentioned_in(text: str, longest: int = 5) -> list[Authority]:
    """Authorities named in a piece of text, longest names first: "home care in Kent" names Kent."""
    words = _key(text or "").split()
    found, used = [], set()
    for size in range(min(longest, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if used & set(range(start, start + size)):
                continue
            authority = find(" ".join(words[start:start + size]))
            if authority is not None and authority not in found:
                found.append(authority)
                used |= set(range(start, start + size))
    return found


def covered_by(codes) -> set[str]:
    """The areas a set of authorities covers, as a search filter counts them: a county covers its districts and a
    combined authority its members; a district or member is also part of its county or combined authority, so work
    tagged "Canterbury" is found under "Kent" and work tagged "Kent" under "Canterbury"."""
    chosen = {code for code in codes if code in authorities()}
    covered = set(chosen)
    for authority in authorities().values():
        if authority.county in chosen or authority.combined_authority in chosen:
            covered.add(authority.code)
        if authority.code in chosen:
            covered |= {parent for parent in (authority.county, authority.combined_authority) if parent in authorities()}
    return covered


class UnknownPlaces(ValueError):
    """Names that are not local authorities, each with the closest names we know, if any."""

    def __init__(self, unknown: dict[str, list[str]]):
        self.unknown = unknown
        super().__init__("; ".join(
            f"We do not know a council called \u201c{name}\u201d" + (f". Did you mean {' or '.join(close)}?" if close else "")
            for name, close in unknown.items()))


def codes_for(names: list[str]) -> list[str]:
    """Authorities' codes, in the order named and once each, from names or codes; UnknownPlaces lists those that
    are neither."""
    codes, unknown = [], {}
    for name in (n.strip() for n in names):
        if not name:
            continue
        authority = get(name.upper()) or find(name)
        if authority is None:
            unknown[name] = closest(name)
        elif authority.code not in codes:
            codes.append(authority.code)
    if unknown:
        raise UnknownPlaces(unknown)
    return codes


def closest(name: str, limit: int = 2) -> list[str]:
    import difflib

    names = {authority.name.lower(): authority.name for authority in authorities().values()}
    return [names[found] for found in difflib.get_close_matches(_key(name), list(names), n=limit, cutoff=0.75)]
