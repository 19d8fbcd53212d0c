"""Text from people and from older rows, made safe to store and to write into any format.

Control characters (NUL included) have no place in what people type: they break XML feeds, email headers and
PostgreSQL text columns. Line breaks and tabs are kept where a field has more than one line.
"""

import re

# C0 and C1 controls and DEL, but not tab, line feed or carriage return; lone surrogates; the two non-characters
# XML forbids.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_ANY_BREAK = re.compile(r"[\r\n\t\u2028\u2029\x85]+")


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def clean_text(text: str) -> str:
    """Controls removed; every kind of line break made a plain line feed."""
    return without_controls(_LINE_BREAK.sub("\n", text))


def without_controls(text: str) -> str:
    """Controls removed; tabs and line breaks left as they are."""
    return _CONTROL.sub("", text)


def has_line_break(text: str) -> bool:
    return "\n" in _LINE_BREAK.sub("\n", text)


def one_line(text: str | None) -> str:
    """For places that hold one line only (email headers, feed titles, calendar summaries): controls removed and
    line breaks and tabs turned into single spaces."""
    return _ANY_BREAK.sub(" ", clean_text(text or "")).strip()

