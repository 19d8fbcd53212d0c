"""Saved-search alerts and follow updates, delivered to a real SMTP server on this machine."""

import email
import email.policy
import socket
from datetime import datetime, timedelta, timezone

import feedparser
import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from portal.models import AlertDelivery, Status, utcnow
from portal.search.query import SearchQuery
from portal.services import publishing, questions, saved_searches
from portal.services.indexing import rebuild_index
from tests.factories import make_buyer, make_opportunity
from tests.web.helpers import make_supplier


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox(app):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
    yield handler
    controller.stop()


@pytest.fixture
def world(app):
    """A supplier with a saved search for 'meals', and a buyer with one old published opportunity."""
    user = make_supplier(app)
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        buyer = make_buyer(session, slug="camden", name="Camden Council")
        old = make_opportunity(session, buyer, slug="old-meals", title="Old school meals",
                               first_published_at=utcnow() - timedelta(days=30))
        rebuild_index(session, app.extensions["search"])
        saved = saved_searches.save(session, user.id, "Meals", SearchQuery(text="meals"), "daily")
        saved.created_at = utcnow() - timedelta(days=2)
        session.add(saved)
        session.commit()
    return {"user": user, "buyer": buyer, "old": old}


def publish_new(app, world, title="New school meals", slug="new-meals"):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        item = make_opportunity(session, world["buyer"], slug=slug, title=title, status=Status.DRAFT,
                                published_on=None)  # never published yet, so no published date
        publishing.publish(session, app.extensions["search"], item)
        return item


def run_alerts(runner):
    result = runner.invoke(args=["send-alerts"])
    assert result.exit_code == 0, result.output
    return result.output


def test_alert_contains_only_new_matching_opportunities(app, runner, inbox, world):
    publish_new(app, world)
    publish_new(app, world, title="New bus shelters", slug="bus-shelters")
    assert "Alerts sent: 1" in run_alerts(runner)
    [message] = inbox.messages
    assert message["To"] == "amy@example.org"
    body = message.get_content()
    assert "New school meals" in body and "/opportunities/new-meals" in body
    assert "Old school meals" not in body and "bus shelters" not in body


def test_running_twice_sends_nothing_twice(app, runner, inbox, world):
    publish_new(app, world)
    run_alerts(runner)
    assert "Alerts sent: 0" in run_alerts(runner)
    assert len(inbox.messages) == 1


def test_next_alert_has_only_what_is_new_since_the_last(app, runner, inbox, world):
    publish_new(app, world)
    with app.app_context(), Session(app.extensions["engine"]) as session:
        first = saved_searches.send_alerts(session, app.extensions["search"], lambda a: SearchQuery(text=a.get("q", "")),
                                           _send_to(inbox), now=utcnow())
        assert first.alerts_sent == 1
        publish_new(app, world, title="More school meals", slug="more-meals")
        tomorrow = utcnow() + timedelta(days=1)
        second = saved_searches.send_alerts(session, app.extensions["search"], lambda a: SearchQuery(text=a.get("q", "")),
                                            _send_to(inbox), now=tomorrow)
    assert second.alerts_sent == 1
    assert "More school meals" in inbox.messages[1]["body"] and "New school meals" not in inbox.messages[1]["body"]


def _send_to(inbox):
    def send(to, subject, body):
        inbox.messages.append({"to": to, "subject": subject, "body": body})
    return send


def test_an_interrupted_run_resumes_without_losing_the_alert(app, runner, inbox, world):
    publish_new(app, world)

    def failing_send(to, subject, body):
        raise ConnectionError("mail server went away")

    with app.app_context(), Session(app.extensions["engine"]) as session:
        run = saved_searches.send_alerts(session, app.extensions["search"], lambda a: SearchQuery(text="meals"),
                                         failing_send)
        assert (run.alerts_sent, run.failed) == (0, 1)
        [delivery] = session.exec(select(AlertDelivery)).all()
        assert delivery.sent_at is None and delivery.opportunity_ids
    assert "Alerts sent: 1" in run_alerts(runner)
    assert "New school meals" in inbox.messages[0].get_content()


def test_one_poisoned_saved_search_stops_nobody_elses_alerts(app, runner, inbox, world):
    """A name with line breaks and control characters (stored before forms refused them), a query string that
    cannot be read, and a recipient the mail server refuses: every other alert still goes out."""
    publish_new(app, world)
    people = {name: make_supplier(app, email=f"{name}@example.org", organisation=f"{name} Ltd")
              for name in ["bad", "good", "refused"]}
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        for name, user in people.items():
            saved = saved_searches.save(session, user.id, "Meals\r\nBcc: all@example.org\x0b" if name == "bad" else "Meals",
                                        SearchQuery(text="meals"), "daily")
            saved.created_at = utcnow() - timedelta(days=2)
            session.add(saved)
        unreadable = saved_searches.save(session, people["good"].id, "Broken", SearchQuery(text="meals"), "daily")
        unreadable.query_string = "q=%FF%FE&page=%00"
        session.add(unreadable)
        session.commit()
    def send(to, subject, body):
        if to == "refused@example.org":
            raise ConnectionError("550 mailbox unavailable")
        from portal.mail import send_email
        send_email(to, subject, body)

    with app.app_context(), Session(app.extensions["engine"]) as session:
        from portal.services import search as search_service
        from portal.web.search_params import parse_search
        choices = search_service.filter_choices(session)
        run = saved_searches.send_alerts(session, app.extensions["search"],
                                         lambda args: parse_search(args, choices).query, send)
    assert run.failed == 1 and run.alerts_sent == 3, "the unreadable query matches nothing, and fails nothing"
    recipients = sorted(m["To"] for m in inbox.messages)
    assert recipients == ["amy@example.org", "bad@example.org", "good@example.org"]
    poisoned = next(m for m in inbox.messages if m["To"] == "bad@example.org")
    assert poisoned["Subject"] == "New opportunities for \u201cMeals Bcc: all@example.org\u201d"
    assert poisoned["Bcc"] is None
    # The refused one is tried again on the next run, and only it.
    inbox.messages.clear()
    assert "Alerts sent: 1" in run_alerts(runner)
    assert [m["To"] for m in inbox.messages] == ["refused@example.org"]


def test_followers_are_emailed_about_answers_once(app, runner, inbox, world):
    from portal.services import notifications
    user = world["user"]
    with Session(app.extensions["engine"]) as session:
        notifications.follow(session, user.id, world["old"].id)
        question = questions.ask(session, world["old"].id, user.organisation_id, user.id, "When?")
        questions.publish(session, question, question.text, "Soon.")
    run_alerts(runner)
    run_alerts(runner)
    updates = [m for m in inbox.messages if "has been answered" in m["Subject"]]
    assert len(updates) == 1
    body = updates[0].get_content()
    assert "When?" in body and "Soon." in body, "the email shows the question and the answer"
    assert f"http://localhost/opportunities/{world['old'].slug}" in body, "and links to the page, on BASE_URL"


def test_weekly_and_daily_periods():
    monday = datetime(2026, 11, 23, 9, tzinfo=timezone.utc)
    assert saved_searches.period_for("daily", monday) == "2026-11-23"
    assert saved_searches.period_for("weekly", monday) == saved_searches.period_for("weekly", monday + timedelta(days=6))
    assert saved_searches.period_for("weekly", monday) != saved_searches.period_for("weekly", monday + timedelta(days=7))


def test_atom_feed_lists_the_search_results(app, world, client):
    publish_new(app, world)
    response = client.get("/search/feed.atom?q=meals")
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["New school meals", "Old school meals"]
    assert feed.entries[0].link == "http://localhost/opportunities/new-meals", "built from BASE_URL"
    assert feed.feed.title == "Opportunities for \u201cmeals\u201d"


def test_atom_feed_with_bad_parameters_still_works(app, world, client):
    response = client.get("/search/feed.atom?q=" + "x" * 5000 + "&kind=bogus&page=-3")
    assert response.status_code == 200
    assert not feedparser.parse(response.data).bozo


def test_followers_hear_about_changes_to_stage_and_dates_only(app, world):
    from datetime import date

    from portal.models import Notification
    from portal.services import notifications
    user = world["user"]
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        notifications.follow(session, user.id, world["old"].id)
        item = session.get(type(world["old"]), world["old"].id)
        item.summary = "A clearer summary."
        publishing.save_opportunity(session, app.extensions["search"], item)
        assert session.exec(select(Notification)).all() == [], "wording changes are not news"
        item.stage = "tender"
        item.engagement_closes_on = date(2027, 2, 1)
        publishing.save_opportunity(session, app.extensions["search"], item)
        [notice] = session.exec(select(Notification)).all()
    assert notice.user_id == user.id
    assert notice.details == "Its stage is now \u201cOpen for bids\u201d.\nEngagement now closes on 1 February 2027."
