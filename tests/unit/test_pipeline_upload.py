"""Buyers upload their pipeline as a CSV file. Every row is checked first; a file with any problem writes nothing."""

import csv
import io

import pytest
from sqlmodel import func, select

from portal.services.indexing import backlog_size
from portal.config import PROJECT_ROOT
from portal.models import Opportunity, OpportunityKind, OrganisationKind, Stage, Status
from portal.search import SearchQuery
from portal.services import pipeline_cells, pipeline_upload
from portal.bidding.facts import facts_of
from portal.services.pipeline_upload import COLUMNS, MAX_BYTES, OPTIONAL_COLUMNS, apply_upload, parse_and_validate
from tests.conftest import TODAY
from tests.factories import make_buyer, make_mission, make_opportunity

EXAMPLE = PROJECT_ROOT / "content" / "templates" / "pipeline-upload-example.csv"
PREFIX = "ocds-test00"
OPTIONAL = ("reference", "value_min", "value_max", "contract_length_months", "likely_route", "missions")


def good_row(**cells) -> dict:
    values = {
        "reference": "", "title": "Street lighting maintenance", "summary": "We plan to buy repairs to street lights.",
        "financial_year": "2027-28", "quarter": "2", "value_min": "100000", "value_max": "250000",
        "contract_length_months": "36", "likely_route": "open procedure", "status": "planned", "cpv": "50232100-1",
        "regions": "TLI", "missions": "net-zero", "suitable_for_sme": "yes", "suitable_for_vcse": "no",
    }
    return values | cells


def csv_file(*rows: dict, columns=tuple(COLUMNS)) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode("utf-8")


def errors_for(session, buyer, data: bytes) -> list[str]:
    return parse_and_validate(session, buyer, data, TODAY).errors


def count_opportunities(session) -> int:
    return session.exec(select(func.count()).select_from(Opportunity)).one()


def found_ids(index, text) -> list[int]:
    return index.search(SearchQuery(text=text, size=50), TODAY).ids


@pytest.fixture
def index(app):
    return app.extensions["search"]


@pytest.fixture
def buyer(session):
    return make_buyer(session, slug="camden", name="London Borough of Camden")


@pytest.fixture
def missions(session):
    return [make_mission(session, slug="net-zero"), make_mission(session, slug="healthier-lives")]


@pytest.fixture
def planned(session, buyer, missions):
    return make_opportunity(session, buyer, missions[:1], slug="school-meals", kind=OpportunityKind.PIPELINE_ITEM,
                            title="School meals", stage=Stage.PIPELINE, market_year=2027, market_quarter=1)


def test_good_file_creates_and_updates_and_search_finds_new_titles(session, index, buyer, missions, planned):
    data = b"\xef\xbb\xbf" + csv_file(  # Excel's "CSV UTF-8" starts with a byte-order mark
        good_row(title="Recycling collections from flats", value_min="£1,200,000", value_max="£1,500,000",
                 regions="London; south east", missions="net-zero; healthier-lives"),
        good_row(title="Befriending for older residents", cpv="85311100", status="in engagement", missions="",
                 value_min="", value_max="", contract_length_months="", suitable_for_vcse="yes"),
        good_row(reference=" School-Meals ", title="Healthy school meals", financial_year="2028-29", quarter="Q3",
                 status="going to tender", missions="healthier-lives"),
    )

    result = apply_upload(session, index, buyer, data, TODAY, ocid_prefix=PREFIX)

    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    recycling = session.exec(select(Opportunity).where(Opportunity.slug == "recycling-collections-from-flats")).one()
    assert recycling.kind == OpportunityKind.PIPELINE_ITEM and recycling.status == Status.PUBLISHED
    assert recycling.ocid == f"{PREFIX}-recycling-collections-from-flats"
    assert recycling.first_published_at is not None and recycling.published_on == TODAY
    assert (recycling.value_min, recycling.value_max) == (1_200_000, 1_500_000)
    assert (recycling.market_year, recycling.market_quarter, recycling.stage) == (2027, 2, Stage.PIPELINE)
    assert recycling.region_codes == ["TLI", "TLJ"]
    assert (recycling.contract_length_months, recycling.likely_route) == (36, "open procedure")
    assert (recycling.suitable_for_sme, recycling.suitable_for_vcse) == (True, False)
    assert sorted(m.slug for m in recycling.missions) == ["healthier-lives", "net-zero"]
    befriending = session.exec(select(Opportunity).where(Opportunity.title == "Befriending for older residents")).one()
    assert befriending.cpv_code == "85311100-3" and befriending.stage == Stage.ENGAGEMENT
    assert (befriending.value_min, befriending.value_max, befriending.contract_length_months) == (None, None, None)
    assert befriending.missions == [] and befriending.suitable_for_vcse is True

    session.refresh(planned)
    assert (planned.title, planned.market_year, planned.market_quarter) == ("Healthy school meals", 2028, 3)
    assert planned.stage == Stage.TENDER and planned.slug == "school-meals"
    assert [m.slug for m in planned.missions] == ["healthier-lives"]

    assert found_ids(index, "recycling") == [recycling.id]
    assert found_ids(index, "befriending") == [befriending.id]
    assert found_ids(index, "healthy school meals") == [planned.id]
    assert sorted(result.opportunity_ids) == sorted([recycling.id, befriending.id, planned.id])


def test_uploading_the_same_file_again_changes_nothing(session, index, buyer, missions, planned):
    data = csv_file(good_row(reference="school-meals", title="Healthy school meals"))
    assert apply_upload(session, index, buyer, data, TODAY, PREFIX).updated == 1
    again = apply_upload(session, index, buyer, data, TODAY, PREFIX)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_change_of_regions_alone_is_an_update(session, index, buyer, missions, planned):
    first = good_row(reference="school-meals", regions="London")
    assert apply_upload(session, index, buyer, csv_file(first), TODAY, PREFIX).updated == 1

    for regions, expected in (("London; South East", ["TLI", "TLJ"]), ("South East", ["TLJ"])):
        result = apply_upload(session, index, buyer, csv_file(first | {"regions": regions}), TODAY, PREFIX)
        assert (result.updated, result.unchanged) == (1, 0), regions
        session.refresh(planned)
        assert sorted(planned.region_codes) == expected

def test_outcomes_are_kept_only_while_their_mission_is(session, index, buyer, missions, planned):
    net_zero_outcome = missions[0].outcomes[0]
    planned.outcomes = [net_zero_outcome]
    session.add(planned)
    session.commit()
    first = good_row(reference="school-meals", missions="net-zero")
    assert apply_upload(session, index, buyer, csv_file(first), TODAY, PREFIX).updated == 1

    both_missions = csv_file(first | {"missions": "net-zero; healthier-lives"})
    both = apply_upload(session, index, buyer, both_missions, TODAY, PREFIX)
    assert (both.updated, both.unchanged) == (1, 0), "a change of missions alone is an update"
    session.refresh(planned)
    assert planned.outcomes == [net_zero_outcome]

    apply_upload(session, index, buyer, csv_file(first | {"missions": "healthier-lives"}), TODAY, PREFIX)
    session.refresh(planned)
    assert [m.slug for m in planned.missions] == ["healthier-lives"] and planned.outcomes == []

def test_the_counts_of_updated_and_unchanged_items_add_up(session, index, buyer, missions, planned):
    make_opportunity(session, buyer, missions[:1], slug="park-cafe", kind=OpportunityKind.PIPELINE_ITEM,
                     title="Park cafe", stage=Stage.PIPELINE, market_year=2027, market_quarter=1)
    data = csv_file(good_row(reference="school-meals", title="School meals"),
                    good_row(reference="park-cafe", title="Park cafe"), good_row(title="Street lighting"))
    first = apply_upload(session, index, buyer, data, TODAY, PREFIX)
    assert (first.created, first.updated, first.unchanged) == (1, 2, 0)
    again = apply_upload(session, index, buyer, data.replace(b"Street lighting", b"Street cleaning"), TODAY, PREFIX)
    assert (again.created, again.updated, again.unchanged) == (1, 0, 2)

def test_new_items_get_unique_addresses(session, index, buyer, missions, planned):
    data = csv_file(good_row(title="School meals"), good_row(title="School meals!"), good_row(title="£££"))
    result = apply_upload(session, index, buyer, data, TODAY, PREFIX)
    assert result.created == 3
    slugs = set(session.exec(select(Opportunity.slug)).all())
    assert slugs == {"school-meals", "school-meals-2", "school-meals-3", "pipeline-item"}


def test_cells_are_tidied_and_normalised(session, buyer, missions):
    data = csv_file(good_row(title="  =SUM(A1:A9)  ", summary=" Plain\n words ", cpv="3000000",
                             regions="north west, TLM; UKI", missions=" NET-ZERO ", financial_year="2026/27",
                             quarter="4", suitable_for_sme="Y", suitable_for_vcse="TRUE", value_max="250000.00",
                             value_min=""))
    result = parse_and_validate(session, buyer, data, TODAY)
    assert result.errors == []
    row = result.rows[0]
    assert row.title == "=SUM(A1:A9)", "a cell starting with = is ordinary text"
    assert row.summary == "Plain words"
    assert row.cpv_code == "03000000-1", "a spreadsheet that dropped the leading zero is forgiven"
    assert row.regions == ("TLD", "TLI", "TLM")
    assert row.missions == ("net-zero",)
    assert (row.market_year, row.market_quarter, row.value_min, row.value_max) == (2026, 4, None, 250_000)
    assert (row.suitable_for_sme, row.suitable_for_vcse, row.row_number) == (True, True, 2)


def test_mixed_file_writes_nothing_and_reports_every_bad_row(session, index, buyer, missions, planned):
    before = count_opportunities(session)
    data = csv_file(
        good_row(title="Good row one"),
        good_row(value_max="about a million"),
        good_row(title="Good row two"),
        good_row(cpv="99999999", regions="Atlantis", suitable_for_sme="maybe"),
        good_row(reference="school-meals", title="", financial_year="2031-32"),
    )

    result = apply_upload(session, index, buyer, data, TODAY, PREFIX)

    assert result.errors == [
        "Row 3, value_max: enter an amount in whole pounds, like 250000, £250,000 or 250k",
        "Row 5, cpv: \u201c99999999\u201d is not a CPV 2008 code. Find the right code in the CPV list, like 85311000-2",
        "Row 5, regions: \u201cAtlantis\u201d is not a UK region. Use region names like London or North West, "
        "or ITL1 codes like TLI",
        "Row 5, suitable_for_sme: enter yes or no",
        "Row 6, title: enter a title",
        "Row 6, financial_year: must be 2026-27, 2027-28 or 2028-29: the pipeline shows this financial year and the "
        "next two",
    ]
    assert result.rows == [] and (result.created, result.updated) == (0, 0)
    assert count_opportunities(session) == before
    session.refresh(planned)
    assert planned.title == "School meals"
    assert found_ids(index, "good") == []


@pytest.mark.parametrize("column, value, message", [
    ("financial_year", "2027-29", "enter a financial year like 2027-28 (April 2027 to March 2028)"),
    ("financial_year", "next year", "enter a financial year like 2027-28 (April 2027 to March 2028)"),
    ("financial_year", "2027-11-01", "enter a financial year like 2027-28 (April 2027 to March 2028)"),
    ("financial_year", "2025-26", "must be 2026-27, 2027-28 or 2028-29"),
    ("financial_year", "2029-30", "must be 2026-27, 2027-28 or 2028-29"),
    ("financial_year", "", "enter the financial year you expect to go to market, like 2027-28"),
    ("quarter", "5", "enter 1, 2, 3 or 4 (1 is April to June, 4 is January to March)"),
    ("quarter", "", "enter 1, 2, 3 or 4"),
    ("value_min", "lots", "enter an amount in whole pounds, like 250000, £250,000 or 250k"),
    ("value_min", "-5", "enter an amount in whole pounds, like 250000, £250,000 or 250k"),
    ("value_max", "12.50", "enter an amount in whole pounds, like 250000, £250,000 or 250k"),
    ("value_max", "=1000", "enter an amount in whole pounds, like 250000, £250,000 or 250k"),
    ("value_max", "100000000001", "enter an amount no more than £100,000,000,000"),
    ("contract_length_months", "0", "enter a whole number of months from 1 to 600, like 24"),
    ("contract_length_months", "601", "enter a whole number of months from 1 to 600, like 24"),
    ("contract_length_months", "two years", "enter a whole number of months from 1 to 600, like 24"),
    ("status", "maybe", "enter one of: planned, in engagement, going to tender, awarded, cancelled"),
    ("cpv", "", "enter the CPV code for what you are buying, like 85311000-2"),
    ("cpv", "social care", "\u201csocial care\u201d is not a CPV code. Enter 8 digits, like 85311000 or 85311000-2"),
    ("cpv", "85311000-3", "\u201c85311000-3\u201d has the wrong check digit. Did you mean 85311000-2?"),
    ("cpv", "12345678", "\u201c12345678\u201d is not a CPV 2008 code"),
    ("regions", "", "enter at least one region, like London or TLI"),
    ("regions", "London; Mars; Venus", "\u201cMars\u201d, \u201cVenus\u201d are not UK regions"),
    ("missions", "net-zero; no-such-mission", "no mission with the reference \u201cno-such-mission\u201d"),
    ("suitable_for_vcse", "", "enter yes or no"),
    ("title", "x" * 201, "must be 200 characters or fewer (it has 201)"),
    ("summary", "", "enter a summary of up to 50 words"),
    ("summary", "word " * 51, "must be 50 words or fewer (it has 51)"),
    ("likely_route", "r" * 201, "must be 200 characters or fewer (it has 201)"),
])
def test_each_bad_cell_is_named_with_its_row_and_column(session, buyer, missions, column, value, message):
    errors = errors_for(session, buyer, csv_file(good_row(), good_row(**{column: value})))
    assert len(errors) == 1
    assert errors[0].startswith(f"Row 3, {column}: {message}")


def test_lowest_value_must_not_be_more_than_highest(session, buyer, missions):
    errors = errors_for(session, buyer, csv_file(good_row(value_min="£500,000", value_max="£100,000")))
    assert errors == ["Row 2, value_min: must not be more than value_max (£100,000)"]


def test_one_value_alone_is_allowed(session, buyer, missions):
    result = parse_and_validate(session, buyer, csv_file(good_row(value_min="", value_max="80000")), TODAY)
    assert result.errors == [] and (result.rows[0].value_min, result.rows[0].value_max) == (None, 80_000)


def test_a_known_value_is_allowed(session, buyer, missions):
    result = parse_and_validate(session, buyer, csv_file(good_row(value_min="80000", value_max="80000")), TODAY)
    assert result.errors == [] and (result.rows[0].value_min, result.rows[0].value_max) == (80_000, 80_000)


def test_a_row_cut_short_leaves_its_last_cells_blank(session, buyer, missions):
    # Some spreadsheets drop empty cells at the end of a row.
    optional_last = [c for c in COLUMNS if c not in OPTIONAL] + list(OPTIONAL)
    row = good_row()
    data = csv_file(columns=optional_last).decode() + ",".join(row[c] for c in optional_last[:-len(OPTIONAL)]) + "\n"
    result = parse_and_validate(session, buyer, data.encode(), TODAY)
    assert result.errors == []
    [checked] = result.rows
    assert (checked.reference, checked.value_min, checked.likely_route, checked.missions) == (None, None, "", ())

    missing = parse_and_validate(session, buyer, csv_file() + b",Street lights\n", TODAY)
    assert "Row 2, summary: enter a summary of up to 50 words" in missing.errors

@pytest.mark.parametrize("written", ["2027-28", "2027-2028", "2027/28", "2027 \u2013 2028"])
def test_a_financial_year_may_be_written_in_several_ways(session, buyer, missions, written):
    result = parse_and_validate(session, buyer, csv_file(good_row(financial_year=written)), TODAY)
    assert result.errors == [] and result.rows[0].market_year == 2027

def test_every_unknown_mission_is_named_in_one_message(session, buyer, missions):
    errors = errors_for(session, buyer, csv_file(good_row(missions="net-zero; clean-air; Warm-Homes")))
    assert errors == ["Row 2, missions: no mission with the reference \u201cclean-air\u201d, \u201cwarm-homes\u201d. "
                      "Leave it blank or use references from the missions page"]

def test_every_problem_in_a_row_is_reported(session, buyer, missions):
    errors = errors_for(session, buyer, csv_file(good_row(title="", summary="", quarter="9", status="", cpv="x")))
    assert [e.split(":")[0] for e in errors] == ["Row 2, title", "Row 2, summary", "Row 2, quarter", "Row 2, status",
                                                 "Row 2, cpv"]


def test_a_row_with_stray_cells_is_reported(session, buyer, missions):
    data = csv_file(good_row()) + b"," * 14 + b",oops\r\n"
    assert errors_for(session, buyer, data) == [
        "Row 3: has 16 cells but the first row names only 15 columns. Check for a stray comma.",
        "Row 3, title: enter a title", "Row 3, summary: enter a summary of up to 50 words",
        "Row 3, financial_year: enter the financial year you expect to go to market, like 2027-28",
        "Row 3, quarter: enter 1, 2, 3 or 4 (1 is April to June, 4 is January to March)",
        "Row 3, status: enter one of: planned, in engagement, going to tender, awarded, cancelled",
        "Row 3, cpv: enter the CPV code for what you are buying, like 85311000-2",
        "Row 3, regions: enter at least one region, like London or TLI",
        "Row 3, suitable_for_sme: enter yes or no", "Row 3, suitable_for_vcse: enter yes or no",
    ]


def test_blank_lines_are_skipped_and_rows_keep_spreadsheet_numbers(session, buyer, missions):
    data = csv_file(good_row()) + b",,,,,,,,,,,,,,\r\n\r\n" + csv_file(good_row(quarter="0")).split(b"\r\n", 1)[1]
    assert errors_for(session, buyer, data) == [
        "Row 5, quarter: enter 1, 2, 3 or 4 (1 is April to June, 4 is January to March)"]


def test_another_buyers_item_cannot_be_updated(session, index, buyer, missions):
    other = make_buyer(session, slug="hackney")
    theirs = make_opportunity(session, other, slug="their-item", kind=OpportunityKind.PIPELINE_ITEM, title="Theirs")
    data = csv_file(good_row(reference="their-item", title="Taken over"))

    result = apply_upload(session, index, buyer, data, TODAY, PREFIX)

    expected = ("Row 2, reference: you have no pipeline item with the reference \u201c{}\u201d. "
                "Leave it blank to add a new item")
    assert result.errors == [expected.format("their-item")]
    session.refresh(theirs)
    assert theirs.title == "Theirs" and theirs.buyer_id == other.id
    # The same answer as for an item that does not exist, so nothing leaks about other buyers.
    assert errors_for(session, buyer, csv_file(good_row(reference="no-such-item"))) == [expected.format("no-such-item")]


def test_only_pipeline_items_can_be_updated(session, buyer, missions):
    make_opportunity(session, buyer, slug="a-problem", kind=OpportunityKind.PROBLEM_STATEMENT)
    errors = errors_for(session, buyer, csv_file(good_row(reference="a-problem")))
    assert errors == ["Row 2, reference: you have no pipeline item with the reference \u201ca-problem\u201d. "
                      "Leave it blank to add a new item"]


def test_a_reference_may_appear_only_once(session, buyer, missions, planned):
    errors = errors_for(session, buyer, csv_file(good_row(reference="school-meals"), good_row(),
                                                 good_row(reference="School-Meals")))
    assert errors == ["Row 4, reference: \u201cschool-meals\u201d is already used in row 2; each item can appear "
                      "only once"]


def test_only_buyers_can_upload(session, missions):
    supplier = make_buyer(session, kind=OrganisationKind.SUPPLIER)
    assert errors_for(session, supplier, csv_file(good_row())) == ["Only buyers can upload a pipeline."]


def test_wrong_columns_are_listed_in_one_message(session, buyer, missions):
    columns = [c for c in COLUMNS if c not in ("cpv", "regions")] + ["Budget code"]
    errors = errors_for(session, buyer, csv_file(good_row(), columns=columns))
    assert errors == [f"The first row must name these columns: {', '.join(COLUMNS)}, and may name these: "
                      f"{', '.join(OPTIONAL_COLUMNS)}. This file has missing columns: cpv, regions and unknown column: "
                      "Budget code."]


def test_column_headings_may_use_spaces_capitals_and_any_order(session, buyer, missions):
    columns = [c.replace("_", " ").title() for c in reversed(COLUMNS)]
    row = {heading: good_row()[name] for heading, name in zip(columns, reversed(COLUMNS), strict=True)}
    result = parse_and_validate(session, buyer, csv_file(row, columns=columns), TODAY)
    assert result.errors == [] and result.rows[0].title == "Street lighting maintenance"


def test_repeated_columns_are_refused(session, buyer, missions):
    errors = errors_for(session, buyer, csv_file(good_row(), columns=[*COLUMNS, "title"]))
    assert errors == ["Each column must appear once in the first row. This file repeats: title."]


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"  \r\n", "The file is empty."),
    (",".join(COLUMNS).encode() + b"\r\n", "The file has no rows under the header."),
    (",".join(COLUMNS).encode() + b"\r\n,,,,,,,,,,,,,,\r\n", "The file has no rows under the header."),
    ("title,summary\r\nCaf\u00e9,\u00a3100\r\n".encode("latin-1"), "The file is not saved as UTF-8 text."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file is not saved as UTF-8 text."),
    (b"title,summary\x00\x00\x01\x02", "The file holds control characters"),
    ("title,summary\r\nA\u0085B,\u009b\r\n".encode(), "The file holds control characters"),
    (b"PK\x03\x04\x14\x00\x06\x00", "The file is a spreadsheet workbook, not a CSV file."),
    (";".join(COLUMNS).encode() + b"\r\n", "The columns must be separated by commas."),
    (",".join(COLUMNS).encode() + b'\r\n"unclosed,"quote', "The file is not a valid CSV file: row 2 could not"),
    (b"<html><body>Not a spreadsheet</body></html>", "The first row must name these columns"),
])
def test_files_that_are_not_usable_csv_are_refused(session, buyer, missions, data, message):
    errors = errors_for(session, buyer, data)
    assert len(errors) == 1 and errors[0].startswith(message)


def test_a_file_over_1_mb_is_refused(session, buyer, missions):
    header, row = csv_file(good_row(summary="word " * 40)).split(b"\r\n", 1)
    data = header + b"\r\n" + row * (MAX_BYTES // len(row) + 1)
    assert len(data) > MAX_BYTES
    assert errors_for(session, buyer, data) == ["The file is larger than 1 MB. Upload at most 1,000 rows at a time."]


def test_more_than_1000_rows_are_refused(session, index, buyer, missions):
    data = csv_file(*[good_row(title=f"Item {n}") for n in range(1001)])
    assert len(data) < MAX_BYTES
    result = apply_upload(session, index, buyer, data, TODAY, PREFIX)
    assert result.errors == ["The file has 1,001 rows. Upload at most 1,000 rows at a time, by splitting it into "
                             "smaller files."]
    assert count_opportunities(session) == 0


def test_1000_rows_are_saved_in_one_go(session, index, buyer, missions):
    data = csv_file(*[good_row(title=f"Lighting lot {n}") for n in range(1000)])
    result = apply_upload(session, index, buyer, data, TODAY, PREFIX)
    assert result.errors == [] and result.created == 1000
    assert count_opportunities(session) == 1000
    assert len(index.search(SearchQuery(text="lighting"), TODAY).ids) == 20


def test_an_index_failure_loses_no_rows(session, index, buyer, missions, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(index, "update", broken)
    result = apply_upload(session, index, buyer, csv_file(good_row()), TODAY, PREFIX)
    assert result.created == 1
    assert session.exec(select(Opportunity.title)).all() == ["Street lighting maintenance"]
    assert "queued for catch-up" in caplog.text and backlog_size(session) == 1


def test_followers_hear_when_the_date_or_stage_changes(session, index, buyer, missions, planned):
    from portal.models import Follow, Notification, Role, User

    user = User(email="f@example.com", password_hash="x", role=Role.SUPPLIER, name="F")
    session.add(user)
    session.commit()
    session.add(Follow(user_id=user.id, opportunity_id=planned.id))
    session.commit()
    data = csv_file(good_row(reference="school-meals", title="School meals", status="going to tender"))
    apply_upload(session, index, buyer, data, TODAY, PREFIX)
    [note] = session.exec(select(Notification)).all()
    assert (note.user_id, note.opportunity_id) == (user.id, planned.id)
    assert note.message == "\u201cSchool meals\u201d has changed."
    assert note.details == "Its stage is now \u201cOpen for bids\u201d.\nIt now goes to market July to September 2027."


def test_the_ocid_prefix_comes_from_the_app_settings(app, session, index, buyer, missions):
    with app.app_context():
        apply_upload(session, index, buyer, csv_file(good_row()), TODAY)
    ocid = session.exec(select(Opportunity.ocid)).one()
    assert ocid == f"{app.config['OCID_PREFIX']}-street-lighting-maintenance"


def test_the_example_file_validates_cleanly(session, index, buyer):
    for path in sorted((PROJECT_ROOT / "content" / "missions").glob("*.md")):
        make_mission(session, slug=path.stem)
    data = EXAMPLE.read_bytes()
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == list(COLUMNS) + list(OPTIONAL_COLUMNS), "the example shows every column, in the documented order"

    result = apply_upload(session, index, buyer, data, TODAY, PREFIX)

    assert result.errors == []
    assert result.created == 3
    assert found_ids(index, "heat pumps")


def test_every_column_is_described():
    assert list(COLUMNS)[0] == "reference"
    assert all(description.strip() and "\n" not in description for description in (COLUMNS | OPTIONAL_COLUMNS).values())
    assert set(pipeline_cells.STATUSES.values()) == set(Stage)


def test_an_item_removed_while_the_file_is_saved_writes_nothing(session, index, buyer, missions, planned,
                                                                 monkeypatch):
    data = csv_file(good_row(title="A new item"), good_row(reference="school-meals"))
    checked = parse_and_validate(session, buyer, data, TODAY)
    session.delete(planned)
    session.commit()
    monkeypatch.setattr(pipeline_upload, "parse_and_validate", lambda *args: checked)

    result = apply_upload(session, index, buyer, data, TODAY, PREFIX)

    assert result.errors == ["Someone else changed your pipeline while the file was being saved. Nothing was saved. "
                             "Upload the file again."]
    assert count_opportunities(session) == 0


def test_a_new_item_never_takes_a_reference_number_already_in_use(session, index, buyer, missions):
    # An item whose reference number was not made from its own web address.
    make_opportunity(session, buyer, slug="renamed", ocid=f"{PREFIX}-school-meals")
    result = apply_upload(session, index, buyer, csv_file(good_row(title="School meals")), TODAY, PREFIX)
    assert result.ok and result.created == 1, result.errors
    [created] = session.exec(select(Opportunity).where(Opportunity.id == result.opportunity_ids[0])).all()
    assert (created.slug, created.ocid) == ("school-meals-2", f"{PREFIX}-school-meals-2")


FACTS = ("value_basis", "min_turnover", "consortia_welcome", "payment_days", "reserved_for")
WITH_FACTS = tuple(COLUMNS) + FACTS


def test_can_we_bid_columns_are_saved_as_facts(session, index, buyer, missions, planned):
    data = csv_file(good_row(title="Meals on wheels", value_basis="per year", min_turnover="£100,000",
                             consortia_welcome="yes", payment_days="14", reserved_for="VCSE; sme-or-vcse"),
                    columns=WITH_FACTS)
    result = apply_upload(session, index, buyer, data, TODAY, PREFIX)
    assert result.errors == [] and result.created == 1
    item = session.exec(select(Opportunity).where(Opportunity.title == "Meals on wheels")).one()
    facts = facts_of(item)
    assert item.value_basis == "per-year"
    assert (facts.conditions.min_turnover, facts.conditions.consortia_welcome) == (100_000, True)
    assert (facts.terms.payment_days, facts.terms.reserved_for) == (14, ["vcse", "sme-or-vcse"])


def test_fact_columns_update_only_what_the_file_has(session, index, buyer, missions, planned):
    planned.bid_facts = {"terms": {"payment_days": 30, "tupe": "likely"}, "criteria": [
        {"type": "price", "name": "Price", "weight": 100}]}
    session.add(planned)
    session.commit()
    row = good_row(reference="school-meals", title="School meals", missions="net-zero", value_min="", value_max="")
    data = csv_file({**row, "min_turnover": "50000", "payment_days": ""},
                    columns=(*COLUMNS, "min_turnover", "payment_days"))
    result = apply_upload(session, index, buyer, data, TODAY, PREFIX)
    assert result.errors == [] and result.updated == 1
    session.refresh(planned)
    facts = facts_of(planned)
    assert facts.conditions.min_turnover == 50_000
    assert facts.terms.payment_days is None  # a blank cell clears the fact
    assert facts.terms.tupe == "likely" and [c.name for c in facts.criteria] == ["Price"]  # kept: not in the file
    assert planned.value_basis == "total"


def test_followers_hear_when_fact_columns_change(session, index, buyer, missions, planned):
    from portal.models import Follow, Notification, Role, User

    user = User(email="f@example.com", password_hash="x", role=Role.SUPPLIER, name="F")
    session.add(user)
    session.commit()
    session.add(Follow(user_id=user.id, opportunity_id=planned.id))
    session.commit()
    row = good_row(reference="school-meals", title="School meals", missions="net-zero", status="planned",
                   financial_year="2027-28", quarter="1", payment_days="10")
    apply_upload(session, index, buyer, csv_file(row, columns=(*COLUMNS, "payment_days")), TODAY, PREFIX)
    [note] = session.exec(select(Notification)).all()
    assert note.details.endswith("The contract terms have changed.")


@pytest.mark.parametrize("cells, expected", [
    ({"value_basis": "per month"}, "Row 2, value_basis: enter total or per year (leave it blank for total)"),
    ({"value_basis": "per year", "value_min": "", "value_max": ""},
     "Row 2, value_basis: give value_min or value_max before saying the value is per year"),
    ({"min_turnover": "lots"}, "Row 2, min_turnover: enter an amount in whole pounds, like 250000, £250,000 or 250k"),
    ({"min_turnover": "-1"}, "Row 2, min_turnover: enter an amount in whole pounds, like 250000, £250,000 or 250k"),
    ({"min_turnover": "9" * 15}, "Row 2, min_turnover: enter an amount no more than £100,000,000,000"),
    ({"consortia_welcome": "maybe"}, "Row 2, consortia_welcome: enter yes or no"),
    ({"payment_days": "121"}, "Row 2, payment_days: enter a whole number of days from 0 to 120, like 30"),
    ({"payment_days": "thirty"}, "Row 2, payment_days: enter a whole number of days from 0 to 120, like 30"),
    ({"reserved_for": "vcse; friends"}, "Row 2, reserved_for: \u201cfriends\u201d is not something a contract can be "
                                       "reserved for. Use vcse, sme-or-vcse, supported-employment, public-service-mutual, "
                                       "separated by semicolons"),
])
def test_bad_fact_cells_are_listed_with_row_and_column(session, buyer, missions, cells, expected):
    data = csv_file(good_row(**cells), good_row(title="Another", payment_days="999"), columns=WITH_FACTS)
    found = errors_for(session, buyer, data)
    assert expected in found
    assert "Row 3, payment_days: enter a whole number of days from 0 to 120, like 30" in found
    assert count_opportunities(session) == 0


def test_an_unknown_column_names_the_optional_ones(session, buyer, missions):
    [error] = errors_for(session, buyer, csv_file(good_row(), columns=(*COLUMNS, "social_value_weight")))
    assert "may name these: value_basis, min_turnover" in error and "unknown column: social_value_weight" in error
