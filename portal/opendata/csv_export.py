"""The opportunities spreadsheet (CSV): one row per opportunity, safe to open in a spreadsheet program."""

import csv
import io
from collections.abc import Iterable

from portal import reference
from portal.clock import as_utc
from portal.models import Opportunity
from portal.opendata import award_data, bid_data
from portal.opendata.market_dates import financial_year_quarter
from portal.presenters import cpv_label
from portal.security.text import without_controls

# The /data page documents each column; keep the two in step.
COLUMNS = [
    "ocid", "slug", "url", "kind", "title", "summary", "buyer", "missions", "regions", "cpv_code", "cpv_label",
    "value_min", "value_max", "value_stated", "published", "engagement_closes", "approach_to_market", "stage",
    "suitable_for_sme", "suitable_for_vcse", "updated", *bid_data.CSV_COLUMNS, *award_data.CSV_COLUMNS,
]
# A spreadsheet program may run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def safe_cell(value) -> str:
    """The cell as text, with a single quote in front if a spreadsheet could read it as a formula."""
    text = without_controls("" if value is None else str(value))
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def row(opportunity: Opportunity, url: str, awards: list = ()) -> dict[str, object]:
    """One row. The opportunity's buyer, missions and regions must be loaded; `awards` with suppliers, KPIs and
    results."""
    stated = opportunity.value_min is not None or opportunity.value_max is not None
    return {
        "ocid": opportunity.ocid,
        "slug": opportunity.slug,
        "url": url,
        "kind": opportunity.kind,
        "title": opportunity.title,
        "summary": opportunity.summary,
        "buyer": opportunity.buyer.name,
        "missions": LIST_SEPARATOR.join(m.short_title for m in opportunity.missions),
        "regions": LIST_SEPARATOR.join(reference.region_name(code) for code in opportunity.region_codes),
        "cpv_code": opportunity.cpv_code,
        "cpv_label": cpv_label(opportunity.cpv_code),
        "value_min": opportunity.value_min,
        "value_max": opportunity.value_max,
        "value_stated": yes_no(stated),
        "published": opportunity.published_on.isoformat() if opportunity.published_on else "",
        "engagement_closes": opportunity.engagement_closes_on.isoformat() if opportunity.engagement_closes_on else "",
        "approach_to_market": financial_year_quarter(opportunity.market_year, opportunity.market_quarter),
        "stage": opportunity.stage,
        "suitable_for_sme": yes_no(opportunity.suitable_for_sme),
        "suitable_for_vcse": yes_no(opportunity.suitable_for_vcse),
        "updated": as_utc(opportunity.updated_at).isoformat(timespec="seconds").replace("+00:00", "Z"),
    } | bid_data.csv_cells(opportunity) | award_data.csv_cells(list(awards))


def write_csv(rows: Iterable[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for values in rows:
        writer.writerow([safe_cell(values[name]) for name in COLUMNS])
    return buffer.getvalue()
