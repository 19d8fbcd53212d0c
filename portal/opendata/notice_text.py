"""Cleaning the free text of imported notices: titles, descriptions, summaries and slugs."""

import html
import re

import nh3

from portal import slugs

TITLE_LENGTH = 200
SUMMARY_WORDS = 50
SUMMARY_LENGTH = 600
SLUG_LENGTH = 80

# UTF-8 read as Windows-1252 ("â€™" for "’"), as in some Contracts Finder descriptions.
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u0192\u02c6-\u02dc\u2013-\u203a\u20ac\u2122]")
# Line breaks that reached some Contracts Finder descriptions as the letters "rn" (the backslashes of "\r\n" were
# lost before publishing): "the service.rnrnThe aim", "information: rnThe", "sites.rn      rn      At", "portal:rnrnhttps".
# A run of "rn" not joined to a letter before it, and not followed by a small letter (except a web address), is a break.
_LOST_LINE_BREAKS = re.compile(r"(?<![A-Za-z0-9])[ \t]*((?:rn[ \t]*)+)(?=https?:|[^a-z]|$)")
# Once a description is known to be mangled, "rn" between a word and a capital letter is a break too:
# "associated productsrnLot 3", "WelcomernrnNorth West". Not before: "ModernGov" is a name.
_LOST_LINE_BREAKS_IN_WORDS = re.compile(r"(?<=[A-Za-z0-9)])((?:rn)+)(?=[A-Z])")
# Markup some publishers put in descriptions: tags, and entities such as "&amp;" or "&#163;".
_MARKUP = re.compile(r"<[a-zA-Z/!][^>]*>|&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_BREAKS = re.compile(r"<\s*(?:br|hr)\s*/?\s*>|<\s*/\s*(?:p|div|li|h[1-6]|tr|blockquote|pre|ul|ol|table)\s*>", re.I)
_ITEMS = re.compile(r"<\s*li(?:\s[^>]*)?>", re.I)


def strip_markup(text: str) -> str:
    """HTML in a description as plain text: blocks and line breaks become new lines, list items start with a
    bullet, other tags go and entities become the characters they stand for."""
    if not _MARKUP.search(text):
        return text
    marked = _ITEMS.sub("\n• ", _BREAKS.sub("\n", text))
    return html.unescape(nh3.clean(marked, tags=set()))


def repair_mojibake(text: str) -> str:
    if not _MOJIBAKE.search(text):
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text  # mixed or genuine text: leave it as it came


def clean_title(value) -> str:
    if not isinstance(value, str):
        return ""
    return _shorten(" ".join(strip_markup(repair_mojibake(value)).split()), TITLE_LENGTH)


def clean_description(value) -> str:
    """The description as Markdown paragraphs: each line of the original becomes a paragraph."""
    if not isinstance(value, str):
        return ""
    text = strip_markup(repair_mojibake(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = _restore_line_breaks(text)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n\n".join(line for line in lines if line)


def _restore_line_breaks(text: str) -> str:
    def breaks(match: re.Match) -> str:
        return "\n" * match.group(1).count("rn")
    restored = _LOST_LINE_BREAKS.sub(breaks, text)
    if restored == text:
        return text
    return _LOST_LINE_BREAKS_IN_WORDS.sub(breaks, restored)


def summary_of(description: str) -> str:
    """The first words of the description, as plain text."""
    words = description.split()
    summary = " ".join(words[:SUMMARY_WORDS])
    if len(words) > SUMMARY_WORDS:
        summary = summary.rstrip(".,;:") + "…"
    return _shorten(summary, SUMMARY_LENGTH)


def slugify(text: str, length: int = SLUG_LENGTH) -> str:
    return slugs.slugify(text, length, fallback="")


def _shorten(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(".,;:") + "…"
