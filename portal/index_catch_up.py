"""A background thread in each gunicorn worker that sends the search backlog to the index now and then.

Changes that the index could not take at once (another process held the Whoosh write lock) wait on the
backlog; this brings the index level with the database within SEARCH_CATCH_UP_SECONDS.
"""

import logging
import threading

from flask import Flask
from sqlmodel import Session

from portal.services.indexing import backlog_size, catch_up

log = logging.getLogger(__name__)


def catch_up_once(app: Flask) -> int:
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        if not backlog_size(session):
            return 0
        sent = catch_up(session, app.extensions["search"])
    if sent:
        log.info("Search index caught up with %d opportunities", sent)
    return sent


def start(app: Flask) -> threading.Thread | None:
    """Start the thread (a daemon: it ends with the process). Nothing starts when the interval is 0."""
    interval = app.config["SEARCH_CATCH_UP_SECONDS"]
    if interval <= 0:
        return None
    stop = threading.Event()

    def run():
        while not stop.wait(interval):
            try:
                catch_up_once(app)
            except Exception:  # noqa: BLE001 - keep trying; the database is the source of truth
                log.exception("Search index catch-up failed; will try again")

    thread = threading.Thread(target=run, name="search-catch-up", daemon=True)
    thread.stop = stop  # type: ignore[attr-defined]
    thread.start()
    return thread
