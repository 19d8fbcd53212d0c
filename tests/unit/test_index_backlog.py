"""Several processes and threads at once: a busy index queues changes, catch-up applies them, searches in many
threads never see a broken searcher, and a rebuild keeps changes made while it was reading."""

import threading
import time

import pytest
from whoosh import index as whoosh_index

from portal import index_catch_up
from portal.models import Status
from portal.search import SearchQuery, writer
from portal.services import publishing
from portal.services.indexing import backlog_size, catch_up, rebuild_index
from tests.conftest import TODAY
from tests.factories import make_buyer, make_opportunity


@pytest.fixture
def index(app):
    return app.extensions["search"]


@pytest.fixture
def buyer(session):
    return make_buyer(session, slug="kent", name="Kent County Council")


def found(index, text: str) -> list[int]:
    return index.search(SearchQuery(text=text, size=50), TODAY).ids


@pytest.mark.search_backend("whoosh")
def test_a_locked_index_queues_the_change_and_catch_up_applies_it(session, index, buyer, monkeypatch):
    item = make_opportunity(session, buyer, title="Reablement at home", status=Status.DRAFT)
    monkeypatch.setattr(writer, "WRITE_TIMEOUT_SECONDS", 0.2)
    holder = whoosh_index.open_dir(str(writer.live_folder(index.index_dir))).writer()  # as another process would
    try:
        publishing.publish(session, index, item)
        assert backlog_size(session) == 1, "the change waits on the backlog"
        assert found(index, "reablement") == []
    finally:
        holder.cancel()
    assert catch_up(session, index) == 1
    assert backlog_size(session) == 0 and found(index, "reablement") == [item.id]


@pytest.mark.search_backend("whoosh")
def test_the_next_successful_update_also_clears_the_backlog(session, index, buyer, monkeypatch):
    first = make_opportunity(session, buyer, title="Reablement at home", status=Status.DRAFT)
    second = make_opportunity(session, buyer, title="Wildflower verges", status=Status.DRAFT)
    monkeypatch.setattr(writer, "WRITE_TIMEOUT_SECONDS", 0.2)
    holder = whoosh_index.open_dir(str(writer.live_folder(index.index_dir))).writer()
    publishing.publish(session, index, first)
    holder.cancel()
    publishing.publish(session, index, second)
    assert backlog_size(session) == 0
    assert found(index, "reablement") == [first.id] and found(index, "wildflower") == [second.id]


def test_the_background_catch_up_brings_the_index_level(app, session, index, buyer, monkeypatch):
    item = make_opportunity(session, buyer, title="Reablement at home", status=Status.DRAFT)
    monkeypatch.setattr(index, "update", lambda *a, **k: (_ for _ in ()).throw(OSError("index unavailable")))
    publishing.publish(session, index, item)
    assert backlog_size(session) == 1
    monkeypatch.undo()

    app.config["SEARCH_CATCH_UP_SECONDS"] = 0.05
    thread = index_catch_up.start(app)
    try:
        deadline = time.monotonic() + 10
        while backlog_size(session) and time.monotonic() < deadline:
            time.sleep(0.05)
            session.rollback()  # see the other thread's commits
    finally:
        thread.stop.set()
        thread.join(5)
    assert backlog_size(session) == 0 and found(index, "reablement") == [item.id]


def test_no_background_thread_when_the_interval_is_zero(app):
    app.config["SEARCH_CATCH_UP_SECONDS"] = 0
    assert index_catch_up.start(app) is None


def test_changes_committed_during_a_rebuild_are_in_the_new_index(session, index, buyer, monkeypatch):
    old = make_opportunity(session, buyer, title="Reablement at home")
    late = make_opportunity(session, buyer, title="Wildflower verges", status=Status.DRAFT)
    real_rebuild = index.rebuild

    def rebuild_while_someone_publishes(documents):
        documents = list(documents)  # the rebuild has read the database...
        publishing.publish(session, index, late)  # ...then a buyer publishes, into the index being replaced
        real_rebuild(iter(documents))

    monkeypatch.setattr(index, "rebuild", rebuild_while_someone_publishes)
    assert rebuild_index(session, index) == 1
    assert found(index, "reablement") == [old.id]
    assert found(index, "wildflower") == [late.id], "sent again after the swap"


def test_searches_in_many_threads_while_the_index_changes(session, index, buyer):
    items = [make_opportunity(session, buyer, title=f"School meals lot {n}") for n in range(20)]
    rebuild_index(session, index)
    errors, totals = [], []

    def searcher():
        try:
            for _ in range(25):
                result = index.search(SearchQuery(text="school meals", region="TLI"), TODAY)
                totals.append(result.total)
        except Exception as error:  # noqa: BLE001 - collected and reported below
            errors.append(error)

    threads = [threading.Thread(target=searcher) for _ in range(8)]
    for thread in threads:
        thread.start()
    for item in items[:5]:  # meanwhile the index changes under them
        item.title = f"{item.title} (updated)"
        publishing.save_opportunity(session, index, item)
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(totals) == 8 * 25 and set(totals) == {20}
