"""One OCDS release from Contracts Finder or Find a Tender, mapped to our opportunity fields.

Where it comes from, by OCID prefix: ocds-b5fd17 is Contracts Finder and ocds-h6vhtk is Find a Tender. Any
other prefix is recognised only by a link to one of those two sites in the release's documents; otherwise the
release is refused, because we could not link back to it.

Kind: a market engagement notice (Find a Tender UK2, a Contracts Finder early engagement notice, or a planning
release with an engagement milestone) is a problem statement. Every other notice (UK1 pipeline, tender, award,
contract, change and cancellation notices) makes a new opportunity a planned purchase, and leaves an existing
opportunity's kind as it was, so a procurement that began with market engagement stays a problem statement.

Stage, from the tender status first and then the release tags:
- cancelled: tender status cancelled, unsuccessful or withdrawn, or a tenderCancellation release
- awarded: tender status complete, or an award or contract release (award, contract, contractAmendment, ...)
- tender: tender status active, or a tender or tenderAmendment release
- engagement: a market engagement notice (see Kind)
- pipeline: anything else (planning releases, tender status planning or planned)

Regions come from the places the work is delivered (items' and lots' delivery addresses: NUTS or ITL codes,
region names, "England", or the whole UK), or, when the release names none, from the buyer's address.
Values are in pounds only. "Can we bid?" facts (lots, award and selection criteria, contract terms): see
ocds_bid_mapping. Engagement closes on the engagement milestone, else the tender period's end, else
the enquiry period's end.
"""

import re
from datetime import date, datetime

from portal.clock import london
from portal.models import OpportunityKind, Source, Stage
from portal.opendata import notice_text
from portal.opendata.json_values import dict_of as _dict, dicts_of as _list_of_dicts, list_of as _list, moment_of as _moment, text_of as _text
from portal.opendata.ocds_bid_mapping import bid_facts_from, period_months
from portal.opendata.ocds_codes import first_cpv_code, regions_for
from portal.services.notices import Notice, NoticeBuyer

OCID_PREFIXES = {"ocds-b5fd17": Source.CONTRACTS_FINDER, "ocds-h6vhtk": Source.FIND_A_TENDER}
SITES = {
    Source.CONTRACTS_FINDER: "https://www.contractsfinder.service.gov.uk/Notice/",
    Source.FIND_A_TENDER: "https://www.find-tender.service.gov.uk/Notice/",
}
MAX_OCID_LENGTH = 200
MAX_RELEASE_ID_LENGTH = 300
MAX_URL_LENGTH = 500
ENDED = {"cancelled", "unsuccessful", "withdrawn"}
AWARD_TAGS = {"award", "awardUpdate", "contract", "contractUpdate", "contractAmendment", "implementation",
              "implementationUpdate", "contractTermination"}
TENDER_TAGS = {"tender", "tenderUpdate", "tenderAmendment"}
_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_CF_RELEASE_ID = re.compile(rf"^({_GUID})-\d+$")
_CF_PACKAGE_URI = re.compile(rf"/Published/Notice/releases/({_GUID})\.json$")
_FTS_NOTICE_ID = re.compile(r"^\d{6}-\d{4}$")
_NOTICE_URL = {
    Source.CONTRACTS_FINDER: re.compile(rf"^https://www\.contractsfinder\.service\.gov\.uk/Notice/{_GUID}$"),
    Source.FIND_A_TENDER: re.compile(r"^https://www\.find-tender\.service\.gov\.uk/Notice/\d{6}-\d{4}$"),
}


class NoticeProblem(ValueError):
    """A release we cannot import; the message says why, in plain words."""


def map_release(release) -> Notice:
    if not isinstance(release, dict):
        raise NoticeProblem("not a JSON object")
    ocid = _text(release.get("ocid"))
    if not ocid:
        raise NoticeProblem("missing ocid")
    if len(ocid) > MAX_OCID_LENGTH:
        raise NoticeProblem(f"ocid is longer than {MAX_OCID_LENGTH} characters")
    release_id = _text(release.get("id"))
    if not release_id or len(release_id) > MAX_RELEASE_ID_LENGTH:
        raise NoticeProblem(f"{ocid}: missing release id" if not release_id else f"{ocid}: release id is too long")
    released = _moment(release.get("date"))
    if released is None:
        raise NoticeProblem(f"{ocid}: missing or invalid release date")

    tender, planning = _dict(release.get("tender")), _dict(release.get("planning"))
    documents = _documents(release, tender, planning)
    source = _source(ocid, documents)
    title = notice_text.clean_title(tender.get("title")) or notice_text.clean_title(release.get("title"))
    if not title:
        raise NoticeProblem(f"{ocid}: missing title")
    buyer = _buyer(release)
    if buyer is None:
        raise NoticeProblem(f"{ocid}: no buyer named")

    engagement = _is_market_engagement(planning, documents)
    description = notice_text.clean_description(tender.get("description"))
    value_min, value_max = _values(tender)
    lots = _list_of_dicts(tender.get("lots"))
    goes_to_market = _moment(_dict(tender.get("communication")).get("futureNoticeDate"))
    market_year, market_quarter = _financial_quarter(goes_to_market)
    return Notice(
        ocid=ocid, release_id=release_id, release_date=released, source=source, title=title, buyer=buyer,
        stage=_stage(release, tender, engagement),
        slug_hint=f"{notice_text.slugify(title, 70)}-{notice_text.slugify(ocid.split('-', 2)[-1], 8)}".strip("-"),
        source_url=_source_url(source, release, release_id, documents),
        kind=OpportunityKind.PROBLEM_STATEMENT if engagement else None,
        summary=notice_text.summary_of(description) if description else None,
        body_md=description or None,
        cpv_code=first_cpv_code(_classifications(tender)) or None,
        regions=_delivery_regions(tender, lots) or _buyer_regions(release),
        value_min=value_min, value_max=value_max,
        published_at=_moment(tender.get("datePublished")) or released,
        engagement_closes_on=_closing_date(planning, tender),
        market_year=market_year, market_quarter=market_quarter,
        contract_length_months=_contract_months(tender, lots),
        suitable_for_sme=_suitable(tender, lots, "sme", "isSuitableForSme"),
        suitable_for_vcse=_suitable(tender, lots, "vcse", "isSuitableForVco"),
        bid_facts=bid_facts_from(tender, lots),
    )


def _source(ocid: str, documents: list[dict]) -> Source:
    prefix = ocid[:11].lower()
    if prefix in OCID_PREFIXES:
        return OCID_PREFIXES[prefix]
    for source, site in SITES.items():
        if any(_text(d.get("url")).startswith(site) for d in documents):
            return source
    raise NoticeProblem(
        f"{ocid}: the ocid prefix is not Contracts Finder's (ocds-b5fd17) or Find a Tender's (ocds-h6vhtk), "
        "and no document links to either"
    )


def _source_url(source: Source, release: dict, release_id: str, documents: list[dict]) -> str | None:
    """A link to the notice itself: from the release id where it is the notice's id, else from documents."""
    if source == Source.FIND_A_TENDER and _FTS_NOTICE_ID.match(release_id):
        return SITES[source] + release_id
    if source == Source.CONTRACTS_FINDER and (match := _CF_RELEASE_ID.match(release_id)):
        return SITES[source] + match.group(1)
    links = [_text(d.get("url")) for d in documents if _NOTICE_URL[source].match(_text(d.get("url")))]
    if links:
        return links[-1][:MAX_URL_LENGTH]
    package_uri = _text(_dict(release.get("packageInfo")).get("uri"))  # Contracts Finder's 2017 releases
    if source == Source.CONTRACTS_FINDER and (match := _CF_PACKAGE_URI.search(package_uri)):
        return SITES[source] + match.group(1)
    return None


def _stage(release: dict, tender: dict, engagement: bool) -> Stage:
    status = _text(tender.get("status"))
    tags = {tag for tag in _list(release.get("tag")) if isinstance(tag, str)}
    if status in ENDED or "tenderCancellation" in tags:
        return Stage.CANCELLED
    if status == "complete" or tags & AWARD_TAGS:
        return Stage.AWARDED
    if status == "active" or tags & TENDER_TAGS:
        return Stage.TENDER
    return Stage.ENGAGEMENT if engagement else Stage.PIPELINE


def _is_market_engagement(planning: dict, documents: list[dict]) -> bool:
    if any(_text(d.get("documentType")) == "marketEngagementNotice" or _text(d.get("noticeType")) == "UK2"
           for d in documents):
        return True
    return any(_text(m.get("type")) == "engagement" for m in _list_of_dicts(planning.get("milestones")))


def _buyer(release: dict) -> NoticeBuyer | None:
    named = _dict(release.get("buyer"))
    party = _buyer_party(release)
    name = notice_text.clean_title(named.get("name")) or notice_text.clean_title(party.get("name"))
    slug = notice_text.slugify(name)
    if not slug:
        return None
    address_regions = regions_for(_dict(party.get("address")).get("region"))
    website = _text(_dict(party.get("details")).get("url"))
    return NoticeBuyer(
        name=name, slug=slug, region=address_regions[0] if len(address_regions) == 1 else "",
        website=website if website.startswith(("https://", "http://")) and len(website) <= 300 else None,
    )


def _buyer_party(release: dict) -> dict:
    parties = _list_of_dicts(release.get("parties"))
    buyer_id = _dict(release.get("buyer")).get("id")
    return (
        next((p for p in parties if buyer_id and p.get("id") == buyer_id), None)
        or next((p for p in parties if "buyer" in (p.get("roles") or [])), None)
        or {}
    )


def _buyer_regions(release: dict) -> tuple[str, ...]:
    return regions_for(_dict(_buyer_party(release).get("address")).get("region"))


def _delivery_regions(tender: dict, lots: list[dict]) -> tuple[str, ...]:
    addresses = [
        address
        for holder in [tender, *lots, *_list_of_dicts(tender.get("items"))]
        for address in _list_of_dicts(holder.get("deliveryAddresses"))
    ]
    found = set()
    for address in addresses:
        # A region is more exact than a country; a country alone counts only if it is a UK nation or the UK.
        found.update(regions_for(address.get("region")) or regions_for(address.get("countryName")))
    return tuple(sorted(found))


def _classifications(tender: dict) -> list:
    items = _list_of_dicts(tender.get("items"))
    return [
        tender.get("classification"), *_list(tender.get("additionalClassifications")),
        *(item.get("classification") for item in items),
        *(c for item in items for c in _list(item.get("additionalClassifications"))),
    ]


def _values(tender: dict) -> tuple[int | None, int | None]:
    value, low, high = (_pounds(tender.get(key)) for key in ("value", "minValue", "maxValue"))
    top = high if high is not None else value
    bottom = low if low is not None else value
    if top is not None and bottom is not None and bottom > top:
        bottom, top = top, bottom
    return bottom, top


def _pounds(value) -> int | None:
    value = _dict(value)
    amount = value.get("amount")
    if _text(value.get("currency")).upper() != "GBP" or isinstance(amount, bool) or not isinstance(amount, int | float):
        return None
    return round(amount) if 0 <= amount < 10**15 else None


def _closing_date(planning: dict, tender: dict) -> date | None:
    engagement = [m for m in _list_of_dicts(planning.get("milestones")) if _text(m.get("type")) == "engagement"]
    for moment in (
        *(_moment(m.get("dueDate")) for m in engagement),
        _moment(_dict(tender.get("tenderPeriod")).get("endDate")),
        _moment(_dict(tender.get("enquiryPeriod")).get("endDate")),
    ):
        if moment:
            return london(moment).date()
    return None


def _financial_quarter(moment: datetime | None) -> tuple[int | None, int | None]:
    """Our market year and quarter: the financial year starting in April, quarter 1 = April to June."""
    if moment is None:
        return None, None
    day = london(moment).date()
    months_in = (day.month - 4) % 12
    return (day.year if day.month >= 4 else day.year - 1), months_in // 3 + 1


def _contract_months(tender: dict, lots: list[dict]) -> int | None:
    """The contract's length, or else the first lot's that states one."""
    for holder in (tender, *lots):
        months = period_months(_dict(holder.get("contractPeriod")))
        if months:
            return months
    return None


def _suitable(tender: dict, lots: list[dict], key: str, old_key: str) -> bool | None:
    """Suitability from tender.suitability, any lot's suitability, or Contracts Finder's 2017 xClassifications."""
    stated = [
        _dict(holder.get("suitability")).get(key) for holder in (tender, *lots)
    ] + [_dict(tender.get("xClassifications")).get(old_key)]
    flags = [flag for flag in stated if isinstance(flag, bool)]
    return any(flags) if flags else None


def _documents(release: dict, tender: dict, planning: dict) -> list[dict]:
    holders = [planning, tender, *_list_of_dicts(release.get("awards")), *_list_of_dicts(release.get("contracts"))]
    return [d for holder in holders for d in _list_of_dicts(holder.get("documents"))]
