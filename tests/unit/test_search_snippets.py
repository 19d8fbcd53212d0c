"""Highlighted extracts under search results: the searched words marked, everything else escaped text.

Runs on the suite's search backend (Whoosh, or PostgreSQL in the PostgreSQL run), so both answer alike.
"""

import re

import pytest

from portal.search import SearchQuery
from portal.services.indexing import rebuild_index
from portal.services.search import filter_choices, run_search
from tests.conftest import TODAY
from tests.factories import make_buyer, make_opportunity

MARK = re.compile(r'<mark class="portal-match[^"]*">([^<]*)</mark>')


@pytest.fixture
def index(app, session):
    index = app.extensions["search"]
    buyer = make_buyer(session, slug="leeds", name="Leeds City Council")
    make_opportunity(session, buyer, [], title="School meals for every child")
    rebuild_index(session, index)
    return index


def result_for(index, text):
    return index.search(SearchQuery(text=text), TODAY)


def marked(extract) -> list[str]:
    return [word.lower() for word in MARK.findall(str(extract))]


def test_searched_words_are_marked(index):
    extract = index.snippet("We want healthy school meals that children enjoy.", result_for(index, "meals"))
    assert marked(extract) == ["meals"]
    assert "healthy school" in extract, "the text around the word is kept"


def test_other_forms_of_a_searched_word_are_marked(index):
    extract = index.snippet("A hot meal at lunchtime.", result_for(index, "meals"))
    assert marked(extract) == ["meal"]


def test_html_in_the_text_is_escaped_not_run(index):
    text = "Meals &lt;script&gt; <script>alert(1)</script> <img src=x onerror=alert(2)> meals \x02 end \x03"
    extract = str(index.snippet(text, result_for(index, "meals")))
    assert "<script" not in extract and "<img" not in extract
    assert "\x02" not in extract and "\x03" not in extract, "the backend's own marker characters cannot be smuggled in"
    assert set(marked(extract)) == {"meals"}
    assert "<" not in MARK.sub(r"\1", extract), "no markup but the marks"


@pytest.mark.parametrize("text", ["", "Nothing about food here."])
def test_no_extract_when_no_searched_word_appears(index, text):
    assert index.snippet(text, result_for(index, "meals")) is None


def test_no_extract_for_a_search_without_words(index):
    assert index.snippet("School meals", result_for(index, "")) is None


SCRIPTED_BRIEF = ("Hot **meals** for pupils. <script>alert(1)</script> <img src=x onerror=alert(2)> "
                  "&lt;b&gt;meals&lt;/b&gt; \x02 end \x03")


@pytest.fixture
def scripted(app, session):
    index = app.extensions["search"]
    buyer = make_buyer(session, slug="kent", name="Kent County Council")
    item = make_opportunity(session, buyer, [], title="Lunches", summary="Meals <b>for</b> schools.",
                            body_md=SCRIPTED_BRIEF)
    rebuild_index(session, index)
    return index, item


def shown_extract(session, index, words):
    """The extract the page of results shows under its first result."""
    page = run_search(session, index, SearchQuery(text=words), TODAY, filter_choices(session))
    return page.page.items[0].snippet


def test_a_page_of_results_quotes_stored_plain_text_and_renders_no_markdown(session, scripted, monkeypatch):
    index, item = scripted

    def no_rendering(*args, **kwargs):
        raise AssertionError("a search rendered Markdown")

    monkeypatch.setattr("portal.search.snippets.render_markdown", no_rendering)
    monkeypatch.setattr("portal.search.highlight.markdown.Markdown", no_rendering)
    monkeypatch.setattr("portal.services.search_text.plain_text", no_rendering)
    assert result_for(index, "meals").ids == [item.id]
    extract = shown_extract(session, index, "meals")
    assert set(marked(extract)) == {"meals"}
    assert "**" not in str(extract), "the stored text is Markdown's plain text"


def test_html_in_a_brief_never_reaches_an_extract_unescaped(session, scripted):
    index, _ = scripted
    extract = str(shown_extract(session, index, "meals"))
    assert "<script" not in extract and "<img" not in extract and "<b>" not in extract
    assert "\x02" not in extract and "\x03" not in extract
    assert "<" not in MARK.sub(r"\1", extract), "no markup but the marks"


def test_the_search_page_shows_extracts_escaped(app, scripted):
    page = app.test_client().get("/search?q=meals").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert '<mark class="portal-match' in page


def test_no_extract_for_a_search_without_words(session, scripted):
    index, _ = scripted
    assert result_for(index, "").snippets == {}
    assert shown_extract(session, index, "") is None
