"""Checking query parameters for the JSON API and data files. Unlike the HTML pages, a bad value is refused.

Each parameter is checked against its schema in the OpenAPI description (opendata/openapi.py), so the server
accepts exactly the values the description allows: the enum, the length of a string, the range of an integer.
"""

import re

from werkzeug.datastructures import MultiDict

DIGITS = re.compile(r"[0-9]+")
# Longer than this, a run of digits is far past any maximum (and too long for int() to read safely).
MAX_DIGITS = 9


def check_parameters(args: MultiDict, parameters: list[dict]) -> list[dict]:
    """An error for each described query parameter whose value its schema does not allow. Unknown names are ignored."""
    errors = []
    for parameter in parameters:
        name = parameter["name"]
        values = args.getlist(name)
        if not values:
            continue
        if len(values) > 1:
            errors.append({"parameter": name, "message": f"Give {name} only once."})
        elif values[0] == "":
            errors.append({"parameter": name, "message": f"{name} is empty. Give it a value, or leave it out."})
        else:
            error = _check(name, values[0], parameter["schema"])
            if error:
                errors.append({"parameter": name} | error)
    return errors


def _check(name: str, raw: str, schema: dict) -> dict | None:
    if schema["type"] == "integer":
        low, high = schema["minimum"], schema["maximum"]
        number = raw.lstrip("0")
        if not DIGITS.fullmatch(raw) or len(number) > MAX_DIGITS or not low <= int(number or "0") <= high:
            return {"message": f"{name} must be a whole number from {low} to {high:,}."}
        return None
    if "enum" in schema or "not" in schema:
        allowed = schema.get("enum", [])
        if raw in allowed:
            return None
        if len(allowed) == 1:
            return {"message": f"{name} must be {allowed[0]}, or left out."}
        return {"message": f"{name} must be one of the allowed values.", "allowed": allowed}
    if not schema.get("minLength", 0) <= len(raw) <= schema.get("maxLength", len(raw)):
        return {"message": f"{name} must be {schema['maxLength']} characters or fewer."}
    return None


def search_errors(errors: dict[str, str]) -> list[dict]:
    """The search parser's messages, for a value the description allows but the search cannot use."""
    return [{"parameter": name, "message": message.split(". ", 1)[0].rstrip(".") + "."}
            for name, message in errors.items()]


def no_such_page_error(page: int, last_page: int) -> list[dict]:
    return [{"parameter": "page", "message": f"There is no page {page}. The last page is {last_page:,}."}]
