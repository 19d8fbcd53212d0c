"""Recording who won a buyer's item and for how much, the contract's KPIs and their published results; and reading
them back for the public pages, the mission roll-up and the open data."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from portal.models import (
    KPI,
    Award,
    AwardSupplier,
    KPIResult,
    Opportunity,
    OpportunityMission,
    OpportunityOutcome,
    Organisation,
    OrganisationKind,
    Stage,
    Status,
    is_sme,
)
from portal import reference
from portal.presenters import long_date, money
from portal.search import SearchIndex
from portal.services import buyer_items, publishing
from portal.services.performance import OutcomeProgress, kpi_chart, outcome_progress

# The Procurement Act 2023: a contract worth more than £5 million has at least three KPIs.
KPI_THRESHOLD = 5_000_000
MIN_KPIS_OVER_THRESHOLD = 3
FREQUENCIES = {"monthly": "Every month", "quarterly": "Every 3 months", "six-monthly": "Every 6 months",
               "yearly": "Every year"}


@dataclass
class SupplierValues:
    name: str
    size: str | None = None
    is_vcse: bool | None = None
    region: str | None = None
    organisation_id: int | None = None


@dataclass
class AwardValues:
    value: int
    awarded_on: date
    contract_starts_on: date | None = None
    contract_ends_on: date | None = None
    lot_id: str | None = None
    suppliers: list[SupplierValues] = field(default_factory=list)


@dataclass
class KPIValues:
    title: str
    measure: str
    unit: str
    target: float
    frequency: str


@dataclass
class ResultValues:
    period_start: date
    period_end: date
    observed: float
    rating: str
    rating_note: str = ""
    comment: str = ""


def cannot_award(opportunity: Opportunity) -> str | None:
    """Why this item cannot have an award recorded, in words for the buyer; None if it can."""
    if opportunity.status != Status.PUBLISHED:
        return "Publish this item before you record who won it."
    if opportunity.stage == Stage.CANCELLED:
        return "This item was cancelled, so there is no contract to record."
    return None


def kpis_needed(award: Award) -> int:
    """How many more KPIs the law asks this award's contract to have: 3 in all when it is worth over £5 million."""
    if award.value is None or award.value <= KPI_THRESHOLD:
        return 0
    return max(0, MIN_KPIS_OVER_THRESHOLD - len(award.kpis))


def supplier_names(award: Award) -> str:
    names = [s.name for s in award.suppliers]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def record_award(session: Session, index: SearchIndex, opportunity: Opportunity, values: AwardValues) -> Award:
    """The award and its suppliers are saved with the item's new stage, followers are told (the stage change), and
    the change log says who won and for how much."""
    award = Award(opportunity_id=opportunity.id, value=values.value, awarded_on=values.awarded_on,
                  contract_starts_on=values.contract_starts_on, contract_ends_on=values.contract_ends_on,
                  lot_id=values.lot_id or None)
    award.suppliers = [AwardSupplier(position=position, name=s.name.strip(), size=s.size or None, is_vcse=s.is_vcse,
                                     region=s.region or None, organisation_id=s.organisation_id)
                       for position, s in enumerate(values.suppliers)]
    session.add(award)
    won = f"Contract awarded to {supplier_names(award)} for {money(values.value)}"
    opportunity.stage = Stage.AWARDED
    # One notice for followers: the award says the stage has changed, and more.
    publishing.save_opportunity(session, index, opportunity, changes=[
        f"a contract has been awarded to {supplier_names(award)} for {money(values.value)}"])
    buyer_items.log_change(session, opportunity, won)
    return award


def add_kpi(session: Session, award: Award, values: KPIValues) -> KPI:
    kpi = KPI(award_id=award.id, position=len(award.kpis), title=values.title, measure=values.measure,
              unit=values.unit, target=values.target, frequency=values.frequency)
    session.add(kpi)
    session.commit()
    return kpi


def publish_result(session: Session, kpi: KPI, values: ResultValues, at: datetime) -> KPIResult:
    result = KPIResult(kpi_id=kpi.id, period_start=values.period_start, period_end=values.period_end,
                       observed=values.observed, rating=values.rating,
                       rating_note=values.rating_note if values.rating == "other" else "",
                       comment=values.comment, published_at=at)
    session.add(result)
    session.commit()
    return result


def _loaded():
    return (selectinload(Award.suppliers), selectinload(Award.kpis).selectinload(KPI.results))


def awards_for(session: Session, opportunity_id: int) -> list[Award]:
    """An item's awards, oldest first, with suppliers, KPIs and results loaded."""
    return list(session.exec(select(Award).where(Award.opportunity_id == opportunity_id).options(*_loaded())
                             .order_by(Award.awarded_on, Award.id)).all())


def awards_by_item(session: Session, opportunity_ids: list[int]) -> dict[int, list[Award]]:
    found: dict[int, list[Award]] = {}
    if opportunity_ids:
        for award in session.exec(select(Award).where(col(Award.opportunity_id).in_(opportunity_ids))
                                  .options(*_loaded()).order_by(Award.awarded_on, Award.id)):
            found.setdefault(award.opportunity_id, []).append(award)
    return found


def get_own_award(session: Session, organisation_id: int, award_id: int) -> tuple[Award, Opportunity] | None:
    row = session.exec(select(Award, Opportunity).join(Opportunity, Opportunity.id == Award.opportunity_id)
                       .where(Award.id == award_id, Opportunity.buyer_id == organisation_id)
                       .options(*_loaded())).first()
    return tuple(row) if row else None


def get_own_kpi(session: Session, organisation_id: int, kpi_id: int) -> tuple[KPI, Award, Opportunity] | None:
    row = session.exec(select(KPI, Award, Opportunity).join(Award, Award.id == KPI.award_id)
                       .join(Opportunity, Opportunity.id == Award.opportunity_id)
                       .where(KPI.id == kpi_id, Opportunity.buyer_id == organisation_id)).first()
    return tuple(row) if row else None


def supplier_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every supplier organisation with an account here, to link a winner to."""
    return list(session.exec(select(Organisation.id, Organisation.name)
                             .where(Organisation.kind == OrganisationKind.SUPPLIER).order_by(Organisation.name)).all())


def latest_result(kpi: KPI) -> KPIResult | None:
    return max(kpi.results, key=lambda r: (r.period_end, r.published_at), default=None)


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
    """"Small business, a VCSE, based in London" as far as it is known."""
    parts = []
    if supplier.size:
        parts.append(f"{SIZE_WORDS.get(supplier.size, supplier.size)}")
    if supplier.is_vcse:
        parts.append("a voluntary, community or social enterprise (VCSE)")
    if supplier.region:
        parts.append(f"based in {reference.region_name(supplier.region)}")
    return ", ".join(parts)[:1].upper() + ", ".join(parts)[1:] if parts else ""


SIZE_WORDS = {"micro": "micro business", "small": "small business", "medium": "medium-sized business",
              "large": "large business"}


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
