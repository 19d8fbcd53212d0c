"""Health checks for GET /health: can the portal read its database and use its search index?"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select, text

from portal.models import Opportunity

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    ok: bool
    ms: float
    error: str | None = None  # the exception's class name only: messages can hold addresses and passwords

    def as_dict(self) -> dict:
        result = {"ok": self.ok, "ms": self.ms}
        if self.error:
            result["error"] = self.error
        return result


def _timed(name: str, probe: Callable[[], object]) -> Check:
    started = time.perf_counter()
    try:
        probe()
    except Exception as error:  # any failure means unhealthy; the full story goes to the log, not the caller
        log.warning("Health check %s failed", name, exc_info=True)
        return Check(ok=False, ms=_ms_since(started), error=type(error).__name__)
    return Check(ok=True, ms=_ms_since(started))


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def check_database(engine) -> Check:
    """A round trip to the database, and a read of the opportunities table."""
    def probe():
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            connection.execute(select(func.count()).select_from(Opportunity)).scalar_one()
    return _timed("database", probe)


def check_search_index(search_index) -> Check:
    """The search index opens and can count its documents."""
    return _timed("search_index", search_index.check)


def run_checks(engine, search_index) -> dict[str, Check]:
    return {"database": check_database(engine), "search_index": check_search_index(search_index)}


def all_ok(checks: dict[str, Check]) -> bool:
    return all(check.ok for check in checks.values())
