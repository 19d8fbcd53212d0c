from datetime import date, datetime, timedelta, timezone

import pytest

from portal.models import ChallengePhase, Opportunity, OpportunityKind, Organisation, Stage
from portal.services.pipeline import estimated_value, financial_year_of, planned_spend
from portal.timeline import timeline, what_happens_next
from tests.conftest import TODAY
from tests.factories import make_buyer, make_mission, make_opportunity


def opportunity(**fields) -> Opportunity:
    values = dict(kind=OpportunityKind.PROBLEM_STATEMENT, stage=Stage.ENGAGEMENT, published_on=date(2026, 10, 1),
                  engagement_closes_on=date(2026, 12, 1), market_year=2027, market_quarter=3)
    return Opportunity(**(values | fields))


@pytest.mark.parametrize("stage, states", [
    (Stage.PIPELINE, ["now", "next", "later", "later"]),
    (Stage.ENGAGEMENT, ["done", "now", "next", "later"]),
    (Stage.TENDER, ["done", "done", "now", "next"]),
    (Stage.AWARDED, ["done", "done", "done", "now"]),
])
def test_timeline_shows_done_now_and_next(stage, states):
    steps = timeline(opportunity(stage=stage, engagement_closes_on=None), [], TODAY)
    assert [s.state for s in steps] == states
    assert [s.stage for s in steps] == ["pipeline", "engagement", "tender", "awarded"]


def test_timeline_says_when_things_happen():
    steps = timeline(opportunity(), [], TODAY)
    assert steps[0].detail == "Published on 1 October 2026."
    assert steps[1].detail == "Engagement closes on 1 December 2026."
    assert steps[2].detail == "Expected to invite bids October to December 2027."


def test_cancelled_procurement_ends_in_cancelled():
    steps = timeline(opportunity(stage=Stage.CANCELLED), [], TODAY)
    assert [(s.stage, s.state) for s in steps] == [("pipeline", "done"), ("engagement", "done"), ("cancelled", "now")]


def test_closed_engagement_is_in_the_past_tense():
    steps = timeline(opportunity(engagement_closes_on=TODAY - timedelta(days=3)), [], TODAY)
    assert "closed on" in steps[1].detail


def test_engagement_closed_early_today_is_in_the_past_tense():
    closed = opportunity(engagement_closes_on=TODAY, engagement_closed_at=datetime(2026, 11, 22, 9, tzinfo=timezone.utc))
    assert timeline(closed, [], TODAY)[1].detail == "Engagement closed on 22 November 2026."


@pytest.mark.parametrize("fields, expected", [
    ({"stage": Stage.ENGAGEMENT, "likely_route": "open procedure."},
     "Camden Council is now writing the tender, using what suppliers told it. It plans to go to market in October to "
     "December 2027. The likely route to market is open procedure."),
    ({"stage": Stage.ENGAGEMENT, "market_year": None, "market_quarter": None},
     "Camden Council is now writing the tender, using what suppliers told it. It has not decided yet when it will go "
     "to market."),
    ({"stage": Stage.PIPELINE, "market_quarter": 4},
     "Camden Council is now planning this purchase. It plans to go to market in January to March 2028."),
    ({"stage": Stage.TENDER}, "Camden Council is now inviting bids."),
    ({"stage": Stage.AWARDED}, "Camden Council has awarded a contract."),
    ({"stage": Stage.CANCELLED}, "Camden Council has stopped this procurement. The brief explains why."),
])
def test_what_happens_next_after_engagement_closes(fields, expected):
    item = opportunity(**fields)
    item.buyer = Organisation(slug="camden", name="Camden Council", org_type="london-borough", region="TLI")
    assert what_happens_next(item) == expected


@pytest.mark.parametrize("day, year", [(date(2026, 4, 1), 2026), (date(2027, 3, 31), 2026), (date(2026, 11, 22), 2026)])
def test_financial_year_of(day, year):
    assert financial_year_of(day) == year


@pytest.mark.parametrize("low, high, expected", [(None, None, None), (100, 300, 200), (None, 500, 500), (700, None, 700)])
def test_estimated_value(low, high, expected):
    assert estimated_value(Opportunity(value_min=low, value_max=high)) == expected


def test_planned_spend_by_quarter_for_three_years(session):
    buyer = make_buyer(session)
    mission = make_mission(session)
    make_opportunity(session, buyer, [mission], market_year=2026, market_quarter=4, value_min=100_000, value_max=300_000)
    make_opportunity(session, buyer, [mission], market_year=2026, market_quarter=4, value_min=None, value_max=None)
    make_opportunity(session, buyer, [mission], market_year=2028, market_quarter=1, value_min=50_000, value_max=50_000)
    make_opportunity(session, buyer, [mission], market_year=2029, market_quarter=1)  # beyond three years
    make_opportunity(session, buyer, [mission], market_year=2027, market_quarter=2, stage=Stage.CANCELLED)
    make_opportunity(session, buyer, [], market_year=2027, market_quarter=2)  # another mission
    pipeline = planned_spend(session, TODAY, mission_id=mission.id)
    assert pipeline.first_year == 2026 and len(pipeline.quarters) == 12
    by_quarter = {(q.year, q.quarter): (q.count, q.value, q.not_stated) for q in pipeline.quarters if q.count}
    assert by_quarter == {(2026, 4): (2, 200_000, 1), (2028, 1): (1, 50_000, 0)}
    assert planned_spend(session, TODAY, buyer_id=buyer.id).total_count == 4


def phase(position: int, name: str, starts: date, ends: date, funding: int | None = None):
    return ChallengePhase(position=position, name=name, starts_on=starts, ends_on=ends, funding=funding)


def challenge(stage=Stage.ENGAGEMENT, phases=()) -> Opportunity:
    item = opportunity(kind=OpportunityKind.INNOVATION_CHALLENGE, stage=stage)
    item.phases = list(phases)
    return item


def test_a_challenges_phases_follow_the_stages_in_date_order():
    steps = timeline(challenge(phases=[
        phase(1, "Pilot", date(2027, 6, 1), date(2027, 12, 31)),
        phase(0, "Discovery", date(2027, 2, 1), date(2027, 4, 30), 20000),
    ]), [], TODAY)
    assert [s.stage for s in steps] == ["pipeline", "engagement", "tender", "awarded", "phase", "phase"]
    assert [(s.title, s.state) for s in steps[4:]] == [("Phase 1: Discovery", "later"), ("Phase 2: Pilot", "later")]
    assert steps[4].detail == "1 February 2027 to 30 April 2027. Funding or prize: £20,000."
    assert steps[5].detail == "1 June 2027 to 31 December 2027."


def test_a_running_phase_is_now_and_the_award_before_it_is_done():
    steps = timeline(challenge(stage=Stage.AWARDED, phases=[
        phase(0, "Discovery", date(2026, 9, 1), date(2026, 10, 31)),
        phase(1, "Pilot", date(2026, 11, 1), date(2027, 3, 31)),
        phase(2, "Scale", date(2027, 4, 1), date(2027, 9, 30)),
        phase(3, "Review", date(2027, 10, 1), date(2027, 10, 31)),
    ]), [], TODAY)
    assert [s.state for s in steps] == ["done", "done", "done", "done", "done", "now", "next", "later"]
    assert steps[4].detail.startswith("Ran from 1 September 2026")
    assert [s.state for s in steps].count("now") == 1


def test_after_the_award_the_first_phase_to_come_is_next():
    steps = timeline(challenge(stage=Stage.AWARDED, phases=[
        phase(0, "Discovery", date(2027, 1, 4), date(2027, 3, 31)),
        phase(1, "Pilot", date(2027, 4, 1), date(2027, 9, 30)),
    ]), [], TODAY)
    assert [s.state for s in steps] == ["done", "done", "done", "now", "next", "later"]


def test_a_cancelled_challenge_lists_no_phases_to_come():
    steps = timeline(challenge(stage=Stage.CANCELLED, phases=[phase(0, "Discovery", date(2027, 1, 4), date(2027, 3, 31))]),
                     [], TODAY)
    assert steps[-1].stage == "cancelled" and "phase" not in [s.stage for s in steps]


def test_a_purchase_serving_several_missions_counts_in_full_on_each(session):
    buyer = make_buyer(session)
    food, health = make_mission(session), make_mission(session)
    make_opportunity(session, buyer, [food, health], market_year=2027, market_quarter=1, value_min=1_000_000,
                     value_max=2_000_000)
    make_opportunity(session, buyer, [food], market_year=2027, market_quarter=1, value_min=100_000, value_max=100_000)
    make_opportunity(session, buyer, [food], market_year=2027, market_quarter=2, stage=Stage.AWARDED)  # not planned
    on_food, on_health = planned_spend(session, TODAY, mission_id=food.id), planned_spend(session, TODAY, mission_id=health.id)
    assert (on_food.total_value, on_food.total_count, on_food.shared_count) == (1_600_000, 2, 1)
    assert (on_health.total_value, on_health.shared_count) == (1_500_000, 1)
    assert planned_spend(session, TODAY, buyer_id=buyer.id).total_value == 1_600_000  # once for the buyer


@pytest.mark.parametrize("low, high, basis, months, expected", [
    (100_000, 300_000, "total", 36, 200_000),
    (100_000, 300_000, "per-year", 36, 600_000),  # the whole contract: £300,000 to £900,000
    (100_000, 300_000, "per-year", None, 200_000),  # length not known: one year's middle
])
def test_estimated_value_of_a_yearly_range(low, high, basis, months, expected):
    assert estimated_value(Opportunity(value_min=low, value_max=high, value_basis=basis,
                                       contract_length_months=months)) == expected
