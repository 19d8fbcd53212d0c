"""What only the tantivy backend has to get right: swapping a rebuilt index in, other processes seeing each commit,
one writer at a time across processes, counts from aggregations, and its own highlighting and spelling."""

import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

from portal import search
from portal.models import Opportunity, Status
from portal.search import SearchQuery, highlight, writer
from portal.search.documents import facets_for
from portal.search.filtering import filter_and_count
from portal.search.tantivy_backend import analysed, edit_distance
from portal.search.tantivy_schema import facet_token, value_of_token
from portal.services import publishing
from portal.services.indexing import backlog_size, catch_up, rebuild_index
from tests.conftest import TODAY
from tests.factories import make_buyer, make_mission, make_opportunity

pytestmark = pytest.mark.search_backend("tantivy")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def index(app):
    return app.extensions["search"]


@pytest.fixture
def buyer(session):
    return make_buyer(session, slug="kent", name="Kent County Council")


def found(index, text="", **filters) -> list[int]:
    return index.search(SearchQuery(text=text, size=50, **filters), TODAY).ids


def another_process(code: str) -> subprocess.Popen:
    """A Python process running `code`, talking line by line over its standard input and output."""
    return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)})


READER = """
import json, sys
from datetime import date
from portal.search import SearchQuery
from portal.search.tantivy_backend import TantivyIndex
index = TantivyIndex({folder!r})
for line in sys.stdin:
    print(json.dumps(index.search(SearchQuery(text=line.strip(), size=50), date(2026, 11, 22)).ids), flush=True)
"""

WRITER = """
import sys, tantivy
index = tantivy.Index.open({folder!r})
holder = index.writer(15_000_000, 1)
print("holding", flush=True)
sys.stdin.readline()
"""


def ask(process: subprocess.Popen, text: str) -> list[int]:
    process.stdin.write(text + "\n")
    process.stdin.flush()
    return json.loads(process.stdout.readline())


def test_a_rebuild_swaps_in_a_new_folder_and_removes_the_old(session, index, buyer):
    item = make_opportunity(session, buyer, title="Reablement at home")
    rebuild_index(session, index)
    first = index.live_folder()
    rebuild_index(session, index)
    second = index.live_folder()
    assert first != second and not first.exists()
    assert (Path(index.index_dir) / writer.POINTER).read_text() == second.name
    assert found(index, "reablement") == [item.id]


def test_a_failed_rebuild_leaves_the_live_index_working(session, index, buyer):
    item = make_opportunity(session, buyer, title="Reablement at home")
    rebuild_index(session, index)
    before = index.live_folder()

    def exploding_documents():
        yield search.document_for(session.get(Opportunity, item.id))
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        index.rebuild(exploding_documents())
    assert index.live_folder() == before
    assert [p.name for p in Path(index.index_dir).glob("index-*")] == [before.name], "the half-built index is removed"
    assert found(index, "reablement") == [item.id]


def test_a_missing_index_searches_as_empty_and_reindex_restores_it(session, index, buyer):
    item = make_opportunity(session, buyer, title="Reablement at home")
    rebuild_index(session, index)
    shutil.rmtree(index.index_dir)
    assert found(index, "reablement") == []
    assert rebuild_index(session, index) == 1
    assert found(index, "reablement") == [item.id]


def test_another_process_sees_each_commit_and_each_swap_at_its_next_search(session, index, buyer):
    first = make_opportunity(session, buyer, title="Reablement at home", status=Status.DRAFT)
    publishing.publish(session, index, first)
    reader = another_process(READER.format(folder=str(index.index_dir)))
    try:
        assert ask(reader, "reablement") == [first.id]
        second = make_opportunity(session, buyer, title="Reablement after hospital", status=Status.DRAFT)
        publishing.publish(session, index, second)
        assert sorted(ask(reader, "reablement")) == sorted([first.id, second.id])
        publishing.withdraw(session, index, first)
        assert ask(reader, "reablement") == [second.id]
        rebuild_index(session, index)
        assert ask(reader, "reablement") == [second.id], "the rebuilt folder is opened"
    finally:
        reader.stdin.close()
        reader.wait(10)


def test_a_writer_in_another_process_makes_the_change_wait_on_the_backlog(session, index, buyer, monkeypatch):
    item = make_opportunity(session, buyer, title="Reablement at home", status=Status.DRAFT)
    monkeypatch.setattr(writer, "WRITE_TIMEOUT_SECONDS", 0.3)
    holder = another_process(WRITER.format(folder=str(index.live_folder())))
    try:
        assert holder.stdout.readline().strip() == "holding"
        publishing.publish(session, index, item)
        assert backlog_size(session) == 1, "the change waits on the backlog"
        assert found(index, "reablement") == []
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert catch_up(session, index) == 1
    assert backlog_size(session) == 0 and found(index, "reablement") == [item.id]


@pytest.fixture
def catalogue(session, index):
    camden = make_buyer(session, slug="camden", name="Camden Council")
    kent = make_buyer(session, slug="kent-cc", name="Kent County Council", region="TLJ")
    food = make_mission(session, slug="food", short_title="Food")
    zero = make_mission(session, slug="net-zero", short_title="Net zero")
    rows = [
        (camden, [food], "problem-statement", date(2026, 11, 25), ["TLI"], None),
        (camden, [zero], "pipeline-item", date(2026, 12, 10), ["TLI", "TLJ"], 2_000_000),
        (kent, [food, zero], "innovation-challenge", date(2027, 1, 30), ["TLJ"], 60_000),
        (kent, [food], "problem-statement", date(2026, 11, 10), ["TLJ"], 300_000),
        (kent, [], "pipeline-item", None, ["TLK"], 20_000),
        (camden, [food], "innovation-challenge", date(2026, 11, 28), ["TLI"], 40_000_000),
    ]
    made = [make_opportunity(session, owner, missions, title=f"School meals {n}", kind=kind, engagement_closes_on=closes,
                             regions=regions, value_min=None, value_max=value, published_on=date(2026, 10, n + 1))
            for n, (owner, missions, kind, closes, regions, value) in enumerate(rows)]
    rebuild_index(session, index)
    return made


@pytest.mark.parametrize("filters", [
    {},
    {"mission": "food"},
    {"mission": "food", "buyer": "kent-cc"},
    {"closing": 30, "region": "TLJ"},
    {"closing": 7, "kind": "problem-statement", "value": "under-100k"},
])
def test_counts_come_from_aggregations_each_group_without_its_own_choice(session, index, catalogue, filters):
    """The same counts as the shared definition in filtering.filter_and_count, which every backend follows."""
    entries = [(o.id, asdict(facets_for(session.get(Opportunity, o.id)))) for o in catalogue]
    query = SearchQuery(text="meals", size=50, **filters)
    expected_ids, expected_counts = filter_and_count(entries, query, TODAY.toordinal())
    result = index.search(query, TODAY)
    assert sorted(result.ids) == sorted(expected_ids) and result.total == len(expected_ids)
    assert result.counts == expected_counts


def test_sorts_and_pages_agree_across_the_page_boundary(index, catalogue):
    every = found(index, sort="closing")
    pages = [index.search(SearchQuery(sort="closing", size=2, page=n), TODAY).ids for n in (1, 2, 3)]
    assert sum(pages, []) == every
    open_first = [o.id for o in sorted((o for o in catalogue if o.engagement_closes_on and o.engagement_closes_on >= TODAY),
                                       key=lambda o: o.engagement_closes_on)]
    assert every[:len(open_first)] == open_first
    by_value = found(index, sort="value")
    assert by_value[0] == catalogue[5].id and by_value[-1] == catalogue[0].id, "no value stated comes last"


@pytest.mark.parametrize("value", ["kent", "TLI", "45", "under-100k", "a b", "quote\"s", "~1", "Ünïcode", "x=y"])
def test_facet_values_of_any_text_round_trip(value):
    group, _, stored = facet_token("buyer", value).partition("=")
    assert group == "buyer" and value_of_token("buyer", stored) == value


def test_tick_filters_count_as_true():
    assert value_of_token("sme", facet_token("sme", True).partition("=")[2]) is True


@pytest.mark.parametrize("a, b, distance", [
    ("helthy", "healthy", 1), ("pantyr", "pantry", 1), ("skool", "school", 2), ("meals", "meals", 0), ("cat", "dogs", 4),
])
def test_edit_distance_counts_a_swap_as_one(a, b, distance):
    assert edit_distance(a, b) == distance


def test_extracts_mark_every_form_of_a_word_and_escape_the_rest():
    text = "Meals for <b>children</b>. " + "Filler words here. " * 30 + "A hot meal at lunchtime."
    extract = str(highlight.extracts(text, frozenset({analysed("meals")}), analysed))
    assert extract.count('<mark class="portal-match">') == 2 and "&lt;b&gt;" in extract and " … " in extract
    assert len(extract) < len(text), "long text is cut to extracts around the words"
    assert highlight.extracts("Nothing here", frozenset({"meal"}), analysed) is None


def test_extracts_are_cut_from_the_databases_plain_text_not_read_from_the_index(session, index, buyer):
    item = make_opportunity(session, buyer, title="Reablement", summary="Help **at home** after hospital.",
                            body_md="Reablement means *short* support.")
    rebuild_index(session, index)
    result = index.search(SearchQuery(text="home support"), TODAY)
    assert result.ids == [item.id] and result.snippets == {}, "the index reads no stored documents for extracts"
    extract = str(index.snippet(item.plain_text, result))
    assert '<mark class="portal-match">home</mark>' in extract and '<mark class="portal-match">support</mark>' in extract
    assert "**" not in extract and "<strong>" not in extract
