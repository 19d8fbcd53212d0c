"""Marking searched-for words in plain text: up to two short extracts, each word found wrapped in <mark>.

Works on text already stripped of Markdown and HTML (the tantivy backend stores it so at index time), so
showing a page of results renders no Markdown. Words are compared after the same analysis as the index's,
so "meal" is marked for a search for "meals".
"""

import html
import re
from collections.abc import Callable

from markupsafe import Markup

WORD = re.compile(r"\w\w+")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_CHARS = 240  # as the Whoosh backend's ContextFragmenter
SURROUND = 60
TOP = 2
BETWEEN = " … "
MARK = '<mark class="portal-match">{}</mark>'


def extracts(text: str, terms: frozenset[str], analyse: Callable[[str], str | None]) -> Markup | None:
    """`analyse` turns one word into its index term (None for a stop word). None when no term appears."""
    if not terms or not text:
        return None
    text = CONTROL.sub(" ", text)
    found = [(m.start(), m.end(), term) for m in WORD.finditer(text) if (term := analyse(m.group())) in terms]
    if not found:
        return None
    fragments = []  # (score, start, end, matches)
    i = 0
    while i < len(found):
        start = found[i][0]
        j = i + 1
        while j < len(found) and found[j][1] - start + 2 * SURROUND <= MAX_CHARS:
            j += 1
        matches = found[i:j]
        fragments.append((len({term for _s, _e, term in matches}), len(matches), -start, matches))
        i = j
    best = sorted(fragments, reverse=True)[:TOP]
    best.sort(key=lambda fragment: -fragment[2])
    return Markup(BETWEEN.join(_render(text, fragment[3]) for fragment in best))


def _render(text: str, matches: list[tuple[int, int, str]]) -> str:
    start = _word_start(text, max(0, matches[0][0] - SURROUND), matches[0][0])
    end = _word_end(text, min(len(text), matches[-1][1] + SURROUND), matches[-1][1])
    parts, at = [], start
    for match_start, match_end, _term in matches:
        parts.append(html.escape(text[at:match_start], quote=False))
        parts.append(MARK.format(html.escape(text[match_start:match_end], quote=False)))
        at = match_end
    parts.append(html.escape(text[at:end], quote=False))
    return "".join(parts).strip()


def _word_start(text: str, at: int, limit: int) -> int:
    """Move forward to the start of a word, so an extract does not begin half-way through one."""
    if at == 0 or not text[at - 1].isalnum():
        return at
    space = text.find(" ", at, limit)
    return limit if space == -1 else space + 1


def _word_end(text: str, at: int, limit: int) -> int:
    if at == len(text) or not text[at].isalnum():
        return at
    space = text.rfind(" ", limit, at)
    return limit if space == -1 else space
