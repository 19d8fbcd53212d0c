"""Upserts checked content into the database, by slug, touching only what changed."""

from datetime import datetime, timezone

from sqlmodel import Session, select

from portal import plain
from portal.clock import LONDON
from portal.content.award_store import sync_awards
from portal.content.voice_store import sync_residents_said
from portal.services import market_questions
from portal.services.market_questions import QuestionValues, same_text
from portal.published_dates import from_content
from portal.services.phases import sync_phases
from portal.slugs import slugify
from portal.places.tagging import default_areas, own_area
from portal.models import (
    EngagementEvent,
    GlossaryTerm,
    GuidancePage,
    Mission,
    Opportunity,
    OpportunityRegion,
    Organisation,
    OrganisationKind,
    Outcome,
    utcnow,
)


def save_bundle(session: Session, bundle, ocid_prefix: str) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}

    def count(created: bool, changed: bool):
        counts["created" if created else "updated" if changed else "unchanged"] += 1

    buyers = {}
    for item in bundle.buyers:
        buyer, created = _get_or_new(session, Organisation, item.slug)
        changed = _assign(
            buyer, name=item.meta.name, kind=OrganisationKind.BUYER, org_type=item.meta.type,
            region=item.meta.region, website=item.meta.website, description_md=item.body,
            area_code=item.meta.local_authority or own_area(item.meta.name),
        )
        buyers[item.slug] = buyer
        count(created, changed)
    session.flush()

    missions, outcomes = {}, {}
    for item in bundle.missions:
        mission, created = _get_or_new(session, Mission, item.slug)
        owner = buyers.get(item.meta.owner) if item.meta.owner else None
        changed = _assign(
            mission, title=item.meta.title, short_title=item.meta.short_title, summary=item.meta.summary,
            body_md=item.body, owner_id=owner.id if owner else None, **_target(item.meta),
        )
        changed |= _sync_outcomes(session, mission, item.meta.outcomes, outcomes)
        if mission.id is None:
            session.flush()
        changed |= sync_residents_said(session, item.meta.residents_said, mission_id=mission.id)
        missions[item.slug] = mission
        count(created, changed)
    session.flush()

    for item in bundle.opportunities:
        opportunity, created = _get_or_new(session, Opportunity, item.slug)
        changed = _save_opportunity(opportunity, item, buyers, missions, outcomes, ocid_prefix)
        session.flush()
        changed |= _sync_events(session, opportunity, item.meta.events)
        changed |= _sync_market_questions(session, opportunity, item.meta.market_questions)
        changed |= sync_awards(session, opportunity, item.meta.awards)
        changed |= sync_residents_said(session, item.meta.residents_said, opportunity_id=opportunity.id)
        count(created, changed)

    for position, item in enumerate(sorted(bundle.guidance, key=lambda i: (i.meta.order, i.slug))):
        page, created = _get_or_new(session, GuidancePage, item.slug)
        count(created, _assign(page, title=item.meta.title, summary=item.meta.summary, body_md=item.body, position=position))

    for entry in bundle.glossary:
        term, created = _get_or_new(session, GlossaryTerm, slugify(entry.term))
        count(created, _assign(term, term=entry.term, definition=entry.definition, also_called=", ".join(entry.also_called)))
    return counts


def _save_opportunity(opportunity, item, buyers, missions, outcomes, ocid_prefix) -> bool:
    meta = item.meta
    market = meta.approach_to_market
    changed = _assign(
        opportunity,
        ocid=meta.ocid or f"{ocid_prefix}-{item.slug}",
        kind=meta.kind, title=meta.title, summary=meta.summary, body_md=item.body, why_md=meta.why,
        buyer_id=buyers[meta.buyer].id, cpv_code=meta.cpv,
        value_min=meta.value.min if meta.value else None,
        value_max=meta.value.max if meta.value else None,
        value_basis=meta.value_basis, bid_facts=meta.bidding.to_json(),
        area_codes=meta.areas if meta.areas is not None else default_areas(buyers[meta.buyer]),
        published_on=meta.published, engagement_closes_on=meta.engagement_closes,
        market_year=market.start_year if market else None,
        market_quarter=market.quarter if market else None,
        contract_length_months=meta.contract_length_months,
        suitable_for_sme=meta.suitable_for_sme, suitable_for_vcse=meta.suitable_for_vcse,
        stage=meta.stage, status=meta.status,
        plain_score=plain.check({"summary": meta.summary, "why": meta.why, "body": item.body}).score,
    )
    wanted_missions = [missions[slug] for slug in meta.missions]
    if {m.slug for m in opportunity.missions} != set(meta.missions):
        opportunity.missions = wanted_missions
        changed = True
    if {o.slug for o in opportunity.outcomes} != set(meta.outcomes):
        opportunity.outcomes = [outcomes[slug] for slug in meta.outcomes]
        changed = True
    changed |= _sync_regions(opportunity, meta.regions)
    changed |= sync_phases(opportunity, meta.phases)
    if meta.status == "published":
        from_content(opportunity, meta.published)
    if changed and opportunity.id is not None:
        opportunity.updated_at = utcnow()
    return changed


def _target(meta) -> dict:
    return dict(measure=meta.measure, baseline=meta.baseline, target=meta.target, target_date=meta.target_date)


def _sync_outcomes(session, mission, entries, outcomes_by_slug) -> bool:
    existing = {o.slug: o for o in mission.outcomes}
    changed = False
    kept = []
    for position, entry in enumerate(entries):
        outcome = existing.get(entry.slug) or session.exec(select(Outcome).where(Outcome.slug == entry.slug)).first()
        if outcome is None:
            outcome, changed = Outcome(slug=entry.slug), True
        changed |= _assign(outcome, title=entry.title, description=entry.description, position=position,
                           **_target(entry))
        kept.append(outcome)
        outcomes_by_slug[entry.slug] = outcome
    if [o.slug for o in mission.outcomes] != [o.slug for o in kept]:
        mission.outcomes = kept
        changed = True
    return changed


def _sync_regions(opportunity, codes: list[str]) -> bool:
    current = {r.region_code for r in opportunity.regions}
    if current == set(codes):
        return False
    opportunity.regions = [r for r in opportunity.regions if r.region_code in codes] + [
        OpportunityRegion(region_code=code) for code in codes if code not in current
    ]
    return True


def _sync_market_questions(session: Session, opportunity, entries) -> bool:
    """The item's questions to suppliers from content. A file that lists none leaves any a buyer added alone."""
    wanted = [QuestionValues(same_text(entry.text), entry.max_words) for entry in entries]
    if not wanted or wanted == [QuestionValues(q.text, q.max_words) for q in market_questions.current(session, opportunity.id)]:
        return False
    market_questions.sync(session, opportunity.id, wanted)
    return True


def _sync_events(session: Session, opportunity, entries) -> bool:
    """Events from content, matched by title. Events added through the portal are left alone."""
    existing = {e.title: e for e in session.exec(select(EngagementEvent).where(EngagementEvent.opportunity_id == opportunity.id))}
    changed = False
    for entry in entries:
        event = existing.get(entry.title)
        if event is None:
            event = EngagementEvent(opportunity_id=opportunity.id, title=entry.title)
            session.add(event)
            changed = True
        changed |= _assign(
            event, kind=entry.kind, description=entry.description, starts_at=_utc(entry.starts), ends_at=_utc(entry.ends),
            location=entry.location, online_link=entry.online_link, capacity=entry.capacity,
            booking_deadline=_utc(entry.booking_deadline),
        )
    return changed


def _utc(local: datetime) -> datetime:
    """A UK wall-clock time from content, in UTC, the way every time is stored."""
    aware = local if local.tzinfo else local.replace(tzinfo=LONDON)
    return aware.astimezone(timezone.utc)


def _get_or_new(session: Session, model, slug: str):
    row = session.exec(select(model).where(model.slug == slug)).first()
    if row is not None:
        return row, False
    row = model(slug=slug)
    session.add(row)
    return row, True


def _assign(row, **values) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed

