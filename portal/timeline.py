"""One timeline per procurement: what has happened, where it is now, and what comes next."""

from dataclasses import dataclass
from datetime import date

from portal.models import Opportunity, Stage
from portal.presenters import long_date, market_quarter, money

ORDER = [Stage.PIPELINE, Stage.ENGAGEMENT, Stage.TENDER, Stage.AWARDED]
TITLES = {
    Stage.PIPELINE: "Planned",
    Stage.ENGAGEMENT: "Talking to suppliers (pre-market engagement)",
    Stage.TENDER: "Open for bids (tender)",
    Stage.AWARDED: "Contract awarded",
    Stage.CANCELLED: "Cancelled",
}


@dataclass(frozen=True)
class Step:
    stage: str  # a Stage, or "phase" for a phase of an innovation challenge
    title: str
    state: str  # done | now | next | later | skipped
    detail: str


def timeline(opportunity: Opportunity, events: list, today: date) -> list[Step]:
    cancelled = opportunity.stage == Stage.CANCELLED
    # A cancelled procurement shows how far it got, judged by its dates.
    reached = _reached_before_cancelling(opportunity, today) if cancelled else ORDER.index(Stage(opportunity.stage))
    steps = []
    for position, stage in enumerate(ORDER):
        if cancelled and position > reached:
            continue
        state = "done" if position < reached else "now" if position == reached and not cancelled else \
            "done" if cancelled else "next" if position == reached + 1 else "later"
        steps.append(Step(stage, TITLES[stage], state, _detail(stage, state, opportunity, events, today)))
    if not cancelled:
        steps = _with_phases(steps, opportunity.phases, today)
    else:
        steps.append(Step(Stage.CANCELLED, TITLES[Stage.CANCELLED], "now",
                          "The buyer has stopped this procurement. The brief explains why."))
    return steps


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


def _reached_before_cancelling(opportunity: Opportunity, today: date) -> int:
    if opportunity.engagement_closes_on or opportunity.kind != "pipeline-item":
        return ORDER.index(Stage.ENGAGEMENT)
    return ORDER.index(Stage.PIPELINE)


def _detail(stage, state, opportunity: Opportunity, events: list, today: date) -> str:
    goes_to_market = market_quarter(opportunity.market_year, opportunity.market_quarter)
    match stage:
        case Stage.PIPELINE:
            return f"Published on {long_date(opportunity.published_on)}." if opportunity.published_on else "Not published yet."
        case Stage.ENGAGEMENT:
            parts = []
            upcoming = [e for e in events if e.starts_at.date() >= today]
            if upcoming:
                parts.append(f"{len(upcoming)} engagement {'event' if len(upcoming) == 1 else 'events'} coming up.")
            if opportunity.engagement_closes_on:
                closes = long_date(opportunity.engagement_closes_on)
                closed = opportunity.engagement_closed_at is not None or opportunity.engagement_closes_on < today
                parts.append(f"Engagement closed on {closes}." if closed else f"Engagement closes on {closes}.")
            return " ".join(parts) or ("The buyer talks to suppliers before deciding what to buy."
                                       if state in ("next", "later") else "The buyer is talking to suppliers.")
        case Stage.TENDER:
            if state == "done":
                return "Bids were invited."
            if opportunity.market_year:
                return f"Expected to invite bids {goes_to_market}."
            return "The date has not been decided yet."
        case _:
            if state == "now":
                return "A contract has been awarded."
            length = f" for {opportunity.contract_length_months} months" if opportunity.contract_length_months else ""
            return f"The buyer chooses a supplier and signs a contract{length}."


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
