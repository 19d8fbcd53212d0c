"""Eight suppliers at once, for ten seconds (LOAD_TEST_SECONDS to run longer): interest, bookings for events with
a few places, and reading.

Every write the server acknowledged (a 303) must be in the database afterwards, and the rules must hold:
no server errors, no duplicate rows, never more people booked than places, nobody waiting while a place is
free. Every problem found is listed together, so one broken rule does not hide another.
"""

import os

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

# Thousands of requests, and races on the last places within the first second or two; a longer soak finds the
# rarer ones (`LOAD_TEST_SECONDS=300 make test-load`).
DURATION_SECONDS = float(os.environ.get("LOAD_TEST_SECONDS", "10"))
EVENT_CAPACITY = 3
EVENTS = 2
OPPORTUNITIES = 6


def test_concurrent_suppliers_keep_every_acknowledged_write_and_never_overbook(portal, suppliers):
    opportunities = published_slugs(portal.engine, OPPORTUNITIES)
    event_ids = make_small_events(portal.engine, opportunities[0][0], EVENT_CAPACITY, EVENTS)
    capacity = capacities(portal.engine, event_ids)
    people = [BusySupplier(supplier, supplier.client.copy(), opportunities, event_ids, seed=number)
              for number, supplier in enumerate(suppliers)]
    log_start = portal.log_size()

    monitor = PlaceMonitor(portal.engine, capacity)
    monitor.start()
    elapsed = run_together(people, DURATION_SECONDS)
    monitor.finish()

    tally = tally_of(people)
    interests, bookings = acknowledged(people)
    print(f"\n{tally.requests} requests in {elapsed:.1f} s ({tally.requests / elapsed:.0f} a second), "
          f"statuses {dict(tally.statuses)}; {sum(p.places_given for p in people)} places and "
          f"{sum(p.waiting_given for p in people)} waiting-list places given; {len(interests)} interests and "
          f"{len(bookings)} bookings touched; {monitor.samples} readings of the places")

    problems = []
    server_errors = {status: n for status, n in tally.statuses.items() if status >= 500}
    if server_errors:
        problems.append(f"server errors: {server_errors}")
    problems += [f"failed: {failure}" for failure in tally.failures]
    problems += [f"unexpected answer: {answer}" for answer in tally.unexpected]
    problems += [f"gunicorn log: {line}" for line in portal.log_errors(since=log_start)[-40:]]
    if monitor.error:
        problems.append(f"the place monitor failed: {monitor.error!r}")
    problems += [f"duplicate rows: {row}" for row in duplicate_rows(portal.engine)]
    if monitor.overbooked():
        problems.append(f"more booked than places at some moment: {monitor.overbooked()}, capacity {capacity}")
    if monitor.waiting_beside_free_places:
        problems.append(f"{len(monitor.waiting_beside_free_places)} of {monitor.samples} readings had people waiting "
                        f"while places were free, as (event, booked, waiting): {monitor.waiting_beside_free_places[:5]}, "
                        f"capacity {capacity}")
    for event_id, (booked, waiting) in place_counts(portal.engine, event_ids).items():
        if booked > capacity[event_id] or (waiting and booked < capacity[event_id]):
            problems.append(f"at the end, event {event_id} has {booked} booked and {waiting} waiting "
                            f"for {capacity[event_id]} places")
    problems += lost_interest_writes(portal.engine, interests)
    problems += lost_booking_writes(portal.engine, bookings)
    problems += [f"interest {key}: last write not acknowledged" for key, w in interests.items() if w.action == "unknown"]
    problems += [f"booking {key}: last write not acknowledged" for key, w in bookings.items() if w.action == "unknown"]
    assert problems == [], "\n".join(problems)
