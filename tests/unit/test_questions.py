"""Questions are moderated: the buyer publishes each in their own words with an answer, or rejects it with a reason.
What the supplier wrote is kept and never published; the buyer, the asker and the followers are told."""

from datetime import date, timedelta

from sqlmodel import select

from portal.models import Notification, Question, QuestionStatus, Role, User
from portal.services import activity, notifications, questions
from tests.factories import make_buyer, make_opportunity, make_supplier_user

TODAY = date(2026, 11, 22)


def _ask(session, opportunity, supplier, text) -> Question:
    return questions.ask(session, opportunity.id, supplier.organisation_id, supplier.id, text)


def _staff(session, buyer) -> User:
    user = User(email="buyer@camden.example", name="Buyer", password_hash="x", role=Role.BUYER,
                organisation_id=buyer.id)
    session.add(user)
    session.commit()
    return user


def _told(session, user_id):
    return session.exec(select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)).all()


def test_a_question_waits_unpublished_and_the_buyers_staff_are_told(session):
    buyer = make_buyer(session)
    opportunity = make_opportunity(session, buyer, title="School meals")
    staff = _staff(session, buyer)
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    question = _ask(session, opportunity, amy, "  Can we bid with a partner?  ")
    assert (question.text, question.status, question.published_text) == ("Can we bid with a partner?", "waiting", None)
    assert questions.published(session, opportunity.id) == []
    [notice] = _told(session, staff.id)
    assert notice.message == "New question about \u201cSchool meals\u201d"
    assert notice.details == "Can we bid with a partner?"
    assert notice.link == {"endpoint": "buyer.manage",
                           "values": {"opportunity_id": opportunity.id, "_anchor": "questions"}}
    assert _told(session, amy.id) == [], "the supplier is not told about their own question"


def test_publishing_keeps_the_original_private_and_shows_only_the_buyers_wording(session):
    buyer = make_buyer(session)
    opportunity = make_opportunity(session, buyer)
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    question = _ask(session, opportunity, amy, "Amy's Kitchen in Leeds asks: can we bid?")
    assert questions.publish(session, question, "  Can a small kitchen bid?  ", "  Yes.  ") is True
    stored = session.get(Question, question.id)
    assert stored.status == QuestionStatus.PUBLISHED
    assert stored.text == "Amy's Kitchen in Leeds asks: can we bid?", "the original is kept"
    assert (stored.published_text, stored.answer) == ("Can a small kitchen bid?", "Yes.")
    assert stored.edited and stored.answered_at is not None
    [shown] = questions.published(session, opportunity.id)
    assert (shown.text, shown.answer) == ("Can a small kitchen bid?", "Yes.")
    assert not hasattr(shown, "asked_by_id") and not hasattr(shown, "organisation_id"), "nothing about the asker"


def test_publishing_word_for_word_is_not_an_edit(session):
    buyer = make_buyer(session)
    opportunity = make_opportunity(session, buyer)
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    question = _ask(session, opportunity, amy, "When?")
    questions.publish(session, question, "When?", "Soon.")
    assert not session.get(Question, question.id).edited


def test_only_published_questions_of_that_opportunity_are_public_newest_answer_first(session):
    buyer = make_buyer(session)
    wanted, other = make_opportunity(session, buyer), make_opportunity(session, buyer)
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    first = _ask(session, wanted, amy, "First?")
    second = _ask(session, wanted, amy, "Second?")
    _ask(session, wanted, amy, "Still waiting?")
    turned_down = _ask(session, wanted, amy, "Turned down?")
    elsewhere = _ask(session, other, amy, "Elsewhere?")

    questions.publish(session, second, "Second?", "Answer two.")
    questions.publish(session, first, "First?", "Answer one.")
    second.answered_at += timedelta(minutes=1)  # answered last, though stored first
    session.add(second)
    session.commit()
    questions.reject(session, turned_down, "It names another supplier.", TODAY)
    questions.publish(session, elsewhere, "Elsewhere?", "Elsewhere answer.")

    assert [(q.text, q.answer) for q in questions.published(session, wanted.id)] == [
        ("Second?", "Answer two."), ("First?", "Answer one.")]


def test_publishing_tells_the_asker_and_the_followers_once_each_with_the_question_and_answer(session):
    buyer = make_buyer(session)
    opportunity = make_opportunity(session, buyer, title="School meals", slug="school-meals")
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    bob = make_supplier_user(session, "bob@example.org", "Bob's Bikes")
    notifications.follow(session, amy.id, opportunity.id)
    notifications.follow(session, bob.id, opportunity.id)
    question = _ask(session, opportunity, amy, "Amy here: when?")
    questions.publish(session, question, "When?", "Soon.")
    [to_amy], [to_bob] = _told(session, amy.id), _told(session, bob.id)
    assert to_amy.message == "Your question about \u201cSchool meals\u201d has been answered."
    assert to_amy.details.startswith("Question: When?\n\nAnswer: Soon.")
    assert "changed the wording of your question" in to_amy.details
    assert to_bob.message == "A question about \u201cSchool meals\u201d has been answered."
    assert to_bob.details == "Question: When?\n\nAnswer: Soon.", "followers never see the original"
    link = {"endpoint": "opportunities.show", "values": {"slug": "school-meals", "_anchor": "questions"}}
    assert to_amy.link == link and to_bob.link == link


def test_rejecting_needs_a_waiting_question_keeps_the_reason_and_tells_only_the_asker(session):
    buyer = make_buyer(session)
    opportunity = make_opportunity(session, buyer, title="School meals")
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    bob = make_supplier_user(session, "bob@example.org", "Bob's Bikes")
    notifications.follow(session, bob.id, opportunity.id)
    question = _ask(session, opportunity, amy, "What did Bob's Bikes quote?")
    assert questions.reject(session, question, "  It asks about another supplier.  ", TODAY) is True
    stored = session.get(Question, question.id)
    assert (stored.status, stored.rejection_reason) == ("rejected", "It asks about another supplier.")
    assert stored.rejected_at is not None and stored.text == "What did Bob's Bikes quote?"
    [notice] = _told(session, amy.id)
    assert notice.message == "Your question about \u201cSchool meals\u201d was not published."
    assert "Your question: What did Bob's Bikes quote?" in notice.details
    assert "The buyer's reason: It asks about another supplier." in notice.details
    assert "ask again on the opportunity page" in notice.details and "more generally" in notice.details
    assert _told(session, bob.id) == [], "followers hear nothing of a rejected question"
    assert questions.published(session, opportunity.id) == []
    assert questions.publish(session, stored, "Anything?", "No.") is False, "a rejected question stays unpublished"
    assert questions.reject(session, stored, "Again.", TODAY) is False
    assert session.get(Question, question.id).rejection_reason == "It asks about another supplier."


def test_the_rejection_says_until_when_the_supplier_can_ask_again_or_that_they_cannot(session):
    buyer = make_buyer(session)
    dated = make_opportunity(session, buyer, questions_close_on=date(2026, 12, 1))
    closed = make_opportunity(session, buyer, questions_close_on=date(2026, 11, 20))
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    questions.reject(session, _ask(session, dated, amy, "One?"), "Too narrow.", TODAY)
    questions.reject(session, _ask(session, closed, amy, "Two?"), "Too narrow.", TODAY)
    first, second = _told(session, amy.id)
    assert "until questions close on 1 December 2026" in first.details
    assert "cannot ask again" in second.details


def test_a_published_question_cannot_be_rejected_but_can_be_changed_and_followers_are_told(session):
    buyer = make_buyer(session)
    opportunity = make_opportunity(session, buyer, title="School meals")
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    bob = make_supplier_user(session, "bob@example.org", "Bob's Bikes")
    notifications.follow(session, bob.id, opportunity.id)
    question = _ask(session, opportunity, amy, "When?")
    questions.publish(session, question, "When?", "Soon.")
    assert questions.reject(session, question, "Changed my mind.", TODAY) is False
    assert questions.change_published(session, question, "When?", "Soon.") is False, "nothing changed, nobody told"
    assert questions.change_published(session, question, "When will you decide?", "In March.") is True
    [shown] = questions.published(session, opportunity.id)
    assert (shown.text, shown.answer) == ("When will you decide?", "In March.") and shown.answer_changed_at is not None
    assert session.get(Question, question.id).text == "When?"
    for user in (amy, bob):
        changed = _told(session, user.id)[-1]
        assert changed.message == "The buyer changed a published answer about \u201cSchool meals\u201d."
        assert changed.details == "Question: When will you decide?\n\nAnswer: In March."


def test_a_waiting_question_cannot_be_changed_as_if_published(session):
    buyer = make_buyer(session)
    opportunity = make_opportunity(session, buyer)
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    question = _ask(session, opportunity, amy, "When?")
    assert questions.change_published(session, question, "When?", "Soon.") is False
    assert questions.published(session, opportunity.id) == []


def test_recent_activity_and_a_buyers_recent_answers_count_only_published_questions(session):
    buyer = make_buyer(session)
    opportunity = make_opportunity(session, buyer, title="School meals")
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    _ask(session, opportunity, amy, "Waiting?")
    questions.reject(session, _ask(session, opportunity, amy, "Rejected?"), "No.", TODAY)
    assert activity.recent_answers(session, buyer.id) == []
    # The item's own publishing is listed (its published date is the one every page reads); no question is
    assert [h.text for h in activity.recent(session, buyer_id=buyer.id)] == ["Published: School meals"]
    published = _ask(session, opportunity, amy, "Amy asks: published?")
    questions.publish(session, published, "Published?", "Yes.")
    assert [(q.text, q.answer, o.id) for q, o in activity.recent_answers(session, buyer.id)] == [
        ("Published?", "Yes.", opportunity.id)]
    assert "A question was answered about School meals" in [h.text for h in activity.recent(session, buyer_id=buyer.id)]
