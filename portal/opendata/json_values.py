"""Reading values out of published JSON, which may hold anything: each gives the expected type or an empty one."""


def text_of(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def dict_of(value) -> dict:
    return value if isinstance(value, dict) else {}


def list_of(value) -> list:
    return value if isinstance(value, list) else []


def dicts_of(value) -> list[dict]:
    return [item for item in list_of(value) if isinstance(item, dict)]
