import pytest
from werkzeug.datastructures import MultiDict

from portal.web.params import parse_listing, parse_page


@pytest.mark.parametrize("raw, expected", [(None, 1), ("", 1), ("3", 3), (" 7 ", 7)])
def test_good_page_numbers(raw, expected):
    assert parse_page(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "1.5", "9" * 50, "1; DROP TABLE opportunity", "２", "100001"])
def test_bad_page_numbers_fall_back_to_page_one_with_a_message(raw):
    page, message = parse_page(raw)
    assert page == 1
    assert "whole number" in message


def test_listing_keeps_good_filters_and_reports_bad_ones():
    parsed = parse_listing(MultiDict({"kind": "pipeline-item", "mission": "nope", "page": "2"}), {"food"})
    assert parsed.filters.kind == "pipeline-item"
    assert parsed.filters.mission is None
    assert parsed.page == 2
    assert set(parsed.errors) == {"mission"}


def test_listing_with_unknown_kind():
    parsed = parse_listing(MultiDict({"kind": "<script>"}), set())
    assert parsed.filters.kind is None
    assert "kind" in parsed.errors


def test_repeated_parameters_use_the_first_value():
    parsed = parse_listing(MultiDict([("kind", "pipeline-item"), ("kind", "problem-statement")]), set())
    assert parsed.filters.kind == "pipeline-item" and not parsed.errors
