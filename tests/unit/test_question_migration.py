"""Moderation arrives on a database that has questions: answered ones stay published in their own words, the rest
wait for the buyer."""

from alembic import command
from sqlalchemy import text
from sqlmodel import Session

from portal.db import _alembic_config, make_engine, upgrade_database
from portal.services import questions
from tests.databases import new_database
from tests.factories import make_buyer, make_opportunity, make_supplier_user

BEFORE_MODERATION = "34d12f0fe520"


def test_answered_questions_become_published_in_their_own_words_and_the_rest_wait(tmp_path):
    engine = make_engine(new_database(tmp_path, empty=True))
    upgrade_database(engine)
    with Session(engine) as session:
        opportunity = make_opportunity(session, make_buyer(session))
        amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
        answered = questions.ask(session, opportunity.id, amy.organisation_id, amy.id, "Answered before?")
        questions.publish(session, answered, "Answered before?", "Yes.")
        questions.ask(session, opportunity.id, amy.organisation_id, amy.id, "Never answered?")
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), BEFORE_MODERATION)
    upgrade_database(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT text, status, published_text, answer FROM question ORDER BY id")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [
        ("Answered before?", "published", "Answered before?", "Yes."),
        ("Never answered?", "waiting", None, None),
    ]


def test_migrations_go_down_and_up_again_with_rows_that_other_tables_point_at(tmp_path):
    """A batch copy of a table on SQLite would break foreign keys pointing at it: every step keeps the rows."""
    engine = make_engine(new_database(tmp_path, empty=True))
    upgrade_database(engine)
    with Session(engine) as session:
        opportunity = make_opportunity(session, make_buyer(session))
        amy = make_supplier_user(session, "amy@example.org", "Amy's Kitchen")
        questions.ask(session, opportunity.id, amy.organisation_id, amy.id, "Still here?")
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "a7c3e5f10b92")
    upgrade_database(engine)
    with engine.connect() as connection:
        counts = [connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
                  for table in ("organisation", "user", "opportunity", "question")]
    engine.dispose()
    assert counts == [2, 1, 1, 1]
