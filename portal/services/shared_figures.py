"""What visitors see alike (the home page, the search filters' choices, an opportunity's page for those not signed
in), kept by each process so that busy pages are not read and written afresh on every request.

Each is kept per database and dropped when this process commits any change (writes are rare next to reads, and a
page shows many kinds of record: questions, events, awards, residents' comments); it is read again after the
KEPT_PAGES_SECONDS setting (a minute by default; 0 keeps nothing), so a change committed by another process or
machine shows within that time.
"""

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, has_app_context
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session as OrmSession

DEFAULT_MAX_AGE_SECONDS = 60.0
MAX_KEPT = 300  # per database: an opportunity's page is 20-50 KB, so at most about 15 MB a process

T = TypeVar("T")
_kept: "weakref.WeakKeyDictionary[Engine, OrderedDict[Hashable, tuple[float, object]]]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def kept(session: OrmSession, key: Hashable, compute: Callable[[], T]) -> T:
    """The figure kept under `key` for this session's database, or `compute()` kept from now (None is never kept).
    The least recently used go once more than MAX_KEPT are kept. Callers must not change what they get: every
    request of this process shares it."""
    max_age = current_app.config["KEPT_PAGES_SECONDS"] if has_app_context() else DEFAULT_MAX_AGE_SECONDS
    if max_age <= 0:
        return compute()
    engine = session.get_bind()
    now = time.monotonic()
    with _lock:
        store = _kept.setdefault(engine, OrderedDict())
        found = store.get(key)
        if found is not None and now - found[0] < max_age:
            store.move_to_end(key)
            return found[1]
    value = compute()
    if value is None:  # nothing to keep: an address anyone can make up must not take memory
        return None
    with _lock:
        store[key] = (now, value)
        store.move_to_end(key)
        while len(store) > MAX_KEPT:
            store.popitem(last=False)  # the least recently used
    return value


def forget(engine: Engine) -> None:
    with _lock:
        _kept.pop(engine, None)


@event.listens_for(OrmSession, "after_flush")
def _note_changes(session, flush_context) -> None:
    if session.new or session.dirty or session.deleted:
        session.info["changed"] = True


@event.listens_for(OrmSession, "after_commit")
def _forget_after_a_change(session) -> None:
    # After the commit, not the flush: a figure read between the two would keep what the commit replaced.
    if session.info.pop("changed", False):
        forget(session.get_bind())


@event.listens_for(OrmSession, "after_rollback")
def _nothing_changed(session) -> None:
    session.info.pop("changed", None)
