"""Saving the awards an imported notice states (plain data from opendata.notice_awards) as award records.

An award is matched on its id in the notice (Award.source_award_id) within its item, so importing the same release
again changes nothing. The importer only calls this for a release that is new, newer or the same as the one held,
never an older one, so an older release never overwrites what a newer one said. An award a newer release leaves out
is kept, the way OCDS merges releases.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from portal.clock import london
from portal.models import Award, AwardStatus, AwardSupplier, Opportunity, Stage


@dataclass
class AwardCounts:
    created: int = 0
    updated: int = 0


def _day(moment: datetime | None) -> date | None:
    return london(moment).date() if moment else None


def _currency(code: str | None) -> str | None:
    return None if code in (None, "", "GBP") else code


def _fields(found: dict) -> dict:
    return {
        "status": found["status"],
        "awarded_on": _day(found["date"]),
        "value": round(found["amount"]) if found["amount"] is not None else None,
        "value_currency": _currency(found["currency"]) if found["amount"] is not None else None,
        "contract_starts_on": _day(found["starts"]),
        "contract_ends_on": _day(found["ends"]),
        "lot_id": found["lot"],
    }


def _suppliers_of(award: Award) -> list[tuple]:
    return [(s.name, s.size, s.is_vcse, s.region) for s in award.suppliers]


def _suppliers_found(found: dict) -> list[tuple]:
    return [(s["name"], s["size"], s["is_vcse"], s["region"]) for s in found["suppliers"]]


def save_awards(session: Session, opportunity: Opportunity, found_awards: list[dict]) -> AwardCounts:
    """Add or update the item's awards in the session, without committing. An active award makes the item awarded
    (unless it was cancelled)."""
    counts = AwardCounts()
    found_awards = [found for found in found_awards if found["date"] is not None]
    if not found_awards:
        return counts
    held = {award.source_award_id: award for award in session.exec(
        select(Award).where(Award.opportunity_id == opportunity.id, Award.source_award_id.is_not(None)))}
    for found in found_awards:
        fields, suppliers = _fields(found), _suppliers_found(found)
        award = held.get(found["id"])
        if award is None:
            award = Award(opportunity_id=opportunity.id, source_award_id=found["id"], **fields)
            session.add(award)
            held[found["id"]] = award
            counts.created += 1
        elif any(getattr(award, name) != value for name, value in fields.items()) or _suppliers_of(award) != suppliers:
            for name, value in fields.items():
                setattr(award, name, value)
            counts.updated += 1
        else:
            continue
        award.suppliers = [AwardSupplier(position=position, name=name, size=size, is_vcse=is_vcse, region=region)
                           for position, (name, size, is_vcse, region) in enumerate(suppliers)]
    if any(found["status"] == AwardStatus.ACTIVE for found in found_awards) and opportunity.stage != Stage.CANCELLED:
        opportunity.stage = Stage.AWARDED
    session.flush()
    return counts
