"""The index follows the database: publish, withdraw, edit, rebuild, and failures that lose nothing."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from portal import search
from portal.db import make_engine
from portal.models import Opportunity, Status
from portal.search import SearchQuery
from portal.search.writer import POINTER, live_folder
from portal.services import publishing
from portal.services.indexing import rebuild_index
from tests.conftest import TODAY
from tests.factories import make_buyer, make_mission, make_opportunity


@pytest.fixture
def index(app):
    return app.extensions["search"]


def found_ids(index, text="", **filters) -> list[int]:
    return index.search(SearchQuery(text=text, size=50, **filters), TODAY).ids


@pytest.fixture
def buyer(session):
    return make_buyer(session, slug="kent", name="Kent County Council")


def test_publish_then_found(session, index, buyer):
    draft = make_opportunity(session, buyer, title="Reablement at home", status=Status.DRAFT)
    assert found_ids(index, "reablement") == []
    publishing.publish(session, index, draft)
    assert found_ids(index, "reablement") == [draft.id]


def test_withdraw_then_gone(session, index, buyer):
    item = make_opportunity(session, buyer, title="Reablement at home", status=Status.DRAFT)
    publishing.publish(session, index, item)
    publishing.withdraw(session, index, item)
    assert found_ids(index, "reablement") == []
    assert session.get(Opportunity, item.id).status == Status.WITHDRAWN


def test_edit_then_new_text_found_and_old_text_gone(session, index, buyer):
    item = make_opportunity(session, buyer, title="Grass cutting in parks", status=Status.DRAFT)
    publishing.publish(session, index, item)
    item.title = "Wildflower meadows in parks"
    publishing.save_opportunity(session, index, item)
    assert found_ids(index, "wildflower") == [item.id]
    assert found_ids(index, "grass") == []


def test_another_process_sees_each_change_at_its_next_search(app, session, index, buyer):
    """Every process answers from its own copy of the facets; a change made elsewhere must reach it."""
    engine = make_engine(app.config["DATABASE_URL"])
    elsewhere = search.make_index(app.config["SEARCH_BACKEND"], app.config["SEARCH_INDEX_DIR"], engine)
    first = make_opportunity(session, buyer, title="Reablement at home", status=Status.DRAFT)
    publishing.publish(session, index, first)
    assert found_ids(elsewhere) == [first.id]

    second = make_opportunity(session, buyer, title="Falls prevention", status=Status.DRAFT)
    publishing.publish(session, index, second)
    assert sorted(found_ids(elsewhere)) == sorted([first.id, second.id])
    assert found_ids(elsewhere, "falls") == [second.id]

    publishing.withdraw(session, index, first)
    assert found_ids(elsewhere) == [second.id]
    rebuild_index(session, index)
    assert found_ids(elsewhere, "reablement") == [] and found_ids(elsewhere) == [second.id]
    engine.dispose()


@pytest.mark.search_backend("whoosh")
def test_reindex_after_deleting_the_index_restores_results(session, index, buyer):
    item = make_opportunity(session, buyer, title="Reablement at home")
    rebuild_index(session, index)
    assert found_ids(index, "reablement") == [item.id]
    shutil.rmtree(index.index_dir)
    assert found_ids(index, "reablement") == [], "a missing index searches as empty, never an error"
    assert rebuild_index(session, index) == 1
    assert found_ids(index, "reablement") == [item.id]


def test_reindex_command(runner, session, index, buyer):
    item = make_opportunity(session, buyer, title="Reablement at home")
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0 and "1 opportunities" in result.output
    assert found_ids(index, "reablement") == [item.id]


def test_index_failure_keeps_the_record_and_reindex_repairs_it(session, index, buyer, monkeypatch, caplog):
    item = make_opportunity(session, buyer, title="Reablement at home", status=Status.DRAFT)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(index, "update", broken)
    publishing.publish(session, index, item)
    assert "queued for catch-up" in caplog.text
    stored = session.exec(select(Opportunity).where(Opportunity.id == item.id)).one()
    assert stored.status == Status.PUBLISHED, "the database record survives"
    monkeypatch.undo()
    rebuild_index(session, index)
    assert found_ids(index, "reablement") == [item.id]


@pytest.mark.search_backend("whoosh")
def test_failed_rebuild_leaves_the_live_index_working(session, index, buyer):
    item = make_opportunity(session, buyer, title="Reablement at home")
    rebuild_index(session, index)
    before = live_folder(index.index_dir)

    def exploding_documents():
        yield search.document_for(session.get(Opportunity, item.id))
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        index.rebuild(exploding_documents())
    assert live_folder(index.index_dir) == before
    assert [p.name for p in Path(index.index_dir).glob("index-*")] == [before.name], "the half-built index is removed"
    assert found_ids(index, "reablement") == [item.id]


@pytest.mark.search_backend("whoosh")
def test_rebuild_swaps_the_pointer_atomically_and_removes_the_old_index(session, index, buyer):
    make_opportunity(session, buyer)
    rebuild_index(session, index)
    first = live_folder(index.index_dir)
    rebuild_index(session, index)
    second = live_folder(index.index_dir)
    assert first != second and not first.exists()
    assert (Path(index.index_dir) / POINTER).read_text() == second.name


def test_drafts_are_never_indexed_by_rebuild(session, index, buyer):
    make_opportunity(session, buyer, title="Secret plan", status=Status.DRAFT)
    assert rebuild_index(session, index) == 0
    assert found_ids(index, "secret") == []


# --- ranking, filters, counts, sorting, paging and suggestions on a small known set ---

@pytest.fixture
def catalogue(session, index):
    camden = make_buyer(session, slug="camden", name="Camden Council")
    kent = make_buyer(session, slug="kent", name="Kent County Council", region="TLJ")
    food = make_mission(session, slug="food", short_title="Food")
    zero = make_mission(session, slug="net-zero", short_title="Net zero")
    items = {
        "meals": make_opportunity(session, camden, [food], title="Healthy school meals", kind="problem-statement",
                                  value_min=None, value_max=None, published_on=date(2026, 11, 1),
                                  engagement_closes_on=date(2026, 11, 25), suitable_for_vcse=True),
        "heat": make_opportunity(session, kent, [zero], title="Heat pumps for schools", kind="pipeline-item",
                                 stage="pipeline", value_min=2_000_000, value_max=5_000_000, regions=["TLJ"],
                                 published_on=date(2026, 10, 1), engagement_closes_on=date(2027, 1, 10),
                                 cpv_code="45000000-7", suitable_for_sme=False),
        "pantry": make_opportunity(session, kent, [food, zero], title="Community food pantry", kind="innovation-challenge",
                                   value_min=20_000, value_max=60_000, regions=["TLJ", "TLI"],
                                   published_on=date(2026, 9, 1), engagement_closes_on=date(2026, 11, 10),
                                   body_md="Healthy food for families.", suitable_for_vcse=True),
    }
    rebuild_index(session, index)
    return {name: item.id for name, item in items.items()}


def test_title_matches_rank_above_body_matches(index, catalogue):
    assert found_ids(index, "healthy") == [catalogue["meals"], catalogue["pantry"]]


def test_stemming_finds_other_forms_of_a_word(index, catalogue):
    assert found_ids(index, "meal") == [catalogue["meals"]]  # "meals" is in the vocabulary: catering, canteen…
    assert found_ids(index, "pumping") == [catalogue["heat"]]


@pytest.mark.parametrize("filters, expected", [
    ({"kind": "pipeline-item"}, ["heat"]),
    ({"stage": "pipeline"}, ["heat"]),
    ({"mission": "food"}, ["meals", "pantry"]),
    ({"buyer": "kent"}, ["heat", "pantry"]),
    ({"region": "TLI"}, ["meals", "pantry"]),
    ({"cpv": "45"}, ["heat"]),
    ({"value": "not-stated"}, ["meals"]),
    ({"value": "1m-10m"}, ["heat"]),
    ({"value": "under-100k"}, ["pantry"]),
    ({"sme": True}, ["meals", "pantry"]),
    ({"vcse": True}, ["meals", "pantry"]),
    ({"closing": 7}, ["meals"]),
    ({"closing": 90}, ["meals", "heat"]),
    ({"mission": "food", "buyer": "kent"}, ["pantry"]),
    ({"mission": "net-zero", "region": "TLJ", "sme": True}, ["pantry"]),
    ({"kind": "pipeline-item", "vcse": True}, []),
])
def test_each_filter_alone_and_combined(index, catalogue, filters, expected):
    assert sorted(found_ids(index, **filters)) == sorted(catalogue[name] for name in expected)


def test_counts_match_the_results_you_would_get(index, catalogue):
    result = index.search(SearchQuery(mission="food"), TODAY)
    for kind, count in result.counts["kind"].items():
        assert count == len(found_ids(index, mission="food", kind=kind))
    for region, count in result.counts["region"].items():
        assert count == len(found_ids(index, mission="food", region=region))
    assert result.counts["value"]["not-stated"] == 1
    assert result.counts["mission"] == {"food": 2, "net-zero": 2}, "a group's own choice does not narrow its counts"
    assert result.counts["closing"] == {7: 1, 30: 1, 90: 1}


def test_value_not_stated_is_counted_not_dropped(index, catalogue):
    result = index.search(SearchQuery(), TODAY)
    assert sum(result.counts["value"].values()) == result.total == 3


@pytest.mark.parametrize("sort, expected", [
    ("newest", ["meals", "heat", "pantry"]),
    ("closing", ["meals", "heat", "pantry"]),
    ("value", ["heat", "pantry", "meals"]),
])
def test_sorting(index, catalogue, sort, expected):
    assert found_ids(index, sort=sort) == [catalogue[name] for name in expected]


def test_pagination(index, catalogue):
    pages = [index.search(SearchQuery(sort="newest", size=2, page=n), TODAY) for n in (1, 2)]
    assert [p.ids for p in pages] == [[catalogue["meals"], catalogue["heat"]], [catalogue["pantry"]]]
    assert pages[0].total == 3 and pages[0].last_page == 2


@pytest.fixture
def harbour(session, index, buyer):
    """Two entries with both words searched for, then two with one of them; in each pair the better match is the
    older, so a page ordered by date instead of rank would show."""
    items = {
        "both_in_title": make_opportunity(session, buyer, title="Harbour lantern survey", published_on=date(2026, 8, 1)),
        "both": make_opportunity(session, buyer, title="Harbour survey", body_md="The old lantern needs work.",
                                 published_on=date(2026, 9, 1)),
        "one_in_title": make_opportunity(session, buyer, title="Harbour wall survey", summary="The harbour wall.",
                                         published_on=date(2026, 10, 1)),
        "one_in_body": make_opportunity(session, buyer, title="Sea wall survey", body_md="Next to the harbour.",
                                        published_on=date(2026, 11, 1)),
    }
    rebuild_index(session, index)
    return {name: item.id for name, item in items.items()}


def test_entries_with_every_word_come_first_in_rank_order_on_every_page(index, harbour):
    """The first page holds only entries with every word (PostgreSQL then ranks no other entry); the second page
    crosses into entries with one word, which must still be in rank order."""
    pages = [index.search(SearchQuery(text="harbour lantern", size=2, page=n), TODAY) for n in (1, 2)]
    assert pages[0].ids == [harbour["both_in_title"], harbour["both"]]
    assert pages[1].ids == [harbour["one_in_title"], harbour["one_in_body"]]
    assert pages[0].total == pages[1].total == 4
    assert pages[0].all_words == 2
    one_page = index.search(SearchQuery(text="harbour lantern", size=4), TODAY)
    assert one_page.ids == pages[0].ids + pages[1].ids


def test_words_sorted_by_date_find_the_same_entries(index, harbour):
    newest_first = ["one_in_body", "one_in_title", "both", "both_in_title"]
    assert found_ids(index, "harbour lantern", sort="newest") == [harbour[name] for name in newest_first]
    assert found_ids(index, "lantern", sort="newest") == [harbour["both"], harbour["both_in_title"]]


@pytest.mark.parametrize("typed, suggested", [("helthy", "healthy"), ("pantyr", "pantry"), ("skool meals", "school meals")])
def test_did_you_mean_offers_real_words(index, catalogue, typed, suggested):
    assert index.search(SearchQuery(text=typed), TODAY).suggestion == suggested


def test_no_suggestion_for_words_that_exist(index, catalogue):
    assert index.search(SearchQuery(text="healthy meals"), TODAY).suggestion is None


HOSTILE = [
    '"unclosed quote', "title:heat", "kind:pipeline-item", "(((", ")))", "heat AND", "OR OR OR", "NOT",
    "NOT heat", "*", "he*t", "?", "~2", "heat^100", "[a TO z]", "🔥🏠", "مضخات حرارية", "שלום", "'; DROP TABLE opportunity; --",
    "<script>alert(1)</script>", "\x00\x01", "heat" * 2500, "a " * 5000, "%", "\\", "{}", "heat/pumps",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_any_text_gives_results_or_nothing_never_an_error(index, catalogue, text):
    result = index.search(SearchQuery(text=text), TODAY)
    assert result.total == len(result.ids) <= 3
    assert set(result.ids) <= set(catalogue.values())


def test_field_syntax_is_treated_as_words(index, catalogue):
    assert found_ids(index, "title:heat") == [catalogue["heat"]]
