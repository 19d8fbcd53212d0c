"""A buyer's own items: their list with counts of interest and unanswered questions, versions and events."""

from datetime import date, timedelta

import pytest

from sqlmodel import select

from portal.models import Follow, Notification, Status, utcnow
from portal.search.query import SearchQuery
from portal.services import activity, buyer_items, engagement_window, events, opportunities, publishing, questions
from tests.factories import make_buyer, make_interest, make_mission, make_opportunity, make_supplier_user


@pytest.fixture
def index(app):
    return app.extensions["search"]


@pytest.fixture
def camden(session):
    return make_buyer(session, slug="camden", name="Camden Council")


def test_own_items_newest_change_first_with_counts_of_interest_and_unanswered_questions(session, camden):
    kent = make_buyer(session, slug="kent", name="Kent County Council")
    older = make_opportunity(session, camden, title="Older", updated_at=utcnow() - timedelta(days=2))
    newer = make_opportunity(session, camden, title="Newer", updated_at=utcnow() - timedelta(days=1))
    quiet = make_opportunity(session, camden, title="Quiet", updated_at=utcnow() - timedelta(days=3))
    kents = make_opportunity(session, kent, title="Kent's")
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    bob = make_supplier_user(session, "bob@example.org", "Bob's Bikes")
    for opportunity in (older, newer):
        make_interest(session, opportunity, amy)
    make_interest(session, newer, bob)
    make_interest(session, kents, bob)
    make_interest(session, quiet, bob, send=False)  # a draft is not counted
    questions.ask(session, older.id, amy.organisation_id, amy.id, "One?")
    questions.ask(session, older.id, bob.organisation_id, bob.id, "Two?")
    answered = questions.ask(session, older.id, bob.organisation_id, bob.id, "Three?")
    questions.publish(session, answered, answered.text, "Yes.")
    questions.ask(session, kents.id, bob.organisation_id, bob.id, "Kent?")

    items = buyer_items.own_items(session, camden.id)

    assert [(i.opportunity.title, i.interested, i.unanswered) for i in items] == [
        ("Newer", 2, 0), ("Older", 1, 2), ("Quiet", 0, 0)]
    assert [i.opportunity.title for i in buyer_items.own_items(session, kent.id)] == ["Kent's"]



def test_unanswered_questions_are_counted_for_each_item(session, camden):
    first = make_opportunity(session, camden, title="First", updated_at=utcnow() - timedelta(days=1))
    second = make_opportunity(session, camden, title="Second", updated_at=utcnow() - timedelta(days=2))
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    questions.ask(session, first.id, amy.organisation_id, amy.id, "One?")
    for text in ("Two?", "Three?"):
        questions.ask(session, second.id, amy.organisation_id, amy.id, text)

    items = buyer_items.own_items(session, camden.id)

    assert [(i.opportunity.title, i.unanswered) for i in items] == [("First", 1), ("Second", 2)]

def test_get_own_returns_only_the_organisations_own_item(session, camden):
    kent = make_buyer(session, slug="kent", name="Kent County Council")
    item = make_opportunity(session, camden)
    assert buyer_items.get_own(session, camden.id, item.id).id == item.id
    assert buyer_items.get_own(session, kent.id, item.id) is None
    assert buyer_items.get_own(session, camden.id, item.id + 1000) is None


def test_questions_for_the_buyer_unanswered_first_then_oldest_first(session, camden):
    item = make_opportunity(session, camden)
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    first = questions.ask(session, item.id, amy.organisation_id, amy.id, "First?")
    third = questions.ask(session, item.id, amy.organisation_id, amy.id, "Third?")
    second = questions.ask(session, item.id, amy.organisation_id, amy.id, "Second?")
    for question, days_ago in ((first, 3), (second, 2), (third, 1)):  # asked in another order than stored
        question.asked_at = utcnow() - timedelta(days=days_ago)
        session.add(question)
    session.commit()
    questions.publish(session, first, first.text, "Done.")
    assert [q.text for q in buyer_items.questions_for(session, item.id)] == ["Second?", "Third?", "First?"]


def test_events_with_their_booked_and_waiting_counts(session, camden):
    item = make_opportunity(session, camden)
    start = utcnow() + timedelta(days=10)
    later = events.create_event(session, item, kind="webinar", title="Later", starts_at=start + timedelta(days=1),
                                ends_at=start + timedelta(days=1, hours=1), online_link="https://meet.example.org/a",
                                capacity=1, booking_deadline=start)
    sooner = events.create_event(session, item, kind="webinar", title="Sooner", starts_at=start,
                                 ends_at=start + timedelta(hours=1), online_link="https://meet.example.org/b",
                                 capacity=5, booking_deadline=start - timedelta(days=1))
    people = [make_supplier_user(session, f"p{n}@example.org", f"Firm {n}") for n in range(5)]
    for person in people[:4]:
        events.book(session, later.id, person.id)
    events.cancel(session, later.id, people[3].id)
    events.book(session, sooner.id, people[4].id)
    counts = [(event.title, booked, waiting) for event, booked, waiting in buyer_items.events_with_bookings(session, item.id)]
    assert counts == [("Sooner", 1, 0), ("Later", 1, 2)], "cancelled places count for neither"


def test_publishing_records_versions_with_plain_descriptions_of_each_change(session, index, camden):
    item = make_opportunity(session, camden, status=Status.DRAFT, published_on=None, stage="engagement",
                            engagement_closes_on=date(2027, 1, 31), value_min=10_000, value_max=50_000)
    buyer_items.publish(session, index, item, date(2026, 11, 22))
    assert item.published_on == date(2026, 11, 22)
    assert [(v.number, v.changes) for v in buyer_items.versions(session, item.id)] == [(1, ["First published"])]

    item.stage = "tender"
    item.value_max = 80_000
    buyer_items.publish(session, index, item, date(2026, 11, 23))
    assert item.published_on == date(2026, 11, 22), "the first publication date is kept"
    latest = buyer_items.latest_version(session, item.id)
    assert latest.number == 2
    assert latest.changes == ["The stage changed from \u201cTalking to the market\u201d to \u201cOpen for bids\u201d",
                              "The value changed from £10,000 to £50,000 in total to £10,000 to £80,000 in total"]

    item.engagement_closes_on = date(2026, 11, 24)
    buyer_items.publish(session, index, item, date(2026, 11, 24))
    latest = buyer_items.latest_version(session, item.id)
    assert (latest.number, latest.changes) == (3, ["The closing date moved from 31 January 2027 to 24 November 2026"])

    item.market_year, item.market_quarter = 2027, 2
    buyer_items.publish(session, index, item, date(2026, 11, 25))
    assert buyer_items.latest_version(session, item.id).changes == [
        "When it goes to market moved from not decided to July to September 2027"]
    item.market_quarter = 3
    buyer_items.publish(session, index, item, date(2026, 11, 25))
    assert buyer_items.latest_version(session, item.id).changes == [
        "When it goes to market moved from July to September 2027 to October to December 2027"]
    item.engagement_closes_on = None
    buyer_items.publish(session, index, item, date(2026, 11, 26))
    assert buyer_items.latest_version(session, item.id).changes == ["The closing date (24 November 2026) was removed"]


def test_interest_report_lists_suppliers_in_the_order_they_registered_interest(session, camden):
    item = make_opportunity(session, camden)
    firms = [make_supplier_user(session, f"f{n}@example.org", name) for n, name in
             enumerate(("Amy's Kitchen", "Bob's Bikes", "Cat's Cafe"))]
    for firm, days_ago in zip(firms, (1, 3, 2), strict=True):  # sent in another order than stored
        registered = make_interest(session, item, firm)
        registered.submitted_at = utcnow() - timedelta(days=days_ago)
        session.add(registered)
    session.commit()

    report = buyer_items.interest_report(session, item.id)

    assert [organisation.name for _interest, organisation in report.rows] == [
        "Bob's Bikes", "Cat's Cafe", "Amy's Kitchen"]
    assert report.counts.by_size == {"micro": 3}


def brief(**changes) -> buyer_items.BriefData:
    values = dict(
        kind="problem-statement", title="Help older people feel less lonely", summary="Many older people are lonely.",
        why_md="Loneliness harms health.", body_md="## The problem\n\nAbout 4,000 older people rarely see anyone.",
        answers={"problem": "About 4,000 older people rarely see anyone."}, missions=[], cpv_code="85311000-2",
        regions=["TLI"], value_min=20_000, value_max=80_000, engagement_closes_on=date(2027, 1, 31),
        market_year=2027, market_quarter=2, contract_length_months=24, likely_route="open procedure",
        stage="engagement", suitable_for_sme=True, suitable_for_vcse=True, plain_score=90,
    )
    return buyer_items.BriefData(**(values | changes))


def test_a_new_draft_is_the_buyers_own_unpublished_item_with_everything_typed(session, index, camden):
    draft = buyer_items.save_draft(session, index, camden, brief(), "ocds-test00")

    assert (draft.slug, draft.ocid) == ("help-older-people-feel-less-lonely",
                                        "ocds-test00-help-older-people-feel-less-lonely")
    assert (draft.buyer_id, draft.status, draft.kind) == (camden.id, Status.DRAFT, "problem-statement")
    assert draft.brief_answers == {"problem": "About 4,000 older people rarely see anyone."}
    assert (draft.contract_length_months, draft.likely_route, draft.plain_score) == (24, "open procedure", 90)
    assert index.search(SearchQuery(text="lonely"), date(2026, 11, 22)).ids == [], "drafts are not public"
    assert buyer_items.versions(session, draft.id) == []

    untitled = buyer_items.save_draft(session, index, camden, brief(title="£££"), "ocds-test00")
    assert untitled.slug == "opportunity", "a title with no letters still gives a readable web address"


def test_a_draft_keeps_the_missions_chosen_for_it(session, index, camden):
    for slug in ("food", "net-zero", "warm-homes"):
        make_mission(session, slug=slug)
    draft = buyer_items.save_draft(session, index, camden, brief(missions=["food", "warm-homes"]), "ocds-test00")
    assert sorted(m.slug for m in draft.missions) == ["food", "warm-homes"]
    buyer_items.save_draft(session, index, camden, brief(missions=["net-zero"]), "ocds-test00", draft)
    assert [m.slug for m in draft.missions] == ["net-zero"]

def test_editing_a_draft_moves_it_to_the_top_of_the_buyers_list(session, index, camden):
    draft = buyer_items.save_draft(session, index, camden, brief(title="Draft"), "ocds-test00")
    draft.updated_at = utcnow() - timedelta(days=2)  # written two days ago
    session.add(draft)
    session.commit()
    make_opportunity(session, camden, title="Newer", updated_at=utcnow() - timedelta(days=1))
    assert [i.opportunity.title for i in buyer_items.own_items(session, camden.id)] == ["Newer", "Draft"]

    buyer_items.save_draft(session, index, camden, brief(title="Draft", regions=["TLJ", "TLI"]), "ocds-test00", draft)

    assert [i.opportunity.title for i in buyer_items.own_items(session, camden.id)] == ["Draft", "Newer"]
    assert sorted(draft.region_codes) == ["TLI", "TLJ"]
    buyer_items.save_draft(session, index, camden, brief(title="Draft", regions=["TLJ"]), "ocds-test00", draft)
    assert draft.region_codes == ["TLJ"]


def test_editing_a_published_item_changes_nothing_public_until_the_change_is_published(session, index, camden):
    item = buyer_items.save_draft(session, index, camden, brief(), "ocds-test00")
    buyer_items.publish(session, index, item, date(2026, 11, 22))

    buyer_items.save_draft(session, index, camden, brief(title="Help older people feel less forgotten"),
                           "ocds-test00", item)
    session.expire_all()
    assert item.title == "Help older people feel less lonely", "the public still sees the published title"
    assert item.pending["title"] == "Help older people feel less forgotten"
    assert buyer_items.draft_of(session, item).title == "Help older people feel less forgotten"
    assert index.search(SearchQuery(text="forgotten"), date(2026, 11, 22)).ids == []
    assert [v.number for v in buyer_items.versions(session, item.id)] == [1], "saving is not publishing"

    changes = buyer_items.publish_changes(session, index, item, {})
    assert changes == ["The title changed from \u201cHelp older people feel less lonely\u201d to "
                       "\u201cHelp older people feel less forgotten\u201d"]
    assert item.pending is None and item.title == "Help older people feel less forgotten"
    assert index.search(SearchQuery(text="forgotten"), date(2026, 11, 22)).ids == [item.id]

    buyer_items.save_draft(session, index, camden, brief(title="Help older people feel less forgotten",
                                                         stage="tender"), "ocds-test00", item)
    assert item.stage == "engagement"
    buyer_items.publish_changes(session, index, item, {})
    assert [(v.number, v.changes) for v in buyer_items.versions(session, item.id)] == [
        (3, ["The stage changed from \u201cTalking to the market\u201d to \u201cOpen for bids\u201d"]),
        (2, ["The title changed from \u201cHelp older people feel less lonely\u201d to "
             "\u201cHelp older people feel less forgotten\u201d"]),
        (1, ["First published"])]
    assert item.status == Status.PUBLISHED and item.slug == "help-older-people-feel-less-lonely"


def test_an_edit_back_to_what_is_public_leaves_nothing_pending_and_a_change_can_be_discarded(session, index, camden):
    item = buyer_items.save_draft(session, index, camden, brief(), "ocds-test00")
    buyer_items.publish(session, index, item, date(2026, 11, 22))
    buyer_items.save_draft(session, index, camden, brief(), "ocds-test00", item)
    assert item.pending is None
    assert buyer_items.publish_changes(session, index, item, {}) == []
    assert buyer_items.discard_changes(session, item) is False

    buyer_items.save_draft(session, index, camden, brief(regions=["TLC"]), "ocds-test00", item)
    assert buyer_items.discard_changes(session, item) is True
    session.expire_all()
    assert item.pending is None and item.region_codes == ["TLI"]
    assert [v.number for v in buyer_items.versions(session, item.id)] == [1]


def test_a_draft_that_was_never_published_saves_directly(session, index, camden):
    item = buyer_items.save_draft(session, index, camden, brief(), "ocds-test00")
    buyer_items.save_draft(session, index, camden, brief(title="Lunch clubs", regions=["TLC"]), "ocds-test00", item)
    session.expire_all()
    assert (item.title, item.region_codes, item.pending) == ("Lunch clubs", ["TLC"], None)
    assert buyer_items.publish_changes(session, index, item, {}) == []


def follower_of(session, item) -> int:
    amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
    session.add(Follow(user_id=amy.id, opportunity_id=item.id))
    session.commit()
    return amy.id


def messages(session) -> list[str]:
    """Each notification as one line: what happened, then what changed."""
    return [f"{n.message} {n.details}" for n in session.exec(select(Notification).order_by(Notification.id)).all()]


def test_followers_hear_of_each_change_to_dates_and_stage_but_not_of_other_edits(session, index, camden):
    item = make_opportunity(session, camden, title="Lunch clubs", engagement_closes_on=date(2027, 1, 31),
                            market_year=2027, market_quarter=2)
    amy = follower_of(session, item)

    item.summary = "Shorter."
    publishing.save_opportunity(session, index, item)
    assert messages(session) == [], "a new summary is not news"
    item.engagement_closes_on = date(2026, 11, 24)
    publishing.save_opportunity(session, index, item)
    item.engagement_closes_on = None
    publishing.save_opportunity(session, index, item)
    item.market_quarter = 3
    publishing.save_opportunity(session, index, item)
    item.market_year, item.stage = 2028, "tender"
    publishing.save_opportunity(session, index, item)

    assert messages(session) == [
        "\u201cLunch clubs\u201d has changed. Engagement now closes on 24 November 2026.",
        "\u201cLunch clubs\u201d has changed. It no longer has an engagement closing date.",
        "\u201cLunch clubs\u201d has changed. It now goes to market October to December 2027.",
        "\u201cLunch clubs\u201d has changed. Its stage is now \u201cOpen for bids\u201d.\n"
        "It now goes to market October to December 2028.",
    ]
    assert {(n.user_id, n.opportunity_id) for n in session.exec(select(Notification)).all()} == {(amy, item.id)}


def test_followers_hear_nothing_of_changes_to_an_item_that_is_not_public(session, index, camden):
    item = make_opportunity(session, camden, title="Lunch clubs")
    follower_of(session, item)
    buyer_items.withdraw(session, index, item)
    assert item.status == Status.WITHDRAWN

    item.stage = "tender"
    publishing.save_opportunity(session, index, item)

    assert messages(session) == []


def test_followers_hear_when_the_buyer_closes_a_published_item_or_publishes_a_change(session, index, camden):
    item = buyer_items.save_draft(session, index, camden, brief(title="Lunch clubs"), "ocds-test00")
    buyer_items.publish(session, index, item, date(2026, 11, 22))
    follower_of(session, item)

    buyer_items.close_engagement(session, index, item, date(2026, 11, 24))
    for stage in ("pipeline", "tender"):  # two saves, one publish: one notice
        buyer_items.save_draft(session, index, camden, brief(title="Lunch clubs", stage=stage, regions=["TLC"],
                                                             engagement_closes_on=date(2026, 11, 24)), "ocds-test00",
                               item)
    assert len(messages(session)) == 1, "saving a change tells nobody"
    buyer_items.publish_changes(session, index, item, {})

    assert messages(session) == [
        "\u201cLunch clubs\u201d has changed. Engagement has closed, so suppliers can no longer register interest, "
        "ask questions or book places.",
        "\u201cLunch clubs\u201d has changed. The stage changed from \u201cTalking to the market\u201d to "
        "\u201cOpen for bids\u201d.\nRegions: added North East; removed London.",
    ]


def test_closing_engagement_early_closes_it_today_everywhere(session, index, camden):
    item = make_opportunity(session, camden, title="Lunch clubs", engagement_closes_on=date(2027, 1, 31))
    no_date = make_opportunity(session, camden, title="No date", engagement_closes_on=None)
    for opportunity in (item, no_date):
        buyer_items.publish(session, index, opportunity, date(2026, 11, 1))
    today = date(2026, 11, 24)
    assert set(index.search(SearchQuery(closing=90), today).ids) == {item.id}
    assert {o.id for o in activity.open_engagement(session, camden.id, today)} == {item.id, no_date.id}

    assert buyer_items.close_engagement(session, index, item, today) is True
    assert item.engagement_closes_on == today, "a later closing date becomes today"
    assert item.engagement_closed_at is not None and not engagement_window.is_open(item, today)
    assert index.search(SearchQuery(closing=90), today).ids == [], "search knows at once: it is not closing soon"
    assert opportunities.closing_soon(session, today) == []
    assert [o.id for o in activity.open_engagement(session, camden.id, today)] == [no_date.id]
    latest = buyer_items.latest_version(session, item.id)
    assert (latest.number, latest.changes) == (2, [
        "Engagement closed early, on 24 November 2026 (it was due to close on 31 January 2027)"])

    closed_at = item.engagement_closed_at
    assert buyer_items.close_engagement(session, index, item, date(2026, 11, 25)) is False
    assert item.engagement_closed_at == closed_at and buyer_items.latest_version(session, item.id).number == 2

    assert buyer_items.close_engagement(session, index, no_date, today) is True
    assert no_date.engagement_closes_on == today, "no closing date becomes today"


def test_only_open_engagement_can_be_closed(session, index, camden):
    today = date(2026, 11, 24)
    closes_today = make_opportunity(session, camden, engagement_closes_on=today)
    assert buyer_items.close_engagement(session, index, closes_today, today) is True
    assert closes_today.engagement_closes_on == today
    for not_open in (make_opportunity(session, camden, stage="tender"),
                     make_opportunity(session, camden, status=Status.DRAFT),
                     make_opportunity(session, camden, engagement_closes_on=date(2026, 11, 23))):
        before = not_open.engagement_closes_on
        assert buyer_items.close_engagement(session, index, not_open, today) is False
        assert not_open.engagement_closed_at is None and not_open.engagement_closes_on == before


def test_publishing_again_keeps_the_first_publication_time(session, index, camden):
    item = buyer_items.save_draft(session, index, camden, brief(), "ocds-test00")
    assert item.first_published_at is None
    buyer_items.publish(session, index, item, date(2026, 11, 22))
    first = item.first_published_at
    assert first is not None
    buyer_items.withdraw(session, index, item)
    buyer_items.publish(session, index, item, date(2026, 11, 23))
    assert item.first_published_at == first and item.status == Status.PUBLISHED


def test_a_change_pending_when_an_item_is_withdrawn_is_kept_and_published_with_it(session, index, camden):
    item = buyer_items.save_draft(session, index, camden, brief(), "ocds-test00")
    buyer_items.publish(session, index, item, date(2026, 11, 22))
    buyer_items.save_draft(session, index, camden, brief(title="Lunch clubs"), "ocds-test00", item)
    buyer_items.withdraw(session, index, item)
    assert buyer_items.draft_of(session, item).title == "Lunch clubs", "the buyer's editor still shows the change"

    buyer_items.publish(session, index, item, date(2026, 11, 23))
    assert (item.title, item.pending, item.status) == ("Lunch clubs", None, Status.PUBLISHED)
    assert buyer_items.latest_version(session, item.id).changes == [
        "Published again",
        "The title changed from \u201cHelp older people feel less lonely\u201d to \u201cLunch clubs\u201d"]
