"""Reference data shipped with the portal: CPV codes and ITL1 regions."""

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class CpvCode:
    code: str  # "85311000-2"
    label: str
    division: str  # "85"


@dataclass(frozen=True)
class Region:
    code: str  # ITL1, "TLI"
    nuts_code: str  # "UKI"
    name: str


def _rows(filename: str):
    with resources.files("portal.reference_data").joinpath(filename).open(encoding="utf-8") as f:
        yield from csv.DictReader(f)


@cache
def cpv_codes() -> dict[str, CpvCode]:
    return {
        row["code"]: CpvCode(row["code"], row["label_en"], row["division"])
        for row in _rows("cpv2008_en.csv")
    }


@cache
def regions() -> dict[str, Region]:
    return {
        row["itl1_code"]: Region(row["itl1_code"], row["nuts1_code"], row["name"])
        for row in _rows("uk_nuts1_itl1.csv")
    }


@cache
def cpv_divisions() -> dict[str, str]:
    """Two-digit CPV divisions and their labels, such as '85': 'Health and social work services'."""
    return {c.division: c.label for c in cpv_codes().values() if c.code[2:8] == "000000"}


def cpv(code: str) -> CpvCode | None:
    return cpv_codes().get(code)


def region_name(code: str) -> str:
    region = regions().get(code)
    return region.name if region else code
