"""Each rule that maps a Contracts Finder or Find a Tender release to our fields, one value at a time."""

from datetime import date

import pytest

from portal.models import OpportunityKind, Source, Stage
from portal.opendata.ocds_codes import regions_for
from portal.opendata.ocds_mapping import map_release

CF_OCID = "ocds-b5fd17-11111111-2222-3333-4444-555555555555"
FTS_OCID = "ocds-h6vhtk-0abc12"


def release(ocid: str = FTS_OCID, **parts) -> dict:
    """The smallest release we accept, with `parts` (tender, planning, tag, ...) laid over it."""
    tender = {"title": "Grounds maintenance", **parts.pop("tender", {})}
    return {"ocid": ocid, "id": "012345-2026", "date": "2026-11-02T10:00:00Z", "tag": parts.pop("tag", ["planning"]),
            "buyer": {"name": "Leeds City Council"}, "tender": tender, **parts}


# --- stage: the tender status decides first, then the release tags ------------------------------------------------

@pytest.mark.parametrize("status, stage", [
    ("cancelled", Stage.CANCELLED), ("unsuccessful", Stage.CANCELLED), ("withdrawn", Stage.CANCELLED),
    ("complete", Stage.AWARDED), ("active", Stage.TENDER), ("planning", Stage.PIPELINE), ("planned", Stage.PIPELINE),
])
def test_each_tender_status_gives_its_stage(status, stage):
    assert map_release(release(tender={"status": status})).stage == stage


@pytest.mark.parametrize("tag, stage", [
    ("tenderCancellation", Stage.CANCELLED),
    ("award", Stage.AWARDED), ("awardUpdate", Stage.AWARDED), ("contract", Stage.AWARDED),
    ("contractUpdate", Stage.AWARDED), ("contractAmendment", Stage.AWARDED), ("implementation", Stage.AWARDED),
    ("implementationUpdate", Stage.AWARDED), ("contractTermination", Stage.AWARDED),
    ("tender", Stage.TENDER), ("tenderUpdate", Stage.TENDER), ("tenderAmendment", Stage.TENDER),
    ("planning", Stage.PIPELINE), ("planningUpdate", Stage.PIPELINE),
])
def test_each_release_tag_gives_its_stage(tag, stage):
    assert map_release(release(tag=[tag])).stage == stage


@pytest.mark.parametrize("status, tags, stage", [
    ("cancelled", ["award"], Stage.CANCELLED),  # an ended tender stays ended whatever the tags say
    ("active", ["tenderCancellation"], Stage.CANCELLED),
    ("complete", ["tender"], Stage.AWARDED),
    ("active", ["award"], Stage.AWARDED),
    ("planning", ["tender"], Stage.TENDER),
])
def test_ended_beats_awarded_beats_tender(status, tags, stage):
    assert map_release(release(tender={"status": status}, tag=tags)).stage == stage


# --- kind: only a market engagement notice is a problem statement -------------------------------------------------

@pytest.mark.parametrize("parts", [
    {"planning": {"milestones": [{"id": "1", "type": "engagement", "dueDate": "2026-12-01T12:00:00Z"}]}},
    {"planning": {"documents": [{"id": "1", "documentType": "marketEngagementNotice"}]}},
    {"tender": {"documents": [{"id": "1", "noticeType": "UK2"}]}},
])
def test_market_engagement_notices_are_problem_statements_at_engagement(parts):
    notice = map_release(release(**parts))
    assert (notice.kind, notice.stage) == (OpportunityKind.PROBLEM_STATEMENT, Stage.ENGAGEMENT)


@pytest.mark.parametrize("parts", [
    {},
    {"planning": {"milestones": [{"id": "1", "type": "delivery"}]}},
    {"tender": {"documents": [{"id": "1", "noticeType": "UK1", "documentType": "tenderNotice"}]}},
])
def test_other_notices_leave_the_kind_unset(parts):
    notice = map_release(release(**parts))
    assert (notice.kind, notice.stage) == (None, Stage.PIPELINE)


# --- where it comes from -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("ocid, source", [
    (CF_OCID, Source.CONTRACTS_FINDER), (FTS_OCID, Source.FIND_A_TENDER), ("OCDS-H6VHTK-0abc12", Source.FIND_A_TENDER),
])
def test_the_ocid_prefix_names_the_source(ocid, source):
    assert map_release(release(ocid)).source == source


@pytest.mark.parametrize("url, source", [
    ("https://www.contractsfinder.service.gov.uk/Notice/11111111-2222-3333-4444-555555555555", Source.CONTRACTS_FINDER),
    ("https://www.find-tender.service.gov.uk/Notice/012345-2026", Source.FIND_A_TENDER),
])
def test_another_prefix_is_recognised_by_a_link_to_the_source(url, source):
    notice = map_release(release("ocds-zzzzzz-1", tender={"documents": [{"id": "1", "url": url}]}))
    assert notice.source == source and notice.source_url == url


def test_another_prefix_without_a_link_is_imported_under_the_publishers_name():
    notice = map_release(release("ocds-zzzzzz-1", tender={"documents": [{"id": "1", "url": "https://example.org/x"}]}),
                         {"publisher": {"name": "Example Procurement Portal", "uri": "https://procure.example.org"}})
    assert (notice.source, notice.source_name) == (Source.OTHER, "Example Procurement Portal")
    assert notice.source_url == "https://procure.example.org"


# --- market quarter: the financial year starts in April, in UK time ---------------------------------------------

@pytest.mark.parametrize("future_notice, year, quarter", [
    ("2027-03-31T12:00:00Z", 2026, 4),
    ("2027-03-31T23:30:00Z", 2027, 1),  # already 1 April in London (summer time)
    ("2027-04-01T00:00:00+01:00", 2027, 1),
    ("2027-06-30T12:00:00Z", 2027, 1),
    ("2027-07-01T12:00:00Z", 2027, 2),
    ("2027-09-30T12:00:00Z", 2027, 2),
    ("2027-10-01T12:00:00Z", 2027, 3),
    ("2027-12-31T12:00:00Z", 2027, 3),
    ("2028-01-01T12:00:00Z", 2027, 4),
])
def test_the_future_notice_date_gives_the_financial_year_and_quarter(future_notice, year, quarter):
    notice = map_release(release(tender={"communication": {"futureNoticeDate": future_notice}}))
    assert (notice.market_year, notice.market_quarter) == (year, quarter)


# --- engagement closes on the engagement milestone, else the tender period's end, else the enquiry period's end -----

@pytest.mark.parametrize("planning, tender, closes", [
    ({"milestones": [{"id": "1", "type": "engagement", "dueDate": "2027-01-10T12:00:00Z"}]},
     {"tenderPeriod": {"endDate": "2027-02-10T12:00:00Z"}}, date(2027, 1, 10)),
    ({}, {"tenderPeriod": {"endDate": "2027-02-10T12:00:00Z"}, "enquiryPeriod": {"endDate": "2027-01-20T12:00:00Z"}},
     date(2027, 2, 10)),
    ({}, {"enquiryPeriod": {"endDate": "2027-01-20T12:00:00Z"}}, date(2027, 1, 20)),
    ({}, {"tenderPeriod": {"endDate": "2027-06-30T23:30:00Z"}}, date(2027, 7, 1)),  # UK date, not UTC
    ({}, {}, None),
])
def test_engagement_closing_date(planning, tender, closes):
    assert map_release(release(planning=planning, tender=tender)).engagement_closes_on == closes


# --- suitability ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tender, sme, vcse", [
    ({}, None, None),
    ({"suitability": {"sme": True, "vcse": False}}, True, False),
    ({"suitability": {"sme": False}, "lots": [{"id": "1", "suitability": {"sme": True}}]}, True, None),
    ({"suitability": {"sme": False, "vcse": False}}, False, False),
    ({"xClassifications": {"isSuitableForSme": True, "isSuitableForVco": False}}, True, False),
])
def test_suitability_for_smes_and_vcses(tender, sme, vcse):
    notice = map_release(release(tender=tender))
    assert (notice.suitable_for_sme, notice.suitable_for_vcse) == (sme, vcse)


# --- places: every ITL1 region by its NUTS and ITL codes and its name --------------------------------------------

ITL1 = {"TLC": "North East", "TLD": "North West", "TLE": "Yorkshire and the Humber", "TLF": "East Midlands",
        "TLG": "West Midlands", "TLH": "East of England", "TLI": "London", "TLJ": "South East", "TLK": "South West",
        "TLL": "Wales", "TLM": "Scotland", "TLN": "Northern Ireland"}


@pytest.mark.parametrize("code, name", ITL1.items())
def test_each_region_by_code_and_name(code, name):
    letter = code[-1]
    assert regions_for(f"UK{letter}") == regions_for(f"UK{letter}12") == regions_for(f"TL{letter}3") == (code,)
    assert regions_for(name) == regions_for(name.upper()) == (code,)


def test_england_is_every_region_but_wales_scotland_and_northern_ireland():
    assert regions_for("England") == ("TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK")
    assert regions_for("United Kingdom") == regions_for("UK") == tuple(sorted(ITL1))
