"""The vocabulary file: checked when loaded, and how a query is expanded with it."""

import pytest

from portal.search import vocabulary
from portal.search.vocabulary import EXPANDED_WEIGHT, VocabularyError, load, parse


def test_the_portal_vocabulary_loads_and_is_large():
    assert len(load().groups) >= 150


@pytest.mark.parametrize("data, problem", [
    (None, "expected a list called 'groups'"),
    ({"groups": "elderly"}, "expected a list called 'groups'"),
    ({"groups": [["elderly"]]}, "group 1 must be a list of at least two terms"),
    ({"groups": [["kids", "children"], "elderly, seniors"]}, "group 2 must be a list"),
    ({"groups": [["elderly", 42]]}, "every term must be words"),
    ({"groups": [["elderly", "  "]]}, "every term must be words"),
    ({"groups": [["elderly", "<script>"]]}, "may use only letters"),
    ({"groups": [["elderly", "older, people"]]}, "may use only letters"),
    ({"groups": [["elderly", "x" * 61]]}, "longer than 60 characters"),
    ({"groups": [["elderly", "Elderly"]]}, "appears twice"),
])
def test_a_malformed_vocabulary_fails_naming_the_file_and_group(data, problem):
    with pytest.raises(VocabularyError, match=problem) as raised:
        parse(data, "vocabulary.yaml")
    assert str(raised.value).startswith("vocabulary.yaml")


def test_a_file_that_is_not_yaml_fails(tmp_path):
    bad = tmp_path / "vocabulary.yaml"
    bad.write_text("groups: [[elderly, seniors]\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="not valid YAML"):
        load(bad)


def test_synonyms_are_added_below_the_words_typed():
    [concept] = vocabulary.concepts("Seniors")
    assert concept.alternatives[0].text == "seniors" and concept.alternatives[0].weight == 1.0
    added = {alternative.text: alternative.weight for alternative in concept.alternatives[1:]}
    assert added["older people"] == added["elderly"] == added["pensioners"] == EXPANDED_WEIGHT


def test_known_phrases_are_one_concept_and_stop_words_none():
    concepts = vocabulary.concepts("training for the elderly")
    assert [concept.typed for concept in concepts] == ["training", "elderly"]
    assert [concept.typed for concept in vocabulary.concepts("digital skills older people")] == [
        "digital skills", "older people"]
    assert "respite" in [a.text for a in vocabulary.concepts("carers' break")[0].alternatives]


def test_plurals_and_unknown_words():
    assert "older people" in [a.text for a in vocabulary.concepts("pensioner")[0].alternatives]
    [concept] = vocabulary.concepts("zyxwv")
    assert not concept.expanded
    assert vocabulary.knows("seniors") and vocabulary.knows("NEET") and not vocabulary.knows("zyxwv")
