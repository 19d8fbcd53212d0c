"""OCDS awards, contracts and suppliers from the portal's awards, with each contract's KPIs as agreed metrics and
their published results as implementation metrics (OCDS metrics extension). A result's rating is the observation's
measure classification, with the UK codes that match the Procurement Act's four ratings (ocds_uk_extension)."""

from datetime import date, datetime, time

from portal import reference
from portal.clock import LONDON
from portal.models import Award, AwardSupplier, Rating, is_sme
from portal.opendata.ocds_bidding import gbp
from portal.services.performance import RATING_LABELS

# The UK extension's Observation.measureClassification codes, for the four ratings and "other".
RATING_CODES = {
    Rating.GOOD: "met",
    Rating.APPROACHING_TARGET: "slightlyBelow",
    Rating.REQUIRES_IMPROVEMENT: "below",
    Rating.INADEQUATE: "significantlyBelow",
    Rating.OTHER: "other",
}
RATING_SCHEME = "UK-performanceRating"


def _day(day: date, end: bool = False) -> str:
    return datetime.combine(day, time(23, 59, 59) if end else time(0, 0), LONDON).isoformat()


def _period(start: date | None, end: date | None) -> dict:
    period = {}
    if start:
        period["startDate"] = _day(start)
    if end:
        period["endDate"] = _day(end, end=True)
    return period


def supplier_id(ocid: str, award: Award, supplier: AwardSupplier) -> str:
    """A portal supplier keeps one id across every release; another is named within its award."""
    if supplier.organisation_id:
        return f"portal-supplier-{supplier.organisation_id}"
    return f"{ocid}-award-{award.id}-supplier-{supplier.position + 1}"


def supplier_party(ocid: str, award: Award, supplier: AwardSupplier) -> dict:
    party = {"id": supplier_id(ocid, award, supplier), "name": supplier.name, "roles": ["supplier"]}
    details = {}
    if supplier.size:
        details["scale"] = "sme" if is_sme(supplier.size) else "large"
    if supplier.is_vcse is not None:
        details["vcse"] = supplier.is_vcse
    if details:
        party["details"] = details
    region = reference.regions().get(supplier.region or "")
    if region:
        party["address"] = {"region": region.name, "countryName": "United Kingdom"}
    return party


def _award(ocid: str, award: Award) -> dict:
    built = {
        "id": f"{ocid}-award-{award.id}",
        "status": award.status,
        "date": _day(award.awarded_on),
        "suppliers": [{"id": supplier_id(ocid, award, s), "name": s.name} for s in award.suppliers],
    }
    if award.value is not None:
        built["value"] = gbp(award.value)
    if award.lot_id:
        built["relatedLots"] = [award.lot_id]
    period = _period(award.contract_starts_on, award.contract_ends_on)
    if period:
        built["contractPeriod"] = period
    return built


def _unit(kpi) -> dict:
    return {"name": kpi.unit}


def _agreed_metric(kpi) -> dict:
    return {"id": f"kpi-{kpi.id}", "title": kpi.title, "description": kpi.measure,
            "observations": [{"id": f"kpi-{kpi.id}-target", "measure": kpi.target, "unit": _unit(kpi),
                              "notes": f"Target, measured {kpi.frequency}."}]}


def _observation(kpi, result) -> dict:
    observation = {
        "id": f"kpi-{kpi.id}-result-{result.id}",
        "period": _period(result.period_start, result.period_end),
        "measure": result.observed,
        "unit": _unit(kpi),
        "measureClassification": {"scheme": RATING_SCHEME, "id": RATING_CODES[Rating(result.rating)],
                                  "description": result.rating_note if result.rating == Rating.OTHER and result.rating_note
                                  else RATING_LABELS[Rating(result.rating)]},
    }
    if result.comment:
        observation["notes"] = result.comment
    return observation


def _contract(ocid: str, award: Award, today: date) -> dict:
    ended = award.contract_ends_on is not None and award.contract_ends_on < today
    contract = {
        "id": f"{ocid}-contract-{award.id}",
        "awardID": f"{ocid}-award-{award.id}",
        "status": "cancelled" if award.status == "cancelled" else "terminated" if ended else "active",
    }
    if award.value is not None:
        contract["value"] = gbp(award.value)
    period = _period(award.contract_starts_on, award.contract_ends_on)
    if period:
        contract["period"] = period
    if award.kpis:
        contract["agreedMetrics"] = [_agreed_metric(kpi) for kpi in award.kpis]
        measured = [{"id": f"kpi-{kpi.id}", "title": kpi.title,
                     "observations": [_observation(kpi, r) for r in kpi.results]} for kpi in award.kpis if kpi.results]
        if measured:
            contract["implementation"] = {"metrics": measured}
    return contract


def award_sections(ocid: str, awards: list[Award], today: date) -> tuple[list[dict], list[dict], list[dict]]:
    """(supplier parties, awards, contracts) for a release. A supplier named in several awards is one party."""
    parties: dict[str, dict] = {}
    for award in awards:
        for supplier in award.suppliers:
            parties.setdefault(supplier_id(ocid, award, supplier), supplier_party(ocid, award, supplier))
    return (list(parties.values()), [_award(ocid, a) for a in awards],
            [_contract(ocid, a, today) for a in awards if a.suppliers])
