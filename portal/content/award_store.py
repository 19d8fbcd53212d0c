"""Saving the awards in content files. The awards a file gives replace the ones an earlier load made from it (marked
by their source_award_id "content-N"); awards a buyer recorded on the portal are left alone."""

from datetime import datetime, time, timedelta, timezone

from sqlmodel import Session

from portal.clock import LONDON
from portal.models import KPI, Award, AwardSupplier, KPIResult
from portal.services.awards import awards_for

CONTENT_MARK = "content-"


def _published_at(result) -> datetime:
    """A content result is published at 9am, UK time, on the day after its period ends."""
    return datetime.combine(result.period_end + timedelta(days=1), time(9, 0), LONDON).astimezone(timezone.utc)


def _as_entries(awards: list[Award]) -> list[dict]:
    return [{
        "suppliers": [(s.name, s.size, s.is_vcse, s.region) for s in a.suppliers],
        "value": a.value, "awarded": a.awarded_on, "contract_starts": a.contract_starts_on,
        "contract_ends": a.contract_ends_on, "lot": a.lot_id,
        "kpis": [(k.title, k.measure, k.unit, k.target, k.frequency,
                  [(r.period_start, r.period_end, r.observed, r.rating, r.rating_note, r.comment) for r in k.results])
                 for k in a.kpis],
    } for a in awards]


def _wanted(entries) -> list[dict]:
    return [{
        "suppliers": [(s.name, s.size.value if s.size else None, s.vcse, s.region) for s in e.suppliers],
        "value": e.value, "awarded": e.awarded, "contract_starts": e.contract_starts, "contract_ends": e.contract_ends,
        "lot": str(e.lot) if e.lot else None,
        "kpis": [(k.title, k.measure, k.unit, k.target, k.frequency,
                  [(r.period_start, r.period_end, r.observed, r.rating.value, r.rating_note, r.comment)
                   for r in sorted(k.results, key=lambda r: r.period_end)])
                 for k in e.kpis],
    } for e in entries]


def sync_awards(session: Session, opportunity, entries) -> bool:
    if opportunity.id is None:
        session.flush()
    existing = [a for a in awards_for(session, opportunity.id) if (a.source_award_id or "").startswith(CONTENT_MARK)]
    if _as_entries(existing) == _wanted(entries):
        return False
    for award in existing:
        session.delete(award)
    session.flush()
    for number, entry in enumerate(entries, start=1):
        award = Award(opportunity_id=opportunity.id, value=entry.value, awarded_on=entry.awarded,
                      contract_starts_on=entry.contract_starts, contract_ends_on=entry.contract_ends,
                      lot_id=str(entry.lot) if entry.lot else None,
                      source_award_id=f"{CONTENT_MARK}{number}",
                      created_at=datetime.combine(entry.awarded, time(9, 0), LONDON).astimezone(timezone.utc))
        award.suppliers = [AwardSupplier(position=i, name=s.name, size=s.size.value if s.size else None,
                                         is_vcse=s.vcse, region=s.region) for i, s in enumerate(entry.suppliers)]
        award.kpis = [KPI(position=i, title=k.title, measure=k.measure, unit=k.unit, target=k.target,
                          frequency=k.frequency,
                          results=[KPIResult(period_start=r.period_start, period_end=r.period_end, observed=r.observed,
                                             rating=r.rating.value, rating_note=r.rating_note, comment=r.comment,
                                             published_at=_published_at(r))
                                   for r in sorted(k.results, key=lambda r: r.period_end)])
                      for i, k in enumerate(entry.kpis)]
        session.add(award)
    session.flush()
    return True
