"""Planned spend by financial year and quarter, for the next three financial years."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from portal.bidding.facts import total_value
from portal.models import Opportunity, OpportunityMission, Source, Stage, Status

YEARS_AHEAD = 3


def financial_year_of(day: date) -> int:
    """The calendar year a day's financial year starts in (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def quarter_ends_on(start_year: int, quarter: int) -> date:
    """The last day of a quarter of the financial year that starts in April of start_year (quarter 1: April to June)."""
    if quarter == 4:
        return date(start_year + 1, 3, 31)
    return date(start_year, 3 * quarter + 3, 30 if quarter in (1, 2) else 31)


def estimated_value(opportunity: Opportunity) -> int | None:
    """What one purchase adds to a spend chart: the middle of the stated range, or the one value given; for the
    whole contract when the value is per year and the contract's length is known."""
    low, high = total_value(opportunity.value_min, opportunity.value_max, opportunity.value_basis,
                            opportunity.contract_length_months) or (opportunity.value_min, opportunity.value_max)
    if low is None and high is None:
        return None
    if low is None or high is None:
        return low if high is None else high
    return (low + high) // 2


@dataclass(frozen=True)
class QuarterSpend:
    year: int
    quarter: int
    count: int
    value: int  # sum of estimated values, whole pounds
    not_stated: int  # purchases in this quarter with no value given
    items: tuple[Opportunity, ...]


def serves_other_missions(opportunity: Opportunity, mission_id: int) -> bool:
    """The counting rule for mission charts: a purchase serving several missions is counted in full on each of
    their charts (its value is not split), so this says which purchases a mission's chart shares with others."""
    return any(mission.id != mission_id for mission in opportunity.missions)


@dataclass(frozen=True)
class Pipeline:
    first_year: int
    quarters: list[QuarterSpend]
    shared_count: int = 0  # on a mission's chart: purchases also counted in full on other missions' charts

    @property
    def total_value(self) -> int:
        return sum(q.value for q in self.quarters)

    @property
    def total_count(self) -> int:
        return sum(q.count for q in self.quarters)

    @property
    def largest_value(self) -> int:
        return max((q.value for q in self.quarters), default=0)


def planned_spend(session: Session, today: date, mission_id: int | None = None, buyer_id: int | None = None) -> Pipeline:
    """Published purchases going to market this financial year and the next two, not cancelled or already awarded."""
    first_year = financial_year_of(today)
    query = (
        select(Opportunity)
        .where(Opportunity.status == Status.PUBLISHED, Opportunity.source == Source.PORTAL,
               col(Opportunity.stage).not_in([Stage.CANCELLED, Stage.AWARDED]),
               col(Opportunity.market_year) >= first_year, col(Opportunity.market_year) < first_year + YEARS_AHEAD)
        .options(selectinload(Opportunity.buyer), selectinload(Opportunity.missions))
        .order_by(Opportunity.market_year, Opportunity.market_quarter, Opportunity.title)
    )
    if buyer_id is not None:
        query = query.where(Opportunity.buyer_id == buyer_id)
    if mission_id is not None:
        query = query.where(col(Opportunity.id).in_(
            select(OpportunityMission.opportunity_id).where(OpportunityMission.mission_id == mission_id)))
    rows = session.exec(query).all()
    quarters = []
    for year in range(first_year, first_year + YEARS_AHEAD):
        for quarter in range(1, 5):
            items = tuple(o for o in rows if o.market_year == year and o.market_quarter == quarter)
            values = [estimated_value(o) for o in items]
            quarters.append(QuarterSpend(year, quarter, len(items), sum(v for v in values if v is not None),
                                         sum(1 for v in values if v is None), items))
    shared = sum(1 for o in rows if serves_other_missions(o, mission_id)) if mission_id is not None else 0
    return Pipeline(first_year, quarters, shared)
