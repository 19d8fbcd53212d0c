"""The brief editor: the buyer's own questions to suppliers, suggested by the kind's template, and the last day for
questions."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from portal.models import MarketQuestion, Opportunity
from tests.conftest import TODAY
from tests.web.conftest import soup
from tests.web.helpers import post
from tests.web.test_buyers import GOOD_BRIEF, camden_client, create_draft, world  # noqa: F401  (fixtures)

NEW = "/buyer/opportunities/new/problem-statement"


def questions_of(app, opportunity_id: int) -> list[tuple[str, int]]:
    with Session(app.extensions["engine"]) as session:
        return [(q.text, q.max_words) for q in session.exec(
            select(MarketQuestion).where(MarketQuestion.opportunity_id == opportunity_id,
                                         MarketQuestion.removed_at == None)  # noqa: E711
            .order_by(MarketQuestion.position)).all()]


def rows_typed(*questions) -> dict:
    typed = {}
    for number, (text, limit) in enumerate(questions):
        typed[f"questions_to_suppliers-{number}-text"] = text
        typed[f"questions_to_suppliers-{number}-max_words"] = limit
    return typed


@pytest.mark.parametrize("kind, first", [
    ("problem-statement", "How would you solve this problem, and who would you work with?"),
    ("innovation-challenge", "What is your idea, and who would it help?"),
    ("pipeline-item", "Would you bid for this, on your own or with partners?"),
])
def test_a_new_brief_starts_with_the_templates_suggested_questions(camden_client, kind, first):
    page = soup(camden_client.get(f"/buyer/opportunities/new/{kind}"))
    boxes = page.select("#questions_to_suppliers input[name$='-text']")
    assert len(boxes) == 5, "five rows, so no JavaScript is needed"
    assert boxes[0]["value"] == first
    assert page.select_one("label[for='questions_to_suppliers-0-text']").get_text() == "Question 1"
    assert page.select_one("#questions_close")["type"] == "text"  # dates are typed as people write them


def test_questions_are_saved_in_order_and_empty_rows_ignored(app, camden_client):
    opportunity_id = create_draft(camden_client, **rows_typed(("First  question?", "50"), ("", "200"),
                                                              ("Second question?", ""), ("", "")))
    assert questions_of(app, opportunity_id) == [("First question?", 50), ("Second question?", 200)]
    page = soup(camden_client.get(f"/buyer/opportunities/{opportunity_id}/edit"))
    assert [box.get("value", "") for box in page.select("#questions_to_suppliers input[name$='-text']")] == [
        "First question?", "Second question?", "", "", ""]
    assert page.select_one("#questions_to_suppliers-0-max_words")["value"] == "50"


def test_editing_keeps_unchanged_questions_and_takes_away_cleared_ones(app, camden_client):
    opportunity_id = create_draft(camden_client, **rows_typed(("Keep me?", "100"), ("Drop me?", "100")))
    with Session(app.extensions["engine"]) as session:
        kept_id = session.exec(select(MarketQuestion.id).where(MarketQuestion.text == "Keep me?")).one()
    edited = post(camden_client, f"/buyer/opportunities/{opportunity_id}/edit",
                  {**GOOD_BRIEF, **rows_typed(("New one?", "300"), ("Keep me?", "150"))})
    assert edited.status_code == 303
    assert questions_of(app, opportunity_id) == [("New one?", 300), ("Keep me?", 150)]
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(MarketQuestion.id).where(MarketQuestion.text == "Keep me?")).one() == kept_id
        assert session.exec(select(MarketQuestion).where(MarketQuestion.text == "Drop me?")).first() is None


@pytest.mark.parametrize("typed, message", [
    ({"questions_to_suppliers-1-max_words": "20"}, "Question 2: Enter a word limit from 50 to 500"),
    ({"questions_to_suppliers-1-max_words": "lots"}, "Question 2: Not a valid integer value"),
    ({"questions_to_suppliers-1-text": "x" * 301}, "Question 2: Keep the question to 300 characters or fewer"),
    ({"questions_to_suppliers-1-text": "Two\nlines"}, "Question 2: Question must be on one line"),
    ({"questions_to_suppliers-1-text": "same  question?", "questions_to_suppliers-2-text": "same question?"},
     "Question 3 is the same as question 2"),
])
def test_question_problems_keep_everything_typed(app, camden_client, typed, message):
    response = post(camden_client, NEW, {**GOOD_BRIEF, **rows_typed(("Fine?", "100"), ("Also fine?", "200")), **typed})
    assert response.status_code == 400
    page = soup(response)
    summary = page.select_one(".govuk-error-summary")
    assert message in summary.get_text()
    assert summary.find("a", string=lambda s: s and message in s)["href"] == "#questions_to_suppliers"
    assert page.select_one("#questions_to_suppliers-0-text")["value"] == "Fine?"
    field = next(iter(typed))
    if "\n" not in typed[field]:
        assert page.select_one(f"#{field}")["value"] == typed[field], "what was typed, even if it is wrong"
    assert page.select_one("#title")["value"] == GOOD_BRIEF["title"]
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(Opportunity)).all() == [] or all(
            o.title != GOOD_BRIEF["title"] for o in session.exec(select(Opportunity)).all())


def test_the_last_day_for_questions_is_stored(app, camden_client):
    opportunity_id = create_draft(camden_client, questions_close="2027-01-15")
    with Session(app.extensions["engine"]) as session:
        assert session.get(Opportunity, opportunity_id).questions_close_on == date(2027, 1, 15)
    page = soup(camden_client.get(f"/buyer/opportunities/{opportunity_id}/edit"))
    assert page.select_one("#questions_close")["value"] == "15 January 2027"


@pytest.mark.parametrize("closes, message", [
    ("2027-02-01", "must not be after engagement closes"),
    ((TODAY - timedelta(days=1)).isoformat(), "must be today or in the future"),
    ("2027-02-30", "Enter a real date, like 31 March 2027"),
])
def test_a_wrong_last_day_for_questions_is_refused(camden_client, closes, message):
    response = post(camden_client, NEW, {**GOOD_BRIEF, "questions_close": closes})
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("#questions_close")["value"] == closes


def test_a_last_day_already_past_can_stay_when_other_things_change(app, camden_client):
    opportunity_id = create_draft(camden_client, questions_close=TODAY.isoformat())
    with Session(app.extensions["engine"]) as session:  # time passes: the day is now in the past
        item = session.get(Opportunity, opportunity_id)
        item.questions_close_on = TODAY - timedelta(days=3)
        session.add(item)
        session.commit()
    past = (TODAY - timedelta(days=3)).isoformat()
    kept = post(camden_client, f"/buyer/opportunities/{opportunity_id}/edit", {**GOOD_BRIEF, "questions_close": past,
                                                                               "title": "A new title"})
    assert kept.status_code == 303, "unchanged, it is not checked again"
    moved = post(camden_client, f"/buyer/opportunities/{opportunity_id}/edit",
                 {**GOOD_BRIEF, "questions_close": (TODAY - timedelta(days=2)).isoformat()})
    assert moved.status_code == 400
