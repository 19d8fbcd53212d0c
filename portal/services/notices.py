"""Saving notices imported from OCDS publishers (Contracts Finder, Find a Tender and others) as read-only opportunities.

One procurement (OCID) is one opportunity. A newer release updates it; an older one, or the same release
again, changes nothing; an opportunity published on this portal is never touched. Fields a release does not
state (None, or no regions) keep what an earlier release said, the way OCDS merges releases.
"""

from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import StrEnum

from sqlmodel import Session, select

from portal.clock import as_utc, london
from portal.places.tagging import own_area
from portal.models import (
    Opportunity,
    OpportunityKind,
    OpportunityRegion,
    Organisation,
    OrganisationKind,
    Source,
    Status,
    utcnow,
)
from portal.services.publishing import tell_followers_of_changes


@dataclass(frozen=True)
class NoticeBuyer:
    name: str
    slug: str
    region: str = ""  # ITL1
    website: str | None = None


@dataclass(frozen=True)
class Notice:
    """One OCDS release, mapped to our fields. None means the release does not say."""
    ocid: str
    release_id: str
    release_date: datetime  # aware
    source: Source
    title: str
    buyer: NoticeBuyer
    stage: str
    slug_hint: str  # used only when the opportunity is created
    source_url: str | None = None
    source_name: str | None = None  # the publisher's own name, for Source.OTHER
    kind: str | None = None  # only a market engagement notice sets it; see ocds_mapping
    summary: str | None = None
    body_md: str | None = None
    cpv_code: str | None = None
    regions: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # council areas (portal.places codes) the notice names
    value_min: int | None = None
    value_max: int | None = None
    value_currency: str | None = None  # None for pounds
    published_at: datetime | None = None  # aware; when the notice first went public
    engagement_closes_on: date | None = None
    market_year: int | None = None
    market_quarter: int | None = None
    contract_length_months: int | None = None
    suitable_for_sme: bool | None = None
    suitable_for_vcse: bool | None = None
    bid_facts: dict | None = None  # BidFacts.to_json(); None when the release states none


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    OLDER = "older"


class PortalOwned(Exception):
    """An opportunity published on this portal already has the notice's OCID."""


def save_notice(session: Session, notice: Notice) -> tuple[Outcome, Opportunity]:
    """Add or update the notice's opportunity in the session, without committing. Raises PortalOwned."""
    opportunity = session.exec(select(Opportunity).where(Opportunity.ocid == notice.ocid)).first()
    if opportunity is not None and opportunity.source == Source.PORTAL:
        raise PortalOwned(notice.ocid)
    if opportunity is None:
        opportunity = _new_opportunity(session, notice)
        session.add(opportunity)
        session.flush()
        return Outcome.CREATED, opportunity
    if opportunity.source_release_id == notice.release_id:
        return Outcome.UNCHANGED, opportunity
    if opportunity.source_release_date and notice.release_date < as_utc(opportunity.source_release_date):
        return Outcome.OLDER, opportunity
    _update(session, opportunity, notice)
    session.flush()
    return Outcome.UPDATED, opportunity


def _new_opportunity(session: Session, notice: Notice) -> Opportunity:
    published_at = notice.published_at or notice.release_date
    opportunity = Opportunity(
        slug=_free_slug(session, notice), ocid=notice.ocid, source=notice.source,
        kind=notice.kind or OpportunityKind.PIPELINE_ITEM, status=Status.PUBLISHED,
        title=notice.title, summary=notice.summary or "", body_md=notice.body_md or "",
        buyer_id=_external_buyer(session, notice.buyer).id, cpv_code=notice.cpv_code or "",
        stage=notice.stage, published_on=london(published_at).date(), first_published_at=_utc(published_at),
        regions=[OpportunityRegion(region_code=code) for code in notice.regions],
    )
    _assign_stated(opportunity, notice)
    return opportunity


def _update(session: Session, opportunity: Opportunity, notice: Notice) -> None:
    opportunity.buyer_id = _external_buyer(session, notice.buyer).id  # may flush, so it goes first
    opportunity.title, opportunity.stage = notice.title, notice.stage
    if notice.kind:
        opportunity.kind = notice.kind
    for name in ("summary", "body_md", "cpv_code"):
        if getattr(notice, name):
            setattr(opportunity, name, getattr(notice, name))
    _assign_stated(opportunity, notice)
    if notice.published_at and (
        opportunity.first_published_at is None or notice.published_at < as_utc(opportunity.first_published_at)
    ):
        opportunity.first_published_at = _utc(notice.published_at)
        opportunity.published_on = london(notice.published_at).date()
    tell_followers_of_changes(session, opportunity)
    if notice.regions and set(notice.regions) != set(opportunity.region_codes):
        kept = [r for r in opportunity.regions if r.region_code in notice.regions]
        opportunity.regions = kept + [
            OpportunityRegion(region_code=code) for code in notice.regions if code not in opportunity.region_codes
        ]
    opportunity.updated_at = utcnow()


def _assign_stated(opportunity: Opportunity, notice: Notice) -> None:
    opportunity.source_release_id = notice.release_id
    opportunity.source_release_date = _utc(notice.release_date)
    if notice.source_url:
        opportunity.source_url = notice.source_url
    if notice.source_name:
        opportunity.source_name = notice.source_name
    if notice.value_min is not None or notice.value_max is not None:
        opportunity.value_min, opportunity.value_max = notice.value_min, notice.value_max
        opportunity.value_currency = notice.value_currency
    for name in ("engagement_closes_on", "contract_length_months", "suitable_for_sme", "suitable_for_vcse"):
        if getattr(notice, name) is not None:
            setattr(opportunity, name, getattr(notice, name))
    if notice.market_year:
        opportunity.market_year, opportunity.market_quarter = notice.market_year, notice.market_quarter
    if notice.bid_facts is not None:
        opportunity.bid_facts = notice.bid_facts
    if notice.areas:
        opportunity.area_codes = list(notice.areas)


def _external_buyer(session: Session, buyer: NoticeBuyer) -> Organisation:
    """The buyer named in a notice, shared by all its notices. A portal organisation's slug is never reused."""
    slug = buyer.slug
    found = session.exec(select(Organisation).where(Organisation.slug == slug)).first()
    if found is not None and found.kind != OrganisationKind.EXTERNAL_BUYER:
        slug = f"{slug}-external"
        found = session.exec(select(Organisation).where(Organisation.slug == slug)).first()
    if found is not None:
        if not found.region and buyer.region:
            found.region = buyer.region
        if not found.website and buyer.website:
            found.website = buyer.website
        return found
    organisation = Organisation(slug=slug, name=buyer.name, kind=OrganisationKind.EXTERNAL_BUYER, org_type="",
                                region=buyer.region, website=buyer.website, area_code=own_area(buyer.name))
    session.add(organisation)
    session.flush()
    return organisation


def _free_slug(session: Session, notice: Notice) -> str:
    for slug in (notice.slug_hint, notice.ocid.lower()[:120]):
        if session.exec(select(Opportunity.id).where(Opportunity.slug == slug)).first() is None:
            return slug
    return f"{notice.ocid.lower()}-{notice.release_id.lower()}"[:120]


def _utc(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(timezone.utc)
