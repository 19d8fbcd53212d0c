"""The plain-language checker: reading age, long sentences, passive voice, wordy phrases and procurement terms.

Plain Python with no Flask: `check(text)` returns a frozen `Report` (`report.to_dict()` for JSON; `by_field()`).
From the command line: `python -m portal.plain FILE [FILE...]` (`-` reads standard input; `--json` for JSON);
`python -m portal.plain --evaluate` measures precision and recall on the evaluation set.
Word lists and their sources are in `data/` (see `data/SOURCES.md`).
"""

from portal.plain.checker import LONG_SENTENCE_WORDS, check
from portal.plain.phrases import DEFAULT_GLOSSARY_PATH
from portal.plain.readability import about as about_reading_age
from portal.plain.readability import describe as describe_reading_age
from portal.plain.report import LongSentence, PassiveHint, PhraseHit, Report, WordLimit

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
