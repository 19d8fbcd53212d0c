"""A buyer's own opportunities: drafting, publishing with a version history, and what suppliers did."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from portal.bidding.changes import what_changed
from portal.bidding.facts import BidFacts
from portal.search import SearchIndex
from portal.models import (
    Booking,
    BookingStatus,
    EngagementEvent,
    Interest,
    Mission,
    Opportunity,
    OpportunityRegion,
    OpportunityVersion,
    Organisation,
    Question,
    QuestionStatus,
    Status,
    utcnow,
)
from portal.services.phases import PhaseValues, sync_phases
from portal.services.supplier_counts import SupplierCounts, count_suppliers
from portal.slugs import unique_slug
from portal.presenters import STAGE_LABELS, long_date, market_quarter, opportunity_value
from portal.services import engagement_window, market_questions, publishing
from portal.services.interest import shown_to_buyer
from portal.services.market_questions import QuestionValues

VERSIONED = ("stage", "engagement_closes_on", "engagement_closed_at", "market_year", "market_quarter", "value_min",
             "value_max", "value_basis")
# What a version recorded before a field was versioned stands for: the value every item had then.
UNRECORDED = {"value_basis": "total"}


@dataclass
class BriefData:
    """Everything the editor collects, already checked by the form."""
    kind: str
    title: str
    summary: str
    why_md: str
    body_md: str
    answers: dict[str, str]
    missions: list[str]
    cpv_code: str
    regions: list[str]
    value_min: int | None = None
    value_max: int | None = None
    value_basis: str = "total"
    engagement_closes_on: date | None = None
    market_year: int | None = None
    market_quarter: int | None = None
    contract_length_months: int | None = None
    likely_route: str = ""
    stage: str = "engagement"
    suitable_for_sme: bool = False
    suitable_for_vcse: bool = False
    plain_score: int | None = None
    phases: list[PhaseValues] = field(default_factory=list)  # innovation challenges only
    questions_close_on: date | None = None
    market_questions: list[QuestionValues] = field(default_factory=list)  # the buyer's own questions to suppliers


@dataclass(frozen=True)
class ItemSummary:
    opportunity: Opportunity
    interested: int
    unanswered: int


def own_items(session: Session, organisation_id: int) -> list[ItemSummary]:
    items = session.exec(select(Opportunity).where(Opportunity.buyer_id == organisation_id)
                         .order_by(col(Opportunity.updated_at).desc())).all()
    interested = dict(session.exec(shown_to_buyer(select(Interest.opportunity_id, func.count(Interest.id)))
                                   .group_by(Interest.opportunity_id)
                                   .where(col(Interest.opportunity_id).in_([o.id for o in items]))).all())
    unanswered = dict(session.exec(select(Question.opportunity_id, func.count()).group_by(Question.opportunity_id)
                                   .where(col(Question.opportunity_id).in_([o.id for o in items]),
                                          Question.status == QuestionStatus.WAITING)).all())
    return [ItemSummary(o, interested.get(o.id, 0), unanswered.get(o.id, 0)) for o in items]


def get_own(session: Session, organisation_id: int, opportunity_id: int) -> Opportunity | None:
    """The opportunity only if this organisation owns it; None hides whether it exists at all."""
    opportunity = session.exec(select(Opportunity).where(Opportunity.id == opportunity_id).options(
        selectinload(Opportunity.missions), selectinload(Opportunity.regions))).first()
    if opportunity is None or opportunity.buyer_id != organisation_id:
        return None
    return opportunity


def save_draft(session: Session, index: SearchIndex, buyer: Organisation, data: BriefData, ocid_prefix: str,
               opportunity: Opportunity | None = None) -> Opportunity:
    """Create a draft, or update an item; a published item's public page changes at once (and is versioned)."""
    if opportunity is None:
        slug = unique_slug(session, Opportunity, data.title, "opportunity")
        opportunity = Opportunity(slug=slug, ocid=f"{ocid_prefix}-{slug}", buyer_id=buyer.id, status=Status.DRAFT,
                                  kind=data.kind)
    # No flush until the save: followers are told what changed from the values' history, which a flush would clear.
    with session.no_autoflush:
        for name in ("title", "summary", "why_md", "body_md", "cpv_code", "value_min", "value_max", "value_basis",
                     "engagement_closes_on", "market_year", "market_quarter", "contract_length_months", "likely_route",
                     "stage", "suitable_for_sme", "suitable_for_vcse", "plain_score"):
            setattr(opportunity, name, getattr(data, name))
        opportunity.brief_answers = dict(data.answers)
        opportunity.questions_close_on = data.questions_close_on
        sync_phases(opportunity, data.phases)
        opportunity.missions = list(session.exec(select(Mission).where(col(Mission.slug).in_(data.missions))).all())
        current = {r.region_code for r in opportunity.regions}
        opportunity.regions = [r for r in opportunity.regions if r.region_code in data.regions] + [
            OpportunityRegion(region_code=code) for code in data.regions if code not in current]
        changes = _changes_since_last_version(session, opportunity) if opportunity.status == Status.PUBLISHED else []
        if opportunity.id is None:  # a new brief needs its id for its questions; it has no history to keep
            session.add(opportunity)
            session.flush()
        market_questions.sync(session, opportunity.id, data.market_questions)
    if opportunity.status == Status.PUBLISHED:
        publishing.save_opportunity(session, index, opportunity)
        if changes:
            _record_version(session, opportunity, changes)
        return opportunity
    opportunity.updated_at = utcnow()
    session.add(opportunity)
    session.commit()
    return opportunity


def save_bid_facts(session: Session, index: SearchIndex, opportunity: Opportunity, facts: BidFacts) -> list[str]:
    """Keep an item's "can we bid?" facts. A published item's page changes at once; its followers are told what
    changed and the change log records it. Returns what changed, in plain words."""
    changes = what_changed(opportunity.bid_facts, facts.to_json())
    opportunity.bid_facts = facts.to_json()
    if opportunity.status == Status.PUBLISHED:
        publishing.save_opportunity(session, index, opportunity)
        if changes:
            _record_version(session, opportunity, [line[0].upper() + line[1:] for line in changes])
        return changes
    opportunity.updated_at = utcnow()
    session.add(opportunity)
    session.commit()
    return changes


def publish(session: Session, index: SearchIndex, opportunity: Opportunity, today: date) -> Opportunity:
    opportunity.published_on = opportunity.published_on or today
    changes = _changes_since_last_version(session, opportunity) if opportunity.id else []
    again = opportunity.status == Status.WITHDRAWN
    publishing.publish(session, index, opportunity)
    _record_version(session, opportunity, (["Published again"] if again else []) + changes or ["First published"])
    return opportunity


def withdraw(session: Session, index: SearchIndex, opportunity: Opportunity) -> Opportunity:
    """Without a reason: for scripts and tests. Buyers withdraw through services.withdrawals, which keeps why."""
    return publishing.withdraw(session, index, opportunity)


def log_change(session: Session, opportunity: Opportunity, change: str) -> None:
    """A line in the change log for something other than the versioned values (a withdrawal or cancellation).
    Commits the session."""
    _record_version(session, opportunity, [change])


def close_engagement(session: Session, index: SearchIndex, opportunity: Opportunity, today: date) -> bool:
    """Engagement ends now: suppliers can send nothing more, the closing date becomes today if it was later, followers
    are told and the change is logged. False if it was not open, and nothing changes."""
    if not engagement_window.is_open(opportunity, today):
        return False
    with session.no_autoflush:  # keep the history of the values for the followers' notice
        opportunity.engagement_closed_at = utcnow()
        if opportunity.engagement_closes_on is None or opportunity.engagement_closes_on > today:
            opportunity.engagement_closes_on = today
        changes = _changes_since_last_version(session, opportunity)
    publishing.save_opportunity(session, index, opportunity)
    if changes:
        _record_version(session, opportunity, changes)
    return True


def _snapshot(opportunity: Opportunity) -> dict:
    values = {name: getattr(opportunity, name) for name in VERSIONED}
    return {name: value.isoformat() if isinstance(value, date) else value for name, value in values.items()}


def _describe(name: str, opportunity: Opportunity) -> str:
    match name:
        case "stage":
            return f"Stage changed to \u201c{STAGE_LABELS.get(opportunity.stage, opportunity.stage)}\u201d"
        case "engagement_closes_on" | "engagement_closed_at" if opportunity.engagement_closed_at:
            return f"Engagement closed on {long_date(opportunity.engagement_closes_on)}"
        case "engagement_closes_on":
            return (f"Engagement now closes on {long_date(opportunity.engagement_closes_on)}"
                    if opportunity.engagement_closes_on else "Engagement closing date removed")
        case "market_year" | "market_quarter":
            return f"Now goes to market {market_quarter(opportunity.market_year, opportunity.market_quarter)}"
        case _:
            return f"Value changed to {opportunity_value(opportunity)}"


def _changes_since_last_version(session: Session, opportunity: Opportunity) -> list[str]:
    last = latest_version(session, opportunity.id) if opportunity.id else None
    if last is None:
        return []
    now = _snapshot(opportunity)
    described = []
    for name in VERSIONED:
        if last.snapshot.get(name, UNRECORDED.get(name)) != now[name]:
            text = _describe(name, opportunity)
            if text not in described:
                described.append(text)
    return described


def _record_version(session: Session, opportunity: Opportunity, changes: list[str]) -> None:
    last = latest_version(session, opportunity.id)
    session.add(OpportunityVersion(opportunity_id=opportunity.id, number=(last.number + 1) if last else 1,
                                   changes=changes, snapshot=_snapshot(opportunity)))
    session.commit()


def latest_version(session: Session, opportunity_id: int) -> OpportunityVersion | None:
    return session.exec(select(OpportunityVersion).where(OpportunityVersion.opportunity_id == opportunity_id)
                        .order_by(col(OpportunityVersion.number).desc())).first()


def versions(session: Session, opportunity_id: int) -> list[OpportunityVersion]:
    return list(session.exec(select(OpportunityVersion).where(OpportunityVersion.opportunity_id == opportunity_id)
                             .order_by(col(OpportunityVersion.number).desc())).all())


@dataclass(frozen=True)
class InterestReport:
    rows: list[tuple[Interest, Organisation]]
    counts: SupplierCounts  # by size, by legal form, SMEs and VCSEs
    by_region: Counter


def interest_report(session: Session, opportunity_id: int) -> InterestReport:
    """Interest the buyer may see (see interest.shown_to_buyer), in the order it was sent, and its breakdown."""
    rows = session.exec(shown_to_buyer(select(Interest, Organisation)
                                       .join(Organisation, Organisation.id == Interest.organisation_id))
                        .where(Interest.opportunity_id == opportunity_id)
                        .order_by(Interest.submitted_at, Interest.id)).all()
    by_region = Counter()
    for _interest, organisation in rows:
        by_region.update(organisation.regions_served)
    return InterestReport(list(rows), count_suppliers(organisation for _interest, organisation in rows), by_region)


def questions_for(session: Session, opportunity_id: int) -> list[Question]:
    return list(session.exec(select(Question).where(Question.opportunity_id == opportunity_id)
                             .order_by(Question.status != QuestionStatus.WAITING, Question.asked_at)).all())


def events_with_bookings(session: Session, opportunity_id: int) -> list[tuple[EngagementEvent, int, int]]:
    result = []
    for event in session.exec(select(EngagementEvent).where(EngagementEvent.opportunity_id == opportunity_id)
                              .order_by(EngagementEvent.starts_at)).all():
        counts = Counter(session.exec(select(Booking.status).where(Booking.event_id == event.id)).all())
        result.append((event, counts[BookingStatus.BOOKED], counts[BookingStatus.WAITING]))
    return result
