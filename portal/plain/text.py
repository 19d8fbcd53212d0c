"""Markdown to plain prose, and prose to words and sentences.

Markdown syntax is replaced by spaces of the same length rather than removed, so an offset in the plain text is
also an offset in what the buyer typed: the editor can highlight a hit without mapping positions back.
HTML is left as text: the checker never interprets it, and whoever shows the results must escape them.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import NamedTuple

# A word starts and ends with a letter or digit; inside it may have apostrophes, hyphens, slashes, dots and commas,
# so "don't", "call-off", "and/or", "e.g" and "30,000" are one word each.
WORD = re.compile(r"[^\W_](?:[\w'’.,\-/]*[^\W_])?")

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^([ \t]{0,3}#{1,6})(?:[ \t]+|$)")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")
_RULE = re.compile(r"^[ \t]{0,3}(?:(?:[-*_][ \t]*){3,}|=+[ \t]*)$")
_QUOTE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_REFERENCE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$")
_TABLE_DELIMITER = re.compile(r"^[ \t|:\-]+$")

_LINK_TARGET = re.compile(r"(?<=\])\([^()\s]*(?:[ \t]+\"[^\"\n]*\")?\)")  # "(url \"title\")" after "[text]"
_REFERENCE_TARGET = re.compile(r"(?<=\])\[[^\]\n]*\]")  # "[ref]" after "[text]"
# A web address in running text; punctuation at its end (a full stop, a bracket) stays, as it ends the sentence.
_BARE_URL = re.compile(r"<?(?:https?://|mailto:|www\.)(?:[^\s<>]*[^\s<>.,;:!?)\]'\"’”])?>?", re.IGNORECASE)
_MARKERS = re.compile(r"!\[|[\[\]*`]+|~~|(?<!\w)_+|_+(?!\w)")

_SENTENCE_END = re.compile(r"[.!?…]+[\"'’”)\]]*(?=\s|$)")
_ABBREVIATIONS = {"e.g", "i.e", "etc", "eg", "ie", "mr", "mrs", "ms", "dr", "st", "no", "vs", "approx", "incl", "cf"}
_TERMINAL = re.compile(r"[.!?…][\"'’”)\]]*$")


class Token(NamedTuple):  # a tuple, as a long text has tens of thousands
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    tokens: tuple[Token, ...]


@dataclass(frozen=True)
class PlainText:
    """The text with Markdown blanked out, and the spans of its prose blocks (paragraphs, headings, list items)."""

    text: str
    blocks: tuple[tuple[int, int], ...]


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _blank_span(line: str, start: int, end: int) -> str:
    return line[:start] + " " * (end - start) + line[end:]


def strip_markdown(source: str) -> PlainText:
    """Blank out Markdown syntax (keeping every character's position) and find where each block starts and ends."""
    lines = source.splitlines(keepends=True)
    out: list[str] = []
    blocks: list[tuple[int, int]] = []
    block_start: int | None = None
    block_end = 0
    fence: str | None = None
    offset = 0

    def close_block() -> None:
        nonlocal block_start
        if block_start is not None:
            blocks.append((block_start, block_end))
            block_start = None

    for raw in lines:
        body = raw.rstrip("\r\n")
        ending = raw[len(body):]
        fence_match = _FENCE.match(body)
        if fence is not None or fence_match:
            close_block()
            if fence is None:
                fence = fence_match.group(1)[0] * 3
            elif body.strip().startswith(fence):
                fence = None
            out.append(_blank(raw))
            offset += len(raw)
            continue

        line = body
        own_block = False
        table_delimiter = "-" in line and _TABLE_DELIMITER.match(line)
        if not line.strip() or _RULE.match(line) or _REFERENCE.match(line) or table_delimiter:
            close_block()
            out.append(_blank(body) + ending)
            offset += len(raw)
            continue
        quote = _QUOTE.match(line)
        if quote:
            line = _blank_span(line, 0, quote.end())
        heading = _ATX_HEADING.match(line)
        if heading:
            line = _blank_span(line, 0, heading.end(1))
            closing = _CLOSING_HASHES.search(line)
            if closing:
                line = _blank_span(line, closing.start(), closing.end())
            own_block = True
        else:
            item = _LIST_ITEM.match(line)
            if item:
                line = _blank_span(line, 0, item.end())
                close_block()
            elif line.lstrip().startswith("|"):
                own_block = True
        if own_block:
            close_block()
        if line.strip():
            if block_start is None:
                block_start = offset + len(line) - len(line.lstrip())
            block_end = offset + len(line.rstrip())
        elif quote:
            close_block()
        if own_block:
            close_block()
        out.append(line + ending)
        offset += len(raw)
    close_block()

    text = "".join(out)
    for pattern in (_LINK_TARGET, _REFERENCE_TARGET, _BARE_URL, _MARKERS):
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return PlainText(text, tuple(blocks))


def words(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]


def sentences(plain: PlainText, tokens: list[Token]) -> list[Sentence]:
    """Split each block into sentences at . ! ? or … followed by a space, skipping common abbreviations.

    A heading or list item without a full stop is still its own sentence. Sentences with no words are dropped.
    """
    starts = [t.start for t in tokens]
    found: list[Sentence] = []

    def add(start: int, end: int) -> None:
        first, last = bisect_left(starts, start), bisect_left(starts, end)
        if first < last:
            span = plain.text[start:end]
            start += len(span) - len(span.lstrip())
            end -= len(span) - len(span.rstrip())
            found.append(Sentence(start, end, tuple(tokens[first:last])))

    for block_start, block_end in plain.blocks:
        start = block_start
        for end in _SENTENCE_END.finditer(plain.text, block_start, block_end):
            before = plain.text[max(start, end.start() - 12):end.start()].rsplit(None, 1)
            last_word = before[-1].lower().strip("(\"'‘“") if before else ""
            if end.group().startswith(".") and len(end.group()) == 1 and last_word in _ABBREVIATIONS:
                continue
            add(start, end.end())
            start = end.end()
        add(start, block_end)
    return found


def for_formulas(plain: PlainText) -> str:
    """The blocks as one text in which every block ends with a full stop, so formulas that count sentences by
    punctuation see a heading or list item as a sentence of its own. Words over 40 characters (pasted web
    addresses, nonsense) are cut to 40, so they cannot slow the syllable count."""
    parts = []
    for start, end in plain.blocks:
        block = plain.text[start:end]
        parts.append(block if _TERMINAL.search(block) else block + ".")
    return re.sub(r"\S{41,}", lambda m: m.group()[:40], "\n".join(parts))


def squash(text: str, limit: int | None = None) -> str:
    """Collapse runs of whitespace, and cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        return text[: limit - 1].rstrip() + "…"
    return text
