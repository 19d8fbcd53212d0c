"""What changed between two published versions of an item, in the sentences the change log and followers read."""

import pytest

from portal.services.version_changes import Labels, describe, rewrites, word_diff

BEFORE = {
    "title": "Lunch clubs", "summary": "Older people eat alone.", "why_md": "Loneliness harms health.",
    "body_md": "## What we want to achieve\n\nFewer people eat alone.", "cpv_code": "85311000-2",
    "value_min": 100_000, "value_max": 100_000, "value_basis": "total", "engagement_closes_on": "2027-02-12",
    "questions_close_on": None, "market_year": 2027, "market_quarter": 2, "contract_length_months": 24,
    "likely_route": "open procedure", "stage": "engagement", "suitable_for_sme": True, "suitable_for_vcse": False,
    "plain_score": 80, "brief_answers": {"outcomes_wanted": "Fewer people eat alone.", "problem": "People eat alone."},
    "bid_facts": {}, "missions": ["food"], "regions": ["TLI"],
    "phases": [{"name": "Discovery", "starts_on": "2027-03-01", "ends_on": "2027-04-30", "funding": 20_000,
                "description": ""}],
}
LABELS = Labels({"problem": "The problem", "outcomes_wanted": "What we want to achieve"}, {"food": "Food",
                                                                                         "homes": "Warm homes"})


def changed(**after) -> list[str]:
    return describe(BEFORE, BEFORE | after, LABELS)


def test_nothing_changed_says_nothing_and_the_reading_score_is_not_news():
    assert changed() == []
    assert changed(plain_score=40, body_md="composed again") == []


@pytest.mark.parametrize("after, sentence", [
    ({"engagement_closes_on": "2027-02-26"}, "The closing date moved from 12 February 2027 to 26 February 2027"),
    ({"engagement_closes_on": None}, "The closing date (12 February 2027) was removed"),
    ({"questions_close_on": "2027-02-01"}, "The last day for questions was set to 1 February 2027"),
    ({"value_max": 150_000, "value_min": 150_000}, "The value changed from £100,000 in total to £150,000 in total"),
    ({"value_basis": "per-year"},
     "The value changed from £100,000 in total to £100,000 a year (£200,000 in total over 2 years)"),
    ({"title": "Lunch clubs for all"}, "The title changed from \u201cLunch clubs\u201d to \u201cLunch clubs for all\u201d"),
    ({"summary": "Many older people eat alone."}, "The summary was rewritten"),
    ({"brief_answers": {"outcomes_wanted": "Nobody eats alone.", "problem": "People eat alone."}},
     "The section \u2018What we want to achieve\u2019 was rewritten"),
    ({"brief_answers": {"outcomes_wanted": "Fewer people eat alone.", "problem": ""}},
     "The section \u2018The problem\u2019 was removed"),
    ({"regions": ["TLD"]}, "Regions: added North West; removed London"),
    ({"missions": ["food", "homes"]}, "Missions: added Warm homes"),
    ({"stage": "tender"}, "The stage changed from \u201cTalking to the market\u201d to \u201cOpen for bids\u201d"),
    ({"market_quarter": 3}, "When it goes to market moved from July to September 2027 to October to December 2027"),
    ({"likely_route": ""}, "The likely route changed from \u201copen procedure\u201d to not given"),
    ({"contract_length_months": 36}, "The contract length changed from 2 years to 3 years"),
    ({"suitable_for_vcse": True}, "It is now marked as suitable for charities and social enterprises"),
    ({"phases": []}, "Phases: removed Discovery"),
    ({"phases": [BEFORE["phases"][0] | {"funding": 30_000}]}, "The phase \u201cDiscovery\u201d changed"),
    ({"bid_facts": {"criteria": [{"type": "price", "name": "Price", "weight": 100}]}},
     "How bids will be judged has changed"),
])
def test_each_kind_of_change_is_one_sentence_with_the_old_and_new_values(after, sentence):
    assert changed(**after) == [sentence]


def test_a_change_with_many_parts_lists_them_in_page_order():
    assert changed(stage="tender", title="Lunch", regions=["TLI", "TLD"]) == [
        "The title changed from \u201cLunch clubs\u201d to \u201cLunch\u201d",
        "The stage changed from \u201cTalking to the market\u201d to \u201cOpen for bids\u201d",
        "Regions: added North West",
    ]


def test_a_version_kept_before_text_was_recorded_says_nothing_false():
    old = {"stage": "engagement", "engagement_closes_on": "2027-02-12", "engagement_closed_at": None,
           "market_year": 2027, "market_quarter": 2, "value_min": 100_000, "value_max": 100_000}
    assert describe(old, BEFORE | {"engagement_closed_at": None}) == []
    assert describe(old, BEFORE | {"engagement_closed_at": None, "value_basis": "per-year"}) == [
        "The value changed from £100,000 in total to £100,000 a year (£200,000 in total over 2 years)"]
    assert rewrites(old, BEFORE) == []


def test_closing_early_is_one_sentence_with_the_date_it_was_due():
    after = BEFORE | {"engagement_closes_on": "2026-11-24", "engagement_closed_at": "2026-11-24T10:00:00"}
    assert describe(BEFORE | {"engagement_closed_at": None}, after) == [
        "Engagement closed early, on 24 November 2026 (it was due to close on 12 February 2027)"]


def test_rewritten_sections_keep_the_old_and_new_text():
    after = BEFORE | {"summary": "Many older people eat alone.",
                      "brief_answers": BEFORE["brief_answers"] | {"outcomes_wanted": "Nobody eats alone."}}
    found = rewrites(BEFORE, after, LABELS)
    assert [(r.section, r.before, r.after) for r in found] == [
        ("The summary", "Older people eat alone.", "Many older people eat alone."),
        ("What we want to achieve", "Fewer people eat alone.", "Nobody eats alone.")]


def test_the_word_diff_marks_removed_and_added_words_and_escapes_everything():
    assert str(word_diff("Fewer people eat alone.", "Nobody eats alone.")) == \
        "<del>Fewer people eat </del><ins>Nobody eats </ins>alone."
    marked = str(word_diff("Safe text", "Safe <script>alert(1)</script> & text"))
    assert "<script>" not in marked and "&lt;script&gt;" in marked and "&amp;" in marked
    assert marked.startswith("Safe <ins>")
