"""An item's awards, suppliers and KPIs in the CSV file and the JSON API (OCDS has its own: ocds_awards.py)."""

from portal.models import is_sme
from portal.services.awards import latest_result
from portal.services.performance import RATING_LABELS

# After every earlier column, so that their positions stay the same.
CSV_COLUMNS = ["award_value", "awarded_on", "suppliers", "supplier_sizes", "awarded_to_sme", "awarded_to_vcse",
               "kpis", "latest_ratings"]
SEPARATOR = "; "


def csv_cells(awards: list) -> dict[str, object]:
    """Empty cells for an item with no award; values from all its awards, joined, for an item with several."""
    suppliers = [s for award in awards for s in award.suppliers]
    kpis = [kpi for award in awards for kpi in award.kpis]
    values = [award.value for award in awards if award.value is not None]
    latest = [(kpi, latest_result(kpi)) for kpi in kpis]
    return {
        "award_value": sum(values) if values else "",
        "awarded_on": SEPARATOR.join(award.awarded_on.isoformat() for award in awards),
        "suppliers": SEPARATOR.join(s.name for s in suppliers),
        "supplier_sizes": SEPARATOR.join(s.size or "not known" for s in suppliers),
        "awarded_to_sme": ("yes" if any(is_sme(s.size) for s in suppliers) else "no") if suppliers else "",
        "awarded_to_vcse": ("yes" if any(s.is_vcse for s in suppliers) else "no") if suppliers else "",
        "kpis": SEPARATOR.join(f"{kpi.title} (target {kpi.target:g} {kpi.unit})" for kpi in kpis),
        "latest_ratings": SEPARATOR.join(f"{kpi.title}: {RATING_LABELS[result.rating]}" for kpi, result in latest
                                         if result),
    }


def api_awards(awards: list) -> list[dict]:
    return [{
        "value": award.value,
        "awarded_on": award.awarded_on.isoformat(),
        "contract_starts": award.contract_starts_on.isoformat() if award.contract_starts_on else None,
        "contract_ends": award.contract_ends_on.isoformat() if award.contract_ends_on else None,
        "lot": award.lot_id,
        "suppliers": [{"name": s.name, "size": s.size, "sme": is_sme(s.size) if s.size else None, "vcse": s.is_vcse,
                       "region": s.region} for s in award.suppliers],
        "kpis": [{
            "title": kpi.title, "measure": kpi.measure, "unit": kpi.unit, "target": kpi.target,
            "frequency": kpi.frequency,
            "results": [{"period_start": r.period_start.isoformat(), "period_end": r.period_end.isoformat(),
                         "observed": r.observed, "rating": r.rating, "rating_note": r.rating_note or None,
                         "comment": r.comment} for r in kpi.results],
        } for kpi in award.kpis],
    } for award in awards]
