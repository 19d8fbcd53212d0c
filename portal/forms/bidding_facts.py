"""Between the "Can we bid?" form and BidFacts: what was typed becomes facts, BidFacts checks them, and each
problem it finds is put beside the field it is about, in plain words; saved facts become the form's values."""

from pydantic import ValidationError

from portal.bidding.facts import BidFacts
from portal.bidding.vocabulary import InsuranceKind

YES_NO_VALUES = {"yes": True, "no": False}
INSURANCE_FIELDS = {kind.value: "insurance_" + kind.value.replace("-", "_") for kind in InsuranceKind}
ROW_NAMES = {"lots": "Lot", "criteria": "Criterion", "social_value": "Social value ask"}
NEEDED = {"title": "give the lot a title", "name": "give the criterion a name", "type": "choose a type",
          "weight": "give the criterion a weight", "outcome": "choose an outcome",
          "wish": "say what you would like to see"}


PARTS = (("lots", "max_lots_per_bidder"), ("criteria",))


def _yes_no(value: str | None) -> bool | None:
    return YES_NO_VALUES.get(value or "")


def _answer(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def _text(field) -> str:
    return (field.data or "").strip()


def _filled(rows) -> list:
    """The rows something was typed into, as (position on the page, row form)."""
    return [(position, row.form) for position, row in enumerate(rows) if row.form.filled()]


def facts_values(form) -> tuple[dict, dict]:
    """The facts as typed, and for each table the page position of each row kept."""
    lots, criteria, asks = _filled(form.lots), _filled(form.criteria), _filled(form.social_value)
    values = {
        "lots": [_without_none({
            "number": row.number.number or count, "title": _text(row.title), "description": _text(row.description),
            "value_min": row.value_min.data, "value_max": row.value_max.data, "value_basis": row.value_basis.data or "total",
            "contract_length_months": row.contract_length_months.number, "regions": row.regions.data or [],
        }) for count, (_, row) in enumerate(lots, start=1)],
        "max_lots_per_bidder": form.max_lots_per_bidder.number,
        "conditions": _without_none({
            "min_turnover": form.min_turnover.data,
            "insurance": [{"kind": kind, "amount": form[name].data} for kind, name in INSURANCE_FIELDS.items()
                          if form[name].data is not None],
            "accreditations": form.accreditations.data or [],
            "other_accreditations": _text(form.other_accreditations),
            "consortia_welcome": _yes_no(form.consortia_welcome.data), "may_combine": _yes_no(form.may_combine.data),
        }),
        "terms": _without_none({
            "payment_days": form.payment_days.number, "payment_frequency": form.payment_frequency.data or None,
            "e_invoicing": _yes_no(form.e_invoicing.data), "tupe": form.tupe.data or None,
            "subcontracting_allowed": _yes_no(form.subcontracting_allowed.data),
            "small_firm_share": form.small_firm_share.number, "reserved_for": form.reserved_for.data or [],
            "split_for_small_suppliers": _yes_no(form.split_for_small_suppliers.data),
            "not_split_reason": _text(form.not_split_reason),
        }),
        "criteria": [_without_none({"type": row.type.data or None, "name": _text(row.name),
                                    "description": _text(row.description), "weight": row.weight.number})
                     for _, row in criteria],
        "social_value": [_without_none({"outcome": row.outcome.data or None, "mission": row.mission.data or None,
                                        "wish": _text(row.wish)}) for _, row in asks],
    }
    places = {"lots": [p for p, _ in lots], "criteria": [p for p, _ in criteria], "social_value": [p for p, _ in asks]}
    return _without_none(values), places


def _without_none(values: dict) -> dict:
    return {name: value for name, value in values.items() if value is not None}


def check_facts(form) -> bool:
    """Read the form into BidFacts (form.facts); on any problem, put it by its field and return False."""
    values, places = facts_values(form)
    try:
        form.facts = BidFacts.model_validate(values)
    except ValidationError as error:
        problems = error.errors()
    else:
        return True
    # A rule across the whole (weights adding up to 100, lots' own numbers) is only checked once every field is
    # good; check each part alone too, so that every problem is listed at once.
    for part in PARTS:
        try:
            BidFacts.model_validate({key: values[key] for key in part if key in values})
        except ValidationError as error:
            problems += error.errors()
    for problem in problems:
        _place(form, places, problem)
    return False


def _place(form, places: dict, problem: dict) -> None:
    loc, message = problem["loc"], _plain(problem)
    if not loc:  # a rule about the whole: its message starts with what it is about
        about, _, rest = problem["msg"].removeprefix("Value error, ").partition(": ")
        loc, message = (about,), _capital(rest)
    head = loc[0]
    if head in ("conditions", "terms"):
        _place_section(form, loc[1:], message, problem)
    elif head in places:
        if len(loc) == 1 or not isinstance(loc[1], int):
            found = form.section_errors.setdefault(head, [])
            if message not in found:
                found.append(message)
            return
        row = form[head][places[head][loc[1]]].form
        name = loc[2] if len(loc) > 2 and loc[2] in row else {"lots": "value_min"}.get(head, next(iter(row)).short_name)
        if problem["type"] == "string_too_short" or problem["type"] == "missing":
            message = NEEDED.get(name, "fill this in")
        _add(row[name], f"{ROW_NAMES[head]} {places[head][loc[1]] + 1}: {message[0].lower()}{message[1:]}")
    elif head in form:
        _add(form[head], message)
    else:  # no field to put it by: it still reaches the error summary
        form.section_errors.setdefault("general", []).append(message)


def _place_section(form, loc: tuple, message: str, problem: dict) -> None:
    if not loc:  # a rule across the section's fields
        name = "small_firm_share" if "share" in message else "not_split_reason"
    elif loc[0] == "insurance" and len(loc) > 1 and isinstance(loc[1], int):
        given = [name for kind, name in INSURANCE_FIELDS.items() if form[name].data is not None]
        name = given[loc[1]]
    else:
        name = loc[0]
    _add(form[name], message)


def _add(field, message: str) -> None:
    if message not in field.errors:
        field.errors = [*field.errors, message]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plain(problem: dict) -> str:
    kind, context = problem["type"], problem.get("ctx") or {}
    match kind:
        case "value_error" | "assertion_error":
            return _capital(problem["msg"].removeprefix("Value error, "))
        case "less_than_equal":
            return f"Must be {context['le']:,} or less"
        case "greater_than_equal":
            return f"Must be {context['ge']:,} or more"
        case "greater_than":
            return f"Must be more than {context['gt']:,}"
        case "string_too_long":
            return f"Must be {context['max_length']:,} characters or fewer"
        case "too_long":
            return f"Give at most {context['max_length']}"
        case "string_too_short" | "missing":
            return "Fill this in"
        case _:
            return "Choose from the options shown"


def form_data(facts: BidFacts, suggested_criteria=()) -> dict:
    """The form's values for saved facts. An item with no criteria yet starts with its template's suggestions."""
    conditions, terms = facts.conditions, facts.terms
    data = {
        "lots": [{"number": lot.number, "title": lot.title, "description": lot.description, "value_min": lot.value_min,
                  "value_max": lot.value_max, "value_basis": lot.value_basis.value,
                  "contract_length_months": lot.contract_length_months, "regions": lot.regions} for lot in facts.lots],
        "max_lots_per_bidder": facts.max_lots_per_bidder,
        "min_turnover": conditions.min_turnover,
        "accreditations": conditions.accreditations, "other_accreditations": conditions.other_accreditations,
        "consortia_welcome": _answer(conditions.consortia_welcome), "may_combine": _answer(conditions.may_combine),
        "payment_days": terms.payment_days,
        "payment_frequency": terms.payment_frequency.value if terms.payment_frequency else "",
        "e_invoicing": _answer(terms.e_invoicing), "tupe": terms.tupe.value if terms.tupe else None,
        "subcontracting_allowed": _answer(terms.subcontracting_allowed), "small_firm_share": terms.small_firm_share,
        "reserved_for": [r.value for r in terms.reserved_for],
        "split_for_small_suppliers": _answer(terms.split_for_small_suppliers), "not_split_reason": terms.not_split_reason,
        "criteria": [{"type": c.type.value, "name": c.name, "description": c.description, "weight": c.weight}
                     for c in facts.criteria or suggested_criteria],
        "social_value": [{"outcome": a.outcome, "mission": a.mission or "", "wish": a.wish} for a in facts.social_value],
    }
    for insurance in conditions.insurance:
        data[INSURANCE_FIELDS[insurance.kind.value]] = insurance.amount
    return data


def checked_texts(form) -> dict[str, str]:
    """The page's free text, for the plain English check: what suppliers will read."""
    texts = {"other_accreditations": form.other_accreditations.data or "", "not_split_reason": form.not_split_reason.data or ""}
    for table, names in (("lots", ("description",)), ("criteria", ("description",)), ("social_value", ("wish",))):
        for position, row in enumerate(form[table]):
            for name in names:
                texts[f"{table}-{position}-{name}"] = row.form[name].data or ""
    return texts
