"""Marking searched-for words in plain text: up to two short extracts, each word found wrapped in <mark>.

Works on text already stripped of Markdown and HTML (the tantivy backend stores it so at index time), so
showing a page of results renders no Markdown. Words are compared after the same analysis as the index's,
so "meal" is marked for a search for "meals".

`plain_text` makes that text. Rendering Markdown costs milliseconds a document, most of a rebuild, yet most
briefs are plain paragraphs: text with none of Markdown's or HTML's special characters, and no line that could
start a block, comes out as its lines joined by spaces, exactly as snippets.plain_text would give it (see
tests/unit/test_search_highlight.py). Anything else is rendered as markdown_render does it, but by one Markdown
converter a thread, reset between documents, rather than a new one each time (building one costs as much as
converting a brief), and cleaned of tags once rather than twice.
"""

import html
import re
import threading
from collections.abc import Callable
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

from portal import markdown_render
from portal.search import snippets

WORD = re.compile(r"\w\w+")
MAX_CHARS = 240  # as the Whoosh backend's ContextFragmenter
SURROUND = 60
TOP = 2
BETWEEN = " … "
MARK = '<mark class="portal-match">{}</mark>'


# Characters that may mean something to Markdown (or its "extra" extensions) or HTML anywhere in a line, and
# control characters; an underscore not inside a word (one inside, as in "itt_257", is only text); an entity (a
# bare "&" is only text). A line starting or ending with whitespace (indented code, a hard break) is found by
# looking at the lines' ends: one regular expression doing all of it cost more than the rest of a document.
_SPECIAL = re.compile(r"[\\`*\[\]<{}|~\x00-\x09\x0b-\x1f\x7f]")
_LONE_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")
_ENTITY = re.compile(r"&[#\w]+;")
# A line that could start a block: heading, quote, list item, rule or heading underline, definition, table.
_BLOCK_START = re.compile(r"^(?:[#>:=+-]|\d+[.)](?:\s|$))", re.MULTILINE)


_converters = threading.local()


def plain_text(markdown_text: str) -> str:
    """Markdown as the plain text its HTML shows, on one line."""
    lines = markdown_text.split("\n")
    if _is_plain(markdown_text, lines):
        return " ".join(line for line in lines if line)
    if markdown_render.nesting_depth(markdown_text) > markdown_render.MAX_NESTING:
        return snippets.plain_text(markdown_text)
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    try:
        rendered = converter.reset().convert(markdown_text)
    except RecursionError:
        return snippets.plain_text(markdown_text)
    return html.unescape(nh3.clean(rendered, tags=set(), clean_content_tags={"script", "style"})).replace("\n", " ")


def _is_plain(text: str, lines: list[str]) -> bool:
    """Whether Markdown would give the text back as its lines joined by spaces (`lines` split at "\\n")."""
    return not (_SPECIAL.search(text)
                or ("_" in text and _LONE_UNDERSCORE.search(text))
                or ("&" in text and _ENTITY.search(text))
                or any(line[:1].isspace() or line[-1:].isspace() for line in lines)
                or _BLOCK_START.search(text))


def extracts(text: str, terms: frozenset[str], analyse: Callable[[str], str | None]) -> Markup | None:
    """`analyse` turns one word into its index term (None for a stop word). None when no term appears."""
    if not terms or not text:
        return None
    text = snippets.CONTROL.sub(" ", text)
    words = _candidates(terms).finditer(text)
    found = [(m.start(), m.end(), term) for m in words if (term := analyse(m.group())) in terms]
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


@lru_cache(maxsize=256)
def _candidates(terms: frozenset[str]) -> re.Pattern:
    """The words (as WORD finds them) that could analyse to one of `terms`, so only those are analysed. Lower case
    and English stemming keep a word's first two letters, but for a "y" that becomes "i" ("dying": "die"), so a
    word whose first two ASCII letters begin no term cannot be one. Words starting with any other character are
    always analysed."""
    starts = set()
    for term in terms:
        start = term[:2]
        starts.add(re.escape(start))
        if start[1:] == "i":
            starts.add(re.escape(start[0] + "y"))
    alternatives = "|".join(sorted(starts))
    return re.compile(rf"(?<!\w)(?=(?:{alternatives})|[^\x00-\x7f]|\w[^\x00-\x7f])\w\w+", re.IGNORECASE)


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
