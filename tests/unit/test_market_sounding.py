"""Market sounding: the buyer's questions kept in step with the editor, suppliers' drafts and answers, a contact
only with consent, nothing shown from an unconfirmed address, and the buyer told when a response arrives."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from portal.models import Follow, MarketAnswer, MarketQuestion, Notification, Status, utcnow
from portal.services import buyer_items, interest, market_questions, market_responses
from portal.services.market_questions import QuestionValues
from tests.conftest import TODAY
from tests.factories import make_buyer, make_interest, make_opportunity, make_supplier_user


@pytest.fixture
def camden(session):
    return make_buyer(session, slug="camden", name="Camden Council")


@pytest.fixture
def item(session, camden):
    opportunity = make_opportunity(session, camden, title="Lunch clubs")
    market_questions.sync(session, opportunity.id, [QuestionValues("How would you reach people?", 100),
                                                    QuestionValues("What would it cost?", 50)])
    session.commit()
    return opportunity


@pytest.fixture
def buyer_staff(session, camden):
    from portal.models import Role, User
    person = User(email="cam@camden.example.org", name="Cam", password_hash="x", role=Role.BUYER,
                  organisation_id=camden.id, email_confirmed_at=utcnow())
    session.add(person)
    session.commit()
    return person


def asked(session, opportunity):
    return market_questions.current(session, opportunity.id)


def answers_by_text(session, opportunity, supplier_interest) -> dict[str, str]:
    texts = {q.id: q.text for q in session.exec(select(MarketQuestion)).all()}
    return {texts[qid]: text for qid, text in interest.answers(session, supplier_interest.id).items()}


def brief(**changes) -> buyer_items.BriefData:
    values = dict(kind="problem-statement", title="Lunch clubs", summary="Lunch clubs.", why_md="Why.", body_md="Body.",
                  answers={}, missions=[], cpv_code="85311000-2", regions=["TLI"])
    return buyer_items.BriefData(**(values | changes))


def test_a_new_brief_keeps_its_questions_in_order(app, session, camden):
    wanted = [QuestionValues("First?", 50), QuestionValues("Second?", 500)]
    draft = buyer_items.save_draft(session, app.extensions["search"], camden, brief(market_questions=wanted), "ocds-t")
    assert [(q.text, q.max_words, q.position) for q in asked(session, draft)] == [("First?", 50, 0), ("Second?", 500, 1)]


def test_answers_stay_with_questions_whose_words_are_unchanged(app, session, camden, item):
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    reach, cost = asked(session, item)
    sent = make_interest(session, item, amy, answers={reach.id: "Door to door.", cost.id: "About £20,000."})
    index = app.extensions["search"]

    # Reordered, one limit changed, one question's words changed, and one added.
    buyer_items.save_draft(session, index, camden, brief(market_questions=[
        QuestionValues("What would it   cost?", 300), QuestionValues("How would you reach people who are isolated?"),
        QuestionValues("Who would you work with?")]), "ocds-t", item)

    now = asked(session, item)
    assert [q.text for q in now] == ["What would it cost?", "How would you reach people who are isolated?",
                                     "Who would you work with?"]
    assert (now[0].id, now[0].max_words) == (cost.id, 300), "the same question, answers and all"
    assert interest.answers(session, sent.id) == {cost.id: "About £20,000.", reach.id: "Door to door."}
    removed = session.get(MarketQuestion, reach.id)
    assert removed.removed_at is not None, "changed words make a new question; the answered old one is kept, hidden"

    responses = market_responses.for_opportunity(session, item.id)
    assert [q.text for q in responses.questions] == [
        "What would it cost?", "How would you reach people who are isolated?", "Who would you work with?",
        "How would you reach people?"], "the buyer still reads answers to the removed question, last"
    assert responses.answers_to(removed) == [(responses.suppliers[0], "Door to door.")]

    # Asking the removed question again brings it back with its answers.
    buyer_items.save_draft(session, index, camden, brief(market_questions=[QuestionValues("How would you reach people?")]),
                           "ocds-t", item)
    assert [(q.id, q.removed_at) for q in asked(session, item)] == [(reach.id, None)]
    assert session.get(MarketQuestion, cost.id).removed_at is not None


def test_a_question_nobody_answered_is_deleted_when_taken_away(app, session, camden, item):
    buyer_items.save_draft(session, app.extensions["search"], camden, brief(market_questions=[]), "ocds-t", item)
    assert session.exec(select(MarketQuestion)).all() == []


def test_a_draft_is_kept_but_never_shown_to_the_buyer(session, item, buyer_staff):
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    reach, _cost = asked(session, item)
    draft = make_interest(session, item, amy, send=False, answers={reach.id: "Door to door."}, listed_publicly=True)

    assert draft.submitted_at is None
    assert interest.answers(session, draft.id) == {reach.id: "Door to door."}
    assert market_responses.for_opportunity(session, item.id).suppliers == []
    assert buyer_items.interest_report(session, item.id).rows == []
    assert interest.summary(session, item.id).count == 0
    assert [i.interested for i in buyer_items.own_items(session, item.buyer_id)] == [0]
    assert session.exec(select(Notification)).all() == [], "the buyer is not told about a draft"


def test_sending_tells_the_buyer_once_with_the_contact_and_a_summary_of_the_answers(session, item, buyer_staff):
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    reach, cost = asked(session, item)
    long_answer = " ".join(["word"] * 60)
    make_interest(session, item, amy, send=False, answers={reach.id: "Door to door."})
    sent = make_interest(session, item, amy, answers={reach.id: "Door to door.", cost.id: long_answer},
                         share_contact=True, contact_name="Amy Example", contact_email="amy@example.org",
                         contact_phone="020 7946 0000", open_to_partnering=True)

    [notice] = session.exec(select(Notification)).all()
    assert notice.user_id == buyer_staff.id
    assert notice.message == "Amy's Kitchen registered interest in \u201cLunch clubs\u201d"
    assert "Contact: Amy Example\nEmail: amy@example.org\nPhone: 020 7946 0000" in notice.details
    assert "open to partnering" in notice.details
    assert "How would you reach people?\nDoor to door." in notice.details
    assert " ".join(["word"] * 40) + " \u2026" in notice.details and long_answer not in notice.details
    assert notice.link == {"endpoint": "buyer.responses",
                           "values": {"opportunity_id": item.id, "_anchor": f"response-{sent.id}"}}

    # Sending again with nothing changed says nothing; a changed answer gets a shorter notice.
    make_interest(session, item, amy, answers={reach.id: "Door to door.", cost.id: long_answer},
                  share_contact=True, contact_name="Amy Example", contact_email="amy@example.org",
                  contact_phone="020 7946 0000", open_to_partnering=True)
    assert len(session.exec(select(Notification)).all()) == 1
    make_interest(session, item, amy, answers={reach.id: "By phone."}, share_contact=True, contact_name="Amy Example",
                  contact_email="amy@example.org", contact_phone="020 7946 0000", open_to_partnering=True)
    changed = session.exec(select(Notification).order_by(Notification.id.desc())).first()
    assert changed.message == "Amy's Kitchen changed their response to \u201cLunch clubs\u201d"
    assert changed.details == "How would you reach people?\nBy phone.\n\nWhat would it cost?\n(answer taken away)"


def test_once_sent_a_save_is_sent_too(session, item):
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    reach, _cost = asked(session, item)
    make_interest(session, item, amy, answers={reach.id: "First."})
    later = make_interest(session, item, amy, send=False, answers={reach.id: "Second."})
    assert later.submitted_at is not None
    [shown] = market_responses.for_opportunity(session, item.id).suppliers
    assert shown.answers == {reach.id: "Second."}, "the buyer sees one version, never an older one"


def test_a_contact_is_kept_and_shown_only_with_consent(session, item):
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    bob = make_supplier_user(session, "bob@example.org", "Bob's Bikes")
    make_interest(session, item, amy, share_contact=True, contact_name="Amy", contact_email="amy@example.org")
    private = make_interest(session, item, bob, share_contact=False, contact_name="Bob", contact_email="bob@example.org",
                            contact_phone="07700 900000")

    assert (private.contact_name, private.contact_email, private.contact_phone) == ("", "", ""), "not even stored"
    contacts = {s.organisation.name: s.contact for s in market_responses.for_opportunity(session, item.id).suppliers}
    assert contacts == {"Amy's Kitchen": market_responses.Contact("Amy", "amy@example.org", ""), "Bob's Bikes": None}


def test_interest_sent_from_an_unconfirmed_address_waits_for_confirmation(app, session, item, buyer_staff):
    from portal.services import accounts

    new = make_supplier_user(session, "new@example.org", "New Co", confirmed=False)
    reach, _cost = asked(session, item)
    saved = interest.save(session, item, new, interest.Reply(answers={reach.id: "Hello."}), send=True, today=TODAY)

    assert (saved.sent, saved.shown_to_buyer, saved.newly_shown) == (True, False, False)
    assert saved.interest.submitted_by_id == new.id
    assert market_responses.for_opportunity(session, item.id).suppliers == []
    assert interest.summary(session, item.id).count == 0
    assert session.exec(select(Notification)).all() == []

    token = accounts.make_confirmation_token(new, app.config["SECRET_KEY"])
    assert accounts.confirm_email(session, token, app.config["SECRET_KEY"]) is not None
    [shown] = market_responses.for_opportunity(session, item.id).suppliers
    assert shown.answers == {reach.id: "Hello."}
    [notice] = session.exec(select(Notification)).all()
    assert notice.message == "New Co registered interest in \u201cLunch clubs\u201d", "told when the buyer can see it"


def test_keep_me_updated_follows_and_unticking_it_stops(session, item):
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    make_interest(session, item, amy, keep_updated=True)
    assert [f.user_id for f in session.exec(select(Follow)).all()] == [amy.id]
    make_interest(session, item, amy, keep_updated=False)
    assert session.exec(select(Follow)).all() == []


@pytest.mark.parametrize("change", [
    dict(engagement_closes_on=TODAY - timedelta(days=1)), dict(engagement_closed_at=utcnow()), dict(stage="tender"),
    dict(status=Status.WITHDRAWN)])
def test_nothing_is_saved_once_engagement_has_closed(session, item, change):
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    for name, value in change.items():
        setattr(item, name, value)
    session.add(item)
    session.commit()
    with pytest.raises(interest.EngagementClosed):
        make_interest(session, item, amy)
    assert interest.get(session, item.id, amy.organisation_id) is None


def test_withdrawing_takes_the_answers_away_too(session, item):
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    reach, _cost = asked(session, item)
    make_interest(session, item, amy, answers={reach.id: "Door to door."})
    assert interest.withdraw(session, item.id, amy.organisation_id)
    assert session.exec(select(MarketAnswer)).all() == []


def test_responses_in_the_order_sent_with_answers_by_question(session, item):
    firms = [make_supplier_user(session, f"f{n}@example.org", name) for n, name in enumerate(("Amy's", "Bob's"))]
    reach, cost = asked(session, item)
    bob_interest = make_interest(session, item, firms[1], answers={reach.id: "Bob reaches."})
    amy_interest = make_interest(session, item, firms[0], answers={reach.id: "Amy reaches.", cost.id: "Amy costs."})
    bob_interest.submitted_at = amy_interest.submitted_at + timedelta(hours=1)
    session.add(bob_interest)
    session.commit()

    responses = market_responses.for_opportunity(session, item.id)
    assert [s.organisation.name for s in responses.suppliers] == ["Amy's", "Bob's"]
    assert [(s.organisation.name, text) for s, text in responses.answers_to(reach)] == [
        ("Amy's", "Amy reaches."), ("Bob's", "Bob reaches.")]
    assert [(s.organisation.name, text) for s, text in responses.answers_to(cost)] == [("Amy's", "Amy costs.")]


def test_answers_to_another_opportunitys_questions_are_ignored(session, camden, item):
    other = make_opportunity(session, camden, title="Other", engagement_closes_on=date(2027, 1, 1))
    market_questions.sync(session, other.id, [QuestionValues("Elsewhere?")])
    session.commit()
    [elsewhere] = asked(session, other)
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    sent = make_interest(session, item, amy, answers={elsewhere.id: "Sneaky."})
    assert interest.answers(session, sent.id) == {}
