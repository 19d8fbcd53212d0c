"""Importing notices from any UK OCDS publisher: shapes, publishers, links back, values, places, text, the
per-file report, --dry-run and the exit status."""

import json

import pytest
from sqlmodel import Session, select

from portal.models import Opportunity, Source
from portal.opendata.importer import import_notices
from portal.opendata.notice_awards import awards_in
from portal.opendata.ocds_mapping import NoticeProblem, read_release
from portal.opendata.publishers import label_of, recognise
from portal.presenters import money, value_range
from portal.services.notices import Outcome
from tests.fixtures.ocds_publishers import (
    OTHER_OCID, PCS_OCID, PUBLISHER, S2W_OCID, ocds_release, record_package_compiled, record_package_embedded,
    release_package, write, write_lines,
)


def run(app, *paths, dry_run=False):
    return import_notices(app.extensions["engine"], app.extensions["search"], [str(p) for p in paths], dry_run=dry_run)


def opportunity(app, ocid) -> Opportunity:
    with Session(app.extensions["engine"]) as session:
        found = session.exec(select(Opportunity).where(Opportunity.ocid == ocid)).one()
        found.regions
        return found


def created_updated_unchanged(report) -> tuple[int, int, int]:
    return report.counts[Outcome.CREATED], report.counts[Outcome.UPDATED], report.counts[Outcome.UNCHANGED]


# --- every shape ----------------------------------------------------------------------------------------------------

def two():
    return ocds_release(), ocds_release(S2W_OCID, "rel-2")


SHAPES = {
    "release package": ("a.json", lambda: release_package(*two())),
    "record package, compiled": ("a.json", lambda: record_package_compiled(*two())),
    "record package, embedded": ("a.json", lambda: record_package_embedded(*two())),
    "list of releases": ("a.json", lambda: list(two())),
    "lines of releases": ("a.jsonl", lambda: list(two())),
    "lines of release packages": ("a.jsonl", lambda: [release_package(r) for r in two()]),
    "lines of record packages": ("a.ndjson", lambda: [record_package_compiled(r) for r in two()]),
    "lines in a .json file": ("a.json", lambda: [release_package(r) for r in two()]),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_imports_and_a_rerun_changes_nothing(app, tmp_path, shape):
    name, build = SHAPES[shape]
    folder = tmp_path / "notices"  # apart from the app's own files (its search index holds JSON too)
    folder.mkdir()
    path = folder / name
    if name.endswith((".jsonl", ".ndjson")) or shape == "lines in a .json file":
        write_lines(path, build())
    else:
        write(path, build())

    first, again = run(app, folder), run(app, folder)

    assert created_updated_unchanged(first) == (2, 0, 0) and not first.problems, first.problems
    assert created_updated_unchanged(again) == (0, 0, 2) and not again.problems
    assert opportunity(app, PCS_OCID).source == Source.PUBLIC_CONTRACTS_SCOTLAND
    assert opportunity(app, S2W_OCID).source == Source.SELL2WALES


def test_a_single_release_file_imports(app, tmp_path):
    report = run(app, write(tmp_path / "one.json", ocds_release()))
    assert created_updated_unchanged(report) == (1, 0, 0)


def test_a_broken_line_is_refused_and_the_other_lines_import(app, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(ocds_release()) + "\n{not json\n" + json.dumps(ocds_release(S2W_OCID)) + "\n")

    report = run(app, path)

    assert created_updated_unchanged(report) == (2, 0, 0)
    assert [str(p) for p in report.problems] == [f"{path}: line 2: not valid JSON (Expecting property name enclosed "
                                                 "in double quotes)"]


# --- who published it -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("ocid", "urls", "package", "expected"), [
    ("ocds-b5fd17-1", [], {}, Source.CONTRACTS_FINDER),
    ("ocds-h6vhtk-1", [], {}, Source.FIND_A_TENDER),
    ("OCDS-R6EBE6-0000123", [], {}, Source.PUBLIC_CONTRACTS_SCOTLAND),
    ("ocds-kuma6s-1", [], {}, Source.SELL2WALES),
    ("ocds-aaaaaa-1", ["https://etendersni.gov.uk/epps/cft/view?id=1"], {}, Source.ETENDERS_NI),
    ("ocds-aaaaaa-1", ["https://www.sell2wales.gov.wales/search/show/search_view.aspx?ID=X1"], {}, Source.SELL2WALES),
    ("ocds-aaaaaa-1", [], {"publisher": {"name": "Public Contracts Scotland"}}, Source.PUBLIC_CONTRACTS_SCOTLAND),
    ("ocds-aaaaaa-1", [], {"publisher": {"name": "Somewhere Else", "uri": "https://etendersni.gov.uk/"}},
     Source.ETENDERS_NI),
    ("ocds-b5fd17x-1", [], {"publisher": {"name": "Example Portal"}}, Source.OTHER),  # a prefix is whole, not a start
])
def test_publishers_are_recognised_by_prefix_then_links_then_name(ocid, urls, package, expected):
    assert recognise(ocid, urls, package).source == expected


def test_an_unknown_publisher_is_imported_under_its_own_name_and_labelled_with_it(app, client, tmp_path):
    write(tmp_path / "a.json", release_package(ocds_release(OTHER_OCID, tender={"documents": []})))

    report = run(app, tmp_path)

    found = opportunity(app, OTHER_OCID)
    assert (found.source, found.source_name) == (Source.OTHER, "Example Procurement Portal")
    assert found.source_url == "https://procure.example.org/"  # the publisher's address: nothing closer
    assert not report.problems and not report.warnings
    page = client.get(f"/opportunities/{found.slug}").get_data(as_text=True)
    assert "This is a copy of a notice from Example Procurement Portal" in page
    assert "Read the original notice on Example Procurement Portal" in page
    assert label_of(Source.SELL2WALES) == "Sell2Wales" and label_of(Source.OTHER) == "another publisher"


def test_scottish_notices_can_be_found_with_the_source_filter(app, client, tmp_path):
    run(app, write(tmp_path / "a.json", release_package(ocds_release())))
    page = client.get("/search?source=public-contracts-scotland").get_data(as_text=True)
    assert "School meals for island schools" in page and "From Public Contracts Scotland" in page


# --- link back, in order ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("documents", "uri", "publisher", "expected"), [
    ([{"id": "1", "documentType": "tenderNotice", "url": "https://n.example.org/1"}], "https://r.example.org/1",
     PUBLISHER, "https://n.example.org/1"),
    ([{"id": "1", "documentType": "technicalSpecifications", "url": "https://n.example.org/spec.pdf"}],
     "https://r.example.org/1", PUBLISHER, "https://r.example.org/1"),
    ([], None, PUBLISHER, "https://procure.example.org/"),
    ([], None, {"name": "Example Procurement Portal"}, None),
    ([], "javascript:alert(1)", {"name": "Example Procurement Portal", "uri": "ftp://x"}, None),
])
def test_the_link_back_is_the_notice_then_the_release_uri_then_the_publisher(documents, uri, publisher, expected):
    release = ocds_release(OTHER_OCID, tender={"documents": documents}) | ({"uri": uri} if uri else {})
    mapped = read_release(release, {"publisher": publisher})
    assert mapped.notice.source_url == expected
    assert ("no link back to the original notice" in " ".join(mapped.warnings)) is (expected is None)


# --- tolerant where publishers are sloppy -------------------------------------------------------------------------------

def test_a_release_without_an_id_gets_one_from_its_ocid_and_date_with_a_warning(app, tmp_path):
    path = write(tmp_path / "a.json", release_package({k: v for k, v in ocds_release().items() if k != "id"}))

    first, again = run(app, path), run(app, path)

    assert opportunity(app, PCS_OCID).source_release_id == f"{PCS_OCID}-2026-09-01T10:00:00Z"
    assert [str(w) for w in first.warnings] == [
        f"{path}: releases[0]: {PCS_OCID}: no release id, so we made one from its ocid and date "
        f"({PCS_OCID}-2026-09-01T10:00:00Z)"]
    assert created_updated_unchanged(again) == (0, 0, 1)


def test_values_only_on_lots_are_summed_and_lots_stay_lots():
    lots = [{"id": "1", "title": "North", "value": {"amount": 40000, "currency": "GBP"}},
            {"id": "2", "title": "South", "value": {"amount": 60000.4, "currency": "GBP"}}]
    notice = read_release(ocds_release(tender={"value": None, "lots": lots})).notice
    assert (notice.value_min, notice.value_max, notice.value_currency) == (100000, 100000, None)
    assert [lot["value_max"] for lot in notice.bid_facts["lots"]] == [40000, 60000]


def test_a_tender_in_euros_beside_a_lot_in_pounds_is_shown_in_euros():
    lots = [{"id": "1", "value": {"amount": 50000, "currency": "GBP"}}, {"id": "2"}]
    mapped = read_release(ocds_release(tender={"value": {"amount": 900000, "currency": "EUR"}, "lots": lots}))
    notice = mapped.notice
    assert (notice.value_max, notice.value_currency) == (900000, "EUR")
    assert value_range(notice.value_min, notice.value_max, currency=notice.value_currency) == "€900,000 in total"


def test_lots_in_different_currencies_are_not_added_up_and_the_report_says_so():
    lots = [{"id": "1", "value": {"amount": 5, "currency": "GBP"}}, {"id": "2", "value": {"amount": 7, "currency": "USD"}}]
    mapped = read_release(ocds_release(tender={"value": None, "lots": lots}))
    assert mapped.notice.value_max is None
    assert mapped.warnings == ("the lots are valued in more than one currency (GBP, USD), so no total value is shown",)


def test_a_value_without_a_currency_is_left_out_with_a_warning():
    mapped = read_release(ocds_release(tender={"value": {"amount": 1000}}))
    assert mapped.notice.value_max is None
    assert mapped.warnings == ("a value of 1000 on the tender has no currency we know, so it was left out",)


def test_a_value_in_another_currency_is_saved_shown_and_kept_out_of_pound_bands(app, client, tmp_path):
    run(app, write(tmp_path / "a.json", release_package(
        ocds_release(tender={"value": {"amount": 2_000_000, "currency": "CHF"}}))))
    found = opportunity(app, PCS_OCID)
    assert (found.value_max, found.value_currency) == (2_000_000, "CHF")
    page = client.get(f"/opportunities/{found.slug}").get_data(as_text=True)
    assert "2 million CHF in total" in page
    assert "School meals" not in client.get("/search?value=1m-10m").get_data(as_text=True)


@pytest.mark.parametrize(("amount", "currency", "expected"), [
    (12500, None, "£12,500"), (12500, "GBP", "£12,500"), (3_000_000, "EUR", "€3 million"), (7, "jpy", "7 JPY"),
])
def test_money_in_its_own_currency(amount, currency, expected):
    assert money(amount, currency) == expected


@pytest.mark.parametrize(("places", "expected"), [
    (["UK", "UKL15", "UKL22"], ("TLL",)),
    (["GB", "TLL1"], ("TLL",)),
    (["United Kingdom", "UKM61"], ("TLM",)),
    (["UK"], ("TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK", "TLL", "TLM", "TLN")),
])
def test_a_whole_uk_code_beside_finer_ones_means_the_finer_ones(places, expected):
    items = [{"id": str(i), "deliveryAddresses": [{"region": place}]} for i, place in enumerate(places)]
    assert read_release(ocds_release(tender={"items": items})).notice.regions == expected


def test_html_entities_and_line_breaks_in_descriptions_become_plain_paragraphs():
    description = "<p>Meals &amp; snacks for pupils.</p><ul><li>Hot food</li><li>Fruit &#163;1</li></ul>Line one<br/>Line two"
    notice = read_release(ocds_release(tender={"description": description, "title": "Meals &amp; snacks"})).notice
    assert notice.body_md == "Meals & snacks for pupils.\n\n• Hot food\n\n• Fruit £1\n\nLine one\n\nLine two"
    assert notice.title == "Meals & snacks"


# --- strict where it matters ----------------------------------------------------------------------------------------------

def test_every_reason_a_release_is_refused_is_given():
    with pytest.raises(NoticeProblem) as refused:
        read_release({"tag": ["tender"], "tender": {}})
    assert refused.value.reasons == ["missing ocid", "missing or invalid release date", "missing release id",
                                     "missing title", "no buyer named"]


# --- awards are read as plain data, for the award records to use ------------------------------------------------------

def test_awards_are_read_as_plain_data():
    release = ocds_release(awards=[{"id": "a1", "status": "active", "date": "2026-11-01T00:00:00Z",
                                    "value": {"amount": 99000, "currency": "gbp"}, "suppliers": [{"name": "Acme CIC"}]},
                                   "junk"])
    [award] = awards_in(release)
    assert (award["id"], award["amount"], award["currency"], award["suppliers"]) == ("a1", 99000, "GBP", ["Acme CIC"])
    assert awards_in("not a release") == []


# --- the report, --dry-run and the exit status ------------------------------------------------------------------------------

def test_dry_run_reports_and_saves_nothing(app, tmp_path):
    path = write(tmp_path / "a.json", release_package(ocds_release(), ocds_release(S2W_OCID)))

    report = run(app, path, dry_run=True)

    assert created_updated_unchanged(report) == (2, 0, 0)
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(Opportunity)).all() == []


def test_the_command_reports_each_file_and_exits_0_with_only_warnings(runner, tmp_path):
    write(tmp_path / "a.json", release_package({k: v for k, v in ocds_release().items() if k != "id"}))

    result = runner.invoke(args=["import-notices", str(tmp_path)])

    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'a.json'}: 1 read, 1 created, 0 updated, 0 unchanged, 0 older, 1 warned, 0 refused" in result.output
    assert "Warnings (1): imported, but check these:" in result.output
    assert "1 warned, 0 refused." in result.output


def test_the_command_exits_1_when_anything_is_refused_and_lists_every_reason(runner, tmp_path):
    write(tmp_path / "a.json", release_package(ocds_release(), {"ocid": "ocds-r6ebe6-9", "tender": {}}))

    result = runner.invoke(args=["import-notices", str(tmp_path)])

    assert result.exit_code == 1
    assert (f"  {tmp_path / 'a.json'}: releases[1]: ocds-r6ebe6-9: missing or invalid release date; missing release id; "
            "missing title; no buyer named") in result.output
    assert "1 created" in result.output and "1 refused." in result.output


def test_the_command_dry_run_says_nothing_was_saved(runner, app, tmp_path):
    write(tmp_path / "a.json", release_package(ocds_release()))
    result = runner.invoke(args=["import-notices", "--dry-run", str(tmp_path)])
    assert result.exit_code == 0 and "Dry run, nothing saved. Notices that would be imported: 1 created" in result.output
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(Opportunity)).all() == []
