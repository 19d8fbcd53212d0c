"""What an attacker tried: poisoned links, control characters, huge numbers, deep Markdown, forged proxies, cached
private files. Each test here failed before the portal defended against it."""

import email
import email.policy
from datetime import timedelta

import feedparser
import pytest
from flask import request
from sqlalchemy import text
from sqlmodel import Session, select

from portal import create_app
from portal.db import create_tables, get_session
from portal.models import ChallengePhase, Opportunity, Organisation, utcnow
from portal.services import events
from tests.conftest import make_test_config
from tests.databases import drop_database, on_postgres
from tests.factories import make_buyer, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import PASSWORD, make_supplier, post, sign_in
from tests.web.test_buyers import GOOD_BRIEF, camden_client, create_draft, world  # noqa: F401  (fixtures)

PUBLIC_ADDRESS = "https://opportunities.example.gov.uk"


def briefing(session, opportunity, link="https://meet.example.org/x"):
    """An online event a month from now, open for booking."""
    start = utcnow().replace(microsecond=0) + timedelta(days=30)
    return events.create_event(session, opportunity, kind="webinar", title="Briefing", starts_at=start,
                               ends_at=start + timedelta(hours=1), online_link=link, capacity=5,
                               booking_deadline=start - timedelta(days=1))


@pytest.fixture
def public_app(tmp_path):
    """An app whose BASE_URL is not the host the test client sends, as behind a proxy."""
    app = create_app(make_test_config(tmp_path, BASE_URL=PUBLIC_ADDRESS, TRUSTED_HOSTS_EXTRA="localhost"))
    if not on_postgres():
        create_tables(app.extensions["engine"])
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        buyer = make_buyer(session, slug="camden", name="Camden Council")
        opportunity = make_opportunity(session, buyer, slug="school-meals", title="Healthy school meals")
        briefing(session, opportunity)
        from portal.services.indexing import rebuild_index
        rebuild_index(session, app.extensions["search"])
    yield app
    app.extensions["engine"].dispose()
    drop_database(app.config["DATABASE_URL"])


@pytest.mark.parametrize("path", [
    "/search/feed.atom?q=meals", "/data/opportunities.csv", "/data/ocds/releases.json", "/api/openapi.json",
    "/api/opportunities?q=meals", "/api/opportunities/school-meals", "/opportunities/school-meals/ocds.json",
    "/events/1/calendar.ics", "/data",
])
def test_every_absolute_link_is_on_base_url(public_app, path):
    response = public_app.test_client().get(path, headers={"Host": "localhost"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert PUBLIC_ADDRESS in body.replace("\r\n ", "")  # calendar files fold long lines
    assert "http://localhost" not in body


@pytest.mark.parametrize("path", ["/", "/search/feed.atom", "/api/openapi.json", "/data/opportunities.csv", "/sign-in"])
def test_requests_for_another_host_are_refused(public_app, path):
    response = public_app.test_client().get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)


def test_forwarded_addresses_are_believed_only_from_trusted_proxies(app):
    seen = []

    @app.get("/whoami")
    def whoami():
        seen.append((request.remote_addr, request.scheme))
        return "ok"

    client = app.test_client()
    client.get("/whoami", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
    client.get("/whoami", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
               environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert seen == [("203.0.113.9", "https"), ("198.51.100.1", "http")]


# Control characters, from forms and from rows stored before forms refused them.

def test_a_control_character_in_a_stored_title_does_not_break_the_feeds(app, client, session):
    buyer = make_buyer(session, slug="camden", name="Camden\x0b Council")
    # (PostgreSQL cannot hold a NUL byte at all; the other controls it stores as they are)
    make_opportunity(session, buyer, slug="bad-title", title="School\x0b meals and \x1bsnacks",
                     summary="Lunch\x0c for all")
    from portal.services.indexing import rebuild_index
    rebuild_index(session, app.extensions["search"])
    for path in ["/search/feed.atom", "/search/feed.atom?q=meals", "/search/feed.atom?q=%00",
                 "/search/feed.atom?region=TLI&q=%0b"]:
        response = client.get(path)
        assert response.status_code == 200, path
        feed = feedparser.parse(response.data)
        assert not feed.bozo, (path, feed.bozo_exception)
    titles = [e.title for e in feedparser.parse(client.get("/search/feed.atom").data).entries]
    assert titles == ["School meals and snacks"]
    csv_text = client.get("/data/opportunities.csv").get_data(as_text=True)
    assert "\x0b" not in csv_text and "\x00" not in csv_text


@pytest.mark.parametrize("path", ["/search?q=%00", "/search?q=a%00b&region=TLI%00", "/opportunities?kind=%00",
                                  "/api/opportunities?q=%00%0b", "/sign-in?next=%00", "/opportunities/x%00y",
                                  "/guidance/%1b"])
def test_nul_and_control_characters_in_addresses_never_fail(client, portal_data, path):
    assert client.get(path).status_code in (200, 400, 404)


def test_forms_remove_control_characters_and_refuse_line_breaks_in_one_line_fields(app, camden_client):
    opportunity_id = create_draft(camden_client, title="Help\x00 older\x0b people", why="Line one\r\nline\x07 two")
    with Session(app.extensions["engine"]) as session:
        item = session.get(Opportunity, opportunity_id)
        assert item.title == "Help older people" and item.why_md == "Line one\nline two"
    refused = post(camden_client, "/buyer/opportunities/new/problem-statement", {**GOOD_BRIEF, "title": "Two\nlines"})
    assert refused.status_code == 400
    assert "Title must be on one line" in soup(refused).select_one(".govuk-error-summary").get_text()
    assert soup(refused).select_one("#summary").get_text() == GOOD_BRIEF["summary"], "what was typed is kept"


def test_a_saved_search_name_must_be_one_line(app, client):
    make_supplier(app)
    sign_in(client)
    response = post(client, "/saved-searches/new?q=meals", {"name": "Meals\r\nBcc: x@example.org", "frequency": "daily"})
    assert response.status_code == 400
    assert "must be on one line" in soup(response).select_one(".govuk-error-summary").get_text()


def test_line_breaks_in_invitations_and_next_are_refused_or_ignored(app, client):
    from portal.services import accounts
    with Session(app.extensions["engine"]) as session:
        accounts.create_admin(session, "root@example.org", "Admin", PASSWORD)
    bounced = post(client, "/sign-in?next=/dashboard%0d%0aSet-Cookie:%20x=1",
                   {"email": "root@example.org", "password": PASSWORD})
    assert bounced.status_code == 303 and "\n" not in bounced.headers["Location"]
    assert bounced.headers["Location"] == "/admin"
    refused = post(client, "/admin/buyers/new", {"name": "Leeds\nHospitals", "org_type": "nhs-trust", "region": "TLE"})
    assert refused.status_code == 400 and "must be on one line" in refused.get_data(as_text=True)


# Numbers out of range

@pytest.mark.parametrize("number", [2**31, 2**63, 2**64 + 1, 10**30])
def test_ids_out_of_range_are_not_found(app, camden_client, number):
    for path in [f"/events/{number}", f"/events/{number}/calendar.ics", f"/buyer/opportunities/{number}",
                 f"/buyer/opportunities/{number}/edit", f"/buyer/opportunities/{number}/interest.csv"]:
        assert camden_client.get(path).status_code == 404, path
    assert post(camden_client, f"/events/{number}/book").status_code == 404


def test_money_over_two_billion_is_stored_on_every_database(app, camden_client):
    opportunity_id = create_draft(camden_client, value_min="3000000000", value_max="100000000000")
    with Session(app.extensions["engine"]) as session:
        item = session.get(Opportunity, opportunity_id)
        assert (item.value_min, item.value_max) == (3_000_000_000, 100_000_000_000)
    too_much = post(camden_client, "/buyer/opportunities/new/problem-statement", {**GOOD_BRIEF, "value_max": str(10**12)})
    assert too_much.status_code == 400


def test_challenge_funding_over_two_billion_is_stored(app, session):
    buyer = make_buyer(session, slug="kent", name="Kent")
    from datetime import date
    item = make_opportunity(session, buyer, phases=[dict(name="Build", starts_on=date(2027, 1, 1), ends_on=date(2027, 6, 1),
                                                         funding=5_000_000_000)])
    assert session.exec(select(ChallengePhase.funding).where(ChallengePhase.opportunity_id == item.id)).one() == 5_000_000_000


# Markdown that would recurse for ever

def test_deeply_nested_markdown_is_refused_by_forms_and_harmless_when_stored(app, camden_client):
    deep = "- " * 500 + "item"
    refused = post(camden_client, "/buyer/opportunities/new/problem-statement", {**GOOD_BRIEF, "problem": deep})
    assert refused.status_code == 400
    assert "more than 10 levels" in soup(refused).select_one(".govuk-error-summary").get_text()
    assert soup(refused).select_one("#problem").get_text() == deep
    opportunity_id = create_draft(camden_client)
    with Session(app.extensions["engine"]) as session:
        item = session.get(Opportunity, opportunity_id)
        item.body_md = deep
        item.why_md = "\n".join(" " * (4 * level) + "- x" for level in range(400))
        session.add(item)
        session.commit()
    preview = camden_client.get(f"/buyer/opportunities/{opportunity_id}/preview")
    assert preview.status_code == 200
    assert preview.get_data(as_text=True).count("<ul") < 20, "shown as plain text, not 500 nested lists"


def test_deep_markdown_in_stored_event_materials_still_shows_the_event(app, client, session):
    buyer = make_buyer(session, slug="camden", name="Camden Council")
    opportunity = make_opportunity(session, buyer)
    event = briefing(session, opportunity)
    event.materials_md = "- " * 5000 + "x"
    session.add(event)
    session.commit()
    response = client.get(f"/events/{event.id}")
    assert response.status_code == 200 and "Briefing" in response.get_data(as_text=True)


# Errors, caching and methods

def test_the_error_page_renders_after_a_failed_statement(app):
    @app.get("/bad-statement")
    def bad_statement():
        get_session().exec(text("SELECT no_such_column FROM no_such_table"))
        return "unreachable"

    client = app.test_client()
    make_supplier(app)
    sign_in(client)
    response = client.get("/bad-statement")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 200


def test_private_downloads_are_never_cached(app, client, session):
    buyer = make_buyer(session, slug="camden", name="Camden Council")
    opportunity = make_opportunity(session, buyer)
    event = briefing(session, opportunity, link="https://meet.example.org/secret")
    make_supplier(app)
    sign_in(client)
    assert post(client, f"/events/{event.id}/book").status_code == 303
    calendar = client.get(f"/events/{event.id}/calendar.ics")
    assert "meet.example.org/secret" in calendar.get_data(as_text=True)
    assert calendar.headers["Cache-Control"] == "no-store"
    assert client.get("/data/opportunities.csv").headers["Cache-Control"] == "no-store", "signed in: personal"
    for path in ["/dashboard", "/", "/search?q=meals"]:
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_the_buyers_interest_export_is_never_cached(app, camden_client):
    opportunity_id = create_draft(camden_client)
    response = camden_client.get(f"/buyer/opportunities/{opportunity_id}/interest.csv")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_public_files_may_be_cached_when_nobody_is_signed_in(client, portal_data):
    assert "no-store" not in client.get("/data/opportunities.csv").headers.get("Cache-Control", "")


def test_a_wrong_method_says_which_methods_are_allowed(client, portal_data):
    response = client.delete("/search")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
    api = client.post("/api/opportunities")
    assert api.status_code in (400, 405)
    if api.status_code == 405:
        assert "GET" in api.headers["Allow"]


def test_organisation_names_with_line_breaks_never_reach_email_headers(app, client, tmp_path):
    app.config["OUTBOX_DIR"] = str(tmp_path / "outbox")
    with Session(app.extensions["engine"]) as session:
        user = make_supplier(app, organisation="Good Food CIC")
        organisation = session.get(Organisation, user.organisation_id)
        organisation.name = "Good Food\r\nBcc: everyone@example.org"
        session.add(organisation)
        session.commit()
    sign_in(client)
    assert post(client, "/organisation/invite", {"email": "ben@example.org"}).status_code == 303
    [sent] = (tmp_path / "outbox").glob("*.eml")
    message = email.message_from_bytes(sent.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Join Good Food Bcc: everyone@example.org on the Opportunity Portal"
    assert message["Bcc"] is None and message["To"] == "ben@example.org"


def test_form_limits_match_the_database(app, camden_client):
    """A 50-word summary can still be longer than its column: the form says so rather than the database failing."""
    long_words = " ".join(["Supercalifragilistic"] * 40)
    response = post(camden_client, "/buyer/opportunities/new/problem-statement", {**GOOD_BRIEF, "summary": long_words})
    assert response.status_code == 400
    assert "600 characters or fewer" in soup(response).select_one(".govuk-error-summary").get_text()


def test_a_saved_search_of_the_longest_query_is_kept_whole(app, client):
    from portal.models import SavedSearch
    make_supplier(app)
    sign_in(client)
    from urllib.parse import urlencode
    query = urlencode([("q", "\U0001F600" * 200), ("region", "TLI"), ("region", "TLJ")])
    response = post(client, "/saved-searches/new", {"query": query, "name": "Smiles", "frequency": "daily"})
    assert response.status_code == 303
    with Session(app.extensions["engine"]) as session:
        [saved] = session.exec(select(SavedSearch)).all()
        assert len(saved.query_string) > 2000


def test_an_api_address_with_a_control_character_is_a_json_404(client, portal_data):
    response = client.get("/api/opportunities/food-0%00")
    assert response.status_code == 404 and response.is_json
    assert client.get("/opportunities/food-0%00").status_code == 404
    assert client.get("/opportunities/a%0Ab/ocds.json").is_json
