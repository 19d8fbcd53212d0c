"""PostgreSQL works out filters and counts in SQL: it must give the answers of filtering.filter_and_count on the
same random entries, for every combination of filters (the PostgreSQL run of the suite only)."""

import json
from dataclasses import replace

import pytest
from sqlalchemy import text

from portal.search.filtering import filter_and_count
from portal.search.postgres_sql import entry_tokens
from tests.databases import on_postgres
from tests.unit.test_search_filtering import BID_QUERIES, ENTRIES, QUERIES, TODAY

# Defined on the PostgreSQL run only (rather than skipped on SQLite, where there is no PostgreSQL to ask).
if on_postgres():
    @pytest.fixture
    def index(app):
        index = app.extensions["search"]
        with index.engine.begin() as connection:
            connection.execute(text("DELETE FROM search_entry"))
            connection.execute(text(
                "INSERT INTO search_entry (opportunity_id, document, facets, tokens)"
                " VALUES (:id, to_tsvector('english', 'entry'), CAST(:facets AS jsonb), CAST(:tokens AS text[]))"
            ), [{"id": key + 1, "facets": json.dumps(facets), "tokens": entry_tokens(facets)} for key, facets in ENTRIES])
        return index

    @pytest.mark.search_backend("postgres")
    def test_sql_filters_and_counts_agree_with_the_definition(index):
        today = type("Today", (), {"toordinal": lambda self: TODAY})()
        entries = [(key + 1, facets) for key, facets in ENTRIES]
        for query in QUERIES + BID_QUERIES:
            expected_ids, expected_counts = filter_and_count(entries, query, TODAY)
            result = index.search(replace(query, size=400), today)
            assert sorted(result.ids) == sorted(expected_ids) and result.total == len(expected_ids), query
            assert result.counts == expected_counts, query
