"""What a busy supplier does, over and over, and a watcher that reads the event places while they do it."""

import random
import threading
import time
from urllib.parse import quote

from tests.load.client import Client, Tally
from tests.load.state import Acknowledged, place_counts

SEARCHES = ["energy", "older people", "school meals", "care", "housing", "loneliness", "solar roofs"]
MONITOR_INTERVAL_SECONDS = 0.05


class BusySupplier:
    """One supplier registering and withdrawing interest, booking and cancelling places, and reading pages.

    Remembers the last write the server acknowledged (a 303) for each item; an item whose last write was not
    acknowledged is "unknown" and the tests say so.
    """

    def __init__(self, supplier, client: Client, opportunities: list[tuple[int, str]], event_ids: list[int], seed: int,
                 read_opportunity_pages: bool = True):
        self.user_id, self.organisation_id = supplier.user_id, supplier.organisation_id
        self.client = client
        self.opportunities = opportunities
        self.event_ids = event_ids
        self.random = random.Random(seed)
        self.read_opportunity_pages = read_opportunity_pages
        self.interests: dict[tuple[int, int], Acknowledged] = {}  # (organisation, opportunity)
        self.bookings: dict[tuple[int, int], Acknowledged] = {}  # (person, event)
        self.places_given = 0
        self.waiting_given = 0

    def run(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            roll = self.random.random()
            if roll < 0.4:
                self.book_or_cancel()
            elif roll < 0.75:
                self.register_or_withdraw()
            else:
                self.read()

    def book_or_cancel(self) -> None:
        event_id = self.random.choice(self.event_ids)
        key = (self.user_id, event_id)
        action = "book" if self.random.random() < 0.6 else "cancel"
        self.bookings[key] = Acknowledged("unknown")
        response = self.client.post(f"/events/{event_id}/{action}")
        if response is None or response.status != 303:
            return
        self.bookings[key] = Acknowledged(action)
        page = self.client.get(f"/events/{event_id}")  # where the redirect goes: it says what happened
        if action == "book" and page is not None:
            if "You have a place" in page.text:
                self.places_given += 1
            elif "you are on the waiting list" in page.text:
                self.waiting_given += 1

    def register_or_withdraw(self) -> None:
        opportunity_id, slug = self.random.choice(self.opportunities)
        key = (self.organisation_id, opportunity_id)
        self.interests[key] = Acknowledged("unknown")
        if self.random.random() < 0.65:
            flags = tuple(self.random.random() < 0.5 for _ in range(2))
            names = ("open_to_partnering", "listed_publicly")
            response = self.client.post(f"/opportunities/{slug}/interest", {
                "action": "send", **{name: "y" for name, wanted in zip(names, flags) if wanted}})
            if response is not None and response.status == 303:
                self.interests[key] = Acknowledged("register", flags)
        else:
            response = self.client.post(f"/opportunities/{slug}/interest/withdraw")
            if response is not None and response.status == 303:
                self.interests[key] = Acknowledged("withdraw")

    def read(self) -> None:
        choice = self.random.random()
        if choice < 0.4:
            self.client.get(f"/search?q={quote(self.random.choice(SEARCHES))}")
        elif choice < 0.8 and self.read_opportunity_pages:
            self.client.get(f"/opportunities/{self.random.choice(self.opportunities)[1]}")
        else:
            self.client.get(f"/events/{self.random.choice(self.event_ids)}")


def run_together(people: list[BusySupplier], seconds: float) -> float:
    """Run everyone at once for `seconds`; how long it really took."""
    started = time.monotonic()
    threads = [threading.Thread(target=person.run, args=(started + seconds,), daemon=True) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 15)  # the last requests may take up to the 10 s request timeout
    assert not any(thread.is_alive() for thread in threads), "a client was still running 15 s after the deadline"
    return time.monotonic() - started


def tally_of(people: list[BusySupplier]) -> Tally:
    total = Tally()
    for person in people:
        total.add(person.client.tally)
    return total


def acknowledged(people: list[BusySupplier]) -> tuple[dict, dict]:
    """Every item's last write: interests by (organisation, opportunity), bookings by (person, event)."""
    return ({key: write for person in people for key, write in person.interests.items()},
            {key: write for person in people for key, write in person.bookings.items()})


class PlaceMonitor(threading.Thread):
    """Reads the places of each event over and over while the load runs, remembering the worst seen.

    Each reading is one statement, so it sees only committed bookings: a rule broken in a reading was broken
    in the database, not just half-way through someone's transaction.
    """

    def __init__(self, engine, capacity: dict[int, int]):
        super().__init__(daemon=True)
        self.engine, self.capacity = engine, capacity
        self.most_booked = dict.fromkeys(capacity, 0)
        self.waiting_beside_free_places: list[tuple[int, int, int]] = []  # (event, booked, waiting)
        self.samples = 0
        self.error: Exception | None = None
        self._finished = threading.Event()

    def run(self) -> None:
        try:
            while not self._finished.is_set():
                for event_id, (booked, waiting) in place_counts(self.engine, list(self.capacity)).items():
                    self.most_booked[event_id] = max(self.most_booked[event_id], booked)
                    if waiting and booked < self.capacity[event_id]:
                        self.waiting_beside_free_places.append((event_id, booked, waiting))
                self.samples += 1
                self._finished.wait(MONITOR_INTERVAL_SECONDS)
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.error = error

    def finish(self) -> None:
        self._finished.set()
        self.join(timeout=15)

    def overbooked(self) -> dict[int, int]:
        return {event: most for event, most in self.most_booked.items() if most > self.capacity[event]}
