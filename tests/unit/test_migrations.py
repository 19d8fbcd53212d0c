"""The migrations build exactly the schema the models describe, and upgrading keeps data."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

from portal.db import make_engine, upgrade_database
from portal.models import GuidancePage
from tests.databases import new_database


def test_migrations_match_the_models(tmp_path):
    engine = make_engine(new_database(tmp_path, empty=True))
    upgrade_database(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_upgrading_twice_keeps_data(tmp_path):
    engine = make_engine(new_database(tmp_path, empty=True))
    upgrade_database(engine)
    with Session(engine) as session:
        session.add(GuidancePage(slug="help", title="Help", summary="Help.", body_md="Text"))
        session.commit()
    upgrade_database(engine)
    with Session(engine) as session:
        assert session.exec(select(GuidancePage.slug)).all() == ["help"]
    engine.dispose()


def test_upgrading_a_database_with_content_keeps_it(tmp_path):
    """The first migration, then content, then the rest: rows survive every later migration."""
    from alembic import command

    from portal.config import PROJECT_ROOT
    from portal.content import load_content
    from portal.db import _alembic_config
    from portal.models import Opportunity

    engine = make_engine(new_database(tmp_path, empty=True))
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "f2d38266e36c")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO organisation (slug, name, kind, org_type, region, description_md, one_line, regions_served,"
            " capabilities, created_at, updated_at) VALUES ('b', 'B', 'buyer', 'nhs-trust', 'TLI', '', '', '[]', '[]',"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
    upgrade_database(engine)
    load_content(engine, PROJECT_ROOT / "content", "ocds-test00")
    with Session(engine) as session:
        assert len(session.exec(select(Opportunity)).all()) >= 40
        assert session.exec(select(Opportunity)).first().brief_answers == {}
    engine.dispose()
