"""Importing Contracts Finder and Find a Tender notices: mapping, idempotency, problems, search and the CLI."""

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portal.models import Follow, Notification, Opportunity, Organisation, OrganisationKind, Source, Stage
from portal.opendata import notice_files
from portal.opendata.importer import import_notices
from portal.opendata.notice_text import clean_description, repair_mojibake
from portal.opendata.ocds_codes import cpv_code, regions_for
from portal.search.query import SearchQuery
from portal.services.indexing import backlog_size, catch_up, sync_opportunity
from portal.services.notices import Outcome
from tests.conftest import TODAY
from tests.factories import make_buyer, make_opportunity
from tests.web.helpers import make_supplier

DATA = Path(__file__).resolve().parent.parent / "data" / "notices"
ENGLAND = ["TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK"]
WHOLE_UK = [*ENGLAND, "TLL", "TLM", "TLN"]


def run_import(app, *paths):
    return import_notices(app.extensions["engine"], app.extensions["search"], [str(p) for p in paths])


def counts(report) -> dict[str, int]:
    return {outcome.value: number for outcome, number in report.counts.items()} | {"problems": len(report.problems)}


def by_ocid(app, ocid) -> Opportunity:
    with Session(app.extensions["engine"]) as session:
        opportunity = session.exec(select(Opportunity).where(Opportunity.ocid == ocid)).one()
        opportunity.buyer, opportunity.regions  # load them before the session closes
        return opportunity


def found(app, **query) -> list[int]:
    """Every matching opportunity, closed and awarded notices included."""
    return app.extensions["search"].search(SearchQuery(size=50, closed=True, **query), TODAY).ids


def release(ocid="ocds-h6vhtk-000001", release_id="000001-2026", when="2026-09-01T10:00:00+01:00", **extra) -> dict:
    """A small Find a Tender release; `extra` replaces or adds top-level keys."""
    return {
        "ocid": ocid, "id": release_id, "date": when, "tag": ["tender"],
        "buyer": {"id": "b1", "name": "Example District Council"},
        "parties": [{"id": "b1", "name": "Example District Council", "roles": ["buyer"], "address": {"region": "UKJ31"}}],
        "tender": {"title": "Grounds maintenance", "description": "Cutting grass in parks and cemeteries.",
                   "status": "active", "value": {"amount": 120000, "currency": "GBP"},
                   "tenderPeriod": {"endDate": "2026-10-01T12:00:00+01:00"}},
    } | extra


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# Each shared sample set


def test_contracts_finder_2017_releases_and_records(app):
    report = run_import(app, DATA / "contracts-finder-2017")

    # 6 release files for 4 procurements (2 published twice with the same release id) and 3 records, 1 already seen
    assert counts(report) == {"created": 6, "updated": 0, "unchanged": 3, "older": 0, "problems": 0}
    provider_list = by_ocid(app, "ocds-b5fd17-2c40364c-adc8-11e6-9901-0019b9f3037b")
    assert provider_list.title == "Recognised Provider List for Provision of Direct Payment Support JL008"
    assert provider_list.source == Source.CONTRACTS_FINDER
    assert provider_list.buyer.kind == OrganisationKind.EXTERNAL_BUYER
    assert provider_list.cpv_code == "85000000-9"
    assert (provider_list.value_min, provider_list.value_max) == (908_000, 5_826_279)
    assert (provider_list.kind, provider_list.stage) == ("pipeline-item", Stage.TENDER)
    assert (provider_list.suitable_for_sme, provider_list.suitable_for_vcse) == (False, False)
    assert provider_list.engagement_closes_on == date(2018, 6, 30)
    assert provider_list.body_md.count("\n\n") >= 5, "each line of the description is a paragraph"
    met_office = by_ocid(app, "ocds-b5fd17-2c330cf9-adc8-11e6-9901-0019b9f3037b")  # from a record's compiledRelease
    assert (met_office.buyer.name, met_office.stage) == ("Met Office", Stage.CANCELLED)  # tender status unsuccessful


def test_contracts_finder_2017_link_comes_from_package_info(app):
    run_import(app, next((DATA / "contracts-finder-2017" / "releases").glob("*-ocds-b5fd17-2c40364c-*.json")))

    assert by_ocid(app, "ocds-b5fd17-2c40364c-adc8-11e6-9901-0019b9f3037b").source_url == (
        "https://www.contractsfinder.service.gov.uk/Notice/46b6ca53-80f3-47b1-9021-6238882852d4")


def test_contracts_finder_2025_releases(app):
    report = run_import(app, DATA / "contracts-finder-2025" / "releases-EnglishData.json")

    # 20 releases: one repeated with the same id, two older than a release for the same procurement before them
    assert counts(report) == {"created": 17, "updated": 0, "unchanged": 1, "older": 2, "problems": 0}
    parking = by_ocid(app, "ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30")
    assert parking.title == "Parking Pilot - CEO"
    assert parking.buyer.name == "London Borough of Merton"
    assert parking.cpv_code == "63712400-7"
    assert parking.region_codes == ENGLAND
    assert (parking.value_min, parking.value_max) == (93_007, 372_032)
    assert (parking.kind, parking.stage) == ("pipeline-item", Stage.AWARDED)
    assert (parking.suitable_for_sme, parking.suitable_for_vcse) == (True, False)
    assert parking.contract_length_months == 12
    assert parking.source_url == "https://www.contractsfinder.service.gov.uk/Notice/2a1e3359-87a0-4fdd-ac61-20d5e6520a13"
    assert "â€" not in parking.body_md and "framework. The initial" in parking.body_md

    engagement = by_ocid(app, "ocds-b5fd17-7b68a5a5-c7c6-4b6a-af57-25252442e31e")
    assert (engagement.kind, engagement.stage) == ("problem-statement", Stage.ENGAGEMENT)
    assert engagement.engagement_closes_on == date(2025, 3, 31)
    assert engagement.region_codes == ["TLI"]
    assert (engagement.suitable_for_sme, engagement.suitable_for_vcse) == (True, True)
    assert "GP.rn" not in engagement.body_md and "London GP.\n\nThe objective" in engagement.body_md
    assert len(engagement.summary.split()) == 50 and engagement.summary.endswith("…")

    pipeline = by_ocid(app, "ocds-b5fd17-5eb34cca-1ce6-4e36-9061-2a1f984fbd05")
    assert (pipeline.kind, pipeline.stage) == ("pipeline-item", Stage.PIPELINE)
    assert (pipeline.market_year, pipeline.market_quarter) == (2025, 2)  # goes to market in July 2025
    assert pipeline.value_max == 8_000_000 and pipeline.region_codes == ["TLD"]

    # The award came first in the file, so the older tender notice for the same procurement was skipped.
    assert by_ocid(app, "ocds-b5fd17-0cb08240-82a6-4be3-b63a-1ba819a00d18").stage == Stage.AWARDED


def test_find_a_tender_packages(app):
    report = run_import(app, DATA / "find-a-tender-2026")

    assert counts(report) == {"created": 8, "updated": 0, "unchanged": 0, "older": 0, "problems": 0}
    pipeline = by_ocid(app, "ocds-h6vhtk-06f1b4")  # UK1
    assert pipeline.title == "ServiceNow Development & Managed Services Delivery Partner"
    assert pipeline.buyer.name == "Government Property Agency" and pipeline.buyer.region == "TLG"
    assert pipeline.source == Source.FIND_A_TENDER
    assert pipeline.source_url == "https://www.find-tender.service.gov.uk/Notice/083664-2026"
    assert (pipeline.kind, pipeline.stage) == ("pipeline-item", Stage.PIPELINE)
    assert pipeline.cpv_code == "72261000-2"  # from items[].additionalClassifications
    assert pipeline.value_max == 2_500_000  # the amount, not amountGross
    assert pipeline.region_codes == WHOLE_UK  # delivered anywhere in the UK
    assert (pipeline.suitable_for_sme, pipeline.suitable_for_vcse) == (True, False)  # from lots[].suitability

    engagement = by_ocid(app, "ocds-h6vhtk-06f1ad")  # UK2
    assert (engagement.kind, engagement.stage) == ("problem-statement", Stage.ENGAGEMENT)
    assert engagement.engagement_closes_on == date(2026, 9, 21)

    tender = by_ocid(app, "ocds-h6vhtk-06f1b2")  # UK4
    assert tender.stage == Stage.TENDER
    assert (tender.suitable_for_sme, tender.suitable_for_vcse) == (True, True)

    assert by_ocid(app, "ocds-h6vhtk-05f9f4").stage == Stage.CANCELLED  # UK12
    award = by_ocid(app, "ocds-h6vhtk-06f19e")  # UK7: no CPV, no delivery place
    assert award.stage == Stage.AWARDED and award.cpv_code == ""
    assert award.region_codes == ["TLF"], "the buyer's address stands in when no delivery place is named"
    assert by_ocid(app, "ocds-h6vhtk-06f0ca").region_codes == ["TLJ"]  # delivery region "UKJ"
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(Organisation).where(Organisation.name == "Leeds City Council")).one().kind == (
            OrganisationKind.EXTERNAL_BUYER)


# Idempotency and ordering


def test_importing_twice_changes_nothing(app):
    first = run_import(app, DATA)
    before = {o.ocid: (o.updated_at, o.source_release_id) for o in _all(app)}

    second = run_import(app, DATA)

    assert first.counts[Outcome.CREATED] == 31 and not first.problems
    assert second.counts[Outcome.CREATED] == second.counts[Outcome.UPDATED] == 0
    assert second.counts[Outcome.UNCHANGED] == first.counts[Outcome.CREATED] + first.counts[Outcome.UNCHANGED]
    assert second.counts[Outcome.OLDER] == first.counts[Outcome.OLDER]
    assert {o.ocid: (o.updated_at, o.source_release_id) for o in _all(app)} == before


def test_newer_release_wins_and_older_never_overwrites(app, tmp_path):
    run_import(app, write_json(tmp_path / "tender.json", release()))
    opportunity = by_ocid(app, "ocds-h6vhtk-000001")
    supplier = make_supplier(app)
    with Session(app.extensions["engine"]) as session:
        session.add(Follow(user_id=supplier.id, opportunity_id=opportunity.id))
        session.commit()

    award = release(release_id="000002-2026", when="2026-10-20T09:00:00+01:00", tag=["award", "contract"],
                    tender={"title": "Grounds maintenance", "status": "complete"})
    newer = run_import(app, write_json(tmp_path / "award.json", award))
    older = release(release_id="000000-2026", when="2026-08-01T09:00:00+01:00",
                    tender={"title": "Old title", "status": "planning"})
    late = run_import(app, write_json(tmp_path / "older.json", older))

    assert counts(newer)["updated"] == 1 and counts(late)["older"] == 1
    updated = by_ocid(app, "ocds-h6vhtk-000001")
    assert (updated.id, updated.title, updated.stage) == (opportunity.id, "Grounds maintenance", Stage.AWARDED)
    assert updated.source_release_id == "000002-2026"
    assert updated.source_url == "https://www.find-tender.service.gov.uk/Notice/000002-2026"
    assert updated.value_max == 120_000, "what the newer release does not state is kept"
    assert updated.body_md == "Cutting grass in parks and cemeteries."
    with Session(app.extensions["engine"]) as session:
        notes = session.exec(select(Notification).where(Notification.user_id == supplier.id)).all()
    assert [(n.message, n.details) for n in notes] == [
        ("\u201cGrounds maintenance\u201d has changed.", "Its stage is now \u201cContract awarded\u201d.")]


def test_portal_opportunity_with_the_same_ocid_is_never_overwritten(app, session, tmp_path):
    ours = make_opportunity(session, make_buyer(session), ocid="ocds-h6vhtk-06f1b4", title="Our own pipeline item")

    report = run_import(app, DATA / "find-a-tender-2026" / "2026-09-03-p001.json")

    assert counts(report)["created"] == 4
    assert [str(p) for p in report.problems] == [
        f"{DATA / 'find-a-tender-2026' / '2026-09-03-p001.json'}: releases[1]: ocds-h6vhtk-06f1b4: an opportunity "
        "published on this portal has this ocid, so the notice was not imported"
    ]
    kept = by_ocid(app, "ocds-h6vhtk-06f1b4")
    assert (kept.id, kept.title, kept.source, kept.source_release_id) == (ours.id, "Our own pipeline item", "portal", None)


# Problems are reported with file, position and reason; everything else imports


def test_malformed_files_are_reported_and_the_rest_imports(app, tmp_path):
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "a-broken.json").write_text('{"releases": [\n  {"ocid": }\n]}', encoding="utf-8")
    write_json(folder / "b-shape.json", {"hello": "world"})
    write_json(folder / "c-package.json", {"releases": [
        release(),
        {key: value for key, value in release(release_id="x").items() if key != "ocid"},
        release(ocid="ocds-h6vhtk-000003", tender={"description": "No title here."}),
        "not a release",
        release(ocid="ocds-zzzzzz-000004"),
        release(ocid="ocds-h6vhtk-000005", buyer={}, parties=[]),
    ]})
    write_json(folder / "d-record.json", {"records": [{"ocid": "ocds-h6vhtk-000006", "releases": [
        release(ocid="ocds-h6vhtk-000006", release_id="000006-2026")]}]})
    write_json(folder / "e-releases.json", {"releases": {"not": "a list"}})
    (folder / "notes.txt").write_text("not a notice", encoding="utf-8")

    report = run_import(app, folder, tmp_path / "missing.json")

    assert counts(report) | {"problems": 0} == {"created": 3, "updated": 0, "unchanged": 0, "older": 0, "problems": 0}
    assert [str(p).replace(f"{folder}/", "") for p in report.problems] == [
        "a-broken.json: line 2 column 12: not valid JSON (Expecting value)",
        "b-shape.json: not an OCDS release package, record package or release",
        "c-package.json: releases[1]: missing ocid",
        "c-package.json: releases[2]: ocds-h6vhtk-000003: missing title",
        "c-package.json: releases[3]: not a JSON object",
        "c-package.json: releases[5]: ocds-h6vhtk-000005: no buyer named",
        "e-releases.json: 'releases' is not a list",
        f"{tmp_path / 'missing.json'}: no such file or folder",
    ]
    assert by_ocid(app, "ocds-h6vhtk-000006").title == "Grounds maintenance"  # from the record's releases
    # an unknown publisher is imported, and the report says what we could not tell
    assert by_ocid(app, "ocds-zzzzzz-000004").source == Source.OTHER
    assert [str(w).replace(f"{folder}/", "") for w in report.warnings] == [
        "c-package.json: releases[4]: ocds-zzzzzz-000004: we could not tell who published it: its ocid prefix, "
        "links and package do not say",
        "c-package.json: releases[4]: ocds-zzzzzz-000004: no link back to the original notice: no notice document, "
        "release uri or publisher uri",
    ]


def test_record_package_uses_compiled_release_else_releases(app, tmp_path):
    package = {"records": [
        {"ocid": "ocds-h6vhtk-000001", "compiledRelease": release(tag=["compiled"]), "releases": [{"url": "x"}]},
        {"ocid": "ocds-h6vhtk-000002", "releases": [
            {key: value for key, value in release(release_id="000002-2026", tender={}).items() if key != "ocid"},
            release(ocid="ocds-h6vhtk-000002", release_id="000003-2026", when="2026-09-02T10:00:00+01:00"),
        ]},
        "not a record",
    ]}
    path = write_json(tmp_path / "records.json", package)

    report = run_import(app, path)

    assert counts(report) == {"created": 2, "updated": 0, "unchanged": 0, "older": 0, "problems": 2}
    assert [str(p) for p in report.problems] == [
        f"{path}: records[1].releases[0]: ocds-h6vhtk-000002: missing title",  # the record's ocid is used
        f"{path}: records[2]: not a JSON object",
    ]
    assert by_ocid(app, "ocds-h6vhtk-000002").source_release_id == "000003-2026"


def test_enormous_file_is_refused_and_the_rest_imports(app, tmp_path, monkeypatch):
    monkeypatch.setattr(notice_files, "MAX_FILE_BYTES", 2 * 1024)
    big = write_json(tmp_path / "big.json", {"releases": [release(release_id=f"{n:06d}-2026") for n in range(10)]})
    small = write_json(tmp_path / "small.json", release(ocid="ocds-h6vhtk-000002"))

    report = run_import(app, big, small)

    assert counts(report)["created"] == 1
    assert len(report.problems) == 1 and str(report.problems[0]).startswith(f"{big}: the file is 0.0 MB, more than the")
    assert "split it into smaller packages" in str(report.problems[0])


def test_index_failure_keeps_the_rows_and_catch_up_indexes_them(app, session, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(app.extensions["search"], "update", broken)
    report = run_import(app, DATA / "find-a-tender-2026")

    assert report.index_failed and counts(report)["created"] == 8
    assert len(_all(app)) == 8
    assert backlog_size(session) == 8 and found(app, source="find-a-tender") == []
    monkeypatch.undo()
    assert catch_up(session, app.extensions["search"]) == 8
    assert backlog_size(session) == 0 and len(found(app, source="find-a-tender")) == 8


# Search


def test_imported_notices_are_found_by_search_and_the_source_filter(app, session):
    ours = make_opportunity(session, make_buyer(session), title="Meals for older people")
    sync_opportunity(session, app.extensions["search"], ours.id)
    run_import(app, DATA / "find-a-tender-2026", DATA / "contracts-finder-2025")

    servicenow = by_ocid(app, "ocds-h6vhtk-06f1b4")
    assert found(app, text="ServiceNow") == [servicenow.id]
    assert len(found(app, source="find-a-tender")) == 8
    assert len(found(app, source="contracts-finder")) == 17
    assert found(app, source="portal") == [ours.id]
    result = app.extensions["search"].search(SearchQuery(source="portal", closed=True), TODAY)
    assert dict(result.counts["source"]) == {"portal": 1, "find-a-tender": 8, "contracts-finder": 17}
    shown_by_default = app.extensions["search"].search(SearchQuery(source="portal"), TODAY).counts["source"]
    assert shown_by_default["find-a-tender"] < 8, "awarded notices wait for \"include closed and awarded\""
    assert found(app, source="find-a-tender", stage="engagement", region="TLE") == [by_ocid(app, "ocds-h6vhtk-06f1ad").id]


def test_search_page_filters_and_labels_imported_notices(app, client):
    run_import(app, DATA / "find-a-tender-2026")

    page = client.get("/search?source=find-a-tender&stage=tender").get_data(as_text=True)
    bad = client.get("/search?source=somewhere-else")

    assert "ACE 1012 ITQ - Cultural Education Network One-to-One Evaluation" in page
    assert "Planned purchase from Arts Council England · From Find a Tender" in page
    assert '<option value="find-a-tender" selected>Find a Tender (1)</option>' in page
    assert bad.status_code == 400 and "Choose where it was published from the list" in bad.get_data(as_text=True)


# The command


def test_cli_imports_and_prints_counts(runner):
    result = runner.invoke(args=["import-notices", str(DATA / "find-a-tender-2026")])

    assert result.exit_code == 0, result.output
    assert "Notices imported: 8 created, 0 updated, 0 unchanged, 0 skipped as older than what we have, 0 warned, " \
           "0 refused." in result.output


def test_cli_reports_problems_exits_1_and_imports_the_rest(runner, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("[", encoding="utf-8")

    result = runner.invoke(args=["import-notices", str(broken), str(DATA / "find-a-tender-2026")])

    assert result.exit_code == 1
    assert "8 created" in result.output and "1 refused." in result.output
    assert f"  {broken}: line 1 column 2: not valid JSON (Expecting value)" in result.output


# Codes and text


@pytest.mark.parametrize(("place", "expected"), [
    ("UKI32", ("TLI",)), ("UKJ", ("TLJ",)), ("TLM1", ("TLM",)), ("London", ("TLI",)),
    ("Yorkshire and the Humber", ("TLE",)), ("england", tuple(ENGLAND)), ("UK", tuple(WHOLE_UK)),
    ("United Kingdom", tuple(WHOLE_UK)), ("Channel Islands", ()), ("UKZ", ()), ("Ukraine", ()), (None, ()),
])
def test_places_become_itl1_regions(place, expected):
    assert regions_for(place) == expected


@pytest.mark.parametrize(("code", "expected"), [
    ("85311000", "85311000-2"), ("85311000-2", "85311000-2"), ("63712400", "63712400-7"),
    ("85311999", "85311000-2"),  # not in CPV 2008: its nearest parent
    ("99999999", None), ("8531", None), (85311000, None),
])
def test_cpv_codes_are_normalised(code, expected):
    assert cpv_code(code) == expected


def test_text_repairs():
    assert repair_mojibake("the framework.\u00e2\u20ac\u00af The") == "the framework.\u202f The"
    assert repair_mojibake("café costs £5") == "café costs £5"
    assert clean_description("First.rnrnSecond line\r\nThird") == "First.\n\nSecond line\n\nThird"
    assert clean_description("Return to the stern.") == "Return to the stern."


def _all(app) -> list[Opportunity]:
    with Session(app.extensions["engine"]) as session:
        return list(session.exec(select(Opportunity)).all())
