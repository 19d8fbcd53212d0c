"""The plain-language checker: reading age, long sentences, passive voice, wordy phrases and procurement terms.

Plain Python with no Flask: `check(text)` returns a frozen `Report` (`report.to_dict()` for JSON; `by_field()`).
From the command line: `python -m portal.plain FILE [FILE...]` (`-` reads standard input; `--json` for JSON);
`python -m portal.plain --evaluate` measures precision and recall on the evaluation set.
Word lists and their sources are in `data/` (see `data/SOURCES.md`).
"""

import importlib

from portal.plain.readability import about as about_reading_age
from portal.plain.readability import describe as describe_reading_age
from portal.plain.report import LongSentence, PassiveHint, PhraseHit, Report, WordLimit

# The checker and its word lists (tens of megabytes) load at first use, not at import: a web worker that only
# shows pages (with stored reading ages) never needs them.
_LATER = {"check": "checker", "LONG_SENTENCE_WORDS": "checker", "DEFAULT_GLOSSARY_PATH": "phrases"}


def __getattr__(name: str):
    if name in _LATER:
        return getattr(importlib.import_module(f"portal.plain.{_LATER[name]}"), name)
    raise AttributeError(f"module 'portal.plain' has no attribute {name!r}")


__all__ = [
    "DEFAULT_GLOSSARY_PATH",
    "LONG_SENTENCE_WORDS",
    "LongSentence",
    "PassiveHint",
    "PhraseHit",
    "Report",
    "WordLimit",
    "about_reading_age",
    "check",
    "describe_reading_age",
]
