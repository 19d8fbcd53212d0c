"""Abbreviations in capitals that a reader may not know: "MTFS", "HACCP", "TUPE".

A word of 2 to 6 capital letters (a plural "s" allowed, as in "SMEs") is reported unless:
- the text spells it out, with the letters in brackets next to the words: "Medium Term Financial Strategy (MTFS)"
  or "MTFS (Medium Term Financial Strategy)", anywhere in any field;
- it is in the portal's glossary (content/glossary.yaml), whose page explains it;
- it is one most readers know (data/common_acronyms.txt: UK, NHS, VAT, ...);
- it is a Roman numeral, or part of a run of three or more words in capitals (a heading in capitals).
Each abbreviation is reported once in each field, where it is first used.
"""

import functools
import re
from pathlib import Path

import yaml

from portal.plain.phrases import DATA_DIR
from portal.plain.report import PhraseHit
from portal.plain.text import Token

ACRONYM = re.compile(r"^([A-Z]{2,6})s?$")
_ROMAN = frozenset({"II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII"})


@functools.cache
def common_acronyms() -> frozenset[str]:
    lines = (DATA_DIR / "common_acronyms.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def glossary_acronyms(path: Path) -> frozenset[str]:
    """Every word in capitals in the glossary's terms and other names ("SME", "ITT", and "CPV" from "CPV code")."""
    try:
        stat = path.stat()
        return _read_glossary_acronyms(str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return frozenset()


@functools.lru_cache(maxsize=8)
def _read_glossary_acronyms(path: str, _mtime: int, _size: int) -> frozenset[str]:
    try:
        items = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return frozenset()
    names = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            names.append(str(item.get("term") or ""))
            also = item.get("also_called") or []
            names.extend(str(name) for name in (also if isinstance(also, list) else []))
    return frozenset(re.findall(r"\b[A-Z]{2,6}\b", " ".join(names)))


def _defined(acronym: str, texts: str) -> bool:
    name = re.escape(acronym)
    return re.search(rf"\(\s*{name}s?\s*\)|\b{name}s?\s*\(\s*[A-Za-z]", texts) is not None


def _shouted(text: str, tokens: list[Token]) -> set[int]:
    """The places of words in runs of three or more capitalised words with only spaces between ("WHAT WE WANT")."""
    shouted, run = set(), []
    for i, token in enumerate(tokens + [Token("", len(text), len(text))]):
        joined = run and text[tokens[run[-1]].end:token.start].isspace()
        if token.text.isupper() and len(token.text) > 1 and (not run or joined):
            run.append(i)
            continue
        if len(run) >= 3:
            shouted.update(run)
        run = [i] if token.text.isupper() and len(token.text) > 1 else []
    return shouted


def find_acronyms(text: str, tokens: list[Token], all_texts: str, known: frozenset[str], taken: list[tuple[int, int]],
                  field: str | None = None) -> list[PhraseHit]:
    """The unexplained abbreviations in one field's `text`; `all_texts` is every field, for definitions."""
    hits, seen = [], set()
    shouted = _shouted(text, tokens)
    for i, token in enumerate(tokens):
        match = ACRONYM.match(token.text)
        if not match:
            continue
        acronym = match.group(1)
        if (acronym in seen or acronym in known or token.text in known or acronym in _ROMAN or i in shouted
                or any(start <= token.start < end for start, end in taken) or _defined(acronym, all_texts)):
            continue
        seen.add(acronym)
        advice = (f'Write "{acronym}" out in full the first time you use it, with "{acronym}" in brackets after '
                  "it, or use plain words instead.")
        hits.append(PhraseHit(token.text, token.start, token.end, "acronym", (), advice, None, ("acronyms",), field))
    return hits
