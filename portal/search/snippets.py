"""Short extracts of an opportunity with the searched-for words marked.

The text they are cut from is made plain once, when the opportunity is indexed (`searchable_text`), so a search
page renders no Markdown; `snippet` still takes Markdown for entries indexed before that text was stored.
"""

import html

import nh3
from markupsafe import Markup
from whoosh import highlight

from portal.markdown_render import render_markdown
from portal.search.schema import ANALYZER

_FRAGMENTER = highlight.ContextFragmenter(maxchars=240, surround=60)
_FORMATTER = highlight.HtmlFormatter(tagname="mark", classname="portal-match", between=" … ")


MARK_START, MARK_END = "\x02", "\x03"  # the PostgreSQL backend's stand-ins for <mark>: never in stored text
NO_MARKS = str.maketrans("", "", MARK_START + MARK_END)


def plain_text(markdown_text: str) -> str:
    return html.unescape(nh3.clean(str(render_markdown(markdown_text)), tags=set())).replace("\n", " ")


def searchable_text(summary: str, body_md: str) -> str:
    """What extracts are cut from, as plain (unescaped) text: the summary and the brief."""
    return plain_text(f"{summary}\n\n{body_md}").translate(NO_MARKS)


def snippet(markdown_text: str, terms: frozenset[str]) -> Markup | None:
    """Up to two extracts with matches wrapped in <mark>; None when no searched word appears."""
    if not terms or not markdown_text:
        return None
    return highlighted(plain_text(markdown_text), terms)


def highlighted(text: str, terms: frozenset[str]) -> Markup | None:
    """Extracts of plain text, escaped by Whoosh's formatter, with matches marked; None when none appear."""
    if not terms or not text:
        return None
    extract = highlight.highlight(text, terms, ANALYZER, _FRAGMENTER, _FORMATTER, top=2)
    return Markup(extract) if extract else None
