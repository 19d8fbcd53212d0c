"""The tantivy backend's plain text and extracts: quicker ways to the same answers as the slow, obvious ones."""

from pathlib import Path

import pytest

from portal.search import highlight, snippets
from portal.search.tantivy_backend import analysed, query_terms

BRIEFS = [
    "",
    "One plain paragraph.",
    "First paragraph.\n\nSecond paragraph,\nwith a second line.",
    "Bath & North East Somerset (B&NES) pays in 30 days: 100% > 90%.",
    "Tea &amp; cake &#169; &copy no semicolon",
    "We want **healthy** school meals and _fresh_ fruit.",
    "A line ending in two spaces  \nmakes a break.",
    "    indented code\n\nthen text",
    "- first\n- second\n\n1. one\n2. two",
    "2025. A year at the start of a line",
    "# Heading\n\nText\n===\n\nMore\n---",
    "> quoted\n\nTerm\n: definition",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "```\ncode\n```\n\n~~~\nmore\n~~~",
    "<script>alert(1)</script> <b>bold</b> [a link](https://example.org) <https://example.org>",
    "*[HTML]: HyperText\n\nHTML[^1]\n\n[^1]: A note",
    "snake_case_words and itt_257 references",
    "_emphasis_ and __strong__ but x__y__z and a_b_c stay text",
    "Tabs\tinside and \x02 control \x03 characters\r\nand Windows lines",
    "Non-breaking\u00a0space and \u2028 line separator, École, naïve, “quotes”",
    "\u00a0leading no-break space",
    "trailing space \n\nnext",
    "> " * 20 + "deep quote",
    "- " * 20 + "deep list",
]


@pytest.mark.parametrize("brief", BRIEFS)
def test_plain_text_is_what_rendering_the_markdown_gives(brief):
    assert highlight.plain_text(brief) == snippets.plain_text(brief)


def test_plain_paragraphs_are_not_rendered(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("plain paragraphs need no Markdown")

    monkeypatch.setattr(snippets, "plain_text", refuse)
    monkeypatch.setattr(highlight.markdown, "Markdown", refuse)
    assert highlight.plain_text("School meals, for 1,200 children.\n\nFrom B&NES, ref itt_257.") == (
        "School meals, for 1,200 children. From B&NES, ref itt_257.")


def _every_word(text: str, terms: frozenset[str]) -> list:
    """Extracts' matches found the obvious way: analysing every word."""
    return [(m.start(), m.end(), term) for m in highlight.WORD.finditer(text)
            if (term := analysed(m.group())) in terms]


@pytest.mark.parametrize("text, query", [
    ("School MEALS and a Meal; meals-on-wheels", "meals"),
    ("½meals and ²meals: the index reads the word after a fraction or a power", "meals"),
    ("Dying, lying and tying; skies and skis; gently, early, only", "die lie tie sky ski gentle early only"),
    ("Hoping for hopeful hope; generalisation of generally general rules", "hoping general"),
    ("École, Ísland and Über-fast. İstanbul ÉCOLE école", "école über istanbul"),
    ("2025 and 2026 budgets, 10k units, £30,000", "2025 budget units"),
    ("snake_case and _leading underscores", "snake_case _leading"),
])
def test_only_words_that_could_match_are_analysed_and_none_is_missed(text, query):
    terms = frozenset(query_terms(query))
    found = [(m.start(), m.end(), term) for m in highlight._candidates(terms).finditer(text)
             if (term := analysed(m.group())) in terms]
    assert found == _every_word(text, terms)
    assert found, "each example finds something"


def _starts_alike(word: str) -> bool:
    """What the candidate filter relies on: a word's term starts with its first two letters, lower case, but for a
    "y" that became "i"."""
    term, start = analysed(word), word[:2].lower()
    return term[:2] in (start, start.replace("y", "i"))


def test_stemming_keeps_a_words_first_two_letters():
    for word in ("dying", "lying", "tying", "skies", "skis", "idly", "gently", "ugly", "early", "only", "singly",
                 "news", "hoping", "generalisation", "relational", "cries", "ties", "yelling", "Yesterday", "bye",
                 "dyed", "eyes", "ayes", "ox", "Xylophone"):
        assert _starts_alike(word), word


def test_stemming_keeps_the_first_two_letters_of_every_word_in_the_content():
    words = {match.group() for path in Path("content").rglob("*.md")
             for match in highlight.WORD.finditer(path.read_text(encoding="utf-8")) if match.group().isascii()}
    assert len(words) > 2000
    assert [word for word in words if analysed(word) and not _starts_alike(word)] == []
