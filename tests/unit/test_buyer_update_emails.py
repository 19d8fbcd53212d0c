"""Buyers' staff hear about new interest, questions and bookings straight away, in a daily summary, or not by email,
as each of them chose. Suppliers' updates go out on every send-alerts run."""

import email
import email.policy
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from portal.mail import wait_for_background_mail
from portal.models import Notification, Role, UpdateEmails, User
from portal.services import instant_updates, notifications, update_emails
from portal.services.notifications import link
from tests.factories import make_buyer, make_opportunity, make_supplier_user

NOON = datetime(2026, 11, 22, 12, tzinfo=timezone.utc)  # a Sunday: UK time is UTC in November


@pytest.fixture
def outbox(app, tmp_path):
    app.config["OUTBOX_DIR"] = str(tmp_path / "outbox")

    def read() -> list[email.message.EmailMessage]:
        wait_for_background_mail()
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                for path in sorted((tmp_path / "outbox").glob("*.eml"))]
    return read


@pytest.fixture
def world(session):
    camden = make_buyer(session, slug="camden", name="Camden Council")
    kent = make_buyer(session, slug="kent", name="Kent County Council")
    staff = {}
    for choice in UpdateEmails:
        staff[choice] = User(email=f"{choice}@camden.example.org", name=choice, password_hash="x", role=Role.BUYER,
                             organisation_id=camden.id, update_emails=choice)
    other_buyer = User(email="kim@kent.example.org", name="Kim", password_hash="x", role=Role.BUYER,
                       organisation_id=kent.id)
    session.add_all([*staff.values(), other_buyer])
    session.commit()
    item = make_opportunity(session, camden, slug="lunch-clubs", title="Lunch clubs")
    return {"staff": staff, "item": item}


def tell(session, world, message="Good Food CIC registered interest in \u201cLunch clubs\u201d."):
    notifications.tell_buyer(session, world["item"].id, message, details="Good Food CIC, a community interest company.",
                             to=link("buyer.manage", opportunity_id=world["item"].id, _anchor="interest"))


def unsent(session, user: User) -> list[Notification]:
    session.expire_all()
    return list(session.exec(select(Notification).where(Notification.user_id == user.id,
                                                        Notification.emailed_at.is_(None))).all())


class Sent:
    """A `send` for send-alerts that keeps what it was given."""
    def __init__(self, fail_for: str | None = None):
        self.emails, self.fail_for = [], fail_for

    def __call__(self, to, subject, body):
        if to == self.fail_for:
            raise OSError("the mail server said no")
        self.emails.append((to, subject, body))


def test_an_instant_email_goes_once_the_action_is_committed_and_only_then(app, session, world, outbox):
    staff = world["staff"]
    with app.app_context():
        tell(session, world)
        session.flush()
        assert outbox() == [], "nothing is sent before the action is saved"
        session.commit()
        [message] = outbox()
    assert message["To"] == "instant@camden.example.org"
    assert message["Subject"] == "Good Food CIC registered interest in \u201cLunch clubs\u201d."
    body = message.get_content()
    assert "Good Food CIC, a community interest company." in body
    assert f"http://localhost/buyer/opportunities/{world['item'].id}#interest" in body, "a link on BASE_URL"
    assert "http://localhost/buyer/settings" in body, "and where to change how often"
    assert unsent(session, staff[UpdateEmails.INSTANT]) == [], "marked as emailed"
    assert len(unsent(session, staff[UpdateEmails.DAILY])) == 1, "the others wait for their summary or for nothing"
    assert session.exec(select(Notification.user_id)).all().count(staff[UpdateEmails.INSTANT].id) == 1
    kent_staff = session.exec(select(User).where(User.email == "kim@kent.example.org")).one()
    assert session.exec(select(Notification).where(Notification.user_id == kent_staff.id)).all() == []

    with app.app_context():
        sent = Sent()
        update_emails.send_update_emails(session, sent, datetime.now(timezone.utc) + timedelta(days=1))
    assert [to for to, _, _ in sent.emails] == ["daily@camden.example.org"], "send-alerts never sends it twice"


def test_an_action_that_is_rolled_back_sends_nothing(app, session, world, outbox):
    with app.app_context():
        tell(session, world)
        session.flush()
        session.rollback()
        session.add(User(email="new@camden.example.org", name="New", password_hash="x"))
        session.commit()  # a later commit on the same session does not bring the dropped notifications back
        assert outbox() == []
    assert session.exec(select(Notification)).all() == []


def test_a_session_closed_without_committing_sends_nothing(app, world, outbox):
    with app.app_context():
        with Session(app.extensions["engine"]) as session:
            tell(session, world)
            session.flush()
        assert outbox() == []


def test_an_instant_email_that_fails_is_left_for_send_alerts(app, session, world, outbox, monkeypatch):
    def refuse(*_args):
        raise OSError("the mail server said no")
    monkeypatch.setattr(instant_updates, "send_email", refuse)
    instant = world["staff"][UpdateEmails.INSTANT]
    with app.app_context():
        tell(session, world)
        session.commit()
        wait_for_background_mail()
        assert len(unsent(session, instant)) == 1, "released again"
        sent = Sent()
        update_emails.send_update_emails(session, sent, datetime.now(timezone.utc) + timedelta(minutes=11))
    assert [(to, subject) for to, subject, _ in sent.emails] == [
        ("instant@camden.example.org", "Good Food CIC registered interest in \u201cLunch clubs\u201d.")]


def test_send_alerts_leaves_new_instant_updates_to_the_instant_sender(app, session, world):
    """Saved without the app (a script): nothing goes at once, and send-alerts sends it once it is not brand new."""
    tell(session, world)
    session.commit()
    instant = world["staff"][UpdateEmails.INSTANT]
    with app.app_context():
        sent = Sent()
        update_emails.send_update_emails(session, sent, datetime.now(timezone.utc))
        assert "instant@camden.example.org" not in [to for to, _, _ in sent.emails]
        update_emails.send_update_emails(session, sent, datetime.now(timezone.utc) + timedelta(minutes=11))
    assert [to for to, _, _ in sent.emails].count("instant@camden.example.org") == 1
    assert unsent(session, instant) == []


def made_at(session, moment: datetime) -> None:
    for notification in session.exec(select(Notification).where(Notification.emailed_at.is_(None))).all():
        notification.created_at = moment
        session.add(notification)
    session.commit()


def test_a_daily_summary_goes_once_a_day_with_what_came_before_today(app, session, world):
    daily = world["staff"][UpdateEmails.DAILY]
    tell(session, world)
    tell(session, world, "Someone asked a question about \u201cLunch clubs\u201d.")
    made_at(session, NOON - timedelta(days=1))
    with app.app_context():
        sent = Sent()
        update_emails.send_update_emails(session, sent, NOON)
        update_emails.send_update_emails(session, sent, NOON + timedelta(hours=1))
        [(to, subject, body)] = [e for e in sent.emails if e[0] == daily.email]
        assert subject == "Daily summary: 2 updates on your opportunities"
        assert "Someone asked a question" in body and "registered interest" in body

        tell(session, world, "A place was booked at the briefing for \u201cLunch clubs\u201d.")
        session.commit()
        made_at(session, NOON + timedelta(hours=2))
        sent = Sent()
        update_emails.send_update_emails(session, sent, NOON + timedelta(hours=3))
        assert daily.email not in [to for to, _, _ in sent.emails], "one summary a day: the rest waits for tomorrow"
        update_emails.send_update_emails(session, sent, NOON + timedelta(hours=12, minutes=1))  # 00:01 on Monday
        assert [subject for to, subject, _ in sent.emails if to == daily.email] == [
            "Daily summary: 1 update on your opportunities"]


def test_a_daily_summary_that_fails_is_sent_on_the_next_run(app, session, world):
    daily = world["staff"][UpdateEmails.DAILY]
    tell(session, world)
    made_at(session, NOON - timedelta(days=1))
    with app.app_context():
        failing = Sent(fail_for=daily.email)
        assert update_emails.send_update_emails(session, failing, NOON)[1] == 1
        assert len(unsent(session, daily)) == 1
        sent = Sent()
        update_emails.send_update_emails(session, sent, NOON + timedelta(minutes=10))
    assert [to for to, _, _ in sent.emails].count(daily.email) == 1


def test_never_means_no_email_but_the_updates_are_still_listed(app, session, world):
    never = world["staff"][UpdateEmails.NEVER]
    tell(session, world)
    made_at(session, NOON - timedelta(days=1))
    with app.app_context():
        sent = Sent()
        update_emails.send_update_emails(session, sent, NOON)
        update_emails.send_update_emails(session, sent, NOON + timedelta(days=1))
    assert never.email not in [to for to, _, _ in sent.emails]
    assert unsent(session, never) == [], "dealt with, so they do not pile up"
    [(notification, slug)] = notifications.recent(session, never.id)
    assert notification.message.startswith("Good Food CIC registered interest") and slug == "lunch-clubs"


def test_suppliers_get_their_updates_on_every_run(app, session, world):
    supplier = make_supplier_user(session, "amy@example.org", "Good Food CIC")
    notifications.notify(session, {supplier.id}, world["item"].id, "A question about \u201cLunch clubs\u201d has been answered.")
    session.commit()
    with app.app_context():
        sent = Sent()
        update_emails.send_update_emails(session, sent, datetime.now(timezone.utc))
        update_emails.send_update_emails(session, sent, datetime.now(timezone.utc))
    [(to, subject, body)] = sent.emails
    assert to == "amy@example.org" and subject.startswith("A question about")
    assert "http://localhost/dashboard" in body and "/buyer/settings" not in body


def test_changing_the_setting(session, world):
    person = world["staff"][UpdateEmails.INSTANT]
    update_emails.set_choice(session, person, UpdateEmails.DAILY)
    session.expire_all()
    assert session.get(User, person.id).update_emails == UpdateEmails.DAILY


def test_a_new_person_hears_straight_away():
    assert User(email="a@b.c", name="A", password_hash="x").update_emails == UpdateEmails.INSTANT
