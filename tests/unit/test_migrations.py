"""The migrations build exactly the schema the models describe, and upgrading keeps data."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
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


# A supplier's old single type, and the size and legal form it becomes (see the migration's docstring).
OLD_SUPPLIER_TYPES = {
    "micro": ("micro", None), "small": ("small", "company"), "medium": ("medium", "company"),
    "large": ("large", "company"), "charity": (None, "charity"),
    "community-interest-company": (None, "community-interest-company"),
    "community-group": (None, "community-group"), "social-enterprise": (None, None),
}
SIZE_AND_LEGAL_FORM = "34d12f0fe520"


def _organisations(engine, columns: str) -> dict[str, tuple]:
    with engine.connect() as connection:
        return {row[0]: tuple(row[1:]) for row in connection.execute(text(f"SELECT slug, {columns} FROM organisation"))}


def _insert_organisation(connection, slug: str, kind: str, org_type: str, **new_columns) -> None:
    values = {"slug": slug, "name": slug, "kind": kind, "org_type": org_type, "region": "TLI", "description_md": "",
              "one_line": "", "regions_served": "[]", "capabilities": "[]", "created_at": "2026-01-01 00:00:00",
              "updated_at": "2026-01-01 00:00:00", **new_columns}
    connection.execute(text(f"INSERT INTO organisation ({', '.join(values)}) VALUES "
                            f"({', '.join(':' + name for name in values)})"), values)


def test_old_supplier_types_become_a_size_and_a_legal_form_and_go_back(tmp_path):
    from alembic import command
    from alembic.script import ScriptDirectory

    from portal.db import _alembic_config

    engine = make_engine(new_database(tmp_path, empty=True))
    with engine.begin() as connection:
        config = _alembic_config(connection)
        before = ScriptDirectory.from_config(config).get_revision(SIZE_AND_LEGAL_FORM).down_revision
        command.upgrade(config, before)
    with engine.begin() as connection:
        for old_type in OLD_SUPPLIER_TYPES:
            _insert_organisation(connection, old_type, "supplier", old_type)
        _insert_organisation(connection, "a-trust", "buyer", "nhs-trust")

    upgrade_database(engine)
    moved = _organisations(engine, "kind, org_type, size, legal_form")
    assert moved.pop("a-trust") == ("buyer", "nhs-trust", None, None), "buyers keep their type"
    assert moved == {old: ("supplier", "", *new) for old, new in OLD_SUPPLIER_TYPES.items()}

    with engine.begin() as connection:  # suppliers who answered the two new questions
        for slug, size, legal_form in [
                ("small-co-op", "small", "co-operative"), ("micro-cio", "micro", "charitable-incorporated-organisation"),
                ("medium-mutual", "medium", "mutual"), ("large-sole-trader", "large", "sole-trader"),
                ("unsized-company", None, "company")]:
            _insert_organisation(connection, slug, "supplier", "", size=size, legal_form=legal_form)
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), before)
    back = _organisations(engine, "kind, org_type")
    assert back == {"a-trust": ("buyer", "nhs-trust"), **{old: ("supplier", old) for old in OLD_SUPPLIER_TYPES},
                    "small-co-op": ("supplier", "social-enterprise"), "medium-mutual": ("supplier", "social-enterprise"),
                    "micro-cio": ("supplier", "charity"),
                    "large-sole-trader": ("supplier", "large"), "unsized-company": ("supplier", "micro")}
    engine.dispose()
