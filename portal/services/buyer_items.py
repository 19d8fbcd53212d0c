"""A buyer's own opportunities: drafting, publishing (a published item's edits wait as a pending change until the
buyer publishes them, and each publish is a version saying what changed), and what suppliers did."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from portal.bidding.changes import what_changed
from portal.bidding.facts import BidFacts
from portal.services.version_changes import DATES, SCALARS, Labels, Rewrite, as_json, day, describe, public_values, rewrites
from portal.search import SearchIndex
from portal.models import (
    Booking,
    BookingStatus,
    ChallengePhase,
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
from portal.published_dates import mark_published
from portal.services.phases import PhaseValues, sync_phases
from portal.services.supplier_counts import SupplierCounts, count_suppliers
from portal.slugs import unique_slug
from portal.services import engagement_window, market_questions, publishing
from portal.services.interest import shown_to_buyer
from portal.services.market_questions import QuestionValues



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
    area_codes: list[str] = field(default_factory=list)  # portal.places codes of the councils whose area it is in
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


def _values(data: BriefData, bid_facts: dict) -> dict:
    """The editor's data as public values (version_changes.public_values' shape)."""
    values = {name: getattr(data, name) for name in SCALARS if name != "questions_close_on"}
    return as_json(values | {
        "questions_close_on": data.questions_close_on, "brief_answers": dict(data.answers), "bid_facts": bid_facts,
        "missions": sorted(data.missions), "regions": sorted(data.regions),
        "phases": [{"name": p.name, "starts_on": p.starts, "ends_on": p.ends, "funding": p.funding,
                    "description": p.description} for p in data.phases]})


def _apply(session: Session, opportunity: Opportunity, values: dict) -> None:
    """Make an item show `values`: a new draft's, or a published item's pending change when it is published."""
    for name in SCALARS:
        setattr(opportunity, name, day(values[name]) if name in DATES else values[name])
    opportunity.brief_answers = dict(values["brief_answers"])
    opportunity.bid_facts = dict(values["bid_facts"])
    sync_phases(opportunity, [PhaseValues(p["name"], day(p["starts_on"]), day(p["ends_on"]), p["funding"],
                                          p["description"]) for p in values["phases"]])
    opportunity.missions = list(session.exec(select(Mission).where(col(Mission.slug).in_(values["missions"])))
                                .all()) if values["missions"] else []
    current = {r.region_code for r in opportunity.regions}
    opportunity.regions = [r for r in opportunity.regions if r.region_code in values["regions"]] + [
        OpportunityRegion(region_code=code) for code in values["regions"] if code not in current]


def _keep_pending(session: Session, opportunity: Opportunity, values: dict) -> None:
    """A published item's edit waits until its buyer publishes it; an edit back to what is public clears it."""
    opportunity.pending = None if values == public_values(opportunity) else values  # updated_at is public: kept
    session.add(opportunity)
    session.commit()


def save_draft(session: Session, index: SearchIndex, buyer: Organisation, data: BriefData, ocid_prefix: str,
               opportunity: Opportunity | None = None) -> Opportunity:
    """Create a draft, or update an item. A published item's public values are kept as its pending change, and
    nothing public changes until the buyer publishes it (publish_changes); its questions to suppliers save at once."""
    if opportunity is not None and opportunity.status == Status.PUBLISHED:
        market_questions.sync(session, opportunity.id, data.market_questions)
        _keep_pending(session, opportunity, _values(data, (opportunity.pending or {}).get("bid_facts",
                                                                                          opportunity.bid_facts)))
        return opportunity
    if opportunity is None:
        slug = unique_slug(session, Opportunity, data.title, "opportunity")
        opportunity = Opportunity(slug=slug, ocid=f"{ocid_prefix}-{slug}", buyer_id=buyer.id, status=Status.DRAFT,
                                  kind=data.kind)
    with session.no_autoflush:
        _apply(session, opportunity, _values(data, (opportunity.pending or {}).get("bid_facts",
                                                                                   opportunity.bid_facts)))
    opportunity.pending = None  # a withdrawn item's editor started from its pending change, so this includes it
    opportunity.updated_at = utcnow()
    session.add(opportunity)
    session.flush()  # a new brief needs its id for its questions
    market_questions.sync(session, opportunity.id, data.market_questions)
    session.commit()
    return opportunity


def save_bid_facts(session: Session, index: SearchIndex, opportunity: Opportunity, facts: BidFacts) -> list[str]:
    """Keep an item's "can we bid?" facts: a draft's at once, a published item's as part of its pending change.
    Returns what changed from what the buyer saw before, in plain words."""
    if opportunity.status == Status.PUBLISHED:
        values = dict(opportunity.pending or public_values(opportunity))
        changes = what_changed(values["bid_facts"], facts.to_json())
        _keep_pending(session, opportunity, values | {"bid_facts": facts.to_json()})
        return changes
    changes = what_changed(opportunity.bid_facts, facts.to_json())
    opportunity.bid_facts = facts.to_json()
    opportunity.updated_at = utcnow()
    session.add(opportunity)
    session.commit()
    return changes


def draft_of(session: Session, opportunity: Opportunity) -> Opportunity:
    """What the buyer's preview and editor show: the item with its pending change, as a copy that is never saved
    (the item itself when nothing is pending)."""
    if not opportunity.pending:
        return opportunity
    draft = Opportunity(**{column.name: getattr(opportunity, column.name) for column in Opportunity.__table__.columns})
    values = opportunity.pending
    for name in SCALARS:
        setattr(draft, name, day(values[name]) if name in DATES else values[name])
    draft.brief_answers, draft.bid_facts = dict(values["brief_answers"]), dict(values["bid_facts"])
    # Loaded as if read from the database, so no event touches the buyer's or missions' own lists of items.
    set_committed_value(draft, "buyer", opportunity.buyer)
    set_committed_value(draft, "phases", [
        ChallengePhase(position=n, name=p["name"], starts_on=day(p["starts_on"]), ends_on=day(p["ends_on"]),
                       funding=p["funding"], description=p["description"]) for n, p in enumerate(values["phases"])])
    set_committed_value(draft, "regions", [OpportunityRegion(region_code=code) for code in values["regions"]])
    with session.no_autoflush:
        set_committed_value(draft, "missions", list(session.exec(
            select(Mission).where(col(Mission.slug).in_(values["missions"]))).all()))
    return draft


def labels_for(session: Session, sections: dict[str, str]) -> Labels:
    return Labels(sections, dict(session.exec(select(Mission.slug, Mission.short_title)).all()))


def pending_changes(session: Session, opportunity: Opportunity, sections: dict[str, str]) -> list[str]:
    """What publishing the pending change would change, in the sentences the change log will show."""
    if not opportunity.pending:
        return []
    return describe(public_values(opportunity), opportunity.pending, labels_for(session, sections))


def publish_changes(session: Session, index: SearchIndex, opportunity: Opportunity,
                    sections: dict[str, str]) -> list[str]:
    """Make the pending change public in one transaction: the item, a new version saying what changed, and one
    notice to each follower listing every change. Returns the changes (none if nothing was pending)."""
    if opportunity.status != Status.PUBLISHED or not opportunity.pending:
        return []
    changes = pending_changes(session, opportunity, sections)
    with session.no_autoflush:
        _apply(session, opportunity, opportunity.pending)
        opportunity.pending = None
    _add_version(session, opportunity, changes or ["Small changes to the wording"])
    publishing.save_opportunity(session, index, opportunity, changes=changes)
    return changes


def discard_changes(session: Session, opportunity: Opportunity) -> bool:
    """Forget a published item's pending change. False if nothing was pending."""
    if not opportunity.pending:
        return False
    opportunity.pending = None
    session.add(opportunity)
    session.commit()
    return True


def publish(session: Session, index: SearchIndex, opportunity: Opportunity, today: date,
            sections: dict[str, str] | None = None) -> Opportunity:
    """Publish a draft, or publish a withdrawn item again (with any change that was pending when it was withdrawn);
    `sections` names the brief's sections in the version's sentences."""
    mark_published(opportunity, utcnow(), today)
    if opportunity.pending:
        with session.no_autoflush:
            _apply(session, opportunity, opportunity.pending)
            opportunity.pending = None
    changes = _changes_since_last_version(session, opportunity, sections) if opportunity.id else []
    again = opportunity.status == Status.WITHDRAWN
    publishing.publish(session, index, opportunity)
    _add_version(session, opportunity, (["Published again"] if again else []) + changes or ["First published"])
    session.commit()
    return opportunity


def withdraw(session: Session, index: SearchIndex, opportunity: Opportunity) -> Opportunity:
    """Without a reason: for scripts and tests. Buyers withdraw through services.withdrawals, which keeps why."""
    return publishing.withdraw(session, index, opportunity)


def log_change(session: Session, opportunity: Opportunity, change: str) -> None:
    """A line in the change log for something other than the versioned values (a withdrawal or cancellation).
    Commits the session."""
    _add_version(session, opportunity, [change])
    session.commit()


def close_engagement(session: Session, index: SearchIndex, opportunity: Opportunity, today: date) -> bool:
    """Engagement ends now: suppliers can send nothing more, the closing date becomes today if it was later, followers
    are told and the change is logged. False if it was not open, and nothing changes."""
    if not engagement_window.is_open(opportunity, today):
        return False
    with session.no_autoflush:  # keep the history of the values for the followers' notice
        opportunity.engagement_closed_at = utcnow()
        if opportunity.engagement_closes_on is None or opportunity.engagement_closes_on > today:
            opportunity.engagement_closes_on = today
        if opportunity.pending:  # a change published later must not reopen engagement
            opportunity.pending = opportunity.pending | {"engagement_closes_on": today.isoformat()}
        changes = _changes_since_last_version(session, opportunity)
    publishing.save_opportunity(session, index, opportunity)  # before the version: it reads the values' history
    if changes:
        _add_version(session, opportunity, changes)
        session.commit()
    return True


def _snapshot(opportunity: Opportunity) -> dict:
    closed = opportunity.engagement_closed_at
    return public_values(opportunity) | {"engagement_closed_at": closed.isoformat() if closed else None}


def _changes_since_last_version(session: Session, opportunity: Opportunity,
                                sections: dict[str, str] | None = None) -> list[str]:
    last = latest_version(session, opportunity.id) if opportunity.id else None
    return describe(last.snapshot, _snapshot(opportunity), labels_for(session, sections or {})) if last else []


def _add_version(session: Session, opportunity: Opportunity, changes: list[str]) -> None:
    """Add (not commit) the next version: what the public sees from now on, and what changed."""
    last = latest_version(session, opportunity.id)
    session.add(OpportunityVersion(opportunity_id=opportunity.id, number=(last.number + 1) if last else 1,
                                   changes=changes, snapshot=_snapshot(opportunity)))


def latest_version(session: Session, opportunity_id: int) -> OpportunityVersion | None:
    return session.exec(select(OpportunityVersion).where(OpportunityVersion.opportunity_id == opportunity_id)
                        .order_by(col(OpportunityVersion.number).desc())).first()


def versions(session: Session, opportunity_id: int) -> list[OpportunityVersion]:
    return list(session.exec(select(OpportunityVersion).where(OpportunityVersion.opportunity_id == opportunity_id)
                             .order_by(col(OpportunityVersion.number).desc())).all())


@dataclass(frozen=True)
class LoggedChange:
    """One published change as the public change log shows it."""
    version: OpportunityVersion
    rewrites: list[Rewrite]


def change_log(session: Session, opportunity_id: int, sections: dict[str, str]) -> list[LoggedChange]:
    """Every change after the first publish, newest first, with the old and new text of each rewritten section."""
    history = versions(session, opportunity_id)
    labels = Labels(sections)
    logged = []
    for position, version in enumerate(history):
        before = history[position + 1].snapshot if position + 1 < len(history) else {}
        if version.changes != ["First published"]:
            logged.append(LoggedChange(version, rewrites(before, version.snapshot, labels)))
    return logged


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
