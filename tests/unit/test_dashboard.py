"""What a supplier's dashboard holds: only their own organisation's interests and questions, and their own bookings."""

from datetime import timedelta

import pytest
from sqlmodel import select

from portal.models import Notification, User, utcnow
from portal.services import dashboard, events, interest, questions, saved_searches
from portal.search.query import SearchQuery
from tests.factories import make_buyer, make_interest, make_opportunity, make_supplier_user


def join(session, organisation_id: int, email: str) -> User:
    colleague = User(email=email, name="Colleague", password_hash="x", role="supplier", organisation_id=organisation_id)
    session.add(colleague)
    session.commit()
    return colleague


@pytest.fixture
def world(session):
    buyer = make_buyer(session)
    ours, theirs = make_opportunity(session, buyer, title="Ours"), make_opportunity(session, buyer, title="Theirs")
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    bob = make_supplier_user(session, "bob@example.org", "Bob's Bikes")
    start = utcnow() + timedelta(days=10)
    event = events.create_event(session, theirs, kind="webinar", title="Briefing", starts_at=start,
                                ends_at=start + timedelta(hours=1), online_link="https://meet.example.org/x",
                                capacity=5, booking_deadline=start - timedelta(days=1))
    make_interest(session, ours, amy)
    questions.ask(session, ours.id, amy.organisation_id, amy.id, "Amy asks?")
    make_interest(session, theirs, bob, open_to_partnering=True, listed_publicly=True)
    bobs_question = questions.ask(session, theirs.id, bob.organisation_id, bob.id, "Bob asks?")
    questions.publish(session, bobs_question, bobs_question.text, "Bob's answer.")
    events.book(session, event.id, bob.id)
    saved_searches.save(session, bob.id, "Bob's search", SearchQuery(text="bikes"), "daily")
    return {"amy": amy, "bob": bob, "ours": ours, "theirs": theirs, "event": event}


def test_a_dashboard_never_shows_another_organisations_interests_questions_or_bookings(session, world):
    view = dashboard.build(session, world["amy"])
    assert [row.opportunity.title for row in view.interests] == ["Ours"]
    assert [question.text for question, _opportunity, _new in view.questions] == ["Amy asks?"]
    assert view.bookings == []
    assert view.saved_searches == []
    assert all(n.user_id == world["amy"].id for n in view.notifications)

    other = dashboard.build(session, world["bob"])
    assert [row.opportunity.title for row in other.interests] == ["Theirs"]
    assert [(q.text, o.title) for q, o, _new in other.questions] == [("Bob asks?", "Theirs")]
    assert [event.title for _booking, event in other.bookings] == ["Briefing"]
    assert [saved.name for saved in other.saved_searches] == ["Bob's search"]
    assert [n.user_id for n in other.notifications] == [world["bob"].id], "told about the answer"


def test_colleagues_share_interests_and_questions_but_not_bookings(session, world):
    colleague = join(session, world["bob"].organisation_id, "bea@example.org")
    view = dashboard.build(session, colleague)
    assert [row.opportunity.title for row in view.interests] == ["Theirs"]
    assert [q.text for q, _o, _new in view.questions] == ["Bob asks?"]
    assert view.bookings == [], "a booking is one person's place"
    assert view.notifications == []


def test_changes_and_answers_since_the_last_visit_are_marked(session, world):
    bob = world["bob"]
    first = dashboard.build(session, bob)
    assert first.last_visit is None
    assert [row.changed for row in first.interests] == [False], "nothing is new on a first visit"
    assert [new for _q, _o, new in first.questions] == [False]
    assert len(first.notifications) == 1, "every notification shows on a first visit"

    bob.last_dashboard_visit = utcnow() - timedelta(hours=1)
    session.add(bob)
    session.commit()
    theirs = world["theirs"]
    theirs.updated_at = utcnow()
    session.add(theirs)
    session.commit()
    later = dashboard.build(session, bob)
    assert [row.changed for row in later.interests] == [True]
    assert [new for _q, _o, new in later.questions] == [True], "answered after the last visit"
    assert len(later.notifications) == 1

    [notification] = later.notifications
    bob.last_dashboard_visit = notification.created_at
    session.add(bob)
    session.commit()
    assert dashboard.build(session, bob).notifications == [], "what came at the moment of the visit was seen"

    dashboard.record_visit(session, bob)
    seen = dashboard.build(session, bob)
    assert [row.changed for row in seen.interests] == [False]
    assert [new for _q, _o, new in seen.questions] == [False]
    assert seen.notifications == []
    assert len(session.exec(select(Notification).where(Notification.user_id == bob.id)).all()) == 1, "kept, just not new"


def test_newest_first_and_at_most_20_updates(session, world):
    from portal.models import Question
    amy, ours, theirs = world["amy"], world["ours"], world["theirs"]
    make_interest(session, theirs, amy)
    later_question = questions.ask(session, theirs.id, amy.organisation_id, amy.id, "Amy asks again?")
    older, newer = interest.get(session, ours.id, amy.organisation_id), interest.get(session, theirs.id, amy.organisation_id)
    older.created_at, newer.created_at = utcnow() - timedelta(days=2), utcnow() - timedelta(days=1)
    session.add_all([older, newer])
    first_question = session.exec(select(Question).where(Question.text == "Amy asks?")).one()
    first_question.asked_at, later_question.asked_at = utcnow() - timedelta(days=2), utcnow() - timedelta(days=1)
    session.add_all([first_question, later_question])
    start = utcnow() - timedelta(days=30)
    session.add_all([Notification(user_id=amy.id, opportunity_id=ours.id, message=f"Update {n}",
                                  created_at=start + timedelta(days=n)) for n in range(25)])
    session.commit()

    view = dashboard.build(session, amy)

    assert [row.opportunity.title for row in view.interests] == ["Theirs", "Ours"]
    assert [q.text for q, _o, _new in view.questions] == ["Amy asks again?", "Amy asks?"]
    assert [n.message for n in view.notifications] == [f"Update {n}" for n in range(24, 4, -1)]

    amy.last_dashboard_visit = utcnow() - timedelta(days=10)
    assert dashboard.build(session, amy).last_visit == amy.last_dashboard_visit


def test_followed_items_show_what_changed_since_the_last_visit(session, world):
    from portal.models import OpportunityVersion, Status
    from portal.services import notifications

    amy, ours, theirs = world["amy"], world["ours"], world["theirs"]
    withdrawn = make_opportunity(session, make_buyer(session), title="Gone", status=Status.WITHDRAWN)
    for opportunity in (ours, theirs, withdrawn):
        notifications.follow(session, amy.id, opportunity.id)
    assert [(row.opportunity.title, row.changes) for row in dashboard.build(session, amy).followed] == [
        ("Theirs", []), ("Ours", [])], "nothing is marked on a first visit; withdrawn items are not listed"

    amy.last_dashboard_visit = utcnow() - timedelta(hours=1)
    session.add(amy)
    session.add(OpportunityVersion(opportunity_id=theirs.id, number=2, changes=["Stage changed to \u201cOpen for bids\u201d"],
                                   published_at=utcnow()))
    session.add(OpportunityVersion(opportunity_id=theirs.id, number=1, changes=["First published"],
                                   published_at=utcnow() - timedelta(days=5)))
    notifications.notify(session, {amy.id}, theirs.id, "\u201cTheirs\u201d has changed: its stage is now \u201cOpen for bids\u201d.")
    notifications.notify(session, {amy.id}, theirs.id, "A question about \u201cTheirs\u201d has been answered.")
    session.commit()

    followed = {row.opportunity.title: row.changes for row in dashboard.build(session, amy).followed}
    assert followed == {"Theirs": ["Stage changed to \u201cOpen for bids\u201d",
                                   "A question about \u201cTheirs\u201d has been answered."], "Ours": []}
    assert dashboard.build(session, world["bob"]).followed == [], "follows are one person's"
