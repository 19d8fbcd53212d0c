"""`flask reindex` killed half-way (SIGKILL: no clean-up code runs) while gunicorn serves searches.

The rebuild writes a new index-* folder beside the live one and only swaps CURRENT at the end, so the old
index must keep answering, the database must be untouched, and the next reindex must finish the job and
remove the half-built folder.
"""

import json
import signal
import time

from tests.load.client import Client
from tests.load.state import copy_opportunity, row_counts, sqlite_integrity

EXTRA_OPPORTUNITIES = 1_000  # enough that a rebuild takes several seconds (about 6 s of CPU here)
MARKER = "zephyrload"  # a word found only in the copies' titles
QUERIES = ["energy", "older people", "school meals"]
KILL_AFTER_SECONDS = 1.0  # after the new folder appears
FOLDER_TIMEOUT_SECONDS = 60


def search(client: Client, words: str) -> tuple[int, list[str]]:
    """(total, slugs on the first page) from the JSON search, which answers exactly like /search."""
    response = client.get(f"/api/opportunities?q={words.replace(' ', '+')}")
    assert response is not None and response.status == 200, (words, client.tally)
    body = json.loads(response.body)
    return body["total"], [result["slug"] for result in body["results"]]


def index_folders(portal) -> set[str]:
    return {folder.name for folder in portal.index_dir.glob("index-*")}


def live_name(portal) -> str:
    return (portal.index_dir / "CURRENT").read_text(encoding="utf-8").strip()


def test_reindex_killed_halfway_leaves_search_and_database_intact(portal):
    client = Client(portal.url)
    before = {words: search(client, words) for words in QUERIES}
    published = copy_opportunity(portal.engine, EXTRA_OPPORTUNITIES, MARKER)
    counts = row_counts(portal.engine)
    live, folders = live_name(portal), index_folders(portal)

    reindex = portal.start_flask("reindex")
    started = time.monotonic()
    while not index_folders(portal) - folders:
        assert reindex.poll() is None, f"reindex ended before making a folder: {reindex.communicate()[0]}"
        assert time.monotonic() - started < FOLDER_TIMEOUT_SECONDS, "reindex made no new index folder"
        time.sleep(0.01)
    half_built = (index_folders(portal) - folders).pop()
    time.sleep(KILL_AFTER_SECONDS)
    during = {words: search(client, words) for words in QUERIES}
    assert reindex.poll() is None, "reindex finished before it could be killed: add more opportunities"
    reindex.send_signal(signal.SIGKILL)
    reindex.wait(timeout=10)
    killed_after = time.monotonic() - started

    assert reindex.returncode == -signal.SIGKILL
    assert live_name(portal) == live, "CURRENT moved to an unfinished index"
    assert half_built in index_folders(portal)
    assert during == before
    assert {words: search(client, words) for words in QUERIES} == before
    assert client.get(f"/search?q={QUERIES[0]}") is not None and client.tally.unexpected == []
    assert row_counts(portal.engine) == counts
    assert sqlite_integrity(portal.engine) in (None, "ok")

    rebuilt_started = time.monotonic()
    finished = portal.flask("reindex")
    rebuild_seconds = time.monotonic() - rebuilt_started
    print(f"\nreindex of {published} opportunities killed {killed_after:.1f} s after it started; "
          f"the next reindex took {rebuild_seconds:.1f} s")
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert f"Search index rebuilt: {published} opportunities." in finished.stdout
    assert index_folders(portal) == {live_name(portal)}, "the half-built folder (or another) was left behind"
    assert live_name(portal) not in (live, half_built)
    assert search(client, MARKER)[0] == EXTRA_OPPORTUNITIES
    for words, (total, _slugs) in before.items():
        assert search(client, words)[0] >= total
    assert row_counts(portal.engine) == counts
