"""Turning stored values into the words people read. Registered as Jinja filters."""

import re
import unicodedata
from datetime import date

from portal import reference
from portal.bidding.facts import total_value
from portal.clock import london
from portal.markdown_render import render_markdown
from portal.models import OpportunityKind, Source, Stage, Status
from portal.places import authorities
from portal.plain.readability import about as about_reading_age

KIND_LABELS = {
    OpportunityKind.PROBLEM_STATEMENT: "Problem statement",
    OpportunityKind.INNOVATION_CHALLENGE: "Innovation challenge",
    OpportunityKind.PIPELINE_ITEM: "Planned purchase",
}
KIND_PLURALS = {
    OpportunityKind.PROBLEM_STATEMENT: "Problem statements",
    OpportunityKind.INNOVATION_CHALLENGE: "Innovation challenges",
    OpportunityKind.PIPELINE_ITEM: "Planned purchases (pipeline)",
}
STAGE_LABELS = {
    Stage.PIPELINE: "Planned",
    Stage.ENGAGEMENT: "Talking to the market",
    Stage.TENDER: "Open for bids",
    Stage.AWARDED: "Contract awarded",
    Stage.CANCELLED: "Cancelled",
}
STAGE_TAG_COLOURS = {
    Stage.PIPELINE: "govuk-tag--blue",
    Stage.ENGAGEMENT: "govuk-tag--green",
    Stage.TENDER: "govuk-tag--purple",
    Stage.AWARDED: "govuk-tag--grey",
    Stage.CANCELLED: "govuk-tag--red",
}
BUYER_TYPE_LABELS = {
    "london-borough": "London borough",
    "county-council": "County council",
    "unitary-authority": "Unitary council",
    "combined-authority": "Combined authority",
    "nhs-trust": "NHS trust",
    "central-department": "Government department",
}
SIZE_LABELS = {"micro": "Micro", "small": "Small", "medium": "Medium-sized", "large": "Large"}
LEGAL_FORM_LABELS = {
    "company": "Company",
    "community-interest-company": "Community interest company (CIC)",
    "charity": "Charity",
    "charitable-incorporated-organisation": "Charitable incorporated organisation (CIO)",
    "co-operative": "Co-operative",
    "mutual": "Mutual",
    "community-group": "Community or voluntary group",
    "sole-trader": "Sole trader",
    "other": "Other",
}
SOURCE_LABELS = {"portal": "this portal", "contracts-finder": "Contracts Finder", "find-a-tender": "Find a Tender",
                 "public-contracts-scotland": "Public Contracts Scotland", "sell2wales": "Sell2Wales",
                 "etenders-ni": "eTendersNI", "other": "another publisher"}
# Imported notices keep their own currency: never converted. Others are written "12,000 USD".
CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "US$"}


def publisher_label(opportunity) -> str:
    """Where an opportunity comes from: 'Sell2Wales', or an unknown publisher's own name."""
    if opportunity.source == "other" and getattr(opportunity, "source_name", None):
        return opportunity.source_name
    return SOURCE_LABELS.get(opportunity.source, opportunity.source)
EVENT_KIND_LABELS = {"webinar": "Online session", "in-person": "In-person session", "one-to-one": "One-to-one meeting"}
ROLE_HOMES = {  # where each kind of account starts, and what the menu calls it
    "supplier": ("dashboard.index", "Your dashboard"),
    "buyer": ("buyer.dashboard", "Your opportunities"),
    "admin": ("admin.index", "Administration"),
    "resident": ("voice.dashboard", "Your comments"),
}
QUARTER_MONTHS = {1: ("April", "June", 0), 2: ("July", "September", 0), 3: ("October", "December", 0), 4: ("January", "March", 1)}


def money(pounds: int, currency: str | None = None) -> str:
    """The one way money is written: '£50,000', '£1 million', '£1.5 million', '£1.05 million'. An amount of a
    million or more that is not a whole number of ten thousands is written in full ('£1,234,567'), so nothing is
    rounded away. In another currency: '€12,500' or '12,500 CHF' (None means pounds)."""
    currency = (currency or "GBP").upper()
    symbol = CURRENCY_SYMBOLS.get(currency)
    amount = f"{_millions(pounds)} million" if pounds >= 1_000_000 and pounds % 10_000 == 0 else f"{pounds:,}"
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"


def _millions(pounds: int) -> str:
    whole, rest = divmod(pounds, 1_000_000)
    return f"{whole:,}.{rest:06d}".rstrip("0").rstrip(".")


# "£2,000,000", "2000000", "2,000,000", "£2 million", "2.5m", "50k", "50 thousand", "£5,000,000.00". ASCII digits
# only (after NFKC, which turns full-width "５０" into "50"); no signs, exponents, ranges or other groupings.
_WRITTEN_POUNDS = re.compile(r"£?(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d{1,6}))?"
                             r"(?P<scale>k|thousand|m|million)?", re.ASCII)
_SCALES = {None: 1, "k": 1_000, "thousand": 1_000, "m": 1_000_000, "million": 1_000_000}


def parse_pounds(text: str) -> int | None:
    """An amount of money in whole pounds as people write it; None if it is not one. A fraction is pence (only
    ".00" is allowed) unless a scale follows: "1.2m" is £1,200,000 and "2.5k" £2,500, as long as that is whole pounds."""
    text = (text or "").strip()
    if len(text) > 40:
        return None
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
    match = _WRITTEN_POUNDS.fullmatch(compact) if len(compact) <= 30 else None
    if match is None:
        return None
    scale = _SCALES[match["scale"]]
    whole, fraction = int(match["whole"].replace(",", "")), match["fraction"] or ""
    if not match["scale"] and len(fraction) > 2:
        return None
    places = len(str(scale)) - 1
    if fraction[places:].strip("0"):
        return None  # pence, or a fraction of a pound
    return whole * scale + int(fraction[:places].ljust(places, "0") or 0)


def short_money(pounds: int) -> str:
    """A rounded amount in the same words as money(), for chart labels where the table beside them has the full
    figures: '£1.2 million' (to the nearest £100,000), '£450,000' (to the nearest £1,000)."""
    if pounds >= 950_000:
        return money(round(pounds / 100_000) * 100_000)
    if pounds >= 1_000:
        return money(round(pounds / 1_000) * 1_000)
    return money(pounds)


def _money_range(value_min: int | None, value_max: int | None, currency: str | None = None) -> str:
    if value_min == value_max or value_min is None or value_max is None:
        return money(value_max if value_max is not None else value_min, currency)
    return f"{money(value_min, currency)} to {money(value_max, currency)}"


def lower_first(label: str) -> str:
    """A label that starts a list or a sentence, used inside one: 'Under £100,000' -> 'under £100,000'."""
    return label[:1].lower() + label[1:]


def contract_length(months: int | None) -> str:
    """'3 years', '18 months', '1 month'; empty when not known."""
    if not months:
        return ""
    if months % 12 == 0:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{months} month{'s' if months != 1 else ''}"


def value_range(value_min: int | None, value_max: int | None, basis: str = "total", months: int | None = None,
                currency: str | None = None) -> str:
    """A value as every page, feed and file writes it: '£1 million to £2 million in total', or '£100,000 a year
    (£300,000 in total over 3 years)' when the range is per year and the contract's length is known."""
    if value_min is None and value_max is None:
        return "Not stated"
    stated = _money_range(value_min, value_max, currency)
    if basis != "per-year":
        return f"{stated} in total"
    if whole := total_value(value_min, value_max, basis, months):
        return f"{stated} a year ({_money_range(*whole, currency)} in total over {contract_length(months)})"
    return f"{stated} a year"


def opportunity_value(opportunity) -> str:
    """An opportunity's value, saying whether it is the total or per year (and then the total too)."""
    return value_range(opportunity.value_min, opportunity.value_max, opportunity.value_basis,
                       opportunity.contract_length_months, getattr(opportunity, "value_currency", None))


def kind_caption(opportunity) -> str:
    """What the item is and who it is from, to go before the buyer's name: 'Planned purchase from', or 'Contract
    awarded by' once a planned purchase (such as an imported award notice) has been awarded."""
    if opportunity.kind == OpportunityKind.PIPELINE_ITEM and opportunity.stage == Stage.AWARDED:
        return "Contract awarded by"
    return f"{KIND_LABELS.get(opportunity.kind, opportunity.kind)} from"


def closing_date_is_for_bids(opportunity) -> bool:
    """Whether the item's one closing date is the last day for bids rather than for engagement: while bids are open,
    and on every imported notice that is not a market engagement notice (its date is the tender's deadline)."""
    if opportunity.stage == Stage.TENDER:
        return True
    imported = opportunity.source not in (None, Source.PORTAL)
    return imported and opportunity.kind == OpportunityKind.PIPELINE_ITEM


def goes_to_market_yet(opportunity) -> bool:
    """Whether 'goes to market' is still a plan: not once bids are invited, a contract awarded or the item stopped."""
    return opportunity.stage in (Stage.PIPELINE, Stage.ENGAGEMENT) and opportunity.status != Status.WITHDRAWN


def closing_subject(opportunity) -> str:
    """What the closing date closes: 'Bidding' or 'Engagement' ('Bidding closes in 3 days')."""
    return "Bidding" if closing_date_is_for_bids(opportunity) else "Engagement"


def long_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


_MONTHS = {name.lower(): number for number, name in enumerate(
    ("January February March April May June July August September October November December").split(), start=1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())} | {"sept": 9})
_DAY_FIRST = re.compile(r"(?P<day>\d{1,2})(?:\s*[/.\-]\s*|\s+)(?P<month>\d{1,2}|[a-z]+)(?:\s*[/.\-]\s*|\s+)(?P<year>\d{4})",
                        re.ASCII)
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})", re.ASCII)


def parse_date(text: str) -> date | None:
    """A date as people in the UK write it: "31 March 2027", "31 Mar 2027", "31/3/2027", "31 3 2027" or
    "2027-03-31" (what a browser's date box sends). None if it is not a real date or the year has no century."""
    text = unicodedata.normalize("NFKC", (text or "").strip()).lower().replace(",", " ")
    match = None if len(text) > 40 else (_ISO.fullmatch(text) or _DAY_FIRST.fullmatch(text))
    if match is None:
        return None
    month = match["month"]
    month = int(month) if month.isdigit() else _MONTHS.get(month)
    try:
        return date(int(match["year"]), month, int(match["day"])) if month else None
    except ValueError:
        return None


def financial_year(start_year: int | None) -> str:
    return f"April {start_year} to March {start_year + 1}" if start_year else ""


def market_quarter(start_year: int | None, quarter: int | None) -> str:
    """'October to December 2027' for quarter 3 of the financial year 2027 to 2028."""
    if not start_year or not quarter:
        return "Not decided yet"
    first, last, offset = QUARTER_MONTHS[quarter]
    return f"{first} to {last} {start_year + offset}"


def days_until(day: date, today: date) -> str:
    days = (day - today).days
    if days < 0:
        return "closed"
    if days == 0:
        return "closes today"
    return "closes tomorrow" if days == 1 else f"closes in {days} days"


def _clock_time(moment) -> str:
    text = f"{moment.hour % 12 or 12}{':%02d' % moment.minute if moment.minute else ''}{'am' if moment.hour < 12 else 'pm'}"
    return {"12pm": "midday", "12am": "midnight"}.get(text, text)


def london_date(moment) -> str:
    """'14 July 2026': the UK date of a stored moment (stored times are UTC, so their own date can be a day out)."""
    return long_date(london(moment).date()) if moment else ""


def london_time(moment) -> str:
    """'Tuesday 8 December 2026, 10am' in UK time."""
    local = london(moment)
    return f"{local:%A} {local.day} {local:%B %Y}, {_clock_time(local)}"


def time_span(starts, ends) -> str:
    """'Tuesday 8 December 2026, 10am to 11:30am' in UK time."""
    start, end = london(starts), london(ends)
    if start.date() == end.date():
        return f"{london_time(starts)} to {_clock_time(end)}"
    return f"{london_time(starts)} to {london_time(ends)}"


def clock_times(starts, ends) -> str:
    """'10am to 10:30am' in UK time, for lists that already say the day."""
    return f"{_clock_time(london(starts))} to {_clock_time(london(ends))}"


def reading_age(opportunity) -> str:
    """'about 12': the reading age of what the public reads (summary, why and the brief), as stored when it was
    last saved (see services/reading_age)."""
    return about_reading_age(opportunity.reading_age) or "too short to score"


def organisation_size(size: str | None) -> str:
    return SIZE_LABELS.get(size, size) if size else "Size not given"


def legal_form(form: str | None) -> str:
    return LEGAL_FORM_LABELS.get(form, form) if form else "Type not given"


def spreadsheet_time(moment) -> str:
    """'2026-11-22 14:05' in UK time: a date and time Excel and LibreOffice both read as one."""
    return f"{london(moment):%Y-%m-%d %H:%M}"


def cpv_label(code: str) -> str:
    found = reference.cpv(code)
    return found.label if found else code


def register(app) -> None:
    app.jinja_env.filters.update(
        markdown=render_markdown,
        money=money,
        short_money=short_money,
        long_date=long_date,
        financial_year=financial_year,
        cpv_label=cpv_label,
        region_name=reference.region_name,
        council_area=authorities.name_of,
        kind_label=lambda kind: KIND_LABELS.get(kind, kind),
        stage_label=lambda stage: STAGE_LABELS.get(stage, stage),
        stage_colour=lambda stage: STAGE_TAG_COLOURS.get(stage, ""),
        buyer_type=lambda value: BUYER_TYPE_LABELS.get(value, value),
        organisation_size=organisation_size,
        legal_form=legal_form,
        london_time=london_time,
        london_date=london_date,
        event_kind=lambda value: EVENT_KIND_LABELS.get(value, value),
        source_label=lambda value: SOURCE_LABELS.get(value, value),
        publisher_label=publisher_label,
    )
    app.jinja_env.globals.update(kind_caption=kind_caption, closing_subject=closing_subject, goes_to_market_yet=goes_to_market_yet, value_range=value_range, opportunity_value=opportunity_value, contract_length=contract_length, market_quarter=market_quarter, days_until=days_until,
                                 time_span=time_span, reading_age=reading_age,
                                 role_home=lambda role: ROLE_HOMES.get(role, ROLE_HOMES["supplier"]))
