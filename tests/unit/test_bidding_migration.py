"""Upgrading to "can we bid?" facts keeps every opportunity and organisation, gives existing values the basis they
had (the whole contract) and no facts; downgrading keeps the rows."""

from alembic import command
from sqlalchemy import text

from portal.db import make_engine
from tests.databases import new_database
from tests.unit.test_sounding_migration import migrate

BEFORE = "6bdb46db4191"
AFTER = "5a0c2d7e9f31"


def test_existing_rows_get_a_total_value_and_no_facts_and_survive_a_downgrade(tmp_path):
    engine = make_engine(new_database(tmp_path, empty=True))
    migrate(engine, BEFORE)
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        for number, kind in ((1, "buyer"), (2, "supplier")):
            run("INSERT INTO organisation (id, slug, name, kind, org_type, region, description_md, one_line, regions_served,"
                f" capabilities, created_at, updated_at) VALUES ({number}, 'o{number}', 'Org {number}', '{kind}', '',"
                " 'TLI', '', '', '[]', '[]', '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
        run("INSERT INTO opportunity (id, slug, ocid, kind, title, summary, body_md, why_md, buyer_id, cpv_code, value_max,"
            " brief_answers, suitable_for_sme, suitable_for_vcse, stage, status, source, likely_route, created_at,"
            " updated_at) VALUES (5, 'x', 'ocds-x', 'problem-statement', 'X', 'S', '', '', 1, '85311000-2', 90000, '{}',"
            " false, false, 'engagement', 'published', 'portal', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')")

    migrate(engine, AFTER)
    with engine.connect() as connection:
        opportunity = connection.execute(text("SELECT value_max, value_basis, bid_facts FROM opportunity")).one()
        supplier = connection.execute(text("SELECT turnover_band, staff_count, insurance, accreditations, joins_consortia"
                                           " FROM organisation WHERE id = 2")).one()
    assert opportunity.value_max == 90000 and opportunity.value_basis == "total"
    assert opportunity.bid_facts in ({}, "{}")  # PostgreSQL gives JSON back as data, SQLite as text
    assert supplier.turnover_band is None and supplier.staff_count is None and supplier.joins_consortia is None
    assert supplier.insurance in ([], "[]") and supplier.accreditations in ([], "[]")

    migrate(engine, BEFORE, command.downgrade)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM opportunity")).scalar() == 1
        assert connection.execute(text("SELECT COUNT(*) FROM organisation")).scalar() == 2
    engine.dispose()
