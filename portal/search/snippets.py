"""Short extracts of an opportunity with the searched-for words marked.

The text they are cut from is made plain ahead, so a search page renders no Markdown: when the opportunity is
indexed (`searchable_text`), or when it is saved (`Opportunity.plain_text`, see services/search_text).
"""

import html
import re

import nh3
from markupsafe import Markup
from whoosh import highlight

from portal.markdown_render import render_markdown
from portal.search.schema import ANALYZER

_FRAGMENTER = highlight.ContextFragmenter(maxchars=240, surround=60)
_FORMATTER = highlight.HtmlFormatter(tagname="mark", classname="portal-match", between=" … ")


MARK_START, MARK_END = "\x02", "\x03"  # the PostgreSQL backend's stand-ins for <mark>: never in stored text
NO_MARKS = str.maketrans("", "", MARK_START + MARK_END)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # blanked in extracts (all backends)


def plain_text(markdown_text: str) -> str:
    return html.unescape(nh3.clean(str(render_markdown(markdown_text)), tags=set())).replace("\n", " ")


def searchable_text(summary: str, body_md: str) -> str:
    """What extracts are cut from, as plain (unescaped) text: the summary and the brief."""
    return plain_text(f"{summary}\n\n{body_md}").translate(NO_MARKS)


def highlighted(text: str, terms: frozenset[str]) -> Markup | None:
    """Extracts of plain text, escaped by Whoosh's formatter, with matches marked; None when none appear."""
    if not terms or not text:
        return None
    extract = highlight.highlight(CONTROL.sub(" ", text), terms, ANALYZER, _FRAGMENTER, _FORMATTER, top=2)
    return Markup(extract) if extract else None
