"""Recording who won a buyer's item and for how much, the contract's KPIs and their published results, and reading
them back with everything loaded. What they add up to for residents is in award_reports."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from portal.models import KPI, Award, AwardSupplier, KPIResult, Opportunity, Organisation, OrganisationKind, Stage, Status
from portal.presenters import money
from portal.search import SearchIndex
from portal.services import buyer_items, publishing

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
