"""Reading values out of published JSON, which may hold anything: each gives the expected type or an empty one."""

from datetime import datetime, timezone


def text_of(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def dict_of(value) -> dict:
    return value if isinstance(value, dict) else {}


def list_of(value) -> list:
    return value if isinstance(value, list) else []


def dicts_of(value) -> list[dict]:
    return [item for item in list_of(value) if isinstance(item, dict)]


def moment_of(value) -> datetime | None:
    """An OCDS date-time as an aware UTC datetime; a date without a zone is taken as UTC; None if it is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
