"""Open Contracting Data Standard (OCDS) 1.1 releases and release packages, built from our opportunities.

Pure functions: give them an opportunity (buyer, regions and phases loaded) and its engagement events, and
they return plain dicts ready for JSON. Field meanings: https://standard.open-contracting.org/1.1/en/schema/
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from portal import reference
from portal.bidding.facts import facts_of
from portal.clock import LONDON, as_utc, london
from portal.models import EngagementEvent, Opportunity, Stage, Status, StopKind, StopNotice
from portal.opendata.market_dates import approach_to_market_date
from portal.opendata.ocds_awards import award_sections
from portal.opendata.ocds_bidding import gbp, tender_fields, value_fields, whole_range
from portal.opendata.plain_text import markdown_to_text
from portal.presenters import EVENT_KIND_LABELS, long_date, market_quarter, money, opportunity_value

OCDS_VERSION = "1.1"
_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/{}/master/extension.json"
LICENCE_URL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
EXTENSIONS = [
    # items[].deliveryAddresses and items[].deliveryLocations
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/master/extension.json",
    # tender.lots, tender.lotDetails; suitability.sme on the tender and lots
    _EXTENSION.format("ocds_lots_extension"),
    _EXTENSION.format("ocds_suitability_extension"),
    # lots[].awardCriteria; tender.selectionCriteria, .contractTerms, .subcontractingTerms, .otherRequirements
    _EXTENSION.format("ocds_awardCriteria_extension"),
    _EXTENSION.format("ocds_selectionCriteria_extension"),
    _EXTENSION.format("ocds_contractTerms_extension"),
    _EXTENSION.format("ocds_subcontracting_extension"),
    _EXTENSION.format("ocds_otherRequirements_extension"),
    # suitability.vcse, awardCriteria.description, lotDetails.noLotsDivisionRationale, Period.durationInMonths and
    # the smeVcse reservation, as Find a Tender publishes them
    "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json",
    # contracts[].agreedMetrics and contracts[].implementation.metrics: each contract's KPIs and their results
    _EXTENSION.format("ocds_metrics_extension"),
    # parties[].details.scale: "sme" or "large" for each supplier that won
    _EXTENSION.format("ocds_partyDetails_scale_extension"),
    # links.next and links.prev on paged packages
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_pagination_extension/master/extension.json",
]

# Our stage decides the release tag (closed releaseTag codelist) and tender.status (closed tenderStatus codelist).
RELEASE_TAGS = {
    Stage.PIPELINE: "planning",
    Stage.ENGAGEMENT: "planning",
    Stage.TENDER: "tender",
    Stage.AWARDED: "award",
    Stage.CANCELLED: "tenderCancellation",
}
TENDER_STATUSES = {
    Stage.ENGAGEMENT: "planning",  # early engagement that can still shape what is bought
    Stage.TENDER: "active",
    Stage.AWARDED: "complete",
    Stage.CANCELLED: "cancelled",
}


@dataclass(frozen=True)
class Publisher:
    name: str
    uri: str  # the portal's home page
    publication_policy: str  # the page that says what we publish and under which licence


def release(opportunity: Opportunity, events: list[EngagementEvent], today: date,
            stopped: StopNotice | None = None, awards: list = ()) -> dict:
    """One release describing the opportunity as it is now. Its id changes whenever the opportunity does.
    `stopped`: why it was withdrawn or cancelled, if it was. `awards`: its awards, suppliers, KPIs and results loaded."""
    changed = max([version_time(opportunity, events), *(_award_changed(award) for award in awards)])
    buyer = opportunity.buyer
    withdrawn = opportunity.status == Status.WITHDRAWN
    result = {
        "ocid": opportunity.ocid,
        "id": f"{opportunity.ocid}-{changed:%Y%m%dT%H%M%SZ}",
        "date": _datetime(changed),
        # A withdrawal is told as an amendment to the tender, whose rationale is the buyer's reason.
        "tag": ["tenderAmendment" if withdrawn else RELEASE_TAGS[Stage(opportunity.stage)]],
        "initiationType": "tender",
        "language": "en",
        "parties": [_buyer_party(buyer)],
        "buyer": {"id": buyer.slug, "name": buyer.name},
    }
    planning = _planning(opportunity, events, today)
    if planning:
        result["planning"] = planning
    result["tender"] = _tender(opportunity, today)
    if stopped is not None:
        result["tender"]["amendments"] = [_stop_amendment(stopped)]
    if awards:
        suppliers, result["awards"], contracts = award_sections(opportunity.ocid, list(awards), today)
        result["parties"] += suppliers
        if contracts:
            result["contracts"] = contracts
        if opportunity.status == Status.PUBLISHED and opportunity.stage == Stage.AWARDED:
            result["tag"] = ["award", "contract"] + (["implementation"] if any("implementation" in c for c in contracts) else [])
    elif opportunity.stage == Stage.AWARDED:
        result["awards"] = [{
            "id": f"{opportunity.ocid}-award-1",
            "status": "active",
            "description": "The buyer has awarded a contract but has not yet recorded who won it on this portal.",
        }]
    return result


def _award_changed(award) -> datetime:
    """A new KPI result changes the release: its id and date follow the latest published result."""
    return max([as_utc(award.created_at), *(as_utc(r.published_at) for kpi in award.kpis for r in kpi.results)])


def release_package(releases: list[dict], *, uri: str, published: datetime, publisher: Publisher,
                    links: dict[str, str] | None = None) -> dict:
    """A release package; `links` holds `next` and `prev` page addresses when the package is one page of many."""
    package = {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": EXTENSIONS,
        "publishedDate": _datetime(published),
        "publisher": {"name": publisher.name, "uri": publisher.uri},
        "license": LICENCE_URL,
        "publicationPolicy": publisher.publication_policy,
        "releases": releases,
    }
    if links:
        package["links"] = links
    return package


def version_time(opportunity: Opportunity, events: list[EngagementEvent]) -> datetime:
    """When the published information last changed: the opportunity, or a new engagement event."""
    return max([as_utc(opportunity.updated_at), *(as_utc(event.created_at) for event in events)])


def cpv_classification(cpv_code: str) -> dict:
    """CPV without its check digit, the way Contracts Finder and Find a Tender publish it."""
    found = reference.cpv(cpv_code)
    classification = {"scheme": "CPV", "id": cpv_code.split("-")[0]}
    if found:
        classification["description"] = found.label
    return classification


def _buyer_party(buyer) -> dict:
    party = {"id": buyer.slug, "name": buyer.name, "roles": ["buyer"]}
    region = reference.regions().get(buyer.region)
    if region:
        party["address"] = {"region": region.name, "countryName": "United Kingdom"}
    if buyer.website:
        party["details"] = {"url": buyer.website}
    return party


def _planning(opportunity: Opportunity, events: list[EngagementEvent], today: date) -> dict:
    planning = {}
    rationale = markdown_to_text(opportunity.why_md)
    if rationale:
        planning["rationale"] = rationale
    if opportunity.value_min is not None or opportunity.value_max is not None:
        planning["budget"] = {"description": f"Estimated value: {opportunity_value(opportunity)}"}
        whole = _whole_value(opportunity)
        top = whole and (whole[1] if whole[1] is not None else whole[0])
        if top is not None:
            planning["budget"]["amount"] = gbp(top)
    milestones = [_event_milestone(event, today) for event in sorted(events, key=lambda e: e.starts_at)]
    closes = opportunity.engagement_closes_on
    if closes and opportunity.stage != Stage.TENDER:  # when bids are open, the closing date is tenderPeriod.endDate
        milestones.append(_deadline_milestone(closes, today))
    market = _market_milestone(opportunity)
    if market:
        milestones.append(market)
    if milestones:
        planning["milestones"] = milestones
    return planning


def _event_milestone(event: EngagementEvent, today: date) -> dict:
    where = f" at {event.location}" if event.location else ""
    details = markdown_to_text(event.description)
    milestone = {
        "id": f"event-{event.id}",
        "title": event.title,
        "type": "engagement",
        "description": f"{EVENT_KIND_LABELS.get(event.kind, event.kind)}{where}." + (f" {details}" if details else ""),
        "dueDate": _datetime(event.starts_at),
    }
    if as_utc(event.ends_at).astimezone(LONDON).date() < today:
        milestone.update(status="met", dateMet=_datetime(event.ends_at))
    else:
        milestone["status"] = "scheduled"
    return milestone


def _deadline_milestone(closes: date, today: date) -> dict:
    milestone = {
        "id": "engagement-closes",
        "title": "Engagement closes",
        "type": "engagement",
        "description": f"The last day to respond to the buyer's engagement: {long_date(closes)}.",
        "dueDate": _end_of_day(closes),
    }
    if closes < today:
        milestone.update(status="met", dateMet=_end_of_day(closes))
    else:
        milestone["status"] = "scheduled"
    return milestone


def _market_milestone(opportunity: Opportunity) -> dict | None:
    starts = approach_to_market_date(opportunity.market_year, opportunity.market_quarter)
    if not starts:
        return None
    milestone = {
        "id": "approach-to-market",
        "title": "Goes to market",
        "type": "preProcurement",
        "code": "approachToMarket",
        "description": ("The buyer expects to invite bids " if opportunity.stage in (Stage.PIPELINE, Stage.ENGAGEMENT)
                        else "The buyer planned to invite bids ")
                       + f"{market_quarter(opportunity.market_year, opportunity.market_quarter)}.",
        "dueDate": _start_of_day(starts),
    }
    if opportunity.stage in (Stage.PIPELINE, Stage.ENGAGEMENT):
        milestone["status"] = "scheduled"
    return milestone


def _tender(opportunity: Opportunity, today: date) -> dict:
    classification = cpv_classification(opportunity.cpv_code)
    item = {"id": "1", "description": opportunity.title, "classification": classification}
    regions = [reference.regions()[code] for code in opportunity.region_codes if code in reference.regions()]
    if regions:
        item["deliveryAddresses"] = [{"region": r.name, "countryName": "United Kingdom"} for r in regions]
        item["deliveryLocations"] = [
            {"id": r.code, "description": r.name, "gazetteer": {"scheme": "NUTS", "identifiers": [r.nuts_code]}}
            for r in regions
        ]
    tender = {
        "id": opportunity.ocid,
        "title": opportunity.title,
        "description": opportunity.summary,
        "status": _tender_status(opportunity),
        "mainProcurementCategory": _procurement_category(opportunity.cpv_code),
        "classification": classification,
        "items": [item],
        **value_fields(*(_whole_value(opportunity) or (None, None))),
        "suitability": {"sme": opportunity.suitable_for_sme, "vcse": opportunity.suitable_for_vcse},
        **tender_fields(facts_of(opportunity), opportunity),
    }
    if opportunity.stage == Stage.TENDER and opportunity.engagement_closes_on:
        tender["tenderPeriod"] = {"endDate": _end_of_day(opportunity.engagement_closes_on)}
    if opportunity.phases:
        tender["milestones"] = [_phase_milestone(phase) for phase in opportunity.phases]
    return tender


def _stop_amendment(notice: StopNotice) -> dict:
    """OCDS 1.1 has no tender.statusDetails (an extension adds it): an amendment's rationale is the core field for
    why the tender changed."""
    did = "withdrew this opportunity from the portal" if notice.kind == StopKind.WITHDRAWN else \
        "cancelled this procurement: it is not going ahead"
    return {
        "id": f"{notice.kind}-{notice.id}",
        "date": _datetime(notice.made_at),
        "description": f"The buyer {did} on {long_date(london(notice.made_at).date())}.",
        "rationale": notice.reason,
    }


def _tender_status(opportunity: Opportunity) -> str:
    if opportunity.status == Status.WITHDRAWN:
        return "withdrawn"
    if opportunity.stage == Stage.PIPELINE:
        # A pipeline item with a date to go to market is scheduled; without one it is still being considered.
        return "planned" if opportunity.market_year and opportunity.market_quarter else "planning"
    return TENDER_STATUSES[Stage(opportunity.stage)]


def _procurement_category(cpv_code: str) -> str:
    """CPV divisions 03 to 44 and 48 are goods, 45 is works, the rest are services."""
    division = int(cpv_code[:2])
    if division == 45:
        return "works"
    return "goods" if division <= 44 or division == 48 else "services"


def _whole_value(opportunity: Opportunity) -> tuple[int | None, int | None] | None:
    """OCDS values are for the whole contract: a yearly value counts for its length, and is left out (the budget's
    description still gives it) when the length is not known."""
    return whole_range(opportunity.value_min, opportunity.value_max, opportunity.value_basis,
                       opportunity.contract_length_months)


def _phase_milestone(phase) -> dict:
    funding = f" Funding: {money(phase.funding)}." if phase.funding else ""
    text = f"Runs from {long_date(phase.starts_on)} to {long_date(phase.ends_on)}.{funding}"
    return {
        "id": f"phase-{phase.position + 1}",
        "title": phase.name,
        "type": "delivery",
        "code": "challengePhase",
        "description": f"{text} {phase.description}".strip(),
        "dueDate": _end_of_day(phase.ends_on),
    }


def _datetime(moment: datetime) -> str:
    return as_utc(moment).isoformat(timespec="seconds").replace("+00:00", "Z")


def _start_of_day(day: date) -> str:
    return datetime.combine(day, time(0, 0), LONDON).isoformat()


def _end_of_day(day: date) -> str:
    """Deadlines are the end of the day, UK time, as Contracts Finder gives them."""
    return datetime.combine(day, time(23, 59, 59), LONDON).isoformat()
