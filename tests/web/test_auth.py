"""Who may open which pages: role checks, people without an organisation, and where sign-in sends them back to."""

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session
from werkzeug.security import generate_password_hash

from portal.auth import limiter
from portal.models import Role, User, utcnow
from portal.services import accounts
from tests.web.helpers import PASSWORD, make_supplier, post, sign_in


@pytest.fixture(autouse=True)
def fresh_rate_limits(app):
    limiter.reset()


def add_user(app, email: str, role: Role, organisation_id: int | None = None) -> User:
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        user = User(email=email, name="Someone", password_hash=generate_password_hash(PASSWORD), role=role,
                    organisation_id=organisation_id, email_confirmed_at=utcnow())
        session.add(user)
        session.commit()
        return user


def next_of(response) -> str:
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/sign-in"
    return parse_qs(location.query)["next"][0]


@pytest.mark.parametrize("role, path", [(Role.SUPPLIER, "/dashboard"), (Role.BUYER, "/buyer")])
def test_people_without_an_organisation_are_refused(app, client, role, path):
    add_user(app, "orphan@example.org", role)
    sign_in(client, "orphan@example.org")
    assert client.get(path).status_code == 403


def test_administrators_need_no_organisation(app, client):
    with Session(app.extensions["engine"]) as session:
        accounts.create_admin(session, "admin@example.org", "Admin", PASSWORD)
    sign_in(client, "admin@example.org")
    assert client.get("/admin").status_code == 200
    assert client.get("/dashboard").status_code == 403
    assert client.get("/buyer").status_code == 403


def test_suppliers_may_use_the_dashboard_only(app, client):
    make_supplier(app)
    sign_in(client)
    assert client.get("/dashboard").status_code == 200
    assert client.get("/buyer").status_code == 403
    assert client.get("/admin").status_code == 403


@pytest.mark.parametrize("path, back_to", [("/dashboard", "/dashboard"), ("/dashboard?tab=1", "/dashboard?tab=1"),
                                          ("/dashboard?tab=X", "/dashboard?tab=X"), ("/buyer", "/buyer"),
                                          ("/admin", "/admin")])
def test_signed_out_people_are_sent_to_sign_in_and_back_to_the_page(client, path, back_to):
    assert next_of(client.get(path)) == back_to


@pytest.mark.parametrize("referrer, back_to", [
    ("http://localhost/search?q=meals", "/search?q=meals"),
    ("http://localhost/opportunities/x", "/opportunities/x"),
    ("https://evil.example/opportunities/x", "/"),
    (None, "/"),
])
def test_a_signed_out_form_post_returns_to_the_page_the_form_was_on(client, referrer, back_to):
    headers = {"Referer": referrer} if referrer else {}
    assert next_of(post(client, "/saved-searches/new", headers=headers)) == back_to


@pytest.mark.parametrize("user_id", ["abc", "999", ""])
def test_a_session_naming_no_real_person_is_signed_out(client, user_id):
    with client.session_transaction() as session:
        session["_user_id"] = user_id
    assert client.get("/dashboard").status_code == 302
