"""Markdown to safe HTML, styled with GOV.UK Frontend classes."""

import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup, escape

# Lists and quotes deeper than this are refused by the forms, and shown as plain text if already stored: the Markdown
# library recurses once a level, so thousands of levels would exhaust the stack.
MAX_NESTING = 10
_MARKER = r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)|>[ \t]*"
_LEADING_MARKERS = re.compile(f"(?:{_MARKER})+")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
GOVUK_CLASSES = {
    "p": {"class": "govuk-body"},
    "a": {"class": "govuk-link"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "h2": {"class": "govuk-heading-m"},
    "h3": {"class": "govuk-heading-s"},
    "h4": {"class": "govuk-heading-s"},
    "blockquote": {"class": "govuk-inset-text"},
    "hr": {"class": "govuk-section-break govuk-section-break--m govuk-section-break--visible"},
    "table": {"class": "govuk-table"},
    "tr": {"class": "govuk-table__row"},
    "th": {"class": "govuk-table__header"},
    "td": {"class": "govuk-table__cell"},
}


# The same briefs are shown again and again, and rendering one takes milliseconds. A brief is usually a few thousand
# characters, so a full cache holds a few megabytes per process.
@lru_cache(maxsize=256)
def render_markdown(text: str | None) -> Markup:
    """Render Markdown written by buyers or editors; scripts, event handlers and unsafe links are removed."""
    if not text:
        return Markup("")
    if nesting_depth(text) > MAX_NESTING:
        return _plain_paragraphs(text)
    try:
        html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    except RecursionError:
        return _plain_paragraphs(text)
    # A level-one heading belongs to the page, not the brief: demote it.
    html = html.replace("<h1", "<h2").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        set_tag_attribute_values=GOVUK_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


def nesting_depth(text: str) -> int:
    """The deepest level of lists and quotes in Markdown text: indentation (four spaces a level) plus the list and
    quote markers at the start of a line."""
    deepest = 0
    for line in text.expandtabs(4).splitlines():
        stripped = line.lstrip(" ")
        indent = (len(line) - len(stripped)) // 4
        markers = _LEADING_MARKERS.match(stripped)
        count = len(re.findall(_MARKER, markers.group(0))) if markers else 0
        deepest = max(deepest, indent + count)
    return deepest


def _plain_paragraphs(text: str) -> Markup:
    paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()]
    return Markup("").join(Markup('<p class="govuk-body">{}</p>').format(escape(part)) for part in paragraphs)
