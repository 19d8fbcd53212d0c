import pytest
from werkzeug.datastructures import MultiDict

from portal.search.query import MAX_QUERY_LENGTH, SearchQuery
from portal.web.search_params import parse_search

CHOICES = {
    "kind": {"pipeline-item": "Planned purchases"}, "stage": {"engagement": "Talking"}, "mission": {"food": "Food"},
    "buyer": {"kent": "Kent"}, "region": {"TLI": "London"}, "cpv": {"85": "Health"}, "value": {"not-stated": "Not stated"},
    "closing": {"7": "Within 7 days", "30": "Within 30 days", "90": "Within 90 days"},
}


def test_good_search_is_parsed():
    parsed = parse_search(MultiDict({"q": "  school   meals ", "kind": "pipeline-item", "closing": "30", "sme": "yes",
                                     "sort": "closing", "page": "2", "size": "10"}), CHOICES)
    assert parsed.errors == {} and parsed.notices == []
    assert parsed.query == SearchQuery(text="school meals", kind="pipeline-item", closing=30, sme=True,
                                       sort="closing", page=2, size=10)


@pytest.mark.parametrize("name, value", [
    ("kind", "tender"), ("stage", "done"), ("mission", "<script>"), ("buyer", "' OR 1=1"), ("region", "XX"),
    ("cpv", "99"), ("value", "lots"), ("closing", "5"), ("sme", "maybe"), ("vcse", "1"), ("sort", "random"),
    ("page", "0"), ("size", "1000"), ("size", "x"),
])
def test_bad_values_are_ignored_with_a_message(name, value):
    parsed = parse_search(MultiDict({name: value}), CHOICES)
    assert set(parsed.errors) == {name}
    assert parsed.errors[name].endswith(".")
    defaults = SearchQuery()
    assert parsed.query.active_filters() == {} and parsed.query.page == 1 and parsed.query.size == defaults.size


def test_a_long_query_is_cut_with_a_notice():
    parsed = parse_search(MultiDict({"q": "heat pumps " * 1000}), CHOICES)
    assert len(parsed.query.text) <= 200
    assert "first" in parsed.notices[0]


def test_a_query_of_200_characters_is_kept_whole():
    text = "a" * 200
    parsed = parse_search(MultiDict({"q": text}), CHOICES)
    assert MAX_QUERY_LENGTH == 200
    assert parsed.query.text == text and parsed.notices == [] and not parsed.errors


def test_a_query_one_character_over_is_cut_at_the_last_whole_word():
    words = "abcd " * 40  # 200 characters with the spaces
    parsed = parse_search(MultiDict({"q": words.strip() + " x"}), CHOICES)  # 201 characters
    assert parsed.query.text == ("abcd " * 39).strip() + " abcd"
    assert parsed.notices == ["Your search was long, so we used only the first 199 characters."]
    one_word = parse_search(MultiDict({"q": "b" * 201}), CHOICES)
    assert one_word.query.text == "b" * 200, "one long word is cut at the limit"
    assert one_word.notices == ["Your search was long, so we used only the first 200 characters."]


def test_repeated_parameters_use_the_first():
    parsed = parse_search(MultiDict([("kind", "pipeline-item"), ("kind", "nope"), ("q", "a"), ("q", "b")]), CHOICES)
    assert parsed.query.kind == "pipeline-item" and parsed.query.text == "a" and not parsed.errors


def test_url_params_reproduce_the_search():
    query = SearchQuery(text="heat", kind="pipeline-item", sme=True, closing=30, page=2)
    assert query.url_params() == {"q": "heat", "kind": "pipeline-item", "sme": "yes", "closing": 30, "page": 2}
    assert parse_search(MultiDict({k: str(v) for k, v in query.url_params().items()}),
                        CHOICES | {"kind": {"pipeline-item": ""}}).query == query
