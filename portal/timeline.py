"""One timeline per procurement: what has happened, where it is now, and what comes next."""

from dataclasses import dataclass
from datetime import date

from portal.clock import london
from portal.models import Opportunity, Source, Stage, Status
from portal.opendata.market_dates import approach_to_market_date
from portal.presenters import closing_date_is_for_bids, long_date, market_quarter, money

ORDER = [Stage.PIPELINE, Stage.ENGAGEMENT, Stage.TENDER, Stage.AWARDED]
TITLES = {
    Stage.PIPELINE: "Planned",
    Stage.ENGAGEMENT: "Talking to suppliers (pre-market engagement)",
    Stage.TENDER: "Open for bids (tender)",
    Stage.AWARDED: "Contract awarded",
    Stage.CANCELLED: "Cancelled",
    "withdrawn": "Withdrawn",
}
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Step:
    stage: str  # a Stage, "withdrawn", or "phase" for a phase of an innovation challenge
    title: str
    state: str  # done | now | next | later
    detail: str


def step_states(opportunity: Opportunity, today: date) -> dict[str, str]:
    """Each stage's state from the item's stage, its dates and today. A step is done only once it has happened; a
    date still to come never makes a step done; a finished item lists only the steps it reached, then how it ended."""
    stage = Stage(opportunity.stage)
    ended = _ending(opportunity)
    if ended:
        reached = _reached_before_ending(opportunity, today)
        states = {s: "done" for s in ORDER[:reached + 1]} | {ended: "now"}
    else:
        states = _states_in_progress(opportunity, stage, today)
    if _imported_without_engagement(opportunity):
        states.pop(Stage.ENGAGEMENT, None)
    return states


def _states_in_progress(opportunity: Opportunity, stage: Stage, today: date) -> dict[str, str]:
    reached = ORDER.index(stage)
    if stage == Stage.PIPELINE and _engagement_open(opportunity, today):
        reached = ORDER.index(Stage.ENGAGEMENT)  # while engagement is open the item is past "Planned"
    states = {}
    for position, step in enumerate(ORDER):
        states[step] = "done" if position < reached else "now" if position == reached else \
            "next" if position == reached + 1 else "later"
    if states[Stage.ENGAGEMENT] == "now" and _engagement_over(opportunity, today):
        states[Stage.ENGAGEMENT] = "done"  # engagement has closed; the tender is next
    if stage == Stage.PIPELINE and _engagement_over(opportunity, today):
        states |= {Stage.PIPELINE: "done", Stage.ENGAGEMENT: "done", Stage.TENDER: "next", Stage.AWARDED: "later"}
    return states


def timeline(opportunity: Opportunity, events: list, today: date) -> list[Step]:
    states = step_states(opportunity, today)
    steps = [Step(stage, TITLES[stage], state, _detail(stage, state, opportunity, events, today))
             for stage, state in states.items()]
    if _ending(opportunity):
        return steps
    return _with_phases(steps, opportunity.phases, today)


def _ending(opportunity: Opportunity) -> str | None:
    if opportunity.status == Status.WITHDRAWN:
        return WITHDRAWN
    return Stage.CANCELLED if opportunity.stage == Stage.CANCELLED else None


def _engagement_date(opportunity: Opportunity) -> date | None:
    return None if closing_date_is_for_bids(opportunity) else opportunity.engagement_closes_on


def _engagement_over(opportunity: Opportunity, today: date) -> bool:
    closes = _engagement_date(opportunity)
    return opportunity.engagement_closed_at is not None or (closes is not None and closes < today)


def _engagement_open(opportunity: Opportunity, today: date) -> bool:
    closes = _engagement_date(opportunity)
    return closes is not None and not _engagement_over(opportunity, today)


def _imported_without_engagement(opportunity: Opportunity) -> bool:
    return closing_date_is_for_bids(opportunity) and opportunity.source not in (None, Source.PORTAL)


def _with_phases(steps: list[Step], phases: list, today: date) -> list[Step]:
    """A challenge's phases follow the stages, in date order, each done, now, next or later by its dates. Once a
    phase has started, the stages before it are done."""
    if not phases:
        return steps
    ordered = sorted(phases, key=lambda phase: (phase.starts_on, phase.ends_on, phase.position))
    states = ["done" if phase.ends_on < today else "now" if phase.starts_on <= today else "coming" for phase in ordered]
    # The first phase to come is next if a phase is running or the stages have all been reached; the rest are later.
    first_is_next = "now" in states or not any(step.state in ("next", "later") for step in steps)
    if "coming" in states:
        first = states.index("coming")
        states = [("next" if position == first and first_is_next else "later") if state == "coming" else state
                  for position, state in enumerate(states)]
    if "now" in states:
        steps = [Step(s.stage, s.title, "done", s.detail) if s.stage == Stage.AWARDED and s.state == "now"
                 else s for s in steps]
    phase_steps = [Step("phase", f"Phase {number}: {phase.name}", state, _phase_detail(phase, state))
                   for number, (phase, state) in enumerate(zip(ordered, states), start=1)]
    return steps + phase_steps


def _phase_detail(phase, state: str) -> str:
    dates = f"{long_date(phase.starts_on)} to {long_date(phase.ends_on)}."
    if state == "done":
        dates = f"Ran from {dates}"
    funding = f" Funding or prize: {money(phase.funding)}." if phase.funding else ""
    return dates + funding


def _reached_before_ending(opportunity: Opportunity, today: date) -> int:
    """How far a cancelled or withdrawn item got, judged by its dates and its stage."""
    if Stage(opportunity.stage) in (Stage.TENDER, Stage.AWARDED):
        return ORDER.index(Stage(opportunity.stage))
    if closing_date_is_for_bids(opportunity) and opportunity.engagement_closes_on:
        return ORDER.index(Stage.TENDER)
    if _engagement_date(opportunity) or opportunity.stage == Stage.ENGAGEMENT or opportunity.kind != "pipeline-item":
        return ORDER.index(Stage.ENGAGEMENT)
    return ORDER.index(Stage.PIPELINE)


def _detail(stage, state, opportunity: Opportunity, events: list, today: date) -> str:
    match stage:
        case Stage.PIPELINE:
            return f"Published on {long_date(opportunity.published_on)}." if opportunity.published_on else "Not published yet."
        case Stage.ENGAGEMENT:
            return _engagement_detail(state, opportunity, events, today)
        case Stage.TENDER:
            return _tender_detail(state, opportunity, today)
        case Stage.AWARDED:
            if state in ("now", "done"):
                return "A contract has been awarded."
            length = f" for {opportunity.contract_length_months} months" if opportunity.contract_length_months else ""
            return f"The buyer chooses a supplier and signs a contract{length}."
        case Stage.CANCELLED:
            return "The buyer has stopped this procurement. The brief explains why."
        case _:
            return "The buyer has withdrawn this item. The page explains why."


def _engagement_detail(state: str, opportunity: Opportunity, events: list, today: date) -> str:
    closes = _engagement_date(opportunity)
    parts = []
    if state == "now":
        upcoming = [e for e in events if e.starts_at.date() >= today]
        if upcoming:
            parts.append(f"{len(upcoming)} engagement {'event' if len(upcoming) == 1 else 'events'} coming up.")
    if closes and _engagement_over(opportunity, today):
        closed_on = london(opportunity.engagement_closed_at).date() if opportunity.engagement_closed_at else closes
        parts.append(f"Engagement closed on {long_date(min(closed_on, closes))}.")
    elif closes and state == "done":
        parts.append("Engagement ended when the buyer moved on, before its planned closing date.")
    elif closes:
        parts.append(f"Engagement closes on {long_date(closes)}.")
    if parts:
        return " ".join(parts)
    if state == "done":
        return "The buyer talked to suppliers."
    return "The buyer is talking to suppliers." if state == "now" else "The buyer talks to suppliers before deciding what to buy."


def _tender_detail(state: str, opportunity: Opportunity, today: date) -> str:
    deadline = opportunity.engagement_closes_on if closing_date_is_for_bids(opportunity) else None
    if deadline and deadline < today:
        return f"Bids closed on {long_date(deadline)}."
    if state == "done":
        return "Bids were invited."
    if deadline:
        return f"Bids close on {long_date(deadline)}."
    if state == "now":
        return "Bids are invited."
    starts = approach_to_market_date(opportunity.market_year, opportunity.market_quarter)
    goes_to_market = market_quarter(opportunity.market_year, opportunity.market_quarter)
    if starts is None:
        return "The date has not been decided yet."
    if starts <= today:
        return f"The buyer planned to invite bids in {goes_to_market}."
    return f"Expected to invite bids {goes_to_market}."


def what_happens_next(opportunity: Opportunity) -> str:
    """After engagement has closed: what the buyer does now, and when it expects to go to market."""
    buyer = opportunity.buyer.name
    match opportunity.stage:
        case Stage.PIPELINE | Stage.ENGAGEMENT:
            doing = (f"{buyer} is now writing the tender, using what suppliers told it."
                     if opportunity.stage == Stage.ENGAGEMENT else f"{buyer} is now planning this purchase.")
            when = (f"It plans to go to market in {market_quarter(opportunity.market_year, opportunity.market_quarter)}."
                    if opportunity.market_year and opportunity.market_quarter
                    else "It has not decided yet when it will go to market.")
            route = opportunity.likely_route.strip().rstrip(".")
            return " ".join([doing, when] + ([f"The likely route to market is {route}."] if route else []))
        case Stage.TENDER:
            return f"{buyer} is now inviting bids."
        case Stage.AWARDED:
            return f"{buyer} has awarded a contract."
        case _:
            return f"{buyer} has stopped this procurement. The brief explains why."
