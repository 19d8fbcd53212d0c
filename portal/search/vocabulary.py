"""Search in suppliers' own words: the vocabulary of content/vocabulary.yaml, and a query expanded with it.

A query becomes a list of concepts, one per word typed or per phrase the vocabulary knows ("older people"). Each
concept is matched by any of its alternatives: the words typed (full weight) or a term from the same vocabulary group
(EXPANDED_WEIGHT, so typed words rank higher). An alternative of several words matches a document holding all of
them. Backends only apply the concepts: tantivy, Whoosh and PostgreSQL each analyse the alternatives their own way.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from whoosh.analysis import STOP_WORDS, StemmingAnalyzer

from portal.config import PROJECT_ROOT

VOCABULARY_FILE = PROJECT_ROOT / "content" / "vocabulary.yaml"
EXPANDED_WEIGHT = 0.5
MAX_TERM_LENGTH = 60
LONGEST_PHRASE = 8  # words in the longest term looked for in a query
TERM = re.compile(r"^[a-z0-9][a-z0-9 '\-]*$")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

# Only to compare words with vocabulary terms ("pensioner" is "pensioners"): not any backend's index analyser.
_stemmer = StemmingAnalyzer(stoplist=None, minsize=1)


class VocabularyError(ValueError):
    """A malformed vocabulary file: the message names the file and the group that is wrong."""


@dataclass(frozen=True)
class Alternative:
    text: str  # words, each backend analyses them as its index does
    weight: float


@dataclass(frozen=True)
class Concept:
    typed: str  # the words typed
    alternatives: tuple[Alternative, ...]  # the typed words first

    @property
    def expanded(self) -> bool:
        return len(self.alternatives) > 1


def _key(text: str) -> tuple[str, ...]:
    return tuple(token.text for token in _stemmer(text.replace("'", "").replace("’", "")))


class Vocabulary:
    def __init__(self, groups: list[tuple[str, ...]]):
        self.groups = groups
        self._by_key: dict[tuple[str, ...], list[int]] = {}
        for number, group in enumerate(groups):
            for term in group:
                self._by_key.setdefault(_key(term), []).append(number)
        self.words = frozenset(word for key in self._by_key for word in key)

    def knows(self, word: str) -> bool:
        """Whether a word is part of any term (so "did you mean" must leave it alone)."""
        return bool(_key(word)) and all(part in self.words for part in _key(word))

    def related(self, text: str) -> list[str]:
        """The other terms of every group holding `text`, in file order."""
        key = _key(text)
        found = []
        for number in self._by_key.get(key, ()):
            found.extend(term for term in self.groups[number] if _key(term) != key and term not in found)
        return found

    def concepts(self, text: str) -> list[Concept]:
        """The query as concepts: the longest known phrase at each point, else one word."""
        words = WORD.findall(text.lower())
        concepts, seen, i = [], set(), 0
        while i < len(words):
            for length in range(min(LONGEST_PHRASE, len(words) - i), 0, -1):
                typed = " ".join(words[i:i + length])
                key = _key(typed)
                if not key or (length == 1 and typed in STOP_WORDS):
                    if length == 1:
                        break  # a stop word on its own is nothing to look for
                    continue
                if length == 1 or key in self._by_key:
                    if key not in seen:
                        seen.add(key)
                        alternatives = [Alternative(typed, 1.0)]
                        alternatives += [Alternative(term, EXPANDED_WEIGHT) for term in self.related(typed)]
                        concepts.append(Concept(typed, tuple(alternatives)))
                    break
            i += length
        return concepts


def parse(data, source: str) -> Vocabulary:
    """Check the file's content; raise VocabularyError naming the file and the group for anything malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        raise VocabularyError(f"{source}: expected a list called 'groups'")
    groups = []
    for number, group in enumerate(data["groups"], 1):
        where = f"{source}: group {number}"
        if not isinstance(group, list) or len(group) < 2:
            raise VocabularyError(f"{where} must be a list of at least two terms in brackets, not {group!r}")
        terms = []
        for term in group:
            if not isinstance(term, str) or not term.strip():
                raise VocabularyError(f"{where}: every term must be words, not {term!r}")
            term = " ".join(term.lower().split())
            if len(term) > MAX_TERM_LENGTH:
                raise VocabularyError(f"{where}: {term[:20]!r}… is longer than {MAX_TERM_LENGTH} characters")
            if not TERM.match(term) or not _key(term):
                raise VocabularyError(f"{where}: {term!r} may use only letters, numbers, spaces, hyphens and apostrophes")
            if term in terms:
                raise VocabularyError(f"{where}: {term!r} appears twice")
            terms.append(term)
        groups.append(tuple(terms))
    return Vocabulary(groups)


def load(path: Path = VOCABULARY_FILE) -> Vocabulary:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise VocabularyError(f"{path}: not valid YAML ({error})") from error
    return parse(data, str(path))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The portal's vocabulary, read once per process."""
    return load()


def concepts(text: str) -> list[Concept]:
    return vocabulary().concepts(text)


def knows(word: str) -> bool:
    return vocabulary().knows(word)
