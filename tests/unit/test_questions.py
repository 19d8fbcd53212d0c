"""Questions: only answered ones are published, newest answer first, and the asker and followers are told."""

from datetime import timedelta

from sqlmodel import select

from portal.models import Notification
from portal.services import notifications, questions
from tests.factories import make_buyer, make_opportunity, make_supplier_user


def test_only_answered_questions_of_that_opportunity_are_published_newest_answer_first(session):
    buyer = make_buyer(session)
    wanted, other = make_opportunity(session, buyer), make_opportunity(session, buyer)
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    first = questions.ask(session, wanted.id, amy.organisation_id, amy.id, "  First?  ")
    second = questions.ask(session, wanted.id, amy.organisation_id, amy.id, "Second?")
    questions.ask(session, wanted.id, amy.organisation_id, amy.id, "Not answered yet?")
    elsewhere = questions.ask(session, other.id, amy.organisation_id, amy.id, "Elsewhere?")
    assert first.text == "First?"
    assert questions.published(session, wanted.id) == []

    answered_second = questions.answer(session, second.id, " Answer two. ")
    questions.answer(session, first.id, "Answer one.")
    answered_second.answered_at += timedelta(minutes=1)  # answered last, though stored first
    session.add(answered_second)
    session.commit()
    questions.answer(session, elsewhere.id, "Elsewhere answer.")

    published = questions.published(session, wanted.id)
    assert [(q.text, q.answer) for q in published] == [("Second?", "Answer two."), ("First?", "Answer one.")]


def test_an_answer_tells_the_asker_and_the_followers_once_each(session):
    buyer = make_buyer(session)
    opportunity = make_opportunity(session, buyer, title="School meals")
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    bob = make_supplier_user(session, "bob@example.org", "Bob's Bikes")
    notifications.follow(session, amy.id, opportunity.id)
    notifications.follow(session, bob.id, opportunity.id)
    question = questions.ask(session, opportunity.id, amy.organisation_id, amy.id, "When?")
    questions.answer(session, question.id, "Soon.")
    told = session.exec(select(Notification.user_id, Notification.opportunity_id, Notification.message)).all()
    assert sorted(user_id for user_id, _, _ in told) == sorted([amy.id, bob.id])
    assert {(about, message) for _, about, message in told} == {
        (opportunity.id, "A question about \u201cSchool meals\u201d has been answered.")}
