"""Upgrading to stored plain text works it out for every existing opportunity; downgrading drops only it."""

from alembic import command
from sqlalchemy import inspect, text

from portal.db import make_engine
from portal.services.search_text import plain_text_of
from tests.databases import new_database
from tests.unit.test_sounding_migration import migrate
from tests.unit.test_withdraw_migration import insert_buyer

BEFORE = "d4e6a8b0c2f1"
AFTER = "e7a9c1d3f5b7"


def test_existing_opportunities_get_their_plain_text(tmp_path):
    engine = make_engine(new_database(tmp_path, empty=True))
    migrate(engine, BEFORE)
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        insert_buyer(connection)
        for number, body in ((5, "Hot **meals**."), (6, "- <b>Fresh</b> fruit")):
            run("INSERT INTO opportunity (id, slug, ocid, kind, title, summary, body_md, why_md, buyer_id, cpv_code,"
                " brief_answers, bid_facts, area_codes, suitable_for_sme, suitable_for_vcse, stage, status, source,"
                " likely_route, created_at, updated_at) VALUES"
                f" ({number}, 'x{number}', 'ocds-x{number}', 'problem-statement', 'X', 'School food.', '{body}', '',"
                " 1, '85311000-2', '{}', '{}', '[]', false, false, 'engagement', 'published', 'portal', '',"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00')")

    migrate(engine, AFTER)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT id, plain_text FROM opportunity ORDER BY id")).all() == [
            (5, "School food. Hot meals."), (6, plain_text_of("School food.", "- <b>Fresh</b> fruit"))]

    migrate(engine, BEFORE, command.downgrade)
    columns = {column["name"] for column in inspect(engine).get_columns("opportunity")}
    assert "plain_text" not in columns and "body_md" in columns
    engine.dispose()
