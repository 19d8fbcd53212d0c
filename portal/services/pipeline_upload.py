"""Buyers add to and update their commercial pipeline by uploading a CSV file.

Every row is checked before anything is written, and every problem is reported with its row and column,
so a buyer can fix the whole file in one go. A file with any problem writes nothing; a good file is saved in
one transaction and the search index is updated after the commit.
"""

import copy
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy.exc import IntegrityError
from pydantic import ValidationError
from sqlmodel import Session, col, select

from portal import clock
from portal.bidding.facts import BidFacts
from portal.bidding.vocabulary import ValueBasis
from portal.published_dates import mark_published
from portal.search import SearchIndex
from portal.models import (
    Mission,
    Opportunity,
    OpportunityKind,
    OpportunityRegion,
    Organisation,
    OrganisationKind,
    Source,
    Status,
    utcnow,
)
from portal.services.indexing import sync_opportunities
from portal.services.pipeline import YEARS_AHEAD, financial_year_of
from portal.services import pipeline_cells as checks
from portal.services.publishing import tell_followers_of_changes
from portal.security.text import has_control_characters
from portal.slugs import unique_slug

MAX_BYTES = 1024 * 1024
MAX_ROWS = 1000
COLUMNS = {
    "reference": "Optional. To update one of your pipeline items, its reference (the last part of its web address). "
                 "Leave blank to add a new item.",
    "title": "Required. What you plan to buy, in plain English, up to 200 characters.",
    "summary": "Required. One or two sentences saying what and why, up to 50 words.",
    "financial_year": "Required. The financial year you expect to go to market, like 2027-28 (April 2027 to March "
                      "2028): this one or the next two.",
    "quarter": "Required. The quarter of that year: 1 (April to June), 2 (July to September), 3 (October to December) "
               "or 4 (January to March).",
    "value_min": "Optional. The lowest value you expect, in whole pounds, like 250000, £250,000 or 250k: for the whole "
                 "contract, or for each year if value_basis says per year.",
    "value_max": "Optional. The highest total value you expect, in whole pounds. Leave both values blank if you "
                 "cannot say yet.",
    "contract_length_months": "Optional. How long the contract will last, in months, from 1 to 600.",
    "likely_route": "Optional. How you expect to buy it, like \"open procedure\" or \"a framework\", up to 200 "
                    "characters.",
    "status": "Required. One of: planned, in engagement, going to tender, awarded, cancelled.",
    "cpv": "Required. The CPV code for what you are buying, like 85311000-2 (the check digit after the dash is "
           "optional).",
    "regions": "Required. Where the work will be done: region names or ITL1 codes, separated by semicolons, like "
               "London; South East.",
    "missions": "Optional. The missions this purchase serves, by their reference, separated by semicolons, like "
                "net-zero; healthier-lives.",
    "suitable_for_sme": "Required. yes or no: could a small or medium-sized business deliver it?",
    "suitable_for_vcse": "Required. yes or no: could a charity or social enterprise deliver it?",
}

# "Can we bid?" facts that fit in one cell. A file may leave any of these columns out: the item keeps what it had.
# A blank cell in a column that is there clears the fact.
OPTIONAL_COLUMNS = {
    "value_basis": "Optional column. total if the values are for the whole contract, or per year if they are for "
                   "each year. Blank means total.",
    "min_turnover": "Optional column. The lowest yearly turnover a supplier needs, in whole pounds, like 100000. "
                    "Blank if you will not ask.",
    "consortia_welcome": "Optional column. yes or no: can organisations bid together, as a group? Blank if not "
                         "decided.",
    "payment_days": "Optional column. The number of days within which you pay invoices, from 0 to 120, like 30.",
    "reserved_for": "Optional column. Who the contract is reserved for, if anyone, separated by semicolons: vcse, "
                    "sme-or-vcse, supported-employment or public-service-mutual.",
}
# Where each optional column's value sits in BidFacts.to_json().
FACT_COLUMNS = {"min_turnover": ("conditions", "min_turnover"), "consortia_welcome": ("conditions", "consortia_welcome"),
                "payment_days": ("terms", "payment_days"), "reserved_for": ("terms", "reserved_for")}


@dataclass(frozen=True)
class PipelineRow:
    """One checked row, in the form the database stores it."""
    row_number: int  # as a spreadsheet numbers it: the header is row 1
    reference: str | None
    title: str
    summary: str
    market_year: int
    market_quarter: int
    value_min: int | None
    value_max: int | None
    contract_length_months: int | None
    likely_route: str
    stage: str
    cpv_code: str
    regions: tuple[str, ...]
    missions: tuple[str, ...]
    suitable_for_sme: bool
    suitable_for_vcse: bool
    value_basis: str | None = None  # None when the file has no value_basis column
    facts: dict = field(default_factory=dict)  # the optional fact columns the file has, blank ones as None


@dataclass
class UploadResult:
    rows: list[PipelineRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0  # rows naming an existing item whose values were already the same
    opportunity_ids: list[int] = field(default_factory=list)  # every item created or updated, in file order

    @property
    def ok(self) -> bool:
        return not self.errors


class _ChangedMeanwhile(Exception):
    pass


def parse_and_validate(session: Session, buyer: Organisation, data: bytes, today: date | None = None) -> UploadResult:
    """Check an uploaded file for `buyer`. Returns the checked rows, or every problem found. Writes nothing."""
    today = today or clock.today()
    if buyer.kind != OrganisationKind.BUYER:
        return UploadResult(errors=["Only buyers can upload a pipeline."])
    records, errors = _read_records(data)
    if errors:
        return UploadResult(errors=errors)
    header, body = records[0], records[1:]
    columns, errors = _read_header(header)
    if errors:
        return UploadResult(errors=errors)
    numbered = [(number, cells) for number, cells in enumerate(body, start=2) if any(c.strip() for c in cells)]
    if not numbered:
        return UploadResult(errors=["The file has no rows under the header. Add one row for each planned purchase."])
    if len(numbered) > MAX_ROWS:
        return UploadResult(errors=[f"The file has {len(numbered):,} rows. Upload at most {MAX_ROWS:,} rows at a "
                                    "time, by splitting it into smaller files."])

    where = columns["reference"]
    checker = _RowChecker(session, buyer, today, [cells[where] if where < len(cells) else "" for _, cells in numbered])
    result = UploadResult()
    for number, cells in numbered:
        row, row_errors = checker.check(number, cells, columns)
        result.errors.extend(f"Row {number}, {column}: {message}" if column else f"Row {number}: {message}"
                             for column, message in row_errors)
        if row is not None:
            result.rows.append(row)
    if result.errors:
        result.rows = []
    return result


def apply_upload(session: Session, index: SearchIndex, buyer: Organisation, data: bytes, today: date | None = None,
                 ocid_prefix: str | None = None) -> UploadResult:
    """Check the file; if it is all good, save every row in one transaction, then update the search index.

    New items are published straight away. Updated items keep their reference, web address and status.
    With any problem, nothing is written and the result lists every problem.
    """
    today = today or clock.today()
    ocid_prefix = ocid_prefix or current_app.config["OCID_PREFIX"]
    result = parse_and_validate(session, buyer, data, today)
    if result.errors:
        return result
    references = {row.reference for row in result.rows if row.reference}
    try:
        existing = _buyer_items(session, buyer, references)
        if existing.keys() != references:
            raise _ChangedMeanwhile
        wanted = {slug for row in result.rows for slug in row.missions}
        missions = {m.slug: m for m in session.exec(select(Mission).where(col(Mission.slug).in_(wanted)))}
        saved, taken_slugs = [], set()
        for row in result.rows:
            if row.reference:
                opportunity = existing[row.reference]
                if _fill(opportunity, row, missions):
                    tell_followers_of_changes(session, opportunity)
                    opportunity.updated_at = utcnow()
                    result.updated += 1
                else:
                    result.unchanged += 1
            else:
                slug = _free_slug(session, row.title, ocid_prefix, taken_slugs)
                taken_slugs.add(slug)
                opportunity = Opportunity(
                    slug=slug, ocid=f"{ocid_prefix}-{slug}", kind=OpportunityKind.PIPELINE_ITEM, buyer_id=buyer.id,
                    status=Status.PUBLISHED, source=Source.PORTAL,
                )
                mark_published(opportunity, utcnow(), today)
                _fill(opportunity, row, missions)
                session.add(opportunity)
                result.created += 1
            saved.append(opportunity)
        session.commit()
    except (IntegrityError, _ChangedMeanwhile):
        # Someone else saved a clashing item, or removed one, between our checks and our commit.
        session.rollback()
        return UploadResult(errors=["Someone else changed your pipeline while the file was being saved. Nothing "
                                    "was saved. Upload the file again."])
    except Exception:
        session.rollback()
        raise
    result.opportunity_ids = [o.id for o in saved]
    sync_opportunities(session, index, result.opportunity_ids)  # logs and carries on if the index fails
    return result


# Reading the file

def _read_records(data: bytes) -> tuple[list[list[str]], list[str]]:
    if len(data) > MAX_BYTES:
        return [], [f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB. Upload at most {MAX_ROWS:,} rows "
                    "at a time."]
    if not data.strip():
        return [], ["The file is empty. Download the example file, add your rows and upload it again."]
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # .xlsx and old .xls workbooks
        return [], ["The file is a spreadsheet workbook, not a CSV file. In your spreadsheet, choose Save as, "
                    "then \u201cCSV UTF-8 (comma delimited)\u201d, and upload that file."]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], ["The file is not saved as UTF-8 text. In your spreadsheet, choose Save as, then "
                    "\u201cCSV UTF-8 (comma delimited)\u201d, and upload that file."]
    if has_control_characters(text):
        return [], ["The file holds control characters, which are not text, so it is not a CSV file saved from a "
                    "spreadsheet. Save it again as \u201cCSV UTF-8 (comma delimited)\u201d and upload that file."]
    records = []
    try:
        records.extend(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return [], [f"The file is not a valid CSV file: row {len(records) + 1} could not be read. Check that every "
                    "quotation mark is closed and no cell is very long."]
    return records, []


def _column_name(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def _read_header(header: list[str]) -> tuple[dict[str, int], list[str]]:
    names = [_column_name(cell) for cell in header]
    if len(names) == 1 and re.search(r"[;\t]", header[0]):
        return {}, ["The columns must be separated by commas. Save the file as \u201cCSV UTF-8 (comma "
                    "delimited)\u201d and upload it again."]
    columns = {}
    for position, name in enumerate(names):
        if name and name not in columns:
            columns[name] = position
    missing = [name for name in COLUMNS if name not in columns]
    unknown = [cell.strip() or "(a blank heading)" for cell, name in zip(header, names, strict=True)
               if name not in COLUMNS and name not in OPTIONAL_COLUMNS]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    errors = []
    if missing or unknown:
        parts = [f"{label}{'s' if len(found) > 1 else ''}: {', '.join(found)}"
                 for label, found in (("missing column", missing), ("unknown column", unknown)) if found]
        errors.append(f"The first row must name these columns: {', '.join(COLUMNS)}, and may name these: "
                      f"{', '.join(OPTIONAL_COLUMNS)}. This file has {' and '.join(parts)}.")
    if repeated:
        errors.append(f"Each column must appear once in the first row. This file repeats: {', '.join(repeated)}.")
    return columns, errors


# Checking each row

class _RowChecker:
    def __init__(self, session: Session, buyer: Organisation, today: date, references: list[str]):
        self.first_year = financial_year_of(today)
        wanted = {checks.item_reference(text) for text in references} - {""}
        self.own_items = set(_buyer_items(session, buyer, wanted))
        self.missions = set(session.exec(select(Mission.slug)).all())
        self.seen_references: dict[str, int] = {}
        self.checks = {
            "reference": self._own_reference,
            "title": lambda text: checks.line(text, "title", 200),
            "summary": checks.summary,
            "financial_year": self._financial_year,
            "quarter": checks.quarter,
            "value_min": checks.money,
            "value_max": checks.money,
            "contract_length_months": checks.months,
            "likely_route": lambda text: checks.line(text, "", 200),
            "status": checks.stage,
            "cpv": checks.cpv,
            "regions": checks.regions,
            "missions": self._missions,
            "suitable_for_sme": checks.yes_no,
            "suitable_for_vcse": checks.yes_no,
        }
        self.optional_checks = {
            "value_basis": checks.value_basis,
            "min_turnover": checks.money,
            "consortia_welcome": checks.maybe_yes_no,
            "payment_days": checks.payment_days,
            "reserved_for": checks.reserved_for,
        }

    def check(self, number: int, cells: list[str], columns: dict[str, int]) -> tuple[PipelineRow | None, list]:
        errors = []
        extra = [c for c in cells[len(columns):] if c.strip()] if len(cells) > len(columns) else []
        if extra:
            errors.append((None, f"has {len(cells)} cells but the first row names only {len(columns)} columns. "
                                 "Check for a stray comma."))
        cell = {name: (cells[position] if position < len(cells) else "").strip() for name, position in columns.items()}
        values = {}
        for name, check in self.checks.items():
            try:
                values[name] = check(cell[name])
            except checks.CellError as error:
                errors.append((name, str(error)))
        for name, check in self.optional_checks.items():
            if name in cell:
                try:
                    values[name] = check(cell[name])
                except checks.CellError as error:
                    errors.append((name, str(error)))
        low, high = values.get("value_min"), values.get("value_max")
        if low is not None and high is not None and low > high:
            errors.append(("value_min", f"must not be more than value_max (£{high:,})"))
        if values.get("value_basis") == ValueBasis.PER_YEAR and low is None and high is None \
                and "value_min" not in dict(errors) and "value_max" not in dict(errors):
            errors.append(("value_basis", "give value_min or value_max before saying the value is per year"))
        facts = {name: values[name] for name in FACT_COLUMNS if name in values}
        errors += _fact_problems(facts)
        reference = values.get("reference")
        if reference:
            if reference in self.seen_references:
                errors.append(("reference", f"\u201c{reference}\u201d is already used in row "
                                            f"{self.seen_references[reference]}; each item can appear only once"))
            else:
                self.seen_references[reference] = number
        if errors:
            return None, errors
        return PipelineRow(
            row_number=number, reference=reference or None, title=values["title"], summary=values["summary"],
            market_year=values["financial_year"], market_quarter=values["quarter"], value_min=low, value_max=high,
            contract_length_months=values["contract_length_months"], likely_route=values["likely_route"],
            stage=values["status"], cpv_code=values["cpv"], regions=values["regions"], missions=values["missions"],
            suitable_for_sme=values["suitable_for_sme"], suitable_for_vcse=values["suitable_for_vcse"],
            value_basis=values.get("value_basis"), facts=facts,
        ), []

    def _own_reference(self, text: str) -> str:
        reference = checks.item_reference(text)
        # The same answer whether the item belongs to another buyer or does not exist at all.
        if reference and reference not in self.own_items:
            raise checks.CellError(f"you have no pipeline item with the reference \u201c{text}\u201d. Leave it blank "
                            "to add a new item")
        return reference

    def _financial_year(self, text: str) -> int:
        if not text:
            raise checks.CellError("enter the financial year you expect to go to market, like 2027-28")
        match = re.fullmatch(r"(\d{4})\s*[-/\u2013]\s*(\d{2}|\d{4})", text)
        if not match or int(match[2]) != (int(match[1]) + 1) % (100 if len(match[2]) == 2 else 10_000):
            raise checks.CellError("enter a financial year like 2027-28 (April 2027 to March 2028)")
        year = int(match[1])
        allowed = [self.first_year + n for n in range(YEARS_AHEAD)]
        if year not in allowed:
            names = [checks.financial_year_name(y) for y in allowed]
            raise checks.CellError(f"must be {', '.join(names[:-1])} or {names[-1]}: the pipeline shows this financial "
                            "year and the next two")
        return year

    def _missions(self, text: str) -> tuple[str, ...]:
        slugs = checks.split(text.lower())
        unknown = [slug for slug in slugs if slug not in self.missions]
        if unknown:
            quoted = ", ".join(f"\u201c{slug}\u201d" for slug in unknown)
            raise checks.CellError(f"no mission with the reference {quoted}. Leave it blank or use references from the "
                            "missions page")
        return tuple(sorted(set(slugs)))


def _merged_facts(stored: dict, facts: dict) -> dict:
    """An item's stored facts with the row's fact columns put in (a None value removes the fact)."""
    merged = copy.deepcopy(stored or {})
    for name, value in facts.items():
        section, key = FACT_COLUMNS[name]
        part = merged.setdefault(section, {})
        if value is None or value == []:
            part.pop(key, None)
        else:
            part[key] = value
    return merged


def _fact_problems(facts: dict) -> list[tuple[str, str]]:
    """The fact columns checked by BidFacts, the rules every way in shares."""
    try:
        BidFacts.model_validate(_merged_facts({}, facts))
    except ValidationError as error:
        by_place = {place: name for name, place in FACT_COLUMNS.items()}
        return [(by_place.get(tuple(problem["loc"][:2])), problem["msg"].removeprefix("Value error, "))
                for problem in error.errors()]
    return []


def _buyer_items(session: Session, buyer: Organisation, slugs: set[str]) -> dict[str, Opportunity]:
    """The buyer's own pipeline items with these slugs. Another buyer's items, and imported notices, never match."""
    if not slugs:
        return {}
    found = session.exec(select(Opportunity).where(
        Opportunity.buyer_id == buyer.id, Opportunity.kind == OpportunityKind.PIPELINE_ITEM,
        Opportunity.source == Source.PORTAL, col(Opportunity.slug).in_(slugs),
    )).all()
    return {o.slug: o for o in found}


def _fill(opportunity: Opportunity, row: PipelineRow, missions: dict[str, Mission]) -> bool:
    """Set the row's values on the item. True if anything changed."""
    changed = False
    for name, value in dict(
        title=row.title, summary=row.summary, market_year=row.market_year, market_quarter=row.market_quarter,
        value_min=row.value_min, value_max=row.value_max, contract_length_months=row.contract_length_months,
        likely_route=row.likely_route, stage=row.stage, cpv_code=row.cpv_code,
        suitable_for_sme=row.suitable_for_sme, suitable_for_vcse=row.suitable_for_vcse,
    ).items():
        if getattr(opportunity, name) != value:
            setattr(opportunity, name, value)
            changed = True
    if {r.region_code for r in opportunity.regions} != set(row.regions):
        kept = [r for r in opportunity.regions if r.region_code in row.regions]
        have = {r.region_code for r in kept}
        opportunity.regions = kept + [OpportunityRegion(region_code=code) for code in row.regions if code not in have]
        changed = True
    if {m.slug for m in opportunity.missions} != set(row.missions):
        opportunity.missions = [missions[slug] for slug in row.missions]
        # An outcome only makes sense alongside its own mission.
        mission_ids = {m.id for m in opportunity.missions}
        opportunity.outcomes = [o for o in opportunity.outcomes if o.mission_id in mission_ids]
        changed = True
    if row.value_basis is not None and opportunity.value_basis != row.value_basis:
        opportunity.value_basis = row.value_basis
        changed = True
    if row.facts:
        facts = BidFacts.model_validate(_merged_facts(opportunity.bid_facts, row.facts)).to_json()
        if facts != (opportunity.bid_facts or {}):
            opportunity.bid_facts = facts  # a new value, so followers can be told what changed
            changed = True
    return changed


def _free_slug(session: Session, title: str, ocid_prefix: str, taken: set[str]) -> str:
    def ocid_used(slug: str) -> bool:
        return session.exec(select(Opportunity.id).where(Opportunity.ocid == f"{ocid_prefix}-{slug}")).first() is not None
    return unique_slug(session, Opportunity, title, "pipeline-item", taken, ocid_used)
