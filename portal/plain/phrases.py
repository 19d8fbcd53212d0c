"""Wordy phrases, words to avoid and procurement terms, with plainer alternatives.

The lists (sources and licences in data/SOURCES.md):
- data/retext-simplify-8.0.0-patterns.json: wordy words with plainer ones ("utilise" → "use"), kind "simpler";
- data/govuk_words_to_avoid.csv: the GOV.UK style guide's words to avoid, kind "avoid";
- data/portal_phrases.csv: our replacements for those, and a few more ("stakeholders"), kind "simpler";
- data/public_sector_jargon.csv: public-sector jargon, each with a plain alternative ("cost envelope"), "simpler";
- data/advice_corrections.csv: our corrections, which replace every other list's entry for the same phrase;
- the portal glossary, content/glossary.yaml, read when checking (so edits show at once): kind "term";
- data/not_jargon.txt: everyday words and phrases that are never reported ("a lot of", "buyer").

Matching is case-insensitive, on whole words, and also finds plurals ending -s or -es, and other forms of a listed
single word ("leveraged", "utilising"; see wordforms.py; glossary terms excepted). "It is" is reported only as a
dummy subject starting a sentence ("It is important that ..."). Acronyms in the glossary
(ITT, MEAT) match only in capitals, so "meat" in a catering brief is not a procurement term. The words of a
phrase must be separated by spaces only: "in order. To" is not "in order to". Reading left to right, the longest
listed phrase that starts at a word wins and uses up its words, so hits never overlap; when several lists give
the same phrase, they make one hit with their suggestions merged.
"""

import csv
import functools
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

from portal.config import PROJECT_ROOT
from portal.plain.report import PhraseHit
from portal.plain.text import Token, squash, words
from portal.plain.wordforms import is_form_of, is_inflected, stem, stem_index

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_GLOSSARY_PATH = PROJECT_ROOT / "content" / "glossary.yaml"

_PRECEDENCE = ("term", "avoid", "simpler")


@dataclass(frozen=True)
class Entry:
    kind: str  # "term", "avoid", "simpler" or "ignore"
    source: str
    replacements: tuple[str, ...] = ()
    can_omit: bool = False
    note: str = ""
    definition: str | None = None
    capitals_only: bool = False
    advice: str = ""  # advice that replaces the advice made from the replacements


Lexicon = dict[str, list[Entry]]


def key_of(phrase: str) -> str:
    """The lookup key of a phrase: its words, lower case, joined by single spaces."""
    return " ".join(_normal(token.text) for token in words(phrase))


def _normal(word: str) -> str:
    return word.lower().replace("’", "'")


def _add(lexicon: Lexicon, phrase: str, entry: Entry) -> None:
    key = key_of(phrase)
    if key:
        lexicon.setdefault(key, []).append(entry)


@functools.cache
def builtin_lexicon() -> Lexicon:
    """Every list except the glossary, loaded once."""
    lexicon: Lexicon = {}
    patterns = json.loads((DATA_DIR / "retext-simplify-8.0.0-patterns.json").read_text(encoding="utf-8"))
    for phrase, pattern in patterns.items():
        _add(lexicon, phrase, Entry("simpler", "retext-simplify", tuple(pattern.get("replace", ())),
                                    can_omit=bool(pattern.get("omit"))))
    with (DATA_DIR / "govuk_words_to_avoid.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            for phrase in row["term"].split("/"):  # "commit/pledge" is two words to avoid
                _add(lexicon, phrase, Entry("avoid", "govuk", note=row["guidance"].strip()))
    with (DATA_DIR / "portal_phrases.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            _add(lexicon, row["term"], Entry("simpler", "portal", _choices(row["replacements"]), note=row["note"].strip()))
    with (DATA_DIR / "public_sector_jargon.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            _add(lexicon, row["term"], Entry("simpler", "portal", _choices(row["plain"])))
    with (DATA_DIR / "advice_corrections.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):  # our corrections win over every other list's entry for the same phrase
            lexicon.pop(key_of(row["term"]), None)
            if row["replacements"].strip() != "-":
                _add(lexicon, row["term"], Entry("simpler", "portal", _choices(row["replacements"]),
                                                 advice=row["advice"].strip()))
    for line in (DATA_DIR / "not_jargon.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            _add(lexicon, line.strip(), Entry("ignore", "portal"))
    return lexicon


def _choices(text: str) -> tuple[str, ...]:
    return tuple(choice.strip() for choice in text.split(";") if choice.strip())


_glossary_cache: dict[str, tuple[tuple[int, int], Lexicon]] = {}
_glossary_lock = threading.Lock()


def glossary_lexicon(path: str | Path | None = None) -> Lexicon:
    """The glossary's terms and their other names. Read again whenever the file changes; a missing or broken
    glossary gives no terms (and a warning in the log) rather than an error."""
    path = Path(path) if path is not None else DEFAULT_GLOSSARY_PATH
    try:
        stat = path.stat()
        signature = (stat.st_mtime_ns, stat.st_size)
        with _glossary_lock:
            cached = _glossary_cache.get(str(path))
        if cached and cached[0] == signature:
            return cached[1]
        lexicon = _read_glossary(path)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        log.warning("Plain-language checker: glossary %s not read: %s", path, error)
        return {}
    with _glossary_lock:
        _glossary_cache[str(path)] = (signature, lexicon)
    return lexicon


def _read_glossary(path: Path) -> Lexicon:
    lexicon: Lexicon = {}
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("term"), str):
            continue
        term, definition = item["term"].strip(), squash(str(item.get("definition") or "")) or None
        _add(lexicon, term, Entry("term", "glossary", definition=definition, capitals_only=_is_acronym(term)))
        other_names = item.get("also_called") or []
        for name in other_names if isinstance(other_names, list) else []:
            name = str(name).strip()
            _add(lexicon, name, Entry("term", "glossary", (term,), definition=definition,
                                      capitals_only=_is_acronym(name)))
    return lexicon


def _is_acronym(name: str) -> bool:
    return len(name) >= 2 and " " not in name and name.isupper()


def find_phrases(text: str, tokens: list[Token], lexicons: list[Lexicon], field: str | None = None) -> list[PhraseHit]:
    """Every listed phrase in `text` (already split into `tokens`), left to right, without overlaps."""
    if not tokens:
        return []
    listed = {key for lexicon in lexicons for key in lexicon}
    # Every key's leading words ("in", "in order", "in order to"), so a phrase only grows while it can still match.
    prefixes = {" ".join(key.split(" ")[:n]) for key in listed for n in range(1, key.count(" ") + 2)}
    keys = [_normal(token.text) for token in tokens]

    hits: list[PhraseHit] = []
    i = 0
    while i < len(tokens):
        size, entries = 0, []
        phrase = ""
        for n in range(1, len(tokens) - i + 1):
            if n > 1 and not text[tokens[i + n - 2].end:tokens[i + n - 1].start].isspace():
                break
            last = keys[i + n - 1]
            phrase = f"{phrase} {last}" if phrase else last
            stem = phrase[: len(phrase) - len(last)]
            leading = phrase[: len(phrase) - len(last)]
            if phrase in listed or any(leading + singular in listed for singular in _singular(last)):
                found = _lookup(keys[i:i + n], tokens[i:i + n], lexicons)
                if found and _fits_context(phrase, text, tokens, i, n):
                    size, entries = n, found
            if phrase not in prefixes:
                break
        if not entries and is_inflected(keys[i]):
            size, entries = 1, _lookup_by_stem(keys[i], lexicons)
        if not entries:
            i += 1
            continue
        if not any(entry.kind == "ignore" for entry in entries):
            start, end = tokens[i].start, tokens[i + size - 1].end
            hits.append(_hit(squash(text[start:end]), start, end, entries, field))
        i += size
    return hits


_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "our", "your", "their", "my", "one", "not", "also"})


def _fits_context(phrase: str, text: str, tokens: list[Token], i: int, size: int) -> bool:
    """ "It is ..." is only worth rewording as a dummy subject that starts a sentence ("It is important that you
    reply"), never in "how easy it is" or "it is a service for"."""
    if not phrase.startswith("it is"):
        return True
    before = text[:tokens[i].start].rstrip().rstrip("\"'‘’“”(")
    if before and before[-1] not in ".!?:;\n" and text[:tokens[i].start].count("\n") == before.count("\n"):
        return False
    following = [token.text.lower() for token in tokens[i + size:i + size + 4]]
    if phrase != "it is" and following:  # "It is essential that ..."
        return True
    if not following or following[0] in _DETERMINERS:
        return False
    return any(word in ("that", "to", "for") for word in following[1:])


_stem_indexes: dict[int, tuple[Lexicon, dict[str, tuple[str, ...]]]] = {}


def _lookup_by_stem(word: str, lexicons: list[Lexicon]) -> list[Entry]:
    """The entries of listed single words that `word` is another form of ("leveraged" → "leverage")."""
    word_stem = stem(word)
    entries = []
    for lexicon in lexicons:
        cached = _stem_indexes.get(id(lexicon))
        if cached is None or cached[0] is not lexicon:
            cached = _stem_indexes[id(lexicon)] = (lexicon, stem_index(lexicon))
        for key in cached[1].get(word_stem, ()):
            if is_form_of(word, key):
                # Glossary terms are names, matched as written (and plural): "awarded" is not the term "award".
                entries.extend(entry for entry in lexicon[key] if entry.kind != "term")
    return entries


def _singular(word: str) -> set[str]:
    forms = set()
    if len(word) > 3 and word.endswith("s"):
        forms.add(word[:-1])
        if len(word) > 4 and word.endswith("es"):
            forms.add(word[:-2])
    return forms


def _lookup(keys: list[str], tokens: list[Token], lexicons: list[Lexicon]) -> list[Entry]:
    exact = " ".join(keys)
    candidates = [(exact, tokens[-1].text)]
    for singular in sorted(_singular(keys[-1]), key=len, reverse=True):
        candidates.append((" ".join(keys[:-1] + [singular]), tokens[-1].text[: len(singular)]))
    for key, last_word in candidates:
        entries = [entry for lexicon in lexicons for entry in lexicon.get(key, ())
                   if not entry.capitals_only or (len(tokens) == 1 and last_word.isupper())]
        if entries:
            return entries
    return []


def _hit(phrase: str, start: int, end: int, entries: list[Entry], field: str | None) -> PhraseHit:
    kind = next(kind for kind in _PRECEDENCE if any(entry.kind == kind for entry in entries))
    replacements = tuple(dict.fromkeys(
        r for entry in entries for r in entry.replacements if r.lower() != phrase.lower()))
    sources = tuple(dict.fromkeys(entry.source for entry in entries))
    definition = next((entry.definition for entry in entries if entry.definition), None)
    return PhraseHit(phrase, start, end, kind, replacements, _advice(phrase, entries, replacements),
                     definition, sources, field)


def _quoted_choices(choices: tuple[str, ...]) -> str:
    quoted = [f'"{choice}"' for choice in choices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _advice(phrase: str, entries: list[Entry], replacements: tuple[str, ...]) -> str:
    parts = []
    terms = [entry for entry in entries if entry.kind == "term"]
    if terms:
        plain_names = tuple(dict.fromkeys(r for entry in terms for r in entry.replacements
                                          if r.lower() != phrase.lower()))
        if plain_names:
            parts.append(f"Explain this term or use the plain version: {_quoted_choices(plain_names)}.")
        else:
            parts.append("Explain this term the first time you use it.")
        replacements = tuple(r for r in replacements if r not in plain_names)
    written = next((entry.advice for entry in entries if entry.advice), "")
    if written:
        return " ".join(parts + [written])
    notes = [entry.note for entry in entries if entry.kind == "avoid" and entry.note]
    if any(entry.kind == "avoid" for entry in entries):
        parts.append(f'GOV.UK style says avoid "{phrase}"' + (f" ({'; '.join(notes)})." if notes else "."))
    can_omit = any(entry.can_omit for entry in entries)
    if replacements:
        parts.append(f"Try {_quoted_choices(replacements)}" + (", or leave it out." if can_omit else " instead."))
    elif can_omit:
        parts.append("Try leaving it out.")
    elif not parts:
        parts.append("Use a plainer word.")
    return " ".join(parts)
