"""What the tests check in the database after the load: rules that must hold whatever the timing was."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, text
from sqlmodel import Session, SQLModel, col, select

from portal.models import Booking, BookingStatus, EngagementEvent, Interest, Opportunity, Source, Status, utcnow
from portal.services import engagement_window, events


@dataclass(frozen=True)
class Acknowledged:
    """The last write the server acknowledged for one item: what the database must now hold."""
    action: str  # "register" or "withdraw" (interest); "book" or "cancel" (booking)
    flags: tuple[bool, bool] | None = None  # open_to_partnering, listed_publicly


def published_slugs(engine, limit: int) -> list[tuple[int, str]]:
    """Published items still open for engagement (interest is refused once it closes)."""
    with Session(engine) as session:
        published = session.exec(select(Opportunity).where(
            Opportunity.status == Status.PUBLISHED, Opportunity.source == Source.PORTAL).order_by(Opportunity.id)).all()
        return [(o.id, o.slug) for o in published if engagement_window.is_open(o, date.today())][:limit]


def make_small_events(engine, opportunity_id: int, capacity: int, how_many: int) -> list[int]:
    """Events far enough ahead that booking stays open, each with only `capacity` places."""
    starts = utcnow().replace(microsecond=0) + timedelta(days=60)
    made = []
    with Session(engine, expire_on_commit=False) as session:
        opportunity = session.get(Opportunity, opportunity_id)
        for number in range(how_many):
            event = events.create_event(
                session, opportunity, kind="webinar", title=f"Load test briefing {number + 1}",
                description="Only a few places.", starts_at=starts + timedelta(days=number),
                ends_at=starts + timedelta(days=number, hours=1), location="Online", capacity=capacity,
                booking_deadline=starts + timedelta(days=number - 1))
            made.append(event.id)
    return made


def place_counts(engine, event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(booked, waiting) for each event, read in one statement so the two agree."""
    with Session(engine) as session:
        rows = session.exec(select(Booking.event_id, Booking.status, func.count())
                            .where(col(Booking.event_id).in_(event_ids)).group_by(Booking.event_id, Booking.status)).all()
    counts = {event_id: [0, 0] for event_id in event_ids}
    for event_id, status, number in rows:
        if status == BookingStatus.BOOKED:
            counts[event_id][0] = number
        elif status == BookingStatus.WAITING:
            counts[event_id][1] = number
    return {event_id: (booked, waiting) for event_id, (booked, waiting) in counts.items()}


def capacities(engine, event_ids: list[int]) -> dict[int, int]:
    with Session(engine) as session:
        return dict(session.exec(select(EngagementEvent.id, EngagementEvent.capacity)
                                 .where(col(EngagementEvent.id).in_(event_ids))).all())


def duplicate_rows(engine) -> list[tuple]:
    """Interest rows sharing (opportunity, organisation), and bookings sharing (event, person): must be none."""
    with Session(engine) as session:
        interests = session.exec(select(Interest.opportunity_id, Interest.organisation_id, func.count())
                                 .group_by(Interest.opportunity_id, Interest.organisation_id)
                                 .having(func.count() > 1)).all()
        bookings = session.exec(select(Booking.event_id, Booking.user_id, func.count())
                                .group_by(Booking.event_id, Booking.user_id).having(func.count() > 1)).all()
    return [("interest", *row) for row in interests] + [("booking", *row) for row in bookings]


def lost_interest_writes(engine, acknowledged: dict[tuple[int, int], Acknowledged]) -> list[str]:
    """Acknowledged interest writes, keyed by (organisation, opportunity), that the database does not hold."""
    with Session(engine) as session:
        held = {(row.organisation_id, row.opportunity_id): (row.open_to_partnering, row.listed_publicly)
                for row in session.exec(select(Interest)).all()}
    lost = []
    for key, write in acknowledged.items():
        if write.action == "register" and held.get(key) != write.flags:
            lost.append(f"interest {key}: registered {write.flags}, database has {held.get(key)}")
        elif write.action == "withdraw" and key in held:
            lost.append(f"interest {key}: withdrawn, database has {held[key]}")
    return lost


def lost_booking_writes(engine, acknowledged: dict[tuple[int, int], Acknowledged]) -> list[str]:
    """Acknowledged bookings, keyed by (person, event), that the database does not hold.

    A booking acknowledged is a place or a waiting-list place (a repeated booking is acknowledged with
    "you already have a place"); a cancellation acknowledged leaves the booking cancelled or absent.
    """
    with Session(engine) as session:
        held = {(row.user_id, row.event_id): row.status for row in session.exec(select(Booking)).all()}
    lost = []
    for key, write in acknowledged.items():
        status = held.get(key)
        if write.action == "book" and status not in (BookingStatus.BOOKED, BookingStatus.WAITING):
            lost.append(f"booking {key}: booked, database has {status}")
        elif write.action == "cancel" and status not in (None, BookingStatus.CANCELLED):
            lost.append(f"booking {key}: cancelled, database has {status}")
    return lost


def row_counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {table.name: session.exec(select(func.count()).select_from(table)).one()
                for table in SQLModel.metadata.sorted_tables}


def sqlite_integrity(engine) -> str | None:
    """PRAGMA integrity_check's answer on SQLite ("ok" when sound); None on other databases."""
    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as connection:
        return "\n".join(row[0] for row in connection.execute(text("PRAGMA integrity_check")))


def copy_opportunity(engine, how_many: int, marker: str) -> int:
    """Insert `how_many` published copies of the first published opportunity, each titled with `marker`.

    Returns how many published opportunities there are now.
    """
    table = Opportunity.__table__
    with engine.begin() as connection:
        original = connection.execute(select(table).where(table.c.status == Status.PUBLISHED,
                                                          table.c.source == Source.PORTAL)
                                      .order_by(table.c.id).limit(1)).mappings().one()
        rows = []
        for number in range(how_many):
            row = dict(original)
            del row["id"]
            row |= {"slug": f"{marker}-{number}", "ocid": f"ocds-{marker}-{number}",
                    "title": f"{marker.capitalize()} copy {number}: {original['title']}"[:200]}
            rows.append(row)
        connection.execute(table.insert(), rows)
        return connection.execute(select(func.count()).select_from(table)
                                  .where(table.c.status == Status.PUBLISHED)).scalar_one()
