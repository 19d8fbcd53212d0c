"""Upgrading to market sounding keeps what suppliers had already sent in front of the buyer, turns "keep me
updated" into follows, and downgrading gives the old table back."""

from alembic import command
from sqlalchemy import text

from portal.db import _alembic_config, make_engine
from tests.databases import new_database

BEFORE = "c4f19a7e2d83"
AFTER = "6bdb46db4191"


def migrate(engine, revision: str, direction=command.upgrade) -> None:
    with engine.begin() as connection:
        direction(_alembic_config(connection), revision)


def test_existing_interest_stays_sent_and_keep_me_updated_becomes_a_follow(tmp_path):
    engine = make_engine(new_database(tmp_path, empty=True))
    migrate(engine, BEFORE)
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        for number, kind in ((1, "buyer"), (2, "supplier"), (3, "supplier")):
            run("INSERT INTO organisation (id, slug, name, kind, org_type, region, description_md, one_line, regions_served,"
                f" capabilities, created_at, updated_at) VALUES ({number}, 'o{number}', 'Org {number}', '{kind}', 'micro',"
                " 'TLI', '', '', '[]', '[]', '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
        for number, organisation in ((10, 2), (11, 2), (12, 3)):
            run('INSERT INTO "user" (id, email, name, password_hash, role, organisation_id, created_at, email_confirmed_at, is_active, is_anonymous, is_authenticated,'
                f" session_version) VALUES ({number}, 'p{number}@example.org', 'P', 'x', 'supplier', {organisation},"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00', true, false, true, 0)")
        run("INSERT INTO opportunity (id, slug, ocid, kind, title, summary, body_md, why_md, buyer_id, cpv_code,"
            " brief_answers, suitable_for_sme, suitable_for_vcse, stage, status, source, likely_route, created_at,"
            " updated_at) VALUES (5, 'x', 'ocds-x', 'problem-statement', 'X', 'S', '', '', 1, '85311000-2', '{}',"
            " false, false, 'engagement', 'published', 'portal', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
        run("INSERT INTO interest (opportunity_id, organisation_id, keep_updated, open_to_partnering, listed_publicly,"
            " created_at, updated_at) VALUES (5, 2, true, false, false, '2026-02-01 00:00:00', '2026-02-03 00:00:00'),"
            " (5, 3, false, true, true, '2026-02-01 00:00:00', '2026-02-04 00:00:00')")
        run("INSERT INTO follow (user_id, opportunity_id, created_at) VALUES (11, 5, '2026-01-05 00:00:00')")

    migrate(engine, AFTER)
    with engine.connect() as connection:
        sent = connection.execute(text("SELECT organisation_id, submitted_by_id, submitted_at IS NOT NULL FROM interest"
                                       " ORDER BY organisation_id")).all()
        follows = connection.execute(text("SELECT user_id FROM follow ORDER BY user_id")).scalars().all()
    assert [tuple(row) for row in sent] == [(2, 10, True), (3, 12, True)]
    assert follows == [10, 11], "both people of the organisation that asked to be kept updated, once each"

    migrate(engine, BEFORE, command.downgrade)
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT organisation_id, keep_updated FROM interest ORDER BY organisation_id")).all()
    assert [(organisation, bool(flag)) for organisation, flag in kept] == [(2, True), (3, False)]
    engine.dispose()
