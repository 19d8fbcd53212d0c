import email
import email.policy
import re
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portal.auth import limiter
from portal.models import Organisation, User
from portal.services import accounts
from tests.web.conftest import soup
from tests.web.helpers import PASSWORD, csrf_token, make_supplier, post, sign_in

GOOD_SIGN_UP = {
    "name": "Amy Example", "email": "Amy@Example.org", "password": PASSWORD, "organisation_name": "Good Food CIC",
    "supplier_type": "community-interest-company", "registration_number": "12345678", "regions_served": ["TLI", "TLJ"],
    "capabilities": ["55", "85"], "website": "https://goodfood.example.org", "one_line": "We cook with families.",
}


@pytest.fixture(autouse=True)
def fresh_rate_limits(app):
    limiter.reset()


def test_sign_up_creates_person_and_organisation_and_signs_in(client, app):
    response = post(client, "/sign-up", GOOD_SIGN_UP)
    assert response.status_code == 303 and response.headers["Location"] == "/dashboard"
    with Session(app.extensions["engine"]) as session:
        user = session.exec(select(User)).one()
        assert user.email == "amy@example.org"
        assert user.password_hash != PASSWORD and PASSWORD not in user.password_hash
        organisation = session.get(Organisation, user.organisation_id)
        assert (organisation.kind, organisation.org_type, organisation.regions_served, organisation.capabilities) == (
            "supplier", "community-interest-company", ["TLI", "TLJ"], ["55", "85"])
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter your name"),
    ("email", "", "Enter your email address"),
    ("email", "not-an-email", "correct format"),
    ("password", "short", "between 10 and 200"),
    ("organisation_name", "", "Enter your organisation"),
    ("supplier_type", "", "Choose what kind of organisation"),
    ("supplier_type", "pirate", "Not a valid choice"),
    ("registration_number", "ABC", "Companies House number"),
    ("regions_served", [], "Choose at least one region"),
    ("regions_served", ["XX"], "Choose from the options"),
    ("capabilities", ["00"], "Choose from the options"),
    ("website", "javascript:alert(1)", "web address"),
    ("one_line", "x" * 151, "150 characters or fewer"),
])
def test_sign_up_errors_keep_what_was_typed(client, field, value, message):
    response = post(client, "/sign-up", {**GOOD_SIGN_UP, field: value})
    assert response.status_code == 400
    page = soup(response)
    summary_links = page.select(".govuk-error-summary a")
    assert any(message in a.get_text() for a in summary_links), [a.get_text() for a in summary_links]
    assert page.select_one(summary_links[0]["href"]) is not None, "the summary links to the field"
    if field != "name":
        assert page.select_one("#name")["value"] == "Amy Example"
    if field != "organisation_name":
        assert page.select_one("#organisation_name")["value"] == "Good Food CIC"
    assert page.select_one("#password").get("value") is None, "passwords are never sent back"


def test_sign_up_with_a_registered_email_is_refused_with_a_message(client, app):
    make_supplier(app)
    response = post(client, "/sign-up", GOOD_SIGN_UP)
    assert response.status_code == 400
    assert "already uses this email" in soup(response).select_one(".govuk-error-summary").get_text()


def test_forms_without_csrf_token_are_rejected(client, app):
    make_supplier(app)
    response = client.post("/sign-in", data={"email": "amy@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/dashboard").status_code == 302, "not signed in"


def test_sign_in_and_out(client, app):
    make_supplier(app)
    sign_in(client)
    assert client.get("/dashboard").status_code == 200
    assert post(client, "/sign-out").status_code == 303
    assert client.get("/dashboard").status_code == 302


def plant(client) -> str:
    """What an attacker could have put in a session before handing it to someone (session fixation)."""
    client.get("/")
    with client.session_transaction() as before:
        before["planted"] = "attacker's value"
    return client.get_cookie("session").value


def test_sign_in_starts_a_new_session(client, app):
    make_supplier(app)
    cookie_before = plant(client)
    sign_in(client)
    with client.session_transaction() as after:
        assert "planted" not in after, "nothing from before signing in survives it"
        assert after["_user_id"]
    assert client.get_cookie("session").value != cookie_before
    assert client.get("/dashboard").status_code == 200


def test_sign_up_starts_a_new_session(client, app):
    plant(client)
    assert post(client, "/sign-up", GOOD_SIGN_UP).status_code == 303
    with client.session_transaction() as after:
        assert "planted" not in after and after["_user_id"]


def test_sign_out_ends_the_session(client, app):
    make_supplier(app)
    sign_in(client)
    with client.session_transaction() as during:
        during["planted"] = "left behind"
    assert post(client, "/sign-out").status_code == 303
    with client.session_transaction() as after:
        assert "planted" not in after and "_user_id" not in after


def test_wrong_password_and_unknown_email_get_the_same_answer(client, app):
    make_supplier(app)
    wrong = post(client, "/sign-in", {"email": "amy@example.org", "password": "wrong password!"})
    unknown = post(client, "/sign-in", {"email": "nobody@example.org", "password": "wrong password!"})
    assert wrong.status_code == unknown.status_code == 400
    def message(r):
        return soup(r).select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert message(wrong) == message(unknown)
    assert soup(wrong).select_one("#email")["value"] == "amy@example.org"


def test_sign_in_attempts_are_rate_limited(client, app):
    make_supplier(app)
    token = csrf_token(client)
    codes = [client.post("/sign-in", data={"csrf_token": token, "email": "amy@example.org", "password": "nope nope nope"}).status_code
             for _ in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429


def test_signed_out_people_are_sent_to_sign_in_and_back(client, app):
    response = client.get("/dashboard")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in?next=/dashboard")
    make_supplier(app)
    token = csrf_token(client)
    back = client.post("/sign-in?next=/organisation", data={"csrf_token": token, "email": "amy@example.org", "password": PASSWORD})
    assert back.headers["Location"] == "/organisation"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_site(client, app, target):
    make_supplier(app)
    token = csrf_token(client)
    response = client.post(f"/sign-in?next={target}", data={"csrf_token": token, "email": "amy@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/dashboard"


def outbox_messages(app) -> list[str]:
    folder = Path(app.config["OUTBOX_DIR"])
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default).get_content() for p in files]


@pytest.fixture
def app(app, tmp_path):
    app.config["OUTBOX_DIR"] = str(tmp_path / "outbox")
    return app


def test_password_reset_by_emailed_link_works_once(client, app):
    make_supplier(app)
    response = post(client, "/password-reset", {"email": "amy@example.org"})
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    [message] = outbox_messages(app)
    link = re.search(r"http://\S+/password-reset/(\S+)", message).group(0)
    path = link.split("localhost", 1)[-1]
    assert client.get(path).status_code == 200
    changed = post(client, path, {"password": "a brand new password", "confirm": "a brand new password"})
    assert changed.status_code == 303
    assert client.get(path).status_code == 400, "the link works only once"
    assert post(client, "/sign-in", {"email": "amy@example.org", "password": "a brand new password"}).status_code == 303


def test_password_reset_does_not_reveal_whether_an_account_exists(client, app):
    make_supplier(app)
    known = post(client, "/password-reset", {"email": "amy@example.org"})
    unknown = post(client, "/password-reset", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert soup(known).h1.get_text() == soup(unknown).h1.get_text()
    assert len(outbox_messages(app)) == 1


def test_reset_links_expire_and_cannot_be_forged(client, app):
    user = make_supplier(app)
    with Session(app.extensions["engine"]) as session:
        token = accounts.make_reset_token(user, app.config["SECRET_KEY"])
        assert accounts.user_for_reset_token(session, token, app.config["SECRET_KEY"], 3600).id == user.id
        assert accounts.user_for_reset_token(session, token, app.config["SECRET_KEY"], -1) is None
        assert accounts.user_for_reset_token(session, token, "another-secret", 3600) is None
        assert accounts.user_for_reset_token(session, token[:-2] + "xx", app.config["SECRET_KEY"], 3600) is None
    assert client.get("/password-reset/not-a-token").status_code == 400


def test_new_password_form_errors(client, app):
    user = make_supplier(app)
    token = accounts.make_reset_token(user, app.config["SECRET_KEY"])
    response = post(client, f"/password-reset/{token}", {"password": "a brand new password", "confirm": "different!!"})
    assert response.status_code == 400 and "do not match" in response.get_data(as_text=True)


def test_organisation_profile_can_be_edited(client, app):
    make_supplier(app)
    sign_in(client)
    page = soup(client.get("/organisation"))
    assert page.select_one("#organisation_name")["value"] == "Good Food CIC"
    response = post(client, "/organisation", {**GOOD_SIGN_UP, "organisation_name": "Better Food CIC"})
    assert response.status_code == 303
    assert soup(client.get("/organisation")).select_one("#organisation_name")["value"] == "Better Food CIC"
    bad = post(client, "/organisation", {**GOOD_SIGN_UP, "one_line": ""})
    assert bad.status_code == 400 and soup(bad).select_one("#organisation_name")["value"] == "Good Food CIC"


def test_invite_a_colleague_who_joins_the_same_organisation(client, app):
    inviter = make_supplier(app)
    sign_in(client)
    assert post(client, "/organisation/invite", {"email": "ben@example.org"}).status_code == 303
    message = outbox_messages(app)[-1]
    path = re.search(r"/join/\S+", message).group(0)
    post(client, "/sign-out")
    joined = post(client, path, {"name": "Ben", "password": PASSWORD})
    assert joined.status_code == 303
    with Session(app.extensions["engine"]) as session:
        ben = session.exec(select(User).where(User.email == "ben@example.org")).one()
        assert ben.organisation_id == inviter.organisation_id
    assert client.get(path).status_code == 404, "an invitation works once"


def test_invite_form_errors(client, app):
    make_supplier(app)
    sign_in(client)
    response = post(client, "/organisation/invite", {"email": "nope"})
    assert response.status_code == 400 and soup(response).select_one("#email")["value"] == "nope"
