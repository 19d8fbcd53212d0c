"""Awards read from an OCDS release, as plain data for services.imported_awards to save as award records.

Publishers put an award's facts in different places: Find a Tender often leaves the value and date off the award and
states them on the contract that points to it (contracts[].awardID), and gives each supplier's size and region only
on its party (parties[].details.scale, .vcse and address.region). Values keep their currency, never converted.
"""

from datetime import datetime

from portal.opendata.json_values import dict_of, dicts_of, list_of, moment_of, text_of
from portal.opendata.ocds_codes import regions_for

# OCDS partyScale codes as a supplier size. "sme" says small or medium without saying which.
SCALE_SIZES = {"micro": "micro", "selfEmployed": "micro", "small": "small", "medium": "medium", "sme": "sme",
               "large": "large"}
STATUSES = {"active", "pending", "cancelled"}  # an "unsuccessful" award names nobody who won


def _amount(value: dict) -> float | None:
    amount = value.get("amount")
    return amount if isinstance(amount, int | float) and not isinstance(amount, bool) and amount >= 0 else None


def _region(address: dict) -> str | None:
    """The ITL1 region of an address's NUTS or ITL code or region name ("UKF24" is in "TLF"); None for the whole UK."""
    found = regions_for(text_of(address.get("region")))
    return found[0] if len(found) == 1 else None


def _supplier(named: dict, parties: dict[str, dict]) -> dict | None:
    party = parties.get(text_of(named.get("id")), {})
    name = text_of(named.get("name")) or text_of(party.get("name"))
    if not name:
        return None
    details = dict_of(party.get("details"))
    vcse = details.get("vcse")
    return {"name": name[:200], "size": SCALE_SIZES.get(text_of(details.get("scale"))),
            "is_vcse": vcse if isinstance(vcse, bool) else None, "region": _region(dict_of(party.get("address")))}


def _contract_value(contracts: list[dict], award_id: str) -> dict:
    """The value of the award's contracts, when they share one currency."""
    values = [dict_of(c.get("value")) for c in contracts if text_of(c.get("awardID")) == award_id]
    values = [v for v in values if _amount(v) is not None]
    currencies = {text_of(v.get("currency")).upper() for v in values}
    if not values or len(currencies) != 1:
        return {}
    return {"amount": sum(_amount(v) for v in values), "currency": currencies.pop()}


def _contract_period(contracts: list[dict], award_id: str) -> dict:
    periods = [dict_of(c.get("period")) for c in contracts if text_of(c.get("awardID")) == award_id]
    return next((p for p in periods if p), {})


def _signed(contracts: list[dict], award_id: str) -> datetime | None:
    dates = [moment_of(c.get("dateSigned")) for c in contracts if text_of(c.get("awardID")) == award_id]
    return min((d for d in dates if d), default=None)


def awards_in(release) -> list[dict]:
    """Each award the release states with at least one supplier: its id, status, date (the award's, else the date its
    contract was signed, else the release's), value and currency, contract dates, lot, and suppliers (name, size,
    VCSE or not, ITL1 region)."""
    if not isinstance(release, dict):
        return []
    parties = {text_of(p.get("id")): p for p in dicts_of(release.get("parties")) if text_of(p.get("id"))}
    contracts = dicts_of(release.get("contracts"))
    found = []
    for award in dicts_of(release.get("awards")):
        award_id, status = text_of(award.get("id")), text_of(award.get("status")) or "active"
        suppliers = [s for named in dicts_of(award.get("suppliers")) if (s := _supplier(named, parties))]
        if not award_id or status not in STATUSES or not suppliers:
            continue
        value = dict_of(award.get("value")) if _amount(dict_of(award.get("value"))) is not None else \
            _contract_value(contracts, award_id)
        period = dict_of(award.get("contractPeriod")) or _contract_period(contracts, award_id)
        lots = [text_of(lot) for lot in list_of(award.get("relatedLots")) if text_of(lot)]
        found.append({
            "id": award_id[:200],
            "title": text_of(award.get("title")),
            "status": status,
            "date": moment_of(award.get("date")) or _signed(contracts, award_id) or moment_of(release.get("date")),
            "amount": _amount(value) if value else None,
            "currency": (text_of(value.get("currency")).upper() or None) if value else None,
            "starts": moment_of(period.get("startDate")),
            "ends": moment_of(period.get("endDate")),
            "lot": lots[0][:60] if lots else None,
            "suppliers": suppliers,
        })
    return found
