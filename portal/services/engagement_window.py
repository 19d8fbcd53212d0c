"""Whether an opportunity is still taking part in pre-market engagement: interest, market-sounding answers,
questions and bookings are only accepted while it is open."""

from datetime import date

from portal.presenters import long_date
from portal.models import Opportunity, Stage, Status

OPEN_STAGES = (Stage.PIPELINE, Stage.ENGAGEMENT)


def is_open(opportunity: Opportunity, today: date) -> bool:
    return (opportunity.status == Status.PUBLISHED
            and opportunity.stage in OPEN_STAGES
            and opportunity.engagement_closed_at is None
            and (opportunity.engagement_closes_on is None or opportunity.engagement_closes_on >= today))


def closed_message(opportunity: Opportunity) -> str:
    """Why nothing more can be sent, in one sentence shown in place of a form or as an error."""
    if opportunity.engagement_closes_on is not None:
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
