"""Web addresses made from names: lower-case ASCII letters and digits joined by hyphens."""

import re
import unicodedata
from collections.abc import Callable, Collection

from sqlmodel import Session, select


# Every slug slugify() makes matches this; the OpenAPI description gives it for slugs in addresses.
SLUG_PATTERN = "^[a-z0-9-]+$"


def is_slug(text: str) -> bool:
    """Whether `text` could be a slug. Anything else can be answered 404 without asking the database."""
    return re.fullmatch(SLUG_PATTERN.strip("^$"), text) is not None


def slugify(text: str, length: int = 100, fallback: str = "item") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text))[:length].strip("-") or fallback


def unique_slug(session: Session, model, text: str, fallback: str, taken: Collection[str] = (),
                clashes: Callable[[str], bool] | None = None) -> str:
    """A slug for `text` that no `model` row (and nothing in `taken`, nor anything `clashes` finds) uses yet."""
    base = slugify(text, fallback=fallback)
    slug, n = base, 1
    while slug in taken or session.exec(select(model.id).where(model.slug == slug)).first() is not None or (
            clashes is not None and clashes(slug)):
        n += 1
        slug = f"{base}-{n}"
    return slug
