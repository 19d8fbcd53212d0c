"""Upgrading to notices from any publisher keeps every opportunity as it was (pounds, no publisher name);
downgrading drops only the two new columns."""

from alembic import command
from sqlalchemy import inspect, text

from portal.db import make_engine
from tests.databases import new_database
from tests.unit.test_sounding_migration import migrate

BEFORE = "7c41e2b9d058"
AFTER = "a3f61c0d9e25"


def test_opportunities_keep_their_values_and_the_new_columns_go_on_downgrade(tmp_path):
    engine = make_engine(new_database(tmp_path, empty=True))
    migrate(engine, BEFORE)
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        run("INSERT INTO organisation (id, slug, name, kind, org_type, region, description_md, one_line, regions_served,"
            " capabilities, created_at, updated_at) VALUES (1, 'o1', 'Org 1', 'external-buyer', '', 'TLM', '', '', '[]',"
            " '[]', '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
        run("INSERT INTO opportunity (id, slug, ocid, kind, title, summary, body_md, why_md, buyer_id, cpv_code,"
            " brief_answers, suitable_for_sme, suitable_for_vcse, stage, status, source, likely_route, value_max,"
            " created_at, updated_at) VALUES (5, 'x5', 'ocds-h6vhtk-5', 'pipeline-item', 'X', 'S', '', '', 1,"
            " '85311000-2', '{}', false, false, 'tender', 'published', 'find-a-tender', '', 250000,"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00')")

    migrate(engine, AFTER)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT id, value_max, value_currency, source, source_name FROM opportunity")
                                  ).all() == [(5, 250000, None, "find-a-tender", None)]
        connection.exec_driver_sql("UPDATE opportunity SET value_currency = 'EUR', source_name = 'Example Portal'")

    migrate(engine, BEFORE, command.downgrade)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, value_max, source FROM opportunity")).all() == [
            (5, 250000, "find-a-tender")]
    columns = {column["name"] for column in inspect(engine).get_columns("opportunity")}
    assert not columns & {"value_currency", "source_name"}
    engine.dispose()
