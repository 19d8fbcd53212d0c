"""The "can we bid?" facts a Contracts Finder or Find a Tender release states, as BidFacts.

Notices are checked by other people's software, not by our rules, so each part is read and checked on its own
and a part that breaks a rule is left out rather than stopping the import: a lot without a usable number is
numbered by its place, award criteria whose weights do not add up to 100 are all left out, a condition we
cannot read with confidence is left out. Only facts a notice states in structured fields are taken:
- lots: tender.lots, when there are two or more (one lot is the whole contract), with their titles,
  descriptions, values (pounds only) and contract periods; tender.lotDetails.maximumLotsBidPerSupplier
- award criteria: the first lot's awardCriteria with every weight a percentage (or a decimal) that add up to 100;
  a quality criterion whose name says social value counts as social value
- minimum turnover and insurance: economic selectionCriteria whose description says turnover, or names a
  kind of insurance, and whose minimum is an amount in pounds
- e-invoicing (contractTerms.electronicInvoicingPolicy), payment days ("within 30 days" in
  contractTerms.financialTerms), reserved participation (otherRequirements), and why the work is not split into
  lots (lotDetails.noLotsDivisionRationale, UK extension).
"""

import re

from pydantic import ValidationError

from portal.bidding.facts import DESCRIPTION_WORDS, MAX_LOTS, BidFacts, Conditions, Criterion, Insurance, Lot, Terms
from portal.bidding.vocabulary import RESERVED_OCDS_CODES, InsuranceKind
from portal.opendata import notice_text
from portal.opendata.json_values import dict_of as _dict, dicts_of as _list_of_dicts, list_of as _list, moment_of as _moment, text_of as _text

TEXT_LENGTH = 600
DAYS_IN_A_MONTH = 30.44
RESERVED_BY_CODE = {code: reserved for reserved, code in RESERVED_OCDS_CODES.items()}
_POUNDS = re.compile(r"^\s*(?:£|GBP\s*)?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(million|m)?\s*(?:GBP)?\s*$", re.I)
_PAYMENT_DAYS = re.compile(r"\bwithin\s+(\d{1,3})\s+(?:calendar\s+|working\s+)?days\b", re.I)
_INSURANCE_WORDS = {
    InsuranceKind.EMPLOYERS_LIABILITY: "employer",
    InsuranceKind.PUBLIC_LIABILITY: "public liability",
    InsuranceKind.PROFESSIONAL_INDEMNITY: "professional indemnity",
}


def bid_facts_from(tender: dict, lots: list[dict]) -> dict | None:
    """BidFacts.to_json() of what the tender states; None when it states none of these facts."""
    facts = {}
    found_lots = _lots(lots)
    if found_lots:
        facts["lots"] = found_lots
        most = _whole_number(_dict(tender.get("lotDetails")).get("maximumLotsBidPerSupplier"))
        if most and most <= len(found_lots):
            facts["max_lots_per_bidder"] = most
    for key, value in (("criteria", _criteria(lots)), ("conditions", _conditions(tender)),
                       ("terms", _terms(tender))):
        if value:
            facts[key] = value
    try:
        built = BidFacts.model_validate(facts)
    except ValidationError:
        return None  # each part was checked on its own; this is only a guard
    return None if built.is_empty() else built.to_json()


def _lots(lots: list[dict]) -> list[dict]:
    if not 2 <= len(lots) <= MAX_LOTS:
        return []
    found, numbers = [], set()
    for position, lot in enumerate(lots, start=1):
        number = _whole_number(lot.get("id"))
        number = number if number and 1 <= number <= 99 and number not in numbers else position
        if number in numbers:
            continue
        value, low = _pounds(lot.get("value")), _pounds(lot.get("minimumValue"))
        candidate = {
            "number": number,
            "title": notice_text.clean_title(lot.get("title"))[:120] or f"Lot {number}",
            "description": _words(lot.get("description"), DESCRIPTION_WORDS),
            "value_max": value,
            "value_min": low if low is not None and value is not None and low <= value else None,
            "contract_length_months": _months(_dict(lot.get("contractPeriod"))),
        }
        lot_facts = _valid(Lot, candidate) or _valid(Lot, {"number": number, "title": candidate["title"]})
        if lot_facts:
            found.append(lot_facts)
            numbers.add(number)
    return found


def _criteria(lots: list[dict]) -> list[dict]:
    stated = next((c for lot in lots if (c := _list_of_dicts(_dict(lot.get("awardCriteria")).get("criteria")))), [])
    criteria = []
    for criterion in stated:
        weight = _weight(_list_of_dicts(criterion.get("numbers")))
        kind = _text(criterion.get("type"))
        name = notice_text.clean_title(criterion.get("name"))[:120]
        if weight is None or kind not in ("price", "cost", "quality"):
            return []
        if kind == "quality" and "social value" in name.casefold():
            kind = "social-value"
        found = _valid(Criterion, {"type": "price" if kind == "cost" else kind,
                                   "name": name or kind.replace("-", " ").capitalize(),
                                   "description": _words(criterion.get("description"), DESCRIPTION_WORDS),
                                   "weight": weight})
        if not found:
            return []
        criteria.append(found)
    return criteria if sum(c["weight"] for c in criteria) == 100 else []


def _weight(numbers: list[dict]) -> int | None:
    for number in numbers:
        value = number.get("number")
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if number.get("weight") == "percentageExact" and float(value).is_integer():
            return int(value)
        if number.get("weight") == "decimalExact" and float(value * 100).is_integer():
            return int(value * 100)
    return None


def _conditions(tender: dict) -> dict:
    conditions, insurance = {}, []
    for criterion in _list_of_dicts(_dict(tender.get("selectionCriteria")).get("criteria")):
        if _text(criterion.get("type")) != "economic":
            continue
        words = f"{_text(criterion.get('subType'))} {_text(criterion.get('description'))}".casefold()
        amount = _amount(criterion.get("minimum"))
        if amount is None:
            continue
        if "turnover" in words and "min_turnover" not in conditions:
            conditions["min_turnover"] = amount
            continue
        for kind, named in _INSURANCE_WORDS.items():
            if named in words and "insurance" in words and kind not in {i["kind"] for i in insurance}:
                if _valid(Insurance, {"kind": kind, "amount": amount}):
                    insurance.append({"kind": kind, "amount": amount})
                break
    if insurance:
        conditions["insurance"] = insurance
    return conditions if _valid(Conditions, conditions) else {}


def _terms(tender: dict) -> dict:
    contract_terms = _dict(tender.get("contractTerms"))
    candidates = {}
    policy = _text(contract_terms.get("electronicInvoicingPolicy"))
    if policy in ("required", "allowed", "notAllowed"):
        candidates["e_invoicing"] = policy != "notAllowed"
    days = _PAYMENT_DAYS.search(_text(contract_terms.get("financialTerms")))
    if days:
        candidates["payment_days"] = int(days.group(1))
    reserved = [RESERVED_BY_CODE[code] for code in _list(_dict(tender.get("otherRequirements")).get(
        "reservedParticipation")) if isinstance(code, str) and code in RESERVED_BY_CODE]
    if reserved:
        candidates["reserved_for"] = list(dict.fromkeys(reserved))
    reason = notice_text.clean_title(_dict(tender.get("lotDetails")).get("noLotsDivisionRationale"))
    if reason:
        candidates["split_for_small_suppliers"] = False
        candidates["not_split_reason"] = _characters(reason)
    kept = {}
    for key in ("e_invoicing", "payment_days", "reserved_for"):
        if key in candidates and _valid(Terms, {key: candidates[key]}):
            kept[key] = candidates[key]
    if "not_split_reason" in candidates:
        kept |= {key: candidates[key] for key in ("split_for_small_suppliers", "not_split_reason")}
    return kept if _valid(Terms, kept) else {}


def _valid(model, values: dict) -> dict | None:
    """The values as the model keeps them, or None if they break one of its rules."""
    try:
        return model.model_validate(values).model_dump(mode="json", exclude_defaults=True)
    except ValidationError:
        return None


def _amount(value) -> int | None:
    """'£250,000', '250000', 'GBP 2m', '5 million' as whole pounds; anything else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return round(value) if 0 < value < 10**12 else None
    match = _POUNDS.match(value) if isinstance(value, str) else None
    if not match:
        return None
    pounds = int(match.group(1).replace(",", ""))
    return pounds * 1_000_000 if match.group(2) else pounds


def _pounds(value) -> int | None:
    value = _dict(value)
    amount = value.get("amount")
    if _text(value.get("currency")).upper() != "GBP" or isinstance(amount, bool) or not isinstance(amount, int | float):
        return None
    return round(amount) if 0 <= amount < 10**12 else None


def period_months(period: dict) -> int | None:
    """A contract period's length in months: durationInMonths (UK extension), durationInDays, or its dates."""
    months = period.get("durationInMonths")
    if isinstance(months, int) and not isinstance(months, bool) and months > 0:
        return months
    days = period.get("durationInDays")
    if isinstance(days, int) and not isinstance(days, bool) and days > 0:
        return max(1, round(days / DAYS_IN_A_MONTH))
    start, end = _moment(period.get("startDate")), _moment(period.get("endDate"))
    if start and end and end > start:
        return max(1, round((end - start).days / DAYS_IN_A_MONTH))
    return None


def _months(period: dict) -> int | None:
    found = period_months(period)
    return found if found and found <= 600 else None


def _words(value, limit: int) -> str:
    """Plain text of at most `limit` words and TEXT_LENGTH characters, ending with … where it was cut."""
    words = " ".join(notice_text.clean_description(value).split()).split()
    text = " ".join(words[:limit])
    if len(words) > limit:
        text = text.rstrip(".,;:") + "…"
    return _characters(text)


def _characters(text: str) -> str:
    if len(text) <= TEXT_LENGTH:
        return text
    return text[: TEXT_LENGTH - 1].rsplit(" ", 1)[0].rstrip(".,;:") + "…"


def _whole_number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 6:
        return int(value.strip())
    return None
