"""Other forms of a listed word: "utilised", "utilising" and "utilises" are found through "utilise".

The Snowball English stemmer (the snowballstemmer package) cuts a word to its stem, and a word matches a listed
single word when both have the same stem and the word differs from the listed one only by an ending that makes
another form of the same word (-s, -es, -d, -ed, -ing, -ies, -ied). So "procured" matches "procure", but
"promotion" does not match "promote": a different word can need different advice.
"""

import functools
import threading

import snowballstemmer

_INFLECTIONS = ("s", "es", "d", "ed", "ing", "ies", "ied")
_ENDINGS = frozenset(_INFLECTIONS + ("ying",))

# A Snowball stemmer keeps its working state on itself, so threads (gunicorn's gthread workers) each need their own.
_local = threading.local()


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word.lower())


def is_inflected(word: str) -> bool:
    """Whether a word ends as another form of a base word would ("-ed", "-ing", ...)."""
    return len(word) > 3 and word.lower().endswith(_INFLECTIONS)


def is_form_of(word: str, base: str) -> bool:
    """Whether `word` is `base` with an ending ("utilised" of "utilise", "applied" of "apply"), not a longer word
    that shares its stem ("procurement" is not a form of "procure")."""
    root = base[:-1] if base.endswith(("e", "y")) else base
    if word == base or not word.startswith(root):
        return False
    ending = word[len(root):]
    if len(ending) > 3 and ending[0] == root[-1]:  # a doubled last letter: "committed", "stopping"
        ending = ending[1:]
    return ending in _ENDINGS and stem(word) == stem(base)


def stem_index(keys) -> dict[str, tuple[str, ...]]:
    """The stem of each single-word key, to the keys with that stem."""
    index: dict[str, list[str]] = {}
    for key in keys:
        if " " not in key and len(key) > 2:
            index.setdefault(stem(key), []).append(key)
    return {word_stem: tuple(found) for word_stem, found in index.items()}
