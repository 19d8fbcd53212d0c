import pytest

from portal.markdown_render import render_markdown


def test_renders_headings_lists_and_links_with_govuk_classes():
    html = render_markdown("## The problem\n\n- one\n- two\n\nSee [our site](https://example.org).")
    assert '<h2 class="govuk-heading-m">The problem</h2>' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert 'href="https://example.org"' in html
    assert 'class="govuk-link"' in html
    assert 'rel="noopener noreferrer"' in html


def test_level_one_headings_are_demoted():
    assert "<h1" not in render_markdown("# Big title")
    assert "<h2" in render_markdown("# Big title")


@pytest.mark.parametrize("hostile, forbidden", [
    ("<script>alert('x')</script>Hello", "<script"),
    ("<script>alert('x')</script>Hello", "alert("),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ('<p onclick="steal()">hi</p>', "onclick"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ("<style>body{display:none}</style>", "display:none"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
    ('<div style="position:fixed">x</div>', "style="),
])
def test_hostile_html_is_removed(hostile, forbidden):
    assert forbidden not in render_markdown(hostile)


def test_text_of_removed_tags_is_escaped_not_executed():
    html = render_markdown("1 < 2 and <b>bold</b> & more")
    assert "&lt;" in html and "&amp;" in html


def test_empty_text_renders_nothing():
    assert render_markdown(None) == "" and render_markdown("") == ""
