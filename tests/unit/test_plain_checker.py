import dataclasses
import io
import itertools
import json
import math
import subprocess
import sys

import pytest
import textstat

from portal.config import PROJECT_ROOT
from portal.plain import about_reading_age, check, describe_reading_age
from portal.plain.cli import main
from portal.plain.text import strip_markdown

SIMPLE = ("We want to cut the time people wait for a bin to be fixed. Tell us how you would do it. "
          "We will pay for a small trial. Then we will choose the best idea and try it in one street.")
MIDDLE = ("The council runs twelve libraries across the borough. Visitor numbers have fallen since 2019, especially "
          "among teenagers. We would like to hear from organisations with ideas for making libraries more useful to "
          "young people.")
BUREAUCRATIC = ("The authority is seeking to procure an innovative, scalable and interoperable digital solution that "
                "facilitates the optimisation of operational efficiencies across multiple organisational "
                "directorates, in accordance with the overarching transformation programme and its associated "
                "governance arrangements.")


def hits(text, **options):
    return {hit.phrase.lower(): hit for hit in check(text, **options).phrases}


# Reading age

@pytest.mark.parametrize("text, grade, reading_age", [
    (SIMPLE, 1.36, 6),  # 6.36 rounds down to 6
    (MIDDLE, 9.31, 14),  # 14.31 rounds down to 14
    (BUREAUCRATIC, 29.92, 25),  # 34.9, kept at the oldest reading age the checker reports
])
def test_reading_age_is_the_flesch_kincaid_grade_plus_five(text, grade, reading_age):
    textstat_grade = textstat.flesch_kincaid_grade(text)
    assert textstat_grade == pytest.approx(grade, abs=0.01)
    report = check(text)
    assert report.grade == pytest.approx(textstat_grade, abs=0.01)
    assert report.reading_age == reading_age
    assert report.reading_age == max(5, min(25, math.floor(textstat_grade + 5 + 0.5)))


def test_simple_text_has_a_lower_reading_age_and_a_better_score_than_bureaucratic_text():
    simple, bureaucratic = check(SIMPLE), check(BUREAUCRATIC)
    assert simple.reading_age < bureaucratic.reading_age
    assert simple.score > bureaucratic.score
    assert any("reading age" in message for message in bureaucratic.messages)
    assert not any("reading age" in message for message in simple.messages)


@pytest.mark.parametrize("age, about, label", [
    (5, "5 or under", "Very easy to read (reading age 8 or under)"),
    (10, "about 10", "Easy to read (reading age 9 to 11)"),
    (12, "about 12", "Fairly easy to read (reading age 12 to 14)"),
    (16, "about 16", "Fairly hard to read (reading age 15 to 17)"),
    (25, "25 or over", "Hard to read (reading age 18 or over)"),
    (None, "", "No text to check yet"),
])
def test_reading_age_labels(age, about, label):
    assert about_reading_age(age) == about
    assert describe_reading_age(age) == label


def test_report_carries_its_labels():
    report = check(MIDDLE)
    assert report.reading_age_text == "about 14"
    assert report.reading_level == "Fairly easy to read (reading age 12 to 14)"


# Words and phrases

@pytest.mark.parametrize("text, phrase, replacement", [
    ("We will utilise the data.", "utilise", "use"),
    ("We meet monthly in order to share news.", "in order to", "to"),
    ("We want to leverage local skills.", "leverage", "use"),
    ("We will talk to stakeholders first.", "stakeholders", "people affected"),
    ("Tell us how to facilitate the meetings.", "facilitate", "help"),
])
def test_wordy_phrases_come_with_plainer_words(text, phrase, replacement):
    hit = hits(text)[phrase]
    assert replacement in hit.replacements
    assert text[hit.start:hit.end].lower() == phrase
    assert hit.kind in ("simpler", "avoid")
    assert replacement in hit.advice


def test_govuk_words_to_avoid_give_the_style_guide_note():
    hit = hits("We will leverage our buying power.")["leverage"]
    assert hit.kind == "avoid"
    assert "govuk" in hit.sources
    assert "unless in the financial sense" in hit.advice


def test_a_phrase_in_several_lists_is_one_hit_with_merged_suggestions():
    report = check("We utilise it.")
    assert len(report.phrases) == 1
    assert set(report.phrases[0].sources) >= {"retext-simplify", "govuk"}


@pytest.mark.parametrize("text, term", [
    ("Suppliers on the framework can bid.", "framework"),
    ("The work is split into 3 lots.", "lots"),
    ("Lot 2 covers repairs.", "lot"),
    ("Read the ITT before you bid.", "itt"),
])
def test_glossary_terms_are_reported_with_their_definition(text, term):
    hit = hits(text)[term]
    assert hit.kind == "term"
    assert hit.advice.startswith("Explain this term")
    if "plain version" in hit.advice:  # the advice names the plain version whenever it offers one
        assert hit.replacements and f'"{hit.replacements[0]}"' in hit.advice
    assert hit.definition
    assert hit.sources == ("glossary",)


def test_other_names_point_to_the_glossary_term():
    hit = hits("Read the ITT carefully.")["itt"]
    assert hit.replacements == ("Invitation to tender",)


@pytest.mark.parametrize("text", [
    "We have a lot of data.",
    "There are lots of ways to help.",
    "School dinners must include meat.",  # MEAT, the procurement acronym, is only matched in capitals
    "The buyer and the supplier sign a contract.",  # glossary words everyone knows
])
def test_everyday_words_are_not_procurement_terms(text):
    assert not [hit for hit in check(text).phrases if hit.kind == "term"]


def test_matching_ignores_case_and_respects_word_boundaries():
    assert "utilise" in hits("UTILISE the space.")
    assert not hits("The reutilised bricks.")  # "utilise" inside a longer word
    assert "in order to" not in hits("Put them in order. To start, ...")  # not across a full stop


def test_overlapping_phrases_are_reported_once():
    report = check("Delays adversely impact on residents.")
    assert [hit.phrase for hit in report.phrases] == ["adversely impact on"]
    spans = [(hit.start, hit.end) for hit in check(BUREAUCRATIC + " " + SIMPLE).phrases]
    assert all(end <= next_start for (_, end), (next_start, _) in itertools.pairwise(spans))


def test_glossary_is_read_from_the_path_given(tmp_path):
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("- term: Widget plan\n  definition: A plan for widgets.\n  also_called: [WP]\n")
    found = hits("Our widget plan, or WP, is ready.", glossary_path=glossary)
    assert found["widget plan"].definition == "A plan for widgets."
    assert found["wp"].replacements == ("Widget plan",)
    assert "framework" not in hits("The framework.", glossary_path=glossary)
    glossary.write_text("- term: Gadget\n  definition: A gadget.\n")  # edits show at once
    assert "gadget" in hits("A gadget.", glossary_path=glossary)


@pytest.mark.parametrize("content", [None, "not: [valid", "- just a string\n- term: 3\n"])
def test_a_missing_or_broken_glossary_gives_no_terms_and_no_error(tmp_path, content):
    glossary = tmp_path / "glossary.yaml"
    if content is not None:
        glossary.write_text(content)
    report = check("The framework will utilise it.", glossary_path=glossary)
    assert [hit.phrase for hit in report.phrases] == ["utilise"]


def test_default_glossary_is_the_portal_glossary():
    from portal.plain import DEFAULT_GLOSSARY_PATH
    assert DEFAULT_GLOSSARY_PATH == PROJECT_ROOT / "content" / "glossary.yaml"


# Sentences and passive voice

def test_sentences_over_25_words_are_listed_with_their_word_count():
    long_sentence = " ".join(["word"] * 30) + "."
    limit_sentence = " ".join(["word"] * 25) + "."
    report = check(f"Short one. {long_sentence} {limit_sentence}")
    assert report.sentences == 3
    assert [item.words for item in report.long_sentences] == [30]
    item = report.long_sentences[0]
    assert item.text == long_sentence
    assert "1 sentence is longer than 25 words." in report.messages


def test_headings_and_list_items_are_sentences_of_their_own():
    report = check("# What we need\n\n- fewer missed bins\n- faster repairs\n\nWe want ideas.")
    assert report.sentences == 4
    assert not report.long_sentences


def test_abbreviations_do_not_end_sentences():
    assert check("Bring proof, e.g. a bill. Then wait.").sentences == 2


@pytest.mark.parametrize("text, phrases", [
    ("The report was written by the team.", ["was written"]),
    ("We wrote the report.", []),
    ("The plan was quickly agreed.", ["was quickly agreed"]),
    ("Bids are not needed yet.", ["are not needed"]),
    ("We are a trained team.", []),
    ("It is often busy.", []),
    ("The aim is to strengthen links.", []),
    ("Bins were emptied. Streets are cleaned daily.", ["were emptied", "are cleaned"]),
])
def test_passive_voice_hints(text, phrases):
    report = check(text)
    assert [hint.phrase for hint in report.passive] == phrases
    for hint in report.passive:
        assert text[hint.start:hint.end] == hint.phrase


# Word limits

def test_a_named_field_is_checked_against_its_limit():
    report = check("one two three four five six", field="summary", limits={"summary": 5, "title": 2})
    assert [(limit.field, limit.words, limit.limit, limit.over) for limit in report.word_limits] == [
        ("summary", 6, 5, True)]
    assert report.over_limit
    assert "The summary has 6 words. The limit is 5." in report.messages


def test_several_fields_are_checked_each_against_its_own_limit_and_together():
    report = check({"summary": "one two three", "description": "We will utilise it."},
                   limits={"summary": 5, "description": 3}, max_words=10)
    assert {(limit.field, limit.over) for limit in report.word_limits} == {
        ("summary", False), ("description", True), (None, False)}
    assert report.words == 7
    assert report.phrases[0].field == "description"
    assert report.phrases[0].start == "We will utilise it.".index("utilise")


def test_max_words_limits_a_single_text():
    assert not check("one two three", max_words=3).over_limit
    assert check("one two three four", max_words=3).over_limit
    assert check("one two three").word_limits == ()


# Markdown

def test_markdown_syntax_and_link_addresses_are_not_words():
    report = check("## Our problem ##\n\nSee [our site](https://example.org/a/b/c \"Title\") or https://gov.uk/x.")
    assert report.words == check("Our problem\n\nSee our site or.").words == 6


def test_offsets_point_into_the_text_as_typed():
    text = "# Title\n\nWe **utilise** [the framework](https://example.org) *in order to* help."
    for hit in check(text).phrases:
        assert text[hit.start:hit.end] == hit.phrase
    assert {hit.phrase for hit in check(text).phrases} == {"utilise", "framework", "in order to"}


def test_stripping_markdown_keeps_every_position():
    source = "# A\n\n> quote **b** _c_ `d`\n\n1. item\n\n```\ncode\n```\n| a | b |\n|---|---|\n[ref]: https://x.org\n"
    assert len(strip_markdown(source).text) == len(source)
    assert "code" not in strip_markdown(source).text


# Awkward input

@pytest.mark.parametrize("text", ["", "   \n\n  ", None, "😀😀😀", "...!!!", "# \n- \n> "])
def test_text_with_no_words_gives_an_empty_report(text):
    report = check(text)
    assert (report.words, report.sentences, report.reading_age, report.score) == (0, 0, None, 100)
    assert report.messages == ("There is no text to check yet.",)
    json.dumps(report.to_dict())


@pytest.mark.parametrize("text", [
    "<script>alert('x')</script><img src=x onerror=alert(1)> We utilise it.",
    "Ceci n'est pas un problème. Das Ärgernis ist groß. 日本語のテキストです。 😀🎉 مرحبا",
    "[x](" * 2000 + "*a " * 2000 + "\x00\u2028\r\n\ufeff" + "_" * 500,
    "word" * 5000,
])
def test_hostile_and_foreign_text_never_raises(text):
    report = check(text)
    assert 0 <= report.score <= 100
    json.dumps(report.to_dict())


def test_html_is_treated_as_text_and_returned_unchanged_for_the_caller_to_escape():
    report = check("<b>We will utilise it</b>. " + " ".join(["<i>word</i>"] * 30) + ".")
    assert report.phrases[0].phrase == "utilise"
    assert report.long_sentences[0].text.startswith("<i>word</i>")


@pytest.mark.parametrize("text", [
    ("We want to utilise the library in order to help stakeholders. The report was written by the team. " * 2100),
    ("word " * 40000),  # one enormous sentence
    ("- x\n" * 50000),
])
def test_very_long_text_is_checked_in_full(text):
    """Huge or odd input is checked, not refused (its speed is measured by the benchmark, not here)."""
    report = check(text[:200_000])
    assert report.words > 10_000


# Report

def test_report_is_frozen_and_turns_into_json():
    report = check("The report was written by the team in order to help.", max_words=5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.score = 100
    data = json.loads(json.dumps(report.to_dict()))
    assert data["passive"][0]["phrase"] == "was written"
    assert data["phrases"][0]["replacements"] == ["to"]
    assert data["over_limit"] is True
    assert set(data) >= {"words", "sentences", "reading_age", "long_sentences", "score", "messages"}


def test_score_loses_points_for_each_problem():
    assert check("We fix bins. You tell us when.").score == 100
    one_passive = check("Bins are fixed. You tell us when.").score
    assert one_passive == 98
    assert check("Bins are fixed. We utilise vans.").score == 95


# Command line

def test_cli_prints_a_readable_report(tmp_path, capsys):
    path = tmp_path / "brief.md"
    path.write_text("# The problem\n\nThe report was written by the team in order to help stakeholders.\n")
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert str(path) in out
    for expected in ("Reading age: too short to score", "Words: 14", "Sentences: 2", "Score:", '"was written"',
                     '"in order to": ', 'Try "to"', '"stakeholders"'):
        assert expected in out


def test_cli_prints_json(tmp_path, capsys):
    path = tmp_path / "brief.txt"
    path.write_text("We will utilise the framework.")
    assert main(["--json", "--max-words", "3", str(path)]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert result["file"] == str(path)
    assert {hit["phrase"] for hit in result["report"]["phrases"]} == {"utilise", "framework"}
    assert result["report"]["over_limit"] is True


def test_cli_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Bins are fixed.")))
    assert main(["--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["report"]["passive"][0]["phrase"] == "are fixed"


def test_cli_reports_a_missing_file_and_still_checks_the_rest(tmp_path, capsys):
    path = tmp_path / "ok.txt"
    path.write_text("Fine.")
    assert main([str(tmp_path / "missing.txt"), str(path)]) == 1
    captured = capsys.readouterr()
    assert "missing.txt: could not read it" in captured.err
    assert str(path) in captured.out


def test_cli_runs_as_a_module(tmp_path):
    path = tmp_path / "brief.md"
    path.write_text("We will utilise it.")
    result = subprocess.run([sys.executable, "-m", "portal.plain", "--json", str(path)],
                            check=False, capture_output=True, text=True, timeout=60, cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["report"]["phrases"][0]["replacements"] == ["use"]
