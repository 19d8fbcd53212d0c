"""Reading published opportunities."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_
from sqlalchemy.orm import joinedload, load_only, selectinload
from sqlmodel import Session, col, select

from portal.models import Mission, Opportunity, OpportunityMission, Organisation, Stage, Status
from portal.services.engagement_window import OPEN_STAGES, open_clause
from portal.services.pagination import Page, PageOutOfRange


@dataclass(frozen=True)
class OpportunityFilters:
    kind: str | None = None
    mission: str | None = None  # mission slug
    buyer_id: int | None = None


def _published():
    """Published opportunities as lists show them (cards: title, buyer, stage, value, dates), buyer included in the
    same query; the page of one opportunity loads the rest (`get_published`)."""
    return select(Opportunity).where(Opportunity.status == Status.PUBLISHED).options(joinedload(Opportunity.buyer))


def _filtered(query, filters: OpportunityFilters):
    if filters.kind:
        query = query.where(Opportunity.kind == filters.kind)
    if filters.mission:
        query = query.where(
            col(Opportunity.id).in_(
                select(OpportunityMission.opportunity_id)
                .join(Mission, Mission.id == OpportunityMission.mission_id)
                .where(Mission.slug == filters.mission)
            )
        )
    if filters.buyer_id is not None:
        query = query.where(Opportunity.buyer_id == filters.buyer_id)
    return query


def list_published(session: Session, filters: OpportunityFilters, page: int, size: int) -> Page[Opportunity]:
    """Newest first. Raises PageOutOfRange for a page past the last one."""
    base = _filtered(_published(), filters)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    last_page = max(1, -(-total // size))
    if page > last_page:
        raise PageOutOfRange(last_page)
    items = session.exec(
        base.order_by(col(Opportunity.published_on).desc(), col(Opportunity.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    return Page(items=list(items), number=page, size=size, total=total)


def newest(session: Session, limit: int = 6) -> list[Opportunity]:
    query = _published().order_by(col(Opportunity.published_on).desc(), col(Opportunity.id).desc()).limit(limit)
    return list(session.exec(query).all())


def closing_soon(session: Session, today: date, limit: int = 5) -> list[Opportunity]:
    """Open engagement with a deadline, the soonest first."""
    query = (
        _published()
        .where(open_clause(today), col(Opportunity.engagement_closes_on).is_not(None))
        .order_by(col(Opportunity.engagement_closes_on), col(Opportunity.id))
        .limit(limit)
    )
    return list(session.exec(query).all())


# What a search result's card and feed entry show, and the plain text its extract is cut from: a page of results
# reads only these, not the brief, its answers or its bidding facts.
CARD_FIELDS = (
    Opportunity.slug, Opportunity.title, Opportunity.kind, Opportunity.summary, Opportunity.plain_text,
    Opportunity.buyer_id, Opportunity.source, Opportunity.source_name, Opportunity.stage, Opportunity.status,
    Opportunity.suitable_for_sme, Opportunity.suitable_for_vcse, Opportunity.value_min, Opportunity.value_max,
    Opportunity.value_currency, Opportunity.value_basis, Opportunity.contract_length_months,
    Opportunity.engagement_closes_on, Opportunity.engagement_closed_at, Opportunity.published_on,
    Opportunity.first_published_at, Opportunity.updated_at,
)


def published_in_order(session: Session, ids: list[int]) -> list[Opportunity]:
    """Published opportunities with these ids, in the order given (search results come as ids), as cards."""
    if not ids:
        return []
    query = (select(Opportunity).where(Opportunity.status == Status.PUBLISHED, col(Opportunity.id).in_(ids))
             .options(load_only(*CARD_FIELDS), joinedload(Opportunity.buyer).load_only(Organisation.name)))
    rows = {row.id: row for row in session.exec(query).all()}
    return [rows[i] for i in ids if i in rows]


def get_published(session: Session, slug: str) -> Opportunity | None:
    query = _published().where(Opportunity.slug == slug).options(
        selectinload(Opportunity.missions), selectinload(Opportunity.regions),
        selectinload(Opportunity.outcomes), selectinload(Opportunity.phases),
    )
    return session.exec(query).first()


@dataclass(frozen=True)
class OpenCounts:
    """What the home page counts, each opportunity once: open for ideas (engagement open now), open for bids (at
    tender), and planned (in the pipeline, not yet asking for ideas)."""
    for_ideas: int
    for_bids: int
    planned: int


def open_counts(session: Session, today: date) -> OpenCounts:
    """One pass over the index on (status, stage, engagement_closed_at, engagement_closes_on)."""
    window_open = and_(col(Opportunity.engagement_closed_at).is_(None),
                       or_(col(Opportunity.engagement_closes_on).is_(None), col(Opportunity.engagement_closes_on) >= today))
    rows = session.exec(
        select(Opportunity.stage, window_open, func.count())
        .where(Opportunity.status == Status.PUBLISHED, col(Opportunity.stage).in_((*OPEN_STAGES, Stage.TENDER)))
        .group_by(Opportunity.stage, window_open)
    ).all()
    counted = {(Stage(stage), bool(is_open)): number for stage, is_open, number in rows}
    return OpenCounts(
        for_ideas=sum(counted.get((stage, True), 0) for stage in OPEN_STAGES),
        for_bids=counted.get((Stage.TENDER, True), 0) + counted.get((Stage.TENDER, False), 0),
        planned=counted.get((Stage.PIPELINE, False), 0),
    )


def count_published(session: Session, filters: OpportunityFilters = OpportunityFilters()) -> int:
    base = _filtered(select(Opportunity.id).where(Opportunity.status == Status.PUBLISHED), filters)
    return session.exec(select(func.count()).select_from(base.subquery())).one()
