"""Whether an opportunity is still taking part in pre-market engagement: interest, market-sounding answers,
questions and bookings are only accepted while it is open. Lists of open engagement and the search index follow the
same rule."""

from datetime import date

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import col

from portal.presenters import long_date
from portal.models import Opportunity, Stage, Status

OPEN_STAGES = (Stage.PIPELINE, Stage.ENGAGEMENT)


def _may_be_open(opportunity: Opportunity) -> bool:
    """Open apart from the date: at a stage that talks to suppliers, and not closed early by the buyer."""
    return opportunity.stage in OPEN_STAGES and opportunity.engagement_closed_at is None


def is_open(opportunity: Opportunity, today: date) -> bool:
    return (opportunity.status == Status.PUBLISHED
            and _may_be_open(opportunity)
            and (opportunity.engagement_closes_on is None or opportunity.engagement_closes_on >= today))


def open_clause(today: date) -> ColumnElement[bool]:
    """`is_open` as a condition on Opportunity rows, for lists of open engagement."""
    return and_(Opportunity.status == Status.PUBLISHED, col(Opportunity.stage).in_(OPEN_STAGES),
                col(Opportunity.engagement_closed_at).is_(None),
                or_(col(Opportunity.engagement_closes_on).is_(None), col(Opportunity.engagement_closes_on) >= today))


def deadline(opportunity: Opportunity) -> date | None:
    """The last day of engagement while it may still be open; None once it has closed early or moved on (what search
    counts as 'closing soon')."""
    return opportunity.engagement_closes_on if _may_be_open(opportunity) else None


def closed_message(opportunity: Opportunity) -> str:
    """Why nothing more can be sent, in one sentence shown in place of a form or as an error."""
    # Closing early moves the closing date to that day, so the date is the day it closed; a later stage's date may
    # still be to come (a tender's deadline), so it is left out.
    if opportunity.engagement_closes_on is not None and (opportunity.engagement_closed_at is not None
                                                         or opportunity.stage in OPEN_STAGES):
        return f"Engagement on this opportunity closed on {long_date(opportunity.engagement_closes_on)}."
    return "Engagement on this opportunity has closed."


def questions_open(opportunity: Opportunity, today: date) -> bool:
    return is_open(opportunity, today) and (opportunity.questions_close_on is None or opportunity.questions_close_on >= today)


def questions_closed_message(opportunity: Opportunity, today: date) -> str:
    """Why no more questions are taken, in one sentence: the closing date for questions, if it passed while
    engagement was still open; otherwise engagement closing."""
    closes_on = opportunity.questions_close_on
    if closes_on is not None and closes_on < today and is_open(opportunity, closes_on):
        return f"Questions closed on {long_date(closes_on)}."
    return closed_message(opportunity)
