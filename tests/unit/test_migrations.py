"""The migrations build exactly the schema the models describe, and upgrading keeps data."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

from portal.db import make_engine, upgrade_database
from portal.models import GuidancePage


def test_migrations_match_the_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    upgrade_database(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_upgrading_twice_keeps_data(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
    upgrade_database(engine)
    with Session(engine) as session:
        session.add(GuidancePage(slug="help", title="Help", summary="Help.", body_md="Text"))
        session.commit()
    upgrade_database(engine)
    with Session(engine) as session:
        assert session.exec(select(GuidancePage.slug)).all() == ["help"]
    engine.dispose()
