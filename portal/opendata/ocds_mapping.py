"""One OCDS release from any UK publisher, mapped to our opportunity fields, with warnings about what we assumed.

Where it comes from: see publishers (the ocid prefix, then the notice's web address, then the package's
publisher; a publisher we do not know is imported under its own name). The link back is, in order: the
notice's own page worked out from a Contracts Finder or Find a Tender release id, a notice document's URL, the
release's `uri`, then the publisher's `uri`; a notice with none is imported with a warning.

A release without an `id` gets one made of its ocid and date, with a warning. Every reason a release cannot be
imported is given, not only the first.

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
A whole-UK place ("UK", "GB", "United Kingdom") beside finer ones means the finer ones.
Values keep their currency (value_currency: None for pounds); values held only on lots are summed when the lots
share one currency. "Can we bid?" facts (lots, award and selection criteria, contract terms): see
ocds_bid_mapping. Engagement closes on the engagement milestone, else the tender period's end, else
the enquiry period's end.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from portal.clock import london
from portal.models import OpportunityKind, Source, Stage
from portal.opendata import notice_text
from portal.opendata.json_values import dict_of as _dict, dicts_of as _list_of_dicts, list_of as _list, moment_of as _moment, text_of as _text
from portal.opendata.ocds_bid_mapping import bid_facts_from, period_months
from portal.places import authorities
from portal.places.tagging import is_region_name, own_area
from portal.opendata.ocds_codes import first_cpv_code, whole_uk_regions, regions_for
from portal.opendata.publishers import Recognised, host_of, recognise
from portal.services.notices import Notice, NoticeBuyer

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
_CURRENCY = re.compile(r"^[A-Z]{3}$")
NOTICE_DOCUMENT_TYPES = {"tenderNotice", "contractNotice", "awardNotice", "contractAwardNotice", "plannedProcurementNotice",
                         "marketEngagementNotice", "contractTerminationNotice", "contractChangeNotice"}
_NOTICE_URL = {
    Source.CONTRACTS_FINDER: re.compile(rf"^https://www\.contractsfinder\.service\.gov\.uk/Notice/{_GUID}$"),
    Source.FIND_A_TENDER: re.compile(r"^https://www\.find-tender\.service\.gov\.uk/Notice/\d{6}-\d{4}$"),
}


class NoticeProblem(ValueError):
    """A release we cannot import; `reasons` says every reason why, in plain words."""

    def __init__(self, *reasons: str):
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


@dataclass(frozen=True)
class Mapped:
    notice: Notice
    warnings: tuple[str, ...] = ()


def map_release(release, package: dict | None = None) -> Notice:
    return read_release(release, package).notice


def read_release(release, package: dict | None = None) -> Mapped:
    """The release as a Notice, with a warning for each thing we assumed. Raises NoticeProblem with every reason."""
    if not isinstance(release, dict):
        raise NoticeProblem("not a JSON object")
    package = package if isinstance(package, dict) else {}
    reasons, warnings = [], []
    ocid = _text(release.get("ocid"))
    if not ocid:
        reasons.append("missing ocid")
    elif len(ocid) > MAX_OCID_LENGTH:
        reasons.append(f"ocid is longer than {MAX_OCID_LENGTH} characters")
    released = _moment(release.get("date"))
    if released is None:
        reasons.append("missing or invalid release date")
    release_id = _text(release.get("id"))
    if len(release_id) > MAX_RELEASE_ID_LENGTH:
        reasons.append("release id is too long")
    elif not release_id and ocid and released is not None:
        release_id = f"{ocid}-{released.strftime('%Y-%m-%dT%H:%M:%SZ')}"[:MAX_RELEASE_ID_LENGTH]
        warnings.append(f"no release id, so we made one from its ocid and date ({release_id})")
    elif not release_id:
        reasons.append("missing release id")

    tender, planning = _dict(release.get("tender")), _dict(release.get("planning"))
    documents = _documents(release, tender, planning)
    title = notice_text.clean_title(tender.get("title")) or notice_text.clean_title(release.get("title"))
    if not title:
        reasons.append("missing title")
    buyer = _buyer(release)
    if buyer is None:
        reasons.append("no buyer named")
    if reasons:
        raise NoticeProblem(*reasons)

    publisher_uri = _text(_dict(package.get("publisher")).get("uri"))
    recognised = recognise(ocid, [_text(d.get("url")) for d in documents] + [_text(release.get("uri"))], package)
    if recognised is None:
        recognised = Recognised(Source.OTHER)
        warnings.append("we could not tell who published it: its ocid prefix, links and package do not say")
    source = recognised.source
    source_url = _source_url(source, release, release_id, documents, publisher_uri)
    if not source_url:
        warnings.append("no link back to the original notice: no notice document, release uri or publisher uri")

    engagement = _is_market_engagement(planning, documents)
    description = notice_text.clean_description(tender.get("description"))
    lots = _list_of_dicts(tender.get("lots"))
    value_min, value_max, currency = _values(tender, lots, warnings)
    goes_to_market = _moment(_dict(tender.get("communication")).get("futureNoticeDate"))
    market_year, market_quarter = _financial_quarter(goes_to_market)
    notice = Notice(
        ocid=ocid, release_id=release_id, release_date=released, source=source, source_name=recognised.name,
        title=title, buyer=buyer,
        stage=_stage(release, tender, engagement),
        slug_hint=f"{notice_text.slugify(title, 70)}-{notice_text.slugify(ocid.split('-', 2)[-1], 8)}".strip("-"),
        source_url=source_url,
        kind=OpportunityKind.PROBLEM_STATEMENT if engagement else None,
        summary=notice_text.summary_of(description) if description else None,
        body_md=description or None,
        cpv_code=first_cpv_code(_classifications(tender)) or None,
        regions=_delivery_regions(tender, lots) or _buyer_regions(release),
        areas=notice_areas(release, tender, lots, buyer.name),
        value_min=value_min, value_max=value_max, value_currency=currency,
        published_at=_moment(tender.get("datePublished")) or released,
        engagement_closes_on=_closing_date(planning, tender),
        market_year=market_year, market_quarter=market_quarter,
        contract_length_months=_contract_months(tender, lots),
        suitable_for_sme=_suitable(tender, lots, "sme", "isSuitableForSme"),
        suitable_for_vcse=_suitable(tender, lots, "vcse", "isSuitableForVco"),
        bid_facts=bid_facts_from(tender, lots),
    )
    return Mapped(notice, tuple(warnings))


def _source_url(source: Source, release: dict, release_id: str, documents: list[dict], publisher_uri: str) -> str | None:
    """A link to the notice itself: from the release id where it is the notice's id, else a notice document,
    else the release's uri, else the publisher's."""
    if source == Source.FIND_A_TENDER and _FTS_NOTICE_ID.match(release_id):
        return SITES[source] + release_id
    if source == Source.CONTRACTS_FINDER and (match := _CF_RELEASE_ID.match(release_id)):
        return SITES[source] + match.group(1)
    if source in _NOTICE_URL:
        links = [_text(d.get("url")) for d in documents if _NOTICE_URL[source].match(_text(d.get("url")))]
    else:
        links = [_text(d.get("url")) for d in documents
                 if _text(d.get("documentType")) in NOTICE_DOCUMENT_TYPES and host_of(_text(d.get("url")))]
    links = [link for link in links if len(link) <= MAX_URL_LENGTH]
    if links:
        return links[-1]
    package_uri = _text(_dict(release.get("packageInfo")).get("uri"))  # Contracts Finder's 2017 releases
    if source == Source.CONTRACTS_FINDER and (match := _CF_PACKAGE_URI.search(package_uri)):
        return SITES[source] + match.group(1)
    for uri in (_text(release.get("uri")), publisher_uri):
        if host_of(uri) and len(uri) <= MAX_URL_LENGTH:
            return uri
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


def notice_areas(release: dict, tender: dict, lots: list[dict], buyer_name: str) -> tuple[str, ...]:
    """The council areas a notice names: the towns or areas of its delivery addresses, else its buyer if the buyer
    is a council, else the town of the buyer's address. A region's name ("West Midlands") is a region, never the
    combined authority of the same name."""
    holders = [tender, *lots, *_list_of_dicts(tender.get("items"))]
    places = [_text(address.get(key)) for holder in holders for address in _list_of_dicts(holder.get("deliveryAddresses"))
              for key in ("locality", "region")]
    found = [authority.code for place in places
             if place and not is_region_name(place) and (authority := authorities.find(place))]
    if not found and (own := own_area(buyer_name)):
        found = [own]
    if not found and (authority := authorities.find(_text(_dict(_buyer_party(release).get("address")).get("locality")))):
        found = [authority.code]
    return tuple(dict.fromkeys(found))


def _buyer_regions(release: dict) -> tuple[str, ...]:
    return regions_for(_dict(_buyer_party(release).get("address")).get("region"))


def _delivery_regions(tender: dict, lots: list[dict]) -> tuple[str, ...]:
    addresses = [
        address
        for holder in [tender, *lots, *_list_of_dicts(tender.get("items"))]
        for address in _list_of_dicts(holder.get("deliveryAddresses"))
    ]
    found, whole_uk = set(), False
    for address in addresses:
        # A region is more exact than a country; a country alone counts only if it is a UK nation or the UK.
        regions = regions_for(address.get("region")) or regions_for(address.get("countryName"))
        if regions and set(regions) == whole_uk_regions():
            whole_uk = True  # "UK" or "GB" beside finer places means those places
        else:
            found.update(regions)
    return tuple(sorted(found or (whole_uk_regions() if whole_uk else ())))


def _classifications(tender: dict) -> list:
    items = _list_of_dicts(tender.get("items"))
    return [
        tender.get("classification"), *_list(tender.get("additionalClassifications")),
        *(item.get("classification") for item in items),
        *(c for item in items for c in _list(item.get("additionalClassifications"))),
    ]


def _values(tender: dict, lots: list[dict], warnings: list[str]) -> tuple[int | None, int | None, str | None]:
    """The tender's value range in its own currency (None for pounds), else the sum of its lots' values."""
    stated = {key: _amount(tender.get(key), warnings, "the tender") for key in ("value", "minValue", "maxValue")}
    stated = {key: found for key, found in stated.items() if found}
    currencies = {currency for _, currency in stated.values()}
    if len(currencies) > 1:
        kept = next(iter(stated.values()))[1]
        warnings.append(f"the tender's values are in more than one currency ({', '.join(sorted(currencies))}); "
                        f"only those in {kept} are shown")
        stated = {key: found for key, found in stated.items() if found[1] == kept}
    if stated:
        value, low, high = (stated[key][0] if key in stated else None for key in ("value", "minValue", "maxValue"))
        currency = next(iter(stated.values()))[1]
        top = high if high is not None else value
        bottom = low if low is not None else value
        if top is not None and bottom is not None and bottom > top:
            bottom, top = top, bottom
        return bottom, top, _stored_currency(currency)
    lot_values = [found for lot in lots if (found := _amount(lot.get("value"), warnings, "a lot"))]
    if not lot_values:
        return None, None, None
    currencies = {currency for _, currency in lot_values}
    if len(currencies) > 1:
        warnings.append(f"the lots are valued in more than one currency ({', '.join(sorted(currencies))}), "
                        "so no total value is shown")
        return None, None, None
    total = sum(amount for amount, _ in lot_values)
    return (total, total, _stored_currency(currencies.pop())) if total < 10**15 else (None, None, None)


def _amount(value, warnings: list[str], holder: str) -> tuple[int, str] | None:
    value = _dict(value)
    amount = value.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int | float) or not 0 <= amount < 10**15:
        return None
    currency = _text(value.get("currency")).upper()
    if not _CURRENCY.match(currency):
        warnings.append(f"a value of {amount:g} on {holder} has no currency we know, so it was left out")
        return None
    return round(amount), currency


def _stored_currency(currency: str) -> str | None:
    return None if currency == "GBP" else currency


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
