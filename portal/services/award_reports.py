"""What awards add up to for residents: how much went to SMEs and VCSEs, each outcome's and mission's progress from
the latest KPI results, the contracts behind each outcome, and an item's awards as its public page shows them."""

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from portal import reference
from portal.models import Award, AwardSupplier, Opportunity, OpportunityMission, OpportunityOutcome, Stage, Status, is_sme
from portal.presenters import long_date, money
from portal.services.awards import awards_by_item, awards_for, latest_result, supplier_names
from portal.services.performance import OutcomeProgress, kpi_chart, outcome_progress

SIZE_WORDS = {"micro": "micro business", "small": "small business", "medium": "medium-sized business",
              "large": "large business"}


@dataclass(frozen=True)
class SmallSupplierSpend:
    """How much of the awarded value went to SMEs and to VCSEs. An award shared by several suppliers counts in
    equal shares; an award whose value is not known is counted but adds no money."""
    total: int
    to_smes: int
    to_vcses: int
    awards: int


def small_supplier_spend(session: Session, buyer_id: int | None = None, mission_id: int | None = None) -> SmallSupplierSpend:
    query = (select(Award).join(Opportunity, Opportunity.id == Award.opportunity_id)
             .where(Opportunity.status == Status.PUBLISHED, Award.status == "active")
             .options(selectinload(Award.suppliers)))
    if buyer_id is not None:
        query = query.where(Opportunity.buyer_id == buyer_id)
    if mission_id is not None:
        query = query.join(OpportunityMission, OpportunityMission.opportunity_id == Opportunity.id) \
            .where(OpportunityMission.mission_id == mission_id)
    total = smes = vcses = count = 0
    for award in session.exec(query):
        count += 1
        value = award.value or 0
        total += value
        if award.suppliers:
            share = value / len(award.suppliers)
            smes += round(sum(share for s in award.suppliers if is_sme(s.size)))
            vcses += round(sum(share for s in award.suppliers if s.is_vcse))
    return SmallSupplierSpend(total, smes, vcses, count)


def _latest_ratings(session: Session, opportunity_ids: set[int]) -> list[str]:
    ratings = []
    for awards in awards_by_item(session, sorted(opportunity_ids)).values():
        for award in awards:
            for kpi in award.kpis:
                if latest := latest_result(kpi):
                    ratings.append(latest.rating)
    return ratings


def outcome_progress_for(session: Session, outcomes: list, today: date) -> dict[int, OutcomeProgress]:
    """The roll-up for each outcome, by outcome id, from the published items that work towards it."""
    ids = [o.id for o in outcomes]
    serving: dict[int, set[int]] = {i: set() for i in ids}
    if ids:
        for outcome_id, opportunity_id in session.exec(
                select(OpportunityOutcome.outcome_id, OpportunityOutcome.opportunity_id)
                .join(Opportunity, Opportunity.id == OpportunityOutcome.opportunity_id)
                .where(col(OpportunityOutcome.outcome_id).in_(ids), Opportunity.status == Status.PUBLISHED)):
            serving[outcome_id].add(opportunity_id)
    return {o.id: outcome_progress(_latest_ratings(session, serving[o.id]), o.target_date, today) for o in outcomes}


@dataclass(frozen=True)
class ShownAward:
    """An award as the public page shows it: each supplier described in words, each KPI's chart and latest result."""
    award: Award
    about: list[str]
    charts: list
    latest: list


def describe_supplier(supplier: AwardSupplier) -> str:
    """"Small business, a VCSE, based in London", as far as it is known."""
    parts = []
    if supplier.size:
        parts.append(SIZE_WORDS.get(supplier.size, supplier.size))
    if supplier.is_vcse:
        parts.append("a voluntary, community or social enterprise (VCSE)")
    if supplier.region:
        parts.append(f"based in {reference.region_name(supplier.region)}")
    said = ", ".join(parts)
    return said[:1].upper() + said[1:]


def shown_awards(session: Session, opportunity_id: int) -> list[ShownAward]:
    return [ShownAward(award, [describe_supplier(s) for s in award.suppliers],
                       [kpi_chart(kpi) for kpi in award.kpis], [latest_result(kpi) for kpi in award.kpis])
            for award in awards_for(session, opportunity_id) if award.status != "cancelled"]


def award_timeline(steps: list, shown: list[ShownAward]) -> list:
    """The timeline's "contract awarded" step says who won and for how much, once the buyer has recorded it."""
    if not shown:
        return steps
    said = " ".join(f"Awarded to {supplier_names(s.award)} for "
                    f"{money(s.award.value) if s.award.value is not None else 'an amount not stated'} "
                    f"on {long_date(s.award.awarded_on)}." for s in shown)
    return [replace(step, detail=said) if step.stage == Stage.AWARDED and step.state in ("now", "done") else step
            for step in steps]


def mission_progress_for(session: Session, mission, today: date) -> OutcomeProgress:
    """The same roll-up for the whole mission, from every published item that serves it."""
    ids = set(session.exec(select(OpportunityMission.opportunity_id)
                           .join(Opportunity, Opportunity.id == OpportunityMission.opportunity_id)
                           .where(OpportunityMission.mission_id == mission.id,
                                  Opportunity.status == Status.PUBLISHED)).all())
    return outcome_progress(_latest_ratings(session, ids), mission.target_date, today)


def awarded_items_for(session: Session, outcomes: list) -> dict[int, list[Opportunity]]:
    """The published items with a recorded award that work towards each outcome, by outcome id, so a resident can
    open the contracts behind an outcome's progress."""
    found: dict[int, list[Opportunity]] = {o.id: [] for o in outcomes}
    if found:
        rows = session.exec(select(OpportunityOutcome.outcome_id, Opportunity)
                            .join(Opportunity, Opportunity.id == OpportunityOutcome.opportunity_id)
                            .where(col(OpportunityOutcome.outcome_id).in_(list(found)),
                                   Opportunity.status == Status.PUBLISHED,
                                   col(Opportunity.id).in_(select(Award.opportunity_id)))
                            .order_by(Opportunity.title)).all()
        for outcome_id, opportunity in rows:
            found[outcome_id].append(opportunity)
    return found
