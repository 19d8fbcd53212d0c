"""OCDS 1.1 releases and packages: every output is checked against the official schema, offline."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from portal.models import EngagementEvent, Opportunity, OpportunityKind, Source, Stage, Status
from portal.opendata import ocds
from portal.opendata.market_dates import approach_to_market_date, financial_year_quarter
from portal.services import open_data
from portal.services.pagination import PageOutOfRange
from tests.conftest import TODAY
from tests.factories import make_buyer, make_mission, make_opportunity
from tests.ocds_validation import assert_valid_package, schema_errors

PUBLISHER = ocds.Publisher(name="Opportunity Portal", uri="https://portal.example/",
                           publication_policy="https://portal.example/data")
UPDATED = datetime(2026, 11, 20, 9, 30, 15, tzinfo=timezone.utc)


def package_of(*releases: dict) -> dict:
    return ocds.release_package(list(releases), uri="https://portal.example/data/ocds/releases.json",
                                published=UPDATED, publisher=PUBLISHER)


def release_of(opportunity: Opportunity, events=()) -> dict:
    """The release, after checking it inside a package against the schema."""
    built = ocds.release(opportunity, list(events), TODAY)
    assert_valid_package(package_of(built))
    return built


def event(session, opportunity, title, starts: datetime, **overrides) -> EngagementEvent:
    values = dict(opportunity_id=opportunity.id, kind="webinar", title=title, description="We will **explain** it.",
                  starts_at=starts, ends_at=starts + timedelta(hours=1), capacity=20,
                  booking_deadline=starts - timedelta(days=1))
    row = EngagementEvent(**(values | overrides))
    session.add(row)
    session.commit()
    return row


@pytest.fixture
def buyer(session):
    return make_buyer(session, slug="camden", name="London Borough of Camden", region="TLI",
                      website="https://www.camden.gov.uk")


@pytest.fixture
def mission(session, buyer):
    return make_mission(session, owner=buyer)


def make(session, buyer, mission, **overrides) -> Opportunity:
    return make_opportunity(session, buyer, [mission], updated_at=UPDATED, **overrides)


# --- each kind and stage -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(OpportunityKind))
@pytest.mark.parametrize("value_min, value_max", [(10_000, 50_000), (None, None), (25_000, 25_000), (None, 80_000), (5_000, None)])
def test_every_kind_with_and_without_a_value_is_valid(session, buyer, mission, kind, value_min, value_max):
    opportunity = make(session, buyer, mission, kind=kind, value_min=value_min, value_max=value_max)
    built = release_of(opportunity)
    assert built["ocid"] == opportunity.ocid
    assert built["initiationType"] == "tender" and built["language"] == "en"


@pytest.mark.parametrize("stage, market, tag, status", [
    (Stage.PIPELINE, (2027, 2), "planning", "planned"),
    (Stage.PIPELINE, (None, None), "planning", "planning"),
    (Stage.ENGAGEMENT, (2027, 2), "planning", "planning"),
    (Stage.TENDER, (None, None), "tender", "active"),
    (Stage.AWARDED, (None, None), "award", "complete"),
    (Stage.CANCELLED, (2027, 1), "tenderCancellation", "cancelled"),
])
def test_stage_gives_the_release_tag_and_tender_status(session, buyer, mission, stage, market, tag, status):
    opportunity = make(session, buyer, mission, kind=OpportunityKind.PIPELINE_ITEM, stage=stage,
                       market_year=market[0], market_quarter=market[1])
    built = release_of(opportunity)
    assert built["tag"] == [tag]
    assert built["tender"]["status"] == status
    assert ("awards" in built) == (stage == Stage.AWARDED)


def test_release_carries_buyer_planning_and_tender(session, buyer, mission):
    opportunity = make(session, buyer, mission, title="Healthy school lunches", summary="Help children eat well.",
                       why_md="Children **leave** food.\n\nWe want to know why.", cpv_code="55523100-3",
                       regions=["TLI", "TLJ"], suitable_for_sme=True, suitable_for_vcse=True)
    built = release_of(opportunity)

    assert built["id"] == f"{opportunity.ocid}-20261120T093015Z"
    assert built["date"] == "2026-11-20T09:30:15Z"
    assert built["buyer"] == {"id": "camden", "name": "London Borough of Camden"}
    assert built["parties"] == [{
        "id": "camden", "name": "London Borough of Camden", "roles": ["buyer"],
        "address": {"region": "London", "countryName": "United Kingdom"},
        "details": {"url": "https://www.camden.gov.uk"},
    }]
    assert built["planning"]["rationale"] == "Children leave food.\n\nWe want to know why."
    assert built["planning"]["budget"]["amount"] == {"amount": 50_000, "currency": "GBP"}

    tender = built["tender"]
    assert tender["title"] == "Healthy school lunches" and tender["description"] == "Help children eat well."
    assert tender["classification"] == {"scheme": "CPV", "id": "55523100", "description": "School-meal services"}
    assert tender["mainProcurementCategory"] == "services"
    assert tender["minValue"] == {"amount": 10_000, "currency": "GBP"}
    assert tender["value"] == {"amount": 50_000, "currency": "GBP"}
    assert tender["suitability"] == {"sme": True, "vcse": True}
    assert "documents" not in tender
    item = tender["items"][0]
    assert item["classification"] == tender["classification"]
    assert item["deliveryAddresses"] == [{"region": "London", "countryName": "United Kingdom"},
                                         {"region": "South East", "countryName": "United Kingdom"}]
    assert [loc["gazetteer"] for loc in item["deliveryLocations"]] == [
        {"scheme": "NUTS", "identifiers": ["UKI"]}, {"scheme": "NUTS", "identifiers": ["UKJ"]}]


def test_value_is_left_out_entirely_when_not_stated(session, buyer, mission):
    built = release_of(make(session, buyer, mission, value_min=None, value_max=None))
    assert not {"value", "minValue"} & set(built["tender"])
    assert "budget" not in built.get("planning", {})


@pytest.mark.parametrize("value_min, value_max, expected", [
    (25_000, 25_000, {"value": 25_000}),
    (None, 80_000, {"value": 80_000}),
    (5_000, None, {"value": 5_000}),
])
def test_a_single_value_is_the_tender_value(session, buyer, mission, value_min, value_max, expected):
    tender = release_of(make(session, buyer, mission, value_min=value_min, value_max=value_max))["tender"]
    assert "minValue" not in tender
    assert tender["value"] == {"amount": expected["value"], "currency": "GBP"}


@pytest.mark.parametrize("cpv, category", [("03000000-1", "goods"), ("09332000-5", "goods"), ("44111000-1", "goods"),
                                           ("45331100-7", "works"), ("48000000-8", "goods"), ("50000000-5", "services"),
                                           ("85311000-2", "services")])
def test_main_procurement_category_comes_from_the_cpv_division(session, buyer, mission, cpv, category):
    assert release_of(make(session, buyer, mission, cpv_code=cpv))["tender"]["mainProcurementCategory"] == category


# --- dates and milestones ------------------------------------------------------------------------------------------

def test_engagement_events_are_planning_milestones(session, buyer, mission):
    opportunity = make(session, buyer, mission)
    past = event(session, opportunity, "Past webinar", datetime(2026, 11, 2, 10, tzinfo=timezone.utc))
    future = event(session, opportunity, "Drop-in session", datetime(2026, 12, 9, 10, tzinfo=timezone.utc),
                   kind="in-person", location="5 Pancras Square")
    milestones = {m["id"]: m for m in release_of(opportunity, [future, past])["planning"]["milestones"]}

    met = milestones[f"event-{past.id}"]
    assert met["type"] == "engagement" and met["title"] == "Past webinar"
    assert met["status"] == "met" and met["dueDate"] == "2026-11-02T10:00:00Z" and met["dateMet"] == "2026-11-02T11:00:00Z"
    assert met["description"] == "Online session. We will explain it."
    coming = milestones[f"event-{future.id}"]
    assert coming["status"] == "scheduled" and "dateMet" not in coming
    assert coming["description"].startswith("In-person session at 5 Pancras Square.")
    assert list(milestones)[:2] == [f"event-{past.id}", f"event-{future.id}"], "events in date order"


def test_a_new_event_gives_a_new_release_id_and_date(session, buyer, mission):
    opportunity = make(session, buyer, mission)
    before = ocds.release(opportunity, [], TODAY)
    added = event(session, opportunity, "New session", datetime(2026, 12, 9, 10, tzinfo=timezone.utc),
                  created_at=UPDATED + timedelta(days=1))
    after = ocds.release(opportunity, [added], TODAY)
    assert after["id"] != before["id"] and after["date"] == "2026-11-21T09:30:15Z"
    assert after["ocid"] == before["ocid"]


def test_engagement_closing_is_a_milestone_before_tender_and_the_tender_period_during_it(session, buyer, mission):
    engagement = release_of(make(session, buyer, mission, engagement_closes_on=date(2027, 1, 15)))
    closes = {m["id"]: m for m in engagement["planning"]["milestones"]}["engagement-closes"]
    assert closes["dueDate"] == "2027-01-15T23:59:59+00:00" and closes["status"] == "scheduled"
    assert "tenderPeriod" not in engagement["tender"]

    closed = release_of(make(session, buyer, mission, engagement_closes_on=date(2026, 7, 1)))
    assert {m["id"]: m for m in closed["planning"]["milestones"]}["engagement-closes"]["status"] == "met"

    tender = release_of(make(session, buyer, mission, stage=Stage.TENDER, engagement_closes_on=date(2027, 6, 30)))
    assert tender["tender"]["tenderPeriod"] == {"endDate": "2027-06-30T23:59:59+01:00"}
    assert "engagement-closes" not in {m["id"] for m in tender.get("planning", {}).get("milestones", [])}


@pytest.mark.parametrize("year, quarter, first_day, label", [
    (2027, 1, date(2027, 4, 1), "2027-28 Q1"), (2027, 2, date(2027, 7, 1), "2027-28 Q2"),
    (2027, 3, date(2027, 10, 1), "2027-28 Q3"), (2027, 4, date(2028, 1, 1), "2027-28 Q4"),
    (2099, 4, date(2100, 1, 1), "2099-00 Q4"),
])
def test_approach_to_market_is_the_first_day_of_the_financial_quarter(year, quarter, first_day, label):
    assert approach_to_market_date(year, quarter) == first_day
    assert financial_year_quarter(year, quarter) == label


def test_approach_to_market_is_a_planning_milestone(session, buyer, mission):
    opportunity = make(session, buyer, mission, kind=OpportunityKind.PIPELINE_ITEM, stage=Stage.PIPELINE,
                       market_year=2027, market_quarter=3, engagement_closes_on=None)
    milestone = release_of(opportunity)["planning"]["milestones"][-1]
    assert milestone["id"] == "approach-to-market"
    assert milestone["dueDate"] == "2027-10-01T00:00:00+01:00"
    assert milestone["description"] == "The buyer expects to invite bids October to December 2027."
    assert milestone["status"] == "scheduled"


def test_an_awarded_items_approach_to_market_is_not_a_plan(session, buyer, mission):
    opportunity = make(session, buyer, mission, kind=OpportunityKind.PIPELINE_ITEM, stage=Stage.AWARDED,
                       market_year=2026, market_quarter=1, engagement_closes_on=None)
    milestone = release_of(opportunity)["planning"]["milestones"][-1]
    assert milestone["description"] == "The buyer planned to invite bids April to June 2026."
    assert "status" not in milestone


def test_challenge_phases_are_tender_milestones(session, buyer, mission):
    opportunity = make(session, buyer, mission, kind=OpportunityKind.INNOVATION_CHALLENGE, stage=Stage.TENDER, phases=[
        dict(name="Discovery", starts_on=date(2027, 1, 4), ends_on=date(2027, 3, 31), funding=25_000,
             description="Six teams test ideas."),
        dict(name="Pilot", starts_on=date(2027, 5, 1), ends_on=date(2028, 4, 30)),
    ])
    first, second = release_of(opportunity)["tender"]["milestones"]
    assert first == {"id": "phase-1", "title": "Discovery", "type": "delivery", "code": "challengePhase",
                     "description": "Runs from 4 January 2027 to 31 March 2027. Funding: £25,000. Six teams test ideas.",
                     "dueDate": "2027-03-31T23:59:59+01:00"}
    assert second["description"] == "Runs from 1 May 2027 to 30 April 2028."


# --- packages --------------------------------------------------------------------------------------------------------

def test_package_has_publishing_metadata(session, buyer, mission):
    package = package_of(ocds.release(make(session, buyer, mission), [], TODAY))
    assert package["version"] == "1.1"
    assert package["license"] == "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    assert package["publisher"]["name"] == "Opportunity Portal"
    assert package["publicationPolicy"] == "https://portal.example/data"
    assert package["publishedDate"] == "2026-11-20T09:30:15Z"
    assert "links" not in package


def test_the_schema_check_catches_a_bad_release(session, buyer, mission):
    broken = ocds.release(make(session, buyer, mission), [], TODAY) | {"tag": ["nonsense"]}
    assert schema_errors(package_of(broken))


def test_only_published_portal_opportunities_are_exported_in_stable_pages(app, session, buyer, mission):
    exported = [make(session, buyer, mission) for _ in range(3)]
    make(session, buyer, mission, status=Status.DRAFT)
    make(session, buyer, mission, status=Status.WITHDRAWN)
    make(session, buyer, mission, source=Source.CONTRACTS_FINDER, source_url="https://www.contractsfinder.service.gov.uk/Notice/1")
    with app.test_request_context():
        first = open_data.release_package_page(session, 1, TODAY, size=2)
        second = open_data.release_package_page(session, 2, TODAY, size=2)
        with pytest.raises(PageOutOfRange):
            open_data.release_package_page(session, 3, TODAY, size=2)
    for package in (first, second):
        assert_valid_package(package)
    assert [r["ocid"] for r in first["releases"] + second["releases"]] == [o.ocid for o in exported]
    assert first["links"] == {"next": "http://localhost/data/ocds/releases.json?page=2"}
    assert second["links"] == {"prev": "http://localhost/data/ocds/releases.json"}
    assert second["uri"] == "http://localhost/data/ocds/releases.json?page=2"


def test_a_single_opportunity_package(app, session, buyer, mission):
    opportunity = make(session, buyer, mission)
    draft = make(session, buyer, mission, status=Status.DRAFT)
    with app.test_request_context():
        package = open_data.release_package_for(session, opportunity.slug, TODAY)
        assert open_data.release_package_for(session, draft.slug, TODAY) is None
    assert_valid_package(package)
    assert [r["ocid"] for r in package["releases"]] == [opportunity.ocid]


# --- the real content ------------------------------------------------------------------------------------------------

def test_all_real_content_is_valid_ocds(content_app):
    engine = content_app.extensions["engine"]
    with Session(engine) as session, content_app.test_request_context():
        package = open_data.release_package_page(session, 1, TODAY)
        exported = session.exec(select(Opportunity.slug, Opportunity.ocid).where(
            Opportunity.status == Status.PUBLISHED, Opportunity.source == Source.PORTAL)).all()
        singles = [open_data.release_package_for(session, slug, TODAY) for slug, _ in exported]
    expected = [ocid for _, ocid in exported]
    assert_valid_package(package)
    assert sorted(r["ocid"] for r in package["releases"]) == sorted(expected)
    assert len(expected) >= 40
    for single in singles:
        assert_valid_package(single)
    tags = {r["tag"][0] for r in package["releases"]}
    assert tags == {"planning", "tender", "award", "tenderCancellation"}, "the content covers every stage"
    assert any(r["tender"].get("milestones") for r in package["releases"]), "challenge phases"
    assert any(m["type"] == "engagement" and m["id"].startswith("event-")
               for r in package["releases"] for m in r.get("planning", {}).get("milestones", [])), "events"
