"""The plain English checker's rules: word forms, the public-sector jargon list, abbreviations, advice that fits
its context, words the brief templates use, the title and short texts, and the evaluation set."""

import csv
import subprocess
import sys

import pytest

from portal.config import PROJECT_ROOT
from portal.plain import check
from portal.plain.cli import main
from portal.plain.evaluation import evaluate
from portal.plain.phrases import DATA_DIR

LONG_PLAIN = ("We want to cut the time people wait for a bin to be fixed. Tell us how you would do it. We will pay "
              "for a small trial. Then we will choose the best idea and try it in one street.")


def hits(text, **options):
    return {hit.phrase: hit for hit in check(text, **options).phrases}


# Word forms

@pytest.mark.parametrize("text, word, plain", [
    ("We utilised the old system.", "utilised", "use"),
    ("The team is utilising new vans.", "utilising", "use"),
    ("We leveraged national funding.", "leveraged", "use"),
    ("The council procured a case system.", "procured", "buy"),
    ("We are procuring it now.", "procuring", "buy"),
    ("She facilitates the group.", "facilitates", "help"),
])
def test_other_forms_of_a_listed_word_get_its_advice(text, word, plain):
    hit = hits(text)[word]
    assert plain in hit.replacements
    assert f'"{plain}"' in hit.advice


@pytest.mark.parametrize("text", [
    "Residents told us about the problem.",  # not a form of "reside"
    "We will run a promotion in May.",  # not a form of "promote"
    "After the contract is awarded we will meet.",  # glossary terms match as written: "awarded" is not "award"
])
def test_longer_words_sharing_a_stem_are_not_forms_of_a_listed_word(text):
    assert check(text).phrases == ()


# The public-sector jargon list

@pytest.mark.parametrize("text, phrase, plain", [
    ("There are approximately 400 families.", "approximately", "about"),
    ("It is worth circa £200k.", "circa", "about"),
    ("Service users told us.", "Service users", "people who use the service"),
    ("The cost envelope is fixed.", "cost envelope", "budget"),
    ("We meet post-award.", "post-award", "after the contract is awarded"),
])
def test_public_sector_jargon_has_a_plain_alternative(text, phrase, plain):
    hit = hits(text)[phrase]
    assert hit.replacements[0] == plain
    assert hit.advice == f'Try "{plain}" instead.'


def test_every_jargon_entry_has_a_plain_alternative():
    with (DATA_DIR / "public_sector_jargon.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) >= 100
    assert all(row["term"].strip() and row["plain"].strip() for row in rows)
    for row in rows:  # each is found, and offers its plain words
        hit = check(f"We talked about {row['term']} today.").phrases[0]
        assert hit.phrase.lower() == row["term"].lower()
        assert row["plain"].split(";")[0] in hit.replacements


# Abbreviations

@pytest.mark.parametrize("acronym", ["MTFS", "ASC", "CQC", "HACCP", "TUPE", "DPS", "PFI"])
def test_abbreviations_not_spelled_out_or_in_the_glossary_are_flagged(acronym):
    hit = hits(f"The {acronym} matters to us.")[acronym]
    assert hit.kind == "acronym"
    assert f'Write "{acronym}" out in full' in hit.advice
    assert any("abbreviation" in message for message in check(f"The {acronym} matters.").messages)


@pytest.mark.parametrize("text", [
    "The Medium Term Financial Strategy (MTFS) is online. The MTFS sets the budget.",
    "The MTFS (Medium Term Financial Strategy) sets the budget.",
    "We welcome SMEs, VCSEs and the NHS.",  # in the glossary, or known to most readers
    "WHAT WE WANT TO BUY",  # a heading in capitals
    "Phase II starts in May.",
])
def test_abbreviations_spelled_out_known_or_in_the_glossary_are_not_flagged(text):
    assert [hit for hit in check(text).phrases if hit.kind == "acronym"] == []


def test_an_abbreviation_spelled_out_in_another_field_is_explained():
    report = check({"summary": "The Medium Term Financial Strategy (MTFS) sets it.", "why": "The MTFS is tight."})
    assert [hit for hit in report.phrases if hit.kind == "acronym"] == []


def test_an_abbreviation_is_flagged_once_in_each_field():
    report = check({"summary": "CQC and CQC again.", "why": "The CQC inspects."})
    assert [(hit.field, hit.phrase) for hit in report.phrases] == [("summary", "CQC"), ("why", "CQC")]


def test_abbreviations_in_the_glossary_given_are_not_flagged(tmp_path):
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("- term: Care Quality Commission\n  definition: The regulator.\n  also_called: [CQC]\n")
    assert [hit.kind for hit in check("The CQC inspects.", glossary_path=glossary).phrases] == ["term"]
    assert [hit.kind for hit in check("The CQC inspects.").phrases] == ["acronym"]


# Advice that fits its context

def test_it_is_is_flagged_only_as_a_dummy_subject_starting_a_sentence():
    [hit] = check("It is important that you reply by Friday.").phrases
    assert hit.phrase == "It is" and "You must reply by Friday" in hit.advice
    assert "leaving it out" not in hit.advice
    assert check("We know how easy it is to apply.").phrases == ()
    assert check("It is a service for older people.").phrases == ()
    assert check("Tell us what it is for.").phrases == ()
    assert check("We can see it is important that you reply.").phrases == ()


def test_therefore_and_in_accordance_with_get_the_right_plain_words():
    assert hits("Therefore we stop.")["Therefore"].advice == 'Try "so" instead.'
    advice = hits("We pay in accordance with the rules.")["in accordance with"].advice
    assert '"under"' in advice and '"as … says"' in advice
    assert "per" not in advice.split()


@pytest.mark.parametrize("text, phrases", [
    ("We are interested in hearing from you.", []),
    ("We are pleased to share this.", []),
    ("Our office is based in Leeds.", []),
    ("We are committed to this.", []),
    ("We were pleased by the response.", ["were pleased"]),
    ("Suppliers are expected to reply.", ["are expected"]),
    ("The report was written by the team.", ["was written"]),
])
def test_adjectives_after_to_be_are_not_passive_voice(text, phrases):
    assert [hint.phrase for hint in check(text).passive] == phrases


def test_use_the_plain_version_always_names_it():
    itt = hits("Read the ITT first.")["ITT"]
    assert itt.advice.startswith('Explain this term or use the plain version: "Invitation to tender".')
    lot = hits("Lot 2 covers repairs.")["Lot"]
    assert lot.advice == "Explain this term the first time you use it."
    for sentence in ("Read the ITT.", "Lot 2 is small.", "The framework is new.", "Suppliers on the DPS bid."):
        for hit in check(sentence).phrases:
            assert "plain version" not in hit.advice or ': "' in hit.advice


# Words the portal's own templates ask for

@pytest.mark.parametrize("text", [
    "We want to hear from SMEs and VCSEs.", "Social enterprises are welcome.", "A social enterprise could do this.",
    "What outcomes do you want?",
])
def test_words_the_portal_asks_for_are_not_flagged(text):
    assert check(text).phrases == ()


def test_words_in_template_labels_and_hints_are_not_flagged(tmp_path):
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("[]\n")
    (tmp_path / "templates").mkdir()
    text = "We will leverage our buildings."
    assert "leverage" in hits(text, glossary_path=glossary)
    (tmp_path / "templates" / "brief.yaml").write_text(
        "title: Brief\nsections:\n  - name: assets\n    label: What could you leverage?\n    hint: Buildings.\n")
    assert hits(text, glossary_path=glossary) == {}
    assert "leveraged" not in hits("We leveraged it.", glossary_path=glossary)


# The title and short texts

def test_the_title_is_checked_with_the_other_fields():
    report = check({"title": "Leverage synergies", "summary": "We want a bin fixed."},
                   labels={"title": "Title", "summary": "Summary"})
    [group] = report.by_field()
    assert (group.name, group.label) == ("title", "Title")
    assert [hit.phrase for hit in group.phrases] == ["Leverage", "synergies"]


@pytest.mark.parametrize("text", ["Utilise it.", "Notwithstanding the aforementioned considerations, proceed.",
                                  " ".join(["word"] * 29)])
def test_texts_under_30_words_get_no_reading_age(text):
    report = check(text)
    assert report.reading_age is None and report.grade is None and report.reading_age_text == ""
    assert report.reading_level.startswith("Too short to score")
    assert not any("reading age is" in message for message in report.messages)


def test_texts_of_30_words_or_more_get_a_reading_age():
    report = check(LONG_PLAIN)
    assert report.words >= 30 and report.reading_age == 6


def test_findings_are_grouped_by_field_in_the_order_given():
    report = check({"summary": "We will leverage it.", "why": "Fine words.", "problem": "Bins were emptied late."},
                   labels={"summary": "Summary", "problem": "What is the problem?"})
    assert [(group.name, group.label, group.count) for group in report.by_field()] == [
        ("summary", "Summary", 1), ("problem", "What is the problem?", 1)]
    assert report.to_dict()["fields"] == [["summary", "Summary"], ["why", "Why"], ["problem", "What is the problem?"]]


# The evaluation set

def test_the_evaluation_set_meets_its_precision_and_recall_targets():
    result = evaluate()
    assert result.sentences >= 60
    assert result.precision >= 0.9, result.misses
    assert result.recall >= 0.8, result.misses


def test_evaluation_counts_misses_and_extra_flags(tmp_path):
    path = tmp_path / "set.csv"
    path.write_text("sentence,expected\nWe utilise it.,utilise\nWe like it.,like\nFacilitate it.,\n")
    result = evaluate(path)
    assert (result.true_positives, result.false_positives, result.false_negatives) == (1, 1, 1)
    assert result.precision == result.recall == 0.5


def test_evaluate_command_prints_precision_and_recall(capsys):
    assert main(["--evaluate"]) == 0
    out = capsys.readouterr().out
    assert "Precision: 0.9" in out or "Precision: 1.00" in out
    assert "Recall: " in out and "Sentences: " in out


def test_evaluate_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "portal.plain", "--evaluate"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Precision:" in result.stdout
