"""Reading age: the Flesch–Kincaid grade (from textstat) plus 5, the usual way to turn a US school grade into a
UK reading age, with plain labels for it."""

import logging
import math

log = logging.getLogger(__name__)

# The formula means little outside these ages (a text with no full stops can score a "grade" in the thousands).
YOUNGEST_READING_AGE = 5
OLDEST_READING_AGE = 25

# (oldest reading age in the band, label), youngest band first.
_BANDS = (
    (8, "Very easy to read (reading age 8 or under)"),
    (11, "Easy to read (reading age 9 to 11)"),
    (14, "Fairly easy to read (reading age 12 to 14)"),
    (17, "Fairly hard to read (reading age 15 to 17)"),
    (OLDEST_READING_AGE, "Hard to read (reading age 18 or over)"),
)


def flesch_kincaid_grade(text: str) -> float | None:
    """The Flesch–Kincaid grade of `text` (a US school grade), or None when it has no words or textstat fails."""
    if not any(ch.isalnum() for ch in text):
        return None
    import textstat  # loaded at the first score, not by pages that only show a stored reading age

    try:
        return float(textstat.flesch_kincaid_grade(text))
    except Exception:  # a readability score is never worth an error page
        log.exception("textstat could not score a text of %d characters", len(text))
        return None


def reading_age(grade: float | None) -> int | None:
    """Grade + 5, rounded half up to a whole year and kept between 5 and 25. None when there is no grade."""
    if grade is None:
        return None
    age = math.floor(grade + 5 + 0.5)
    return max(YOUNGEST_READING_AGE, min(OLDEST_READING_AGE, age))


def about(age: int | None) -> str:
    """"about 12", or "" when there is no reading age."""
    if age is None:
        return ""
    if age <= YOUNGEST_READING_AGE:
        return f"{YOUNGEST_READING_AGE} or under"
    if age >= OLDEST_READING_AGE:
        return f"{OLDEST_READING_AGE} or over"
    return f"about {age}"


def describe(age: int | None) -> str:
    """A plain label for a reading age, such as "Easy to read (reading age 9 to 11)"."""
    if age is None:
        return "No text to check yet"
    for oldest, label in _BANDS:
        if age <= oldest:
            return label
    return _BANDS[-1][1]
