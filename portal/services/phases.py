"""An innovation challenge's phases, kept in order and updated in place."""

from dataclasses import dataclass
from datetime import date

from portal.models import ChallengePhase, Opportunity


@dataclass(frozen=True)
class PhaseValues:
    name: str
    starts: date
    ends: date
    funding: int | None = None
    description: str = ""


def sync_phases(opportunity: Opportunity, entries) -> bool:
    """Make the phases match `entries` (anything with name, starts, ends, funding and description); True if changed."""
    changed = len(opportunity.phases) != len(entries)
    phases = list(opportunity.phases[: len(entries)])
    for position, entry in enumerate(entries):
        if position >= len(phases):
            phases.append(ChallengePhase(position=position, name=entry.name, starts_on=entry.starts, ends_on=entry.ends))
            changed = True
        phase = phases[position]
        values = dict(name=entry.name, starts_on=entry.starts, ends_on=entry.ends, funding=entry.funding,
                      description=entry.description)
        if any(getattr(phase, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(phase, name, value)
            changed = True
    if changed:
        opportunity.phases = phases
    return changed
