"""Upgrading to reasons for withdrawing and cancelling keeps every opportunity as it was, and gives none a reason;
downgrading drops only the reasons."""

from alembic import command
from sqlalchemy import inspect, text

from portal.db import make_engine
from tests.databases import new_database
from tests.unit.test_sounding_migration import migrate

BEFORE = "5a0c2d7e9f31"
AFTER = "8e2b4c6d1f70"


def insert_buyer(connection) -> None:
    """Organisation 1, a buyer, as the schema has had it since these migrations."""
    connection.exec_driver_sql(
        "INSERT INTO organisation (id, slug, name, kind, org_type, region, description_md, one_line, regions_served,"
        " capabilities, created_at, updated_at) VALUES (1, 'o1', 'Org 1', 'buyer', '', 'TLI', '', '', '[]', '[]',"
        " '2026-01-01 00:00:00', '2026-01-01 00:00:00')")


def test_existing_items_keep_their_status_and_the_reasons_go_on_downgrade(tmp_path):
    engine = make_engine(new_database(tmp_path, empty=True))
    migrate(engine, BEFORE)
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        insert_buyer(connection)
        for number, status in ((5, "published"), (6, "withdrawn")):
            run("INSERT INTO opportunity (id, slug, ocid, kind, title, summary, body_md, why_md, buyer_id, cpv_code,"
                " brief_answers, suitable_for_sme, suitable_for_vcse, stage, status, source, likely_route, created_at,"
                f" updated_at) VALUES ({number}, 'x{number}', 'ocds-x{number}', 'problem-statement', 'X', 'S', '', '',"
                f" 1, '85311000-2', '{{}}', false, false, 'engagement', '{status}', 'portal', '', '2026-01-01 00:00:00',"
                " '2026-01-01 00:00:00')")

    migrate(engine, AFTER)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT id, status FROM opportunity ORDER BY id")).all() == [
            (5, "published"), (6, "withdrawn")]
        assert connection.execute(text("SELECT COUNT(*) FROM stopnotice")).scalar() == 0
        connection.exec_driver_sql("INSERT INTO stopnotice (opportunity_id, kind, reason, made_at) VALUES"
                                   " (6, 'withdrawn', 'Published by mistake.', '2026-02-01 00:00:00')")

    migrate(engine, BEFORE, command.downgrade)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, status FROM opportunity ORDER BY id")).all() == [
            (5, "published"), (6, "withdrawn")]
    assert "stopnotice" not in inspect(engine).get_table_names()
    engine.dispose()
