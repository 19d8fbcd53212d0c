"""Saving the residents' comments in content files as published contributions, so the demo shows residents' voice.

Accounts cannot live in content/, so every such comment belongs to one demo resident account that nobody can sign in
to: its password hash matches no password, its address is in the reserved .invalid domain (so no reset email can
reach anyone) and it never confirmed that address. Each comment keeps the display name its file gives. The comments
a file gives replace the ones an earlier load made from it; what real residents wrote is left alone."""

from datetime import datetime, time, timezone

from sqlmodel import Session, col, select

from portal.clock import LONDON
from portal.models import Contribution, ContributionStatus, Role, User

DEMO_RESIDENT_EMAIL = "residents-in-the-demo-content@example.invalid"
DEMO_RESIDENT_NAME = "Residents quoted in the demo content"
NO_PASSWORD = "!"  # not a hash of anything: werkzeug's check_password_hash refuses every password against it


def demo_resident(session: Session) -> User:
    user = session.exec(select(User).where(User.email == DEMO_RESIDENT_EMAIL)).first()
    if user is None:
        user = User(email=DEMO_RESIDENT_EMAIL, name=DEMO_RESIDENT_NAME, password_hash=NO_PASSWORD,
                    role=Role.RESIDENT)
        session.add(user)
        session.flush()
    return user


def _at(day) -> datetime:
    """A content comment is approved at 10am, UK time, on its date."""
    return datetime.combine(day, time(10, 0), LONDON).astimezone(timezone.utc)


def _as_entries(contributions: list[Contribution]) -> list[tuple]:
    return [(c.display_name, c.published_text, c.decided_at.replace(tzinfo=None) if c.decided_at else None,
             c.official_response) for c in contributions]


def _wanted(entries) -> list[tuple]:
    return [(e.name, e.said, _at(e.date).replace(tzinfo=None), e.response) for e in entries]


def sync_residents_said(session: Session, entries, *, opportunity_id: int | None = None,
                        mission_id: int | None = None) -> bool:
    """Make the demo resident's published comments on one problem statement or mission match its file."""
    if not entries and session.exec(select(User.id).where(User.email == DEMO_RESIDENT_EMAIL)).first() is None:
        return False
    author = demo_resident(session)
    where = Contribution.opportunity_id == opportunity_id if opportunity_id else Contribution.mission_id == mission_id
    existing = list(session.exec(select(Contribution).where(where, Contribution.author_id == author.id)
                                 .order_by(col(Contribution.decided_at), col(Contribution.id))).all())
    wanted = sorted(entries, key=lambda e: e.date)
    if _as_entries(existing) == _wanted(wanted):
        return False
    for contribution in existing:
        session.delete(contribution)
    session.flush()
    for entry in wanted:
        at = _at(entry.date)
        session.add(Contribution(
            opportunity_id=opportunity_id, mission_id=mission_id, author_id=author.id, text=entry.said,
            published_text=entry.said, status=ContributionStatus.PUBLISHED, display_name=entry.name,
            official_response=entry.response, responded_at=at if entry.response else None,
            created_at=at, decided_at=at))
    session.flush()
    return True
