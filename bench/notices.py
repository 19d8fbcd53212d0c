"""The real notices the benchmark learns from (copies in bench/data/, see SOURCES.md).

Reads titles, descriptions, buyers, regions and CPV divisions out of the OCDS releases, repairing the two
known upstream faults in the Contracts Finder file: mis-encoded characters ("â€¯" for a narrow space)
and line breaks turned into the letters "rn" ("the event.rnrnAdditional information").
"""

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from portal import reference

DATA = Path(__file__).parent / "data"
FILES = (
    "contracts-finder-2025/releases-EnglishData.json",
    "find-a-tender-2026/2026-09-03-p001.json",
    "find-a-tender-2026/2026-09-03-p002.json",
)

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_LOST_LINE_BREAK = re.compile(r"(?:rn)+(?=[A-Z0-9•*(-])|(?<=[.:;,)])(?:rn)+|\b(?:rn)+\b|\b(?:rn)+(?=[a-z])")
_WORD_WITH_RN = re.compile(r"\w*rn\w*")
_URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+")
_SPACE = re.compile(r"[\s\u00a0\u202f\u2007]+")


@dataclass(frozen=True)
class Notices:
    titles: tuple[str, ...]
    descriptions: tuple[str, ...]
    buyers: tuple[tuple[str, str | None], ...]  # (name, ITL1 region or None), in order of first appearance
    cpv: tuple[tuple[str, str], ...]  # (division, label of a real code in it), one per classified notice


def clean(text: str | None) -> str:
    if not text:
        return ""
    text = _NON_ASCII_RUN.sub(_repair_encoding, text)
    text = _LOST_LINE_BREAK.sub(" ", text)
    text = _URL_OR_EMAIL.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def _repair_encoding(match: re.Match) -> str:
    """'Â£' -> '£', 'â€¯' -> narrow space: UTF-8 bytes that were read as Windows-1252."""
    run = match.group()
    try:
        return run.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return run


def _releases():
    for name in FILES:
        data = json.loads((DATA / name).read_text(encoding="utf-8"))
        yield from data["releases"] if isinstance(data, dict) else data


def _region_of(release: dict, buyer_party: dict | None) -> str | None:
    """ITL1 code from the buyer's NUTS address code (Find a Tender) or a delivery region name (Contracts Finder)."""
    by_name = {r.name.lower(): r.code for r in reference.regions().values()}
    by_nuts = {r.nuts_code: r.code for r in reference.regions().values()}
    address_region = ((buyer_party or {}).get("address") or {}).get("region") or ""
    if address_region[:3] in by_nuts:
        return by_nuts[address_region[:3]]
    for item in (release.get("tender") or {}).get("items") or []:
        for address in item.get("deliveryAddresses") or []:
            region = address.get("region") or ""
            if region[:3] in by_nuts:
                return by_nuts[region[:3]]
            if region.lower() in by_name:
                return by_name[region.lower()]
    return None


def _classifications(tender: dict):
    yield tender.get("classification")
    for item in tender.get("items") or []:
        yield item.get("classification")
        yield from item.get("additionalClassifications") or []


@cache
def load() -> Notices:
    divisions = reference.cpv_divisions()
    titles, descriptions, buyers, cpv = [], [], {}, []
    seen_titles = set()
    for release in _releases():
        tender = release.get("tender") or {}
        title = clean(tender.get("title"))
        if title and title.lower() not in seen_titles:  # amendments and award updates repeat their notice
            seen_titles.add(title.lower())
            titles.append(title)
            texts = [tender.get("description")] + [lot.get("description") for lot in tender.get("lots") or []]
            descriptions.extend(t for t in map(clean, texts) if len(t.split()) >= 3)
            for classification in _classifications(tender):
                code = str((classification or {}).get("id") or "")
                if (classification or {}).get("scheme", "CPV") == "CPV" and code[:2] in divisions:
                    cpv.append((code[:2], clean(classification.get("description")) or divisions[code[:2]]))
                    break
        parties = {p.get("id"): p for p in release.get("parties") or []}
        buyer = release.get("buyer") or next((p for p in parties.values() if "buyer" in p.get("roles", [])), None)
        name = clean((buyer or {}).get("name"))
        if name and name.lower() not in {b.lower() for b in buyers}:
            buyers[name] = _region_of(release, parties.get((buyer or {}).get("id")))
    descriptions = _split_joined_words(descriptions, titles)
    return Notices(tuple(titles), tuple(descriptions), tuple(buyers.items()), tuple(cpv))


def _split_joined_words(texts: list[str], other_texts: list[str]) -> list[str]:
    """'inrnprocessing' -> 'in processing', 'materialrn' -> 'material': a rare word that falls apart into
    common words (or numbers) at its "rn"s was two words and a lost line break."""
    words = Counter(w.lower() for text in [*texts, *other_texts] for w in re.findall(r"\w+", text))

    def known(part: str) -> bool:
        return part == "" or part.isdigit() or words[part.lower()] > 0

    def split(match: re.Match) -> str:
        word = match.group()
        parts = re.split(r"(?:rn)+", word)
        if words[word.lower()] <= 2 and any(parts) and all(map(known, parts)):
            return " ".join(p for p in parts if p)
        return word
    return [_SPACE.sub(" ", _WORD_WITH_RN.sub(split, text)).strip() for text in texts]
