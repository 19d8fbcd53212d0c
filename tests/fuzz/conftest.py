"""One app per fuzz module, with a buyer, a supplier and an administrator signed in on their own clients.

Hypothesis runs many examples inside one test, so the app and its data are built once per module rather than per
test: examples add rows (drafts, questions, saved searches), which is what a long-lived site looks like anyway.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from portal import create_app
from portal.db import create_tables
from portal.mail import wait_for_background_mail
from portal.models import Opportunity, OpportunityKind, Role, Stage
from portal.services import accounts, events, questions, voice, voice_moderation
from portal.services.indexing import rebuild_index
from tests.conftest import make_test_config
from tests.databases import drop_database, on_postgres
from tests.factories import make_buyer, make_interest, make_mission, make_opportunity
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier

SUPPLIER_EMAIL = "fuzz-supplier@example.org"
BUYER_EMAIL = "fuzz-buyer@example.org"
ADMIN_EMAIL = "fuzz-admin@example.org"
RESIDENT_EMAIL = "fuzz-resident@example.org"
EMAILS = {"supplier": SUPPLIER_EMAIL, "buyer": BUYER_EMAIL, "admin": ADMIN_EMAIL, "resident": RESIDENT_EMAIL}


@dataclass
class World:
    """What the fuzz examples post to and read back, by id and slug."""
    app: Flask
    buyer_slug: str
    mission_slug: str
    problem_id: int
    problem_slug: str
    challenge_id: int
    challenge_slug: str
    pipeline_id: int
    pipeline_slug: str
    event_id: int
    ended_event_id: int
    question_id: int
    clients: dict[str, FlaskClient]
    logged_errors: list[logging.LogRecord] = field(default_factory=list)
    contribution_id: int = 0  # a resident's published comment on the problem statement

    def client(self, role: str) -> FlaskClient:
        """The signed-in client for a role; a fresh client (no cookies) for anonymous visitors."""
        return self.app.test_client() if role == "anonymous" else self.clients[role]

    def sign_in(self, role: str) -> FlaskClient:
        return _sign_in(self.app, EMAILS[role])

    def assert_mail_sent(self) -> None:
        """Emails go out from a background thread, which logs a failure instead of raising it."""
        wait_for_background_mail()
        problems, self.logged_errors[:] = list(self.logged_errors), []
        assert not problems, [record.getMessage() + (f": {record.exc_info[1]!r}" if record.exc_info else "")
                              for record in problems]


class _Errors(logging.Handler):
    def __init__(self, records: list):
        super().__init__(logging.ERROR)
        self.records = records

    def emit(self, record):
        self.records.append(record)


def _sign_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    folder = tmp_path_factory.mktemp("fuzz")
    app = create_app(make_test_config(folder, PAGE_SIZE=5, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False,
                                      OUTBOX_DIR=str(folder / "outbox")))
    engine = app.extensions["engine"]
    if not on_postgres():
        create_tables(engine)
    with Session(engine, expire_on_commit=False) as session:
        buyer = make_buyer(session, slug="fuzz-council", name="Fuzz Borough Council")
        mission = make_mission(session, owner=buyer, slug="fuzz-mission", short_title="Fuzz mission")
        problem = make_opportunity(session, buyer, [mission], slug="fuzz-problem", title="Fuzz problem")
        challenge = make_opportunity(
            session, buyer, [mission], slug="fuzz-challenge", title="Fuzz challenge",
            kind=OpportunityKind.INNOVATION_CHALLENGE,
            phases=[dict(name="Discovery", starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 1), funding=20_000)])
        pipeline = make_opportunity(
            session, buyer, [mission], slug="fuzz-pipeline", title="Fuzz pipeline item",
            kind=OpportunityKind.PIPELINE_ITEM, stage=Stage.PIPELINE, market_year=2027, market_quarter=3)
        event = events.create_event(
            session, problem, kind="webinar", title="Fuzz webinar", description="Come along.",
            starts_at=datetime(2027, 1, 20, 10, tzinfo=timezone.utc), ends_at=datetime(2027, 1, 20, 11, tzinfo=timezone.utc),
            booking_deadline=datetime(2027, 1, 19, 10, tzinfo=timezone.utc), location="", online_link="https://example.org/join",
            capacity=5)
        ended = events.create_event(  # "what we heard" can be published only once an event is over
            session, problem, kind="in-person", title="Fuzz drop-in", description="Came along.",
            starts_at=datetime(2026, 11, 10, 10, tzinfo=timezone.utc), ends_at=datetime(2026, 11, 10, 11, tzinfo=timezone.utc),
            booking_deadline=datetime(2026, 11, 9, 10, tzinfo=timezone.utc), location="Town Hall", capacity=5)
        rebuild_index(session, app.extensions["search"])
        ids = dict(problem_id=problem.id, challenge_id=challenge.id, pipeline_id=pipeline.id, event_id=event.id,
                   ended_event_id=ended.id)
    supplier = make_supplier(app, email=SUPPLIER_EMAIL, organisation="Fuzz Supplies CIC")
    staff = make_buyer_user(app, buyer, BUYER_EMAIL)
    with Session(engine, expire_on_commit=False) as session:
        accounts.create_admin(session, ADMIN_EMAIL, "Fuzz Admin", PASSWORD)
        # The supplier's organisation is on the public list, so its profile shows on the opportunity page.
        make_interest(session, session.get(Opportunity, ids["problem_id"]), supplier, open_to_partnering=True,
                      listed_publicly=True)
        question = questions.ask(session, ids["problem_id"], supplier.organisation_id, supplier.id, "When does it start?")
        ids["question_id"] = question.id
        resident = accounts.sign_up_resident(session, "Fuzz Resident", RESIDENT_EMAIL, PASSWORD)
        resident.email_confirmed_at = resident.created_at
        comment = voice.contribute(session, resident, voice.Subject(opportunity=session.get(Opportunity, ids["problem_id"])),
                                   "It matters to me.", date(2026, 11, 22))
        voice_moderation.approve(session, comment, staff, show_name=True)
        ids["contribution_id"] = comment.id
    clients = {role: _sign_in(app, email) for role, email in EMAILS.items()}
    world = World(app=app, buyer_slug="fuzz-council", mission_slug="fuzz-mission", problem_slug="fuzz-problem",
                  challenge_slug="fuzz-challenge", pipeline_slug="fuzz-pipeline", clients=clients, **ids)
    handler = _Errors(world.logged_errors)
    app.logger.addHandler(handler)
    yield world
    app.logger.removeHandler(handler)
    wait_for_background_mail()
    engine.dispose()
    drop_database(app.config["DATABASE_URL"])


ROLES = ["anonymous", "supplier", "buyer", "admin", "resident"]
assert {role.value for role in Role} <= set(ROLES)
