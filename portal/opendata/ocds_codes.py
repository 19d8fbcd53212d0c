"""CPV codes and places in OCDS notices, turned into our CPV 2008 codes and ITL1 regions."""

import re
from functools import cache

from portal import reference

_CPV = re.compile(r"^\s*(\d{8})(?:-\d)?\s*$")
_UK_CODE = re.compile(r"^(?:UK|TL)([C-N])[0-9A-Z]*$")  # NUTS (UKI3) or ITL (TLI3), any level below the UK
WHOLE_UK = {"uk", "gb", "tl", "united kingdom", "great britain and northern ireland"}


@cache
def _codes_by_digits() -> dict[str, str]:
    return {code[:8]: code for code in reference.cpv_codes()}


def cpv_code(value) -> str | None:
    """'85311000' or '85311000-2' as '85311000-2'. A code missing from CPV 2008 falls back to its nearest
    parent (class, group, then division); None when not even the division is known."""
    match = _CPV.match(value) if isinstance(value, str) else None
    if not match:
        return None
    digits, known = match.group(1), _codes_by_digits()
    for kept in range(8, 1, -1):
        found = known.get(digits[:kept] + "0" * (8 - kept))
        if found:
            return found
    return None


def first_cpv_code(classifications) -> str:
    """The first classification with the CPV scheme that we know, or ''."""
    for classification in classifications:
        if isinstance(classification, dict) and str(classification.get("scheme", "")).strip().upper() == "CPV":
            code = cpv_code(classification.get("id"))
            if code:
                return code
    return ""


@cache
def _regions_by_name() -> dict[str, tuple[str, ...]]:
    regions = reference.regions().values()
    by_name = {region.name.casefold(): (region.code,) for region in regions}
    england = tuple(sorted(region.code for region in regions if region.nuts_code < "UKL"))
    every_region = tuple(sorted(region.code for region in regions))
    return by_name | {"england": england} | dict.fromkeys(WHOLE_UK, every_region)


def whole_uk_regions() -> set[str]:
    return set(_regions_by_name()["uk"])


def regions_for(place) -> tuple[str, ...]:
    """ITL1 codes for a NUTS or ITL code ('UKI32', 'TLI'), a region or nation name ('London', 'England'),
    or the whole UK ('UK', 'United Kingdom'). Anything else gives none."""
    if not isinstance(place, str) or not place.strip():
        return ()
    text = place.strip()
    match = _UK_CODE.match(text.upper()) if " " not in text else None
    if match and f"TL{match.group(1)}" in reference.regions():
        return (f"TL{match.group(1)}",)
    return _regions_by_name().get(" ".join(text.split()).casefold(), ())
