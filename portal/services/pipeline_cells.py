"""Checking one cell of an uploaded pipeline CSV: each function returns the clean value or raises CellError
with a message a buyer can act on."""

import re
from functools import cache

from portal import reference
from portal.bidding.vocabulary import RESERVED_LABELS
from portal.models import MAX_POUNDS, Stage
from portal.presenters import parse_pounds

MAX_MONEY = MAX_POUNDS

STATUSES = {
    "planned": Stage.PIPELINE,
    "in engagement": Stage.ENGAGEMENT,
    "going to tender": Stage.TENDER,
    "awarded": Stage.AWARDED,
    "cancelled": Stage.CANCELLED,
}


class CellError(ValueError):
    """A cell's value breaks a rule; the message says what to enter instead."""



def item_reference(text: str) -> str:
    return text.strip().lower()


def line(text: str, label: str, limit: int) -> str:
    text = " ".join(text.split())
    if label and not text:
        raise CellError(f"enter a {label}")
    if len(text) > limit:
        raise CellError(f"must be {limit} characters or fewer (it has {len(text)})")
    return text


def summary(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise CellError("enter a summary of up to 50 words")
    words = len(text.split())
    if words > 50:
        raise CellError(f"must be 50 words or fewer (it has {words})")
    if len(text) > 600:
        raise CellError(f"must be 600 characters or fewer (it has {len(text)})")
    return text


def quarter(text: str) -> int:
    match = re.fullmatch(r"[qQ]?\s*([1-4])", text)
    if not match:
        raise CellError("enter 1, 2, 3 or 4 (1 is April to June, 4 is January to March)")
    return int(match[1])


def money(text: str) -> int | None:
    if not text:
        return None
    value = parse_pounds(text)
    if value is None:
        raise CellError("enter an amount in whole pounds, like 250000, £250,000 or 250k")
    if value > MAX_MONEY:
        raise CellError(f"enter an amount no more than £{MAX_MONEY:,}")
    return value


def months(text: str) -> int | None:
    if not text:
        return None
    if not re.fullmatch(r"\d+", text) or not 1 <= int(text) <= 600:
        raise CellError("enter a whole number of months from 1 to 600, like 24")
    return int(text)


def stage(text: str) -> str:
    stage = STATUSES.get(" ".join(text.lower().split()))
    if stage is None:
        raise CellError(f"enter one of: {', '.join(STATUSES)}")
    return stage


def cpv(text: str) -> str:
    if not text:
        raise CellError("enter the CPV code for what you are buying, like 85311000-2")
    match = re.fullmatch(r"(\d{7,8})(?:\s*-\s*(\d))?", text)
    if not match:
        raise CellError(f"\u201c{text}\u201d is not a CPV code. Enter 8 digits, like 85311000 or 85311000-2")
    # Spreadsheets drop the leading zero of codes such as 03000000, and every CPV code has 8 digits.
    digits = match[1].zfill(8)
    code = cpv_prefixes().get(digits)
    if code is None:
        raise CellError(f"\u201c{text}\u201d is not a CPV 2008 code. Find the right code in the CPV list, "
                        "like 85311000-2")
    if match[2] is not None and code != f"{digits}-{match[2]}":
        raise CellError(f"\u201c{text}\u201d has the wrong check digit. Did you mean {code}?")
    return code


@cache
def cpv_prefixes() -> dict[str, str]:
    return {code[:8]: code for code in reference.cpv_codes()}


def regions(text: str) -> tuple[str, ...]:
    names = split(text)
    if not names:
        raise CellError("enter at least one region, like London or TLI")
    lookup = region_lookup()
    unknown = [name for name in names if name.casefold() not in lookup]
    if unknown:
        quoted = ", ".join(f"\u201c{name}\u201d" for name in unknown)
        raise CellError(f"{quoted} {'is not a UK region' if len(unknown) == 1 else 'are not UK regions'}. "
                        "Use region names like London or North West, or ITL1 codes like TLI")
    return tuple(sorted({lookup[name.casefold()] for name in names}))


@cache
def region_lookup() -> dict[str, str]:
    found = {}
    for region in reference.regions().values():
        found[region.code.casefold()] = found[region.nuts_code.casefold()] = region.code
        found[region.name.casefold()] = region.code
    return found


def yes_no(text: str) -> bool:
    answer = text.lower()
    if answer in ("yes", "y", "true"):
        return True
    if answer in ("no", "n", "false"):
        return False
    raise CellError("enter yes or no")


def value_basis(text: str) -> str:
    basis = VALUE_BASES.get(" ".join(text.lower().replace("-", " ").split()))
    if basis is None:
        raise CellError("enter total or per year (leave it blank for total)")
    return basis


VALUE_BASES = {"": "total", "total": "total", "in total": "total", "per year": "per-year", "a year": "per-year",
               "each year": "per-year"}


def maybe_yes_no(text: str) -> bool | None:
    return yes_no(text) if text else None


def payment_days(text: str) -> int | None:
    if not text:
        return None
    if not re.fullmatch(r"\d+", text) or int(text) > 120:
        raise CellError("enter a whole number of days from 0 to 120, like 30")
    return int(text)


def reserved_for(text: str) -> list[str]:
    wanted = [part.lower().replace(" ", "-") for part in split(text)]
    unknown = [part for part in wanted if part not in RESERVED_LABELS]
    if unknown:
        quoted = ", ".join(f"\u201c{part}\u201d" for part in unknown)
        raise CellError(f"{quoted} {'is' if len(unknown) == 1 else 'are'} not something a contract can be reserved "
                        f"for. Use {', '.join(RESERVED_LABELS)}, separated by semicolons")
    return list(dict.fromkeys(wanted))


def split(text: str) -> list[str]:
    # Semicolons are documented; commas are accepted too, as no region name or mission reference contains one.
    return [" ".join(part.split()) for part in re.split(r"[;,]", text) if part.strip()]


def financial_year_name(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


# Saving
