"""Markdown as plain text for data files: no markup, one blank line between paragraphs and list items."""

import html
import re

import nh3

from portal.markdown_render import render_markdown

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|pre|tr)>|<br\s*/?>|<hr\s*/?>")


def markdown_to_text(markdown_text: str | None) -> str:
    if not markdown_text:
        return ""
    marked = _BLOCK_END.sub("\n\n", str(render_markdown(markdown_text)))
    text = html.unescape(nh3.clean(marked, tags=set()))
    paragraphs = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)
