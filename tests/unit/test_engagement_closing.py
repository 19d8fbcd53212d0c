"""One rule for open engagement: the page, the lists of open engagement and search all follow `is_open`."""

from datetime import date, datetime, timezone

import pytest
from sqlmodel import col, select

from portal.models import Opportunity, Stage, Status
from portal.services import engagement_window
from tests.factories import make_buyer, make_opportunity

TODAY = date(2026, 11, 22)
CLOSED_EARLY = datetime(2026, 11, 20, 10, tzinfo=timezone.utc)

CASES = {
    "open with a date": {},
    "open until today": {"engagement_closes_on": TODAY},
    "open with no date": {"engagement_closes_on": None},
    "planned, open": {"stage": Stage.PIPELINE},
    "date passed": {"engagement_closes_on": date(2026, 11, 21)},
    "closed early": {"engagement_closes_on": date(2026, 11, 20), "engagement_closed_at": CLOSED_EARLY},
    "open for bids": {"stage": Stage.TENDER, "engagement_closes_on": date(2026, 12, 11)},
    "cancelled": {"stage": Stage.CANCELLED},
    "draft": {"status": Status.DRAFT},
}
OPEN = {"open with a date", "open until today", "open with no date", "planned, open"}


def test_the_sql_rule_agrees_with_is_open(session):
    buyer = make_buyer(session)
    made = {name: make_opportunity(session, buyer, title=name, **fields) for name, fields in CASES.items()}
    assert {name for name, o in made.items() if engagement_window.is_open(o, TODAY)} == OPEN
    chosen = session.exec(select(Opportunity.title).where(engagement_window.open_clause(TODAY),
                                                          col(Opportunity.buyer_id) == buyer.id)).all()
    assert set(chosen) == OPEN


@pytest.mark.parametrize("name", CASES)
def test_search_counts_a_deadline_only_while_engagement_may_be_open(name):
    opportunity = Opportunity(**({"stage": Stage.ENGAGEMENT, "status": Status.PUBLISHED,
                                  "engagement_closes_on": date(2026, 12, 15)} | CASES[name]))
    deadline = engagement_window.deadline(opportunity)
    if name in ("closed early", "open for bids", "cancelled"):
        assert deadline is None
    else:
        assert deadline == opportunity.engagement_closes_on


@pytest.mark.parametrize("fields, message", [
    ({"engagement_closes_on": date(2026, 11, 20), "engagement_closed_at": CLOSED_EARLY},
     "Engagement on this opportunity closed on 20 November 2026."),
    ({"engagement_closes_on": date(2026, 11, 21)}, "Engagement on this opportunity closed on 21 November 2026."),
    ({"stage": Stage.TENDER, "engagement_closes_on": date(2026, 12, 11)}, "Engagement on this opportunity has closed."),
    ({"engagement_closes_on": None, "engagement_closed_at": CLOSED_EARLY}, "Engagement on this opportunity has closed."),
])
def test_the_closed_message_never_gives_a_date_still_to_come(fields, message):
    opportunity = Opportunity(**({"stage": Stage.ENGAGEMENT, "status": Status.PUBLISHED} | fields))
    assert engagement_window.closed_message(opportunity) == message
