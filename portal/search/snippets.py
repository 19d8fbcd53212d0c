"""Short extracts of an opportunity with the searched-for words marked."""

import html

import nh3
from markupsafe import Markup
from whoosh import highlight

from portal.markdown_render import render_markdown
from portal.search.schema import ANALYZER

_FRAGMENTER = highlight.ContextFragmenter(maxchars=240, surround=60)
_FORMATTER = highlight.HtmlFormatter(tagname="mark", classname="portal-match", between=" … ")


def plain_text(markdown_text: str) -> str:
    return html.unescape(nh3.clean(str(render_markdown(markdown_text)), tags=set())).replace("\n", " ")


def snippet(markdown_text: str, terms: frozenset[str]) -> Markup | None:
    """Up to two extracts with matches wrapped in <mark>; None when no searched word appears."""
    if not terms or not markdown_text:
        return None
    text = plain_text(markdown_text)
    extract = highlight.highlight(text, terms, ANALYZER, _FRAGMENTER, _FORMATTER, top=2)
    return Markup(extract) if extract else None
