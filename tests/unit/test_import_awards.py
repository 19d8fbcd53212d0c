"""Imported award notices become award records: suppliers with their sizes, value and currency, dates and lots; a rerun
changes nothing, a newer release updates and an older one never overwrites."""

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portal.models import Award, Opportunity, Stage
from portal.opendata import ocds
from portal.opendata.notice_awards import awards_in
from portal.services.awards import awards_for
from tests.conftest import TODAY
from tests.ocds_validation import assert_valid_package
from tests.unit.test_import import DATA, release, run_import, write_json
from tests.unit.test_ocds import package_of

OCID = "ocds-h6vhtk-000001"


def award_release(release_id="000001-2026", when="2026-09-01T10:00:00+01:00", awards=None, parties=(), **extra):
    buyer = {"id": "b1", "name": "Example District Council", "roles": ["buyer"], "address": {"region": "UKJ31"}}
    return release(release_id=release_id, when=when, tag=["award"], parties=[buyer, *parties], awards=awards or [{
        "id": "083001-2026-1", "status": "active", "date": "2026-08-28T00:00:00+01:00",
        "value": {"amount": 98500.6, "currency": "GBP"},
        "suppliers": [{"id": "GB-COH-1", "name": "Green Spaces CIC"}, {"id": "GB-COH-2", "name": "Big Mowers Ltd"}],
        "contractPeriod": {"startDate": "2026-09-01T00:00:00+01:00", "endDate": "2028-08-31T23:59:59+01:00"},
        "relatedLots": ["2"],
    }], **extra) | ({} if parties else {"parties": [buyer,
        {"id": "GB-COH-1", "name": "Green Spaces CIC", "roles": ["supplier"],
         "details": {"scale": "sme", "vcse": True}, "address": {"region": "UKJ31"}},
        {"id": "GB-COH-2", "name": "Big Mowers Ltd", "roles": ["supplier"], "details": {"scale": "large", "vcse": False},
         "address": {"region": "UKC"}}]})


def stored_awards(app) -> list[Award]:
    with Session(app.extensions["engine"]) as session:
        awards = list(session.exec(select(Award).order_by(Award.id)).all())
        for award in awards:
            award.suppliers
        return awards


def stage_of(app) -> str:
    with Session(app.extensions["engine"]) as session:
        return session.exec(select(Opportunity.stage).where(Opportunity.ocid == OCID)).one()


def test_every_field_of_an_award_is_imported(app, tmp_path):
    report = run_import(app, write_json(tmp_path / "a.json", {"releases": [award_release()]}))

    [award] = stored_awards(app)
    assert report.awards == (1, 0)
    assert (award.source_award_id, award.status, award.value, award.value_currency) == \
        ("083001-2026-1", "active", 98501, None)
    assert (award.awarded_on, award.contract_starts_on, award.contract_ends_on, award.lot_id) == \
        (date(2026, 8, 28), date(2026, 9, 1), date(2028, 8, 31), "2")
    assert [(s.position, s.name, s.size, s.is_vcse, s.region) for s in award.suppliers] == [
        (0, "Green Spaces CIC", "sme", True, "TLJ"), (1, "Big Mowers Ltd", "large", False, "TLC")]
    assert stage_of(app) == Stage.AWARDED


def test_a_rerun_changes_nothing(app, tmp_path):
    path = write_json(tmp_path / "a.json", {"releases": [award_release()]})
    run_import(app, path)
    first = [(a.id, [s.id for s in a.suppliers]) for a in stored_awards(app)]

    again = run_import(app, path)

    assert again.awards == (0, 0)
    assert [(a.id, [s.id for s in a.suppliers]) for a in stored_awards(app)] == first


def test_a_newer_release_updates_and_an_older_one_never_overwrites(app, tmp_path):
    run_import(app, write_json(tmp_path / "a.json", {"releases": [award_release()]}))
    newer = award_release("000002-2026", "2026-09-10T10:00:00+01:00")
    newer["awards"][0]["value"]["amount"] = 120000
    newer["awards"][0]["suppliers"] = newer["awards"][0]["suppliers"][:1]
    older = award_release("000000-2026", "2026-08-01T10:00:00+01:00")
    older["awards"][0]["value"]["amount"] = 1

    report = run_import(app, write_json(tmp_path / "b.json", {"releases": [newer]}))
    assert report.awards == (0, 1)
    stale = run_import(app, write_json(tmp_path / "c.json", {"releases": [older]}))

    assert stale.awards == (0, 0)
    [award] = stored_awards(app)
    assert award.value == 120000 and [s.name for s in award.suppliers] == ["Green Spaces CIC"]


def test_another_currency_is_kept_not_converted(app, tmp_path):
    foreign = award_release()
    foreign["awards"][0]["value"] = {"amount": 250000, "currency": "eur"}
    run_import(app, write_json(tmp_path / "a.json", {"releases": [foreign]}))

    [award] = stored_awards(app)
    assert (award.value, award.value_currency) == (250000, "EUR")


def test_value_date_and_period_come_from_the_contract_when_the_award_leaves_them_out():
    bare = award_release(awards=[{"id": "1", "status": "active", "relatedLots": ["7"],
                                  "suppliers": [{"id": "S1", "name": "Star Cabs Ltd"}]}],
                         parties=[{"id": "S1", "name": "Star Cabs Ltd", "details": {"scale": "micro"}}],
                         contracts=[{"id": "1", "awardID": "1", "value": {"amount": 47795.0, "currency": "GBP"},
                                     "dateSigned": "2026-09-03T00:00:00+01:00",
                                     "period": {"startDate": "2026-09-04T00:00:00Z"}}])

    [found] = awards_in(bare)

    assert (found["amount"], found["currency"], found["lot"]) == (47795.0, "GBP", "7")
    assert found["date"].isoformat() == "2026-09-02T23:00:00+00:00" and found["starts"].day == 4
    assert found["suppliers"] == [{"name": "Star Cabs Ltd", "size": "micro", "is_vcse": None, "region": None}]


@pytest.mark.parametrize("award", [
    {"id": "1", "status": "cancelled"},  # nobody won
    {"id": "1", "status": "unsuccessful", "suppliers": [{"name": "Acme"}]},
    {"status": "active", "suppliers": [{"name": "Acme"}]},  # no id to match a rerun on
    {"id": "1", "status": "active", "suppliers": [{"id": "x"}, "junk"]},  # no supplier named
])
def test_an_award_naming_nobody_who_won_is_left_out(award):
    assert awards_in(award_release(awards=[award])) == []


def test_an_imported_award_is_valid_ocds(app, tmp_path):
    notice = award_release()
    notice["tender"]["classification"] = {"scheme": "CPV", "id": "77313000"}
    run_import(app, write_json(tmp_path / "a.json", {"releases": [notice]}))
    with Session(app.extensions["engine"]) as session:
        item = session.exec(select(Opportunity).where(Opportunity.ocid == OCID)).one()
        item.buyer, item.regions, item.missions
        built = ocds.release(item, [], TODAY, awards=awards_for(session, item.id))

    assert_valid_package(package_of(built))
    assert [p["name"] for p in built["parties"] if "supplier" in p["roles"]] == ["Green Spaces CIC", "Big Mowers Ltd"]
    assert [p["details"]["scale"] for p in built["parties"][1:]] == ["sme", "large"]
    assert built["awards"][0]["value"] == {"amount": 98501, "currency": "GBP"}
    assert built["awards"][0]["relatedLots"] == ["2"] and built["tag"][0] == "award"


def test_real_award_notices_bring_their_suppliers(app):
    report = run_import(app, DATA)

    awards = stored_awards(app)
    assert report.awards == (len(awards), 0) == (11, 0)
    assert sum(len(award.suppliers) for award in awards) == 23 and all(award.suppliers for award in awards)
    framework = max(awards, key=lambda award: len(award.suppliers))
    assert len(framework.suppliers) == 13 and all(s.size for s in framework.suppliers)
    lease = next(a for a in awards if a.source_award_id == "083257-2026-1")  # Find a Tender: value on the contract
    assert (lease.value, lease.lot_id, lease.awarded_on) == (109802, "1", date(2026, 9, 3))
    assert run_import(app, DATA).awards == (0, 0)
