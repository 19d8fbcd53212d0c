"""Which passwords the portal accepts, following NCSC guidance and NIST SP 800-63B.

Long enough, not trivially repetitive, not on a list of common passwords, and not just the person's
name, email address, organisation or the portal's own name. No composition rules ("must include a
digit"): they make passwords harder to remember without making them harder to guess.
"""

import re
from functools import lru_cache
from importlib import resources

MIN_LENGTH = 12
MAX_LENGTH = 200
PORTAL_NAME = "Opportunity Portal"

THREE_WORDS = "Three random words together make a strong password that is easy to remember."
HINT = f"{MIN_LENGTH} characters or more. {THREE_WORDS}"
TOO_SHORT = f"Password must be {MIN_LENGTH} characters or more"
TOO_LONG = f"Password must be {MAX_LENGTH} characters or fewer"
ONE_CHARACTER = f"Choose a password that is harder to guess: this one is the same character repeated. {THREE_WORDS}"
COMMON = f"Choose a password that is harder to guess: this one is on a list of common passwords. {THREE_WORDS}"
ABOUT_YOU = ("Choose a password that is harder to guess: do not use your name, your email address, "
             f"your organisation's name or the name of this portal. {THREE_WORDS}")

_NOT_LETTERS = re.compile(r"[\W\d_]+")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common-password list shipped in reference_data (lower case, one a line), read once."""
    text = resources.files("portal.reference_data").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.casefold() for line in text.splitlines() if line)


def _letters(text: str) -> str:
    """Only the letters, in lower case: "Amy.Example+2026@" becomes "amyexample"."""
    return _NOT_LETTERS.sub("", text.casefold())


def _guessable_words(context_words) -> set[str]:
    """Each context phrase whole and word by word, as letters only; an email address also by its local part."""
    words = set()
    for phrase in (*context_words, PORTAL_NAME):
        if not phrase:
            continue
        parts = [phrase]
        if "@" in phrase:
            parts.append(phrase.rsplit("@", 1)[0])
        for part in parts:
            words.add(_letters(part))
            words.update(_letters(word) for word in re.split(r"[\W_]+", part))
    words.discard("")
    return words


def password_problem(password: str, context_words=()) -> str | None:
    """What is wrong with a new password, in plain English, or None if it is fine.

    context_words are things an attacker would try first: the person's name and email address, their
    organisation's name. A password whose letters are only one of these (ignoring case, spaces, digits
    and punctuation, so "Amy Example 2026" for Amy Example) is refused.
    """
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    if len(set(password.casefold())) == 1:
        return ONE_CHARACTER
    common = common_passwords()
    if password.casefold() in common or password.strip().casefold() in common:
        return COMMON
    if _letters(password) in _guessable_words(context_words):
        return ABOUT_YOU
    return None
