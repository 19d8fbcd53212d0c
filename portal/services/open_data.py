"""Open data files: the opportunities buyers publish on this portal, as OCDS release packages and a CSV file.

Only published opportunities from this portal are shared. Drafts are left out, and so are copies of Contracts Finder
and Find a Tender notices: those services publish their own data. An opportunity the buyer withdrew with a reason
stays in the OCDS releases (its tender status "withdrawn", the reason as the amendment's rationale), so that anyone
who took an earlier release learns what happened; it leaves the CSV file.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, exists, func, or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from portal.clock import as_utc
from portal.models import EngagementEvent, Opportunity, Source, Status, StopKind, StopNotice, utcnow
from portal.opendata import csv_export, ocds
from portal.security import external_url
from portal.services.pagination import Page, PageOutOfRange
from portal.services.awards import awards_by_item
from portal.services.withdrawals import current_notices

RELEASES_PER_PAGE = 100
PUBLISHER_NAME = "Opportunity Portal"


@dataclass(frozen=True)
class DataSummary:
    """What the /data page says about the files."""
    count: int
    updated: datetime | None
    example_slug: str | None


def _exported(with_withdrawn: bool = False):
    shown = Opportunity.status == Status.PUBLISHED
    if with_withdrawn:
        withdrawn_with_reason = exists().where(StopNotice.opportunity_id == Opportunity.id,
                                               StopNotice.kind == StopKind.WITHDRAWN)
        shown = or_(shown, and_(Opportunity.status == Status.WITHDRAWN, withdrawn_with_reason))
    return (
        select(Opportunity)
        .where(shown, Opportunity.source == Source.PORTAL)
        .options(
            selectinload(Opportunity.buyer), selectinload(Opportunity.missions),
            selectinload(Opportunity.regions), selectinload(Opportunity.phases),
        )
    )


def _events_by_opportunity(session: Session, ids: list[int]) -> dict[int, list[EngagementEvent]]:
    events = defaultdict(list)
    if ids:
        query = select(EngagementEvent).where(col(EngagementEvent.opportunity_id).in_(ids)).order_by(EngagementEvent.starts_at)
        for event in session.exec(query):
            events[event.opportunity_id].append(event)
    return events


def _publisher() -> ocds.Publisher:
    return ocds.Publisher(
        name=PUBLISHER_NAME,
        uri=external_url("home.index"),
        publication_policy=external_url("data.index"),
    )


def _releases(session: Session, opportunities: list[Opportunity], today: date) -> list[dict]:
    events = _events_by_opportunity(session, [o.id for o in opportunities])
    stopped = current_notices(session, opportunities)
    won = awards_by_item(session, [o.id for o in opportunities])
    return [ocds.release(o, events[o.id], today, stopped.get(o.id), won.get(o.id, [])) for o in opportunities]


def _published_date(releases: list[dict]) -> datetime:
    """The last change to what the package holds; the release dates are all UTC, so they sort as text."""
    if not releases:
        return utcnow()
    return datetime.fromisoformat(max(r["date"] for r in releases))


def _releases_url(page: int) -> str:
    return external_url("data.releases", **({"page": page} if page > 1 else {}))


def summary(session: Session) -> DataSummary:
    ids = select(Opportunity.id).where(Opportunity.status == Status.PUBLISHED, Opportunity.source == Source.PORTAL)
    count = session.exec(select(func.count()).select_from(ids.subquery())).one()
    latest = session.exec(
        select(Opportunity.slug, Opportunity.updated_at)
        .where(Opportunity.status == Status.PUBLISHED, Opportunity.source == Source.PORTAL)
        .order_by(col(Opportunity.updated_at).desc(), col(Opportunity.id).desc())
    ).first()
    return DataSummary(count, as_utc(latest.updated_at) if latest else None, latest.slug if latest else None)


def release_package_page(session: Session, page: int, today: date, size: int = RELEASES_PER_PAGE) -> dict:
    """One page of the release package of every exported opportunity, oldest first so pages stay stable.
    Raises PageOutOfRange for a page past the last one."""
    total = session.exec(select(func.count()).select_from(_exported(with_withdrawn=True).subquery())).one()
    listing = Page(items=[], number=page, size=size, total=total)
    if page > listing.count:
        raise PageOutOfRange(listing.count)
    opportunities = list(session.exec(_exported(with_withdrawn=True).order_by(Opportunity.id)
                                      .offset((page - 1) * size).limit(size)).all())
    releases = _releases(session, opportunities, today)
    links = {}
    if listing.has_next:
        links["next"] = _releases_url(page + 1)
    if listing.has_previous:
        links["prev"] = _releases_url(page - 1)
    return ocds.release_package(releases, uri=_releases_url(page), published=_published_date(releases),
                                publisher=_publisher(), links=links)


def release_package_for(session: Session, slug: str, today: date) -> dict | None:
    """A release package holding the one exported opportunity with this slug, or None."""
    opportunity = session.exec(_exported(with_withdrawn=True).where(Opportunity.slug == slug)).first()
    if opportunity is None:
        return None
    releases = _releases(session, [opportunity], today)
    return ocds.release_package(releases, uri=external_url("data.release", slug=slug),
                                published=_published_date(releases), publisher=_publisher())


def opportunities_csv(session: Session) -> str:
    opportunities = session.exec(_exported().order_by(Opportunity.id)).all()
    won = awards_by_item(session, [o.id for o in opportunities])
    return csv_export.write_csv(
        csv_export.row(o, external_url("opportunities.show", slug=o.slug), won.get(o.id, [])) for o in opportunities
    )
