"""Every stage against every combination of dates: the timeline only calls done what has happened."""

import itertools
from datetime import date, timedelta

import pytest

from portal.models import Opportunity, OpportunityKind, Source, Stage, Status
from portal.presenters import long_date
from portal.timeline import step_states, timeline
from tests.conftest import TODAY

PAST, FUTURE = TODAY - timedelta(days=30), TODAY + timedelta(days=30)
WHEN = {"past": PAST, "future": FUTURE, "none": None}
MARKET = {"past": (2026, 2), "future": (2027, 3), "none": (None, None)}  # July 2026 has passed; October 2027 has not
ENDINGS = [(Stage.PIPELINE, Status.PUBLISHED), (Stage.ENGAGEMENT, Status.PUBLISHED), (Stage.TENDER, Status.PUBLISHED),
           (Stage.AWARDED, Status.PUBLISHED), (Stage.CANCELLED, Status.PUBLISHED), (Stage.ENGAGEMENT, Status.WITHDRAWN)]
# The one closing date is the engagement's on a portal item (and while bids are open, the bid deadline), and the
# bid deadline on an imported tender or award notice.
SOURCES = {"portal": (Source.PORTAL, OpportunityKind.PROBLEM_STATEMENT),
           "imported notice": (Source.CONTRACTS_FINDER, OpportunityKind.PIPELINE_ITEM)}
CASES = list(itertools.product(ENDINGS, WHEN, MARKET, SOURCES))


def item(stage, status, closes, market, source) -> Opportunity:
    year, quarter = MARKET[market]
    origin, kind = SOURCES[source]
    return Opportunity(kind=kind, source=origin, stage=stage, status=status, published_on=date(2026, 9, 1),
                       engagement_closes_on=WHEN[closes], market_year=year, market_quarter=quarter)


@pytest.mark.parametrize("ending, closes, market, source", CASES)
def test_the_timeline_never_contradicts_itself(ending, closes, market, source):
    stage, status = ending
    opportunity = item(stage, status, closes, market, source)
    steps = timeline(opportunity, [], TODAY)
    states = [step.state for step in steps]
    # done, then at most one now, then at most one next, then later
    assert states == sorted(states, key=["done", "now", "next", "later"].index)
    assert states.count("now") <= 1 and states.count("next") <= 1
    for step in steps:
        if step.state == "done":
            assert long_date(FUTURE) not in step.detail, step  # a date to come is never done
    engagement_open = closes == "future" and stage in (Stage.PIPELINE, Stage.ENGAGEMENT) and source == "portal"
    if engagement_open and status == Status.PUBLISHED:
        assert [s.state for s in steps if s.stage == Stage.PIPELINE] == ["done"]
        assert [s.state for s in steps if s.stage == Stage.ENGAGEMENT] == ["now"]
    finished = stage in (Stage.AWARDED, Stage.CANCELLED) or status == Status.WITHDRAWN
    if finished:
        assert not {"next", "later"} & set(states), "a finished item says what happened, not what is planned"
        assert not any("Expected to" in s.detail or "planned to" in s.detail for s in steps)
    if source == "imported notice":
        assert Stage.ENGAGEMENT not in [s.stage for s in steps], "a bid deadline is not an engagement date"
        assert not any("Engagement" in s.detail for s in steps)


@pytest.mark.parametrize("stage, closes, expected", [
    # A portal problem statement: planned, engagement, tender, award.
    (Stage.PIPELINE, "none", ["now", "next", "later", "later"]),
    (Stage.PIPELINE, "future", ["done", "now", "next", "later"]),  # engagement open: not "Planned"
    (Stage.PIPELINE, "past", ["done", "done", "next", "later"]),
    (Stage.ENGAGEMENT, "none", ["done", "now", "next", "later"]),
    (Stage.ENGAGEMENT, "future", ["done", "now", "next", "later"]),
    (Stage.ENGAGEMENT, "past", ["done", "done", "next", "later"]),  # closed: done, not "now"
    (Stage.TENDER, "future", ["done", "done", "now", "next"]),
    (Stage.TENDER, "past", ["done", "done", "now", "next"]),
    (Stage.AWARDED, "past", ["done", "done", "done", "now"]),
    (Stage.CANCELLED, "none", ["done", "done", "now"]),
    (Stage.CANCELLED, "future", ["done", "done", "now"]),
])
def test_states_by_stage_and_closing_date(stage, closes, expected):
    assert list(step_states(item(stage, Status.PUBLISHED, closes, "future", "portal"), TODAY).values()) == expected


def test_an_imported_award_notice_shows_its_bid_deadline_as_one_and_no_plan():
    steps = timeline(item(Stage.AWARDED, Status.PUBLISHED, "past", "past", "imported notice"), [], TODAY)
    assert [(s.stage, s.state, s.detail) for s in steps] == [
        ("pipeline", "done", "Published on 1 September 2026."),
        ("tender", "done", f"Bids closed on {long_date(PAST)}."),
        ("awarded", "now", "A contract has been awarded."),
    ]


@pytest.mark.parametrize("market, detail", [
    ("future", "Expected to invite bids October to December 2027."),
    ("past", "The buyer planned to invite bids in July to September 2026."),
    ("none", "The date has not been decided yet."),
])
def test_the_tender_still_to_come_says_when(market, detail):
    steps = timeline(item(Stage.ENGAGEMENT, Status.PUBLISHED, "future", market, "portal"), [], TODAY)
    assert steps[2].detail == detail and steps[2].state == "next"


def test_engagement_with_a_date_to_come_is_not_done_when_the_item_moved_on():
    cancelled = timeline(item(Stage.CANCELLED, Status.PUBLISHED, "future", "future", "portal"), [], TODAY)
    assert cancelled[1].detail == "Engagement ended when the buyer moved on, before its planned closing date."
