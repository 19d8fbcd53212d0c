"""A gunicorn worker killed (SIGKILL) while suppliers are using the portal.

The requests it was handling lose their connection; each client may send such a request once more (every
write here is idempotent: registering interest again, booking again gets "you already have a place",
cancelling again does nothing). Everything else must carry on, the master must start a replacement worker,
and the database must hold every acknowledged write.

Opportunity pages are left out of the reading: a new worker's first one loads the reading-age dictionary
(3-12 s, see server.Portal.warm_up), which the load tests' 10 s request timeout would count as a failure.
"""

import os
import signal
import threading
import time

from tests.load.server import WORKERS
from tests.load.state import (
    capacities,
    duplicate_rows,
    lost_booking_writes,
    lost_interest_writes,
    make_small_events,
    place_counts,
    published_slugs,
)
from tests.load.workload import BusySupplier, PlaceMonitor, acknowledged, run_together, tally_of

DURATION_SECONDS = 12
KILL_AT_SECONDS = (3, 7)  # one worker each time
CLIENTS = 4
REPLACEMENT_TIMEOUT_SECONDS = 20


def test_killed_worker_is_replaced_and_requests_keep_succeeding(portal, suppliers):
    opportunities = published_slugs(portal.engine, 4)
    event_ids = make_small_events(portal.engine, opportunities[-1][0], capacity=2, how_many=1)
    capacity = capacities(portal.engine, event_ids)
    people = [BusySupplier(supplier, supplier.client.copy(retry_lost_connections=True), opportunities, event_ids,
                           seed=100 + number, read_opportunity_pages=False)
              for number, supplier in enumerate(suppliers[:CLIENTS])]
    kills: list[dict] = []

    def kill_workers():
        started = time.monotonic()
        for at in KILL_AT_SECONDS:
            time.sleep(max(0.0, started + at - time.monotonic()))
            workers = portal.worker_pids()
            victim = max(workers)
            os.kill(victim, signal.SIGKILL)
            killed_at = time.monotonic()
            while time.monotonic() - killed_at < REPLACEMENT_TIMEOUT_SECONDS:
                now = portal.worker_pids()
                if len(now) == WORKERS and victim not in now:
                    kills.append({"victim": victim, "replacement": (now - workers).pop(),
                                  "seconds": time.monotonic() - killed_at})
                    break
                time.sleep(0.05)
            else:
                kills.append({"victim": victim, "replacement": None, "workers": portal.worker_pids()})

    monitor = PlaceMonitor(portal.engine, capacity)
    monitor.start()
    killer = threading.Thread(target=kill_workers, daemon=True)
    killer.start()
    elapsed = run_together(people, DURATION_SECONDS)
    killer.join(timeout=REPLACEMENT_TIMEOUT_SECONDS * len(KILL_AT_SECONDS))
    monitor.finish()

    tally = tally_of(people)
    interests, bookings = acknowledged(people)
    print(f"\n{tally.requests} requests in {elapsed:.1f} s, statuses {dict(tally.statuses)}, "
          f"{tally.retries} sent again after a lost connection; workers killed and replaced: {kills}")

    assert len(kills) == len(KILL_AT_SECONDS) and all(kill["replacement"] for kill in kills), kills
    assert portal.process.poll() is None, "the gunicorn master died"
    assert {status for status in tally.statuses if status >= 500} == set()
    assert tally.failures == [], "requests that failed even when sent again"
    assert tally.unexpected == []
    assert duplicate_rows(portal.engine) == []
    assert monitor.error is None and monitor.overbooked() == {}
    assert all(booked <= capacity[event] for event, (booked, _) in place_counts(portal.engine, event_ids).items())
    assert lost_interest_writes(portal.engine, interests) == []
    assert lost_booking_writes(portal.engine, bookings) == []
    assert [key for key, write in interests.items() if write.action == "unknown"] == []
    assert [key for key, write in bookings.items() if write.action == "unknown"] == []
