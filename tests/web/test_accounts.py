import email
import email.policy
import re
from pathlib import Path

import pytest
from sqlmodel import Session, select

from portal.auth import limiter
from portal.mail import wait_for_background_mail
from portal.models import Organisation, User
from portal.services import accounts, passwords
from tests.web.conftest import soup
from tests.web.helpers import PASSWORD, csrf_token, make_supplier, post, sign_in

GOOD_SIGN_UP = {
    "name": "Amy Example", "email": "Amy@Example.org", "password": PASSWORD, "organisation_name": "Good Food CIC",
    "size": "micro", "legal_form": "community-interest-company", "registration_number": "12345678",
    "regions_served": ["TLI", "TLJ"],
    "capabilities": ["55", "85"], "website": "https://goodfood.example.org", "one_line": "We cook with families.",
}


@pytest.fixture(autouse=True)
def fresh_rate_limits(app):
    limiter.reset()


def test_sign_up_creates_person_and_organisation_and_signs_in_from_the_emailed_link(client, app):
    response = post(client, "/sign-up", GOOD_SIGN_UP)
    assert response.status_code == 200 and soup(response).h1.get_text() == "Check your email"
    assert client.get("/dashboard").status_code == 302, "not signed in until the address is confirmed"
    [message] = outbox_messages(app)
    link = re.search(r"http://localhost(/confirm-email/\S+)", message)
    confirmed = client.get(link.group(1))
    assert confirmed.status_code == 303 and confirmed.headers["Location"] == "/dashboard"
    with Session(app.extensions["engine"]) as session:
        user = session.exec(select(User)).one()
        assert user.email == "amy@example.org"
        assert user.password_hash != PASSWORD and PASSWORD not in user.password_hash
        organisation = session.get(Organisation, user.organisation_id)
        assert (organisation.kind, organisation.size, organisation.legal_form, organisation.org_type,
                organisation.regions_served, organisation.capabilities) == (
            "supplier", "micro", "community-interest-company", "", ["TLI", "TLJ"], ["55", "85"])
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "Enter your name"),
    ("email", "", "Enter your email address"),
    ("email", "not-an-email", "correct format"),
    ("password", "short", "12 characters or more"),
    ("organisation_name", "", "Enter your organisation"),
    ("size", "", "Choose your organisation's size"),
    ("size", "pirate", "Choose your organisation's size"),
    ("legal_form", "", "Choose your organisation's type"),
    ("legal_form", "social-enterprise", "Choose your organisation's type"),
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


def test_sign_up_does_not_reveal_whether_an_address_has_an_account(client, app):
    make_supplier(app)
    known = post(client, "/sign-up", GOOD_SIGN_UP)
    new = post(client, "/sign-up", {**GOOD_SIGN_UP, "email": "new@example.org"})
    assert known.status_code == new.status_code == 200
    assert soup(known).select_one("main").get_text(" ", strip=True).replace("Amy@Example.org", "X") == \
        soup(new).select_one("main").get_text(" ", strip=True).replace("new@example.org", "X")
    already, confirm = outbox_messages(app)
    assert "already has one" in already and "/password-reset" in already and "/confirm-email/" not in already
    assert "/confirm-email/" in confirm
    with Session(app.extensions["engine"]) as session:
        assert len(session.exec(select(User)).all()) == 2, "no second account for the known address"


def test_an_unconfirmed_account_cannot_sign_in_and_gets_a_new_link(client, app):
    post(client, "/sign-up", GOOD_SIGN_UP)
    response = post(client, "/sign-in", {"email": "amy@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "Confirm your email address first" in soup(response).select_one(".govuk-error-summary").get_text()
    assert client.get("/dashboard").status_code == 302
    assert len(outbox_messages(app)) == 2 and "/confirm-email/" in outbox_messages(app)[1]


def test_confirmation_links_are_signed_and_expire(client, app):
    user = post(client, "/sign-up", GOOD_SIGN_UP) and None
    [message] = outbox_messages(app)
    token = re.search(r"/confirm-email/(\S+)", message).group(1)
    assert client.get(f"/confirm-email/{token[:-2]}xx").status_code == 400
    with Session(app.extensions["engine"]) as session:
        assert accounts.confirm_email(session, token, "another-secret") is None
        user = session.exec(select(User)).one()
        assert user.email_confirmed_at is None
    assert client.get(f"/confirm-email/{token}").status_code == 303


def test_sign_out_ends_every_session_of_that_person(app):
    make_supplier(app)
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop)
    sign_in(phone)
    saved_cookie = laptop.get_cookie("session").value
    assert post(laptop, "/sign-out").status_code == 303
    thief = app.test_client()
    thief.set_cookie("session", saved_cookie)
    assert thief.get("/dashboard").status_code == 302, "a cookie saved before sign-out no longer works"
    assert phone.get("/dashboard").status_code == 302, "signing out on one device signs out on every device"


def test_a_new_password_ends_every_session(client, app):
    user = make_supplier(app)
    other_device = app.test_client()
    sign_in(other_device)
    token = accounts.make_reset_token(user, app.config["SECRET_KEY"])
    assert post(client, f"/password-reset/{token}", {"password": "a brand new password", "confirm": "a brand new password"}).status_code == 303
    assert other_device.get("/dashboard").status_code == 302


def test_session_ids_that_do_not_name_a_current_session_are_refused(client, app):
    user = make_supplier(app)
    for forged in [str(user.id), f"{user.id}:7", "99999999999999999999:0", "x:y", ""]:
        with client.session_transaction() as session:
            session["_user_id"] = forged
        assert client.get("/dashboard").status_code == 302, forged


@pytest.mark.parametrize("base_url, secure", [("http://localhost", False), ("https://portal.example.gov.uk", True)])
def test_session_cookie_is_lax_and_secure_on_https(tmp_path, base_url, secure):
    from portal import create_app
    from portal.db import create_tables
    from tests.conftest import make_test_config
    from tests.databases import drop_database, on_postgres
    app = create_app(make_test_config(tmp_path, BASE_URL=base_url, TRUSTED_HOSTS_EXTRA="localhost"))
    if not on_postgres():
        create_tables(app.extensions["engine"])
    try:
        make_supplier(app)
        client = app.test_client()
        response = post(client, "/sign-in", {"email": "amy@example.org", "password": PASSWORD})
        cookie = response.headers["Set-Cookie"]
        assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
        assert ("; Secure" in cookie) is secure
    finally:
        app.extensions["engine"].dispose()
        drop_database(app.config["DATABASE_URL"])


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


def test_confirming_a_new_account_starts_a_new_session(client, app):
    post(client, "/sign-up", GOOD_SIGN_UP)
    plant(client)
    [message] = outbox_messages(app)
    assert client.get(re.search(r"/confirm-email/\S+", message).group(0)).status_code == 303
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


def test_sign_in_attempts_are_limited_per_account(client, app):
    make_supplier(app)
    make_supplier(app, email="ben@example.org", organisation="Ben's Bikes")
    token = csrf_token(client)
    def attempt(email, password="nope nope nope"):
        return client.post("/sign-in", data={"csrf_token": token, "email": email, "password": password}).status_code
    codes = [attempt("Amy@example.org ") for _ in range(6)]
    assert codes[:5] == [400] * 5 and codes[5] == 429
    # Another account from the same address is not locked out by the guessing.
    assert attempt("ben@example.org", PASSWORD) == 303


def test_sign_in_attempts_are_limited_per_address_behind_a_trusted_proxy(client, app):
    token = csrf_token(client)
    def attempt(number, client_address):
        return client.post("/sign-in", data={"csrf_token": token, "email": f"guess-{number}@example.org", "password": "nope"},
                           headers={"X-Forwarded-For": client_address}).status_code
    codes = [attempt(number, "203.0.113.7") for number in range(21)]
    assert codes[:20] == [400] * 20 and codes[20] == 429
    # Someone else behind the same proxy is still let in: the limit is on the real client's address.
    assert attempt(99, "198.51.100.20") == 400


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
    wait_for_background_mail()
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
    assert "It works once, for 1 hour:" in message
    link = re.search(r"http://\S+/password-reset/(\S+)", message).group(0)
    assert link.startswith("http://localhost/password-reset/"), "built from BASE_URL"
    path = link.removeprefix("http://localhost")
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


def test_reset_links_are_built_from_base_url_never_from_the_host_header(client, app):
    make_supplier(app)
    token = csrf_token(client)
    poisoned = client.post("/password-reset", data={"csrf_token": token, "email": "amy@example.org"},
                           headers={"Host": "evil.example"})
    assert poisoned.status_code == 400, "requests for other hosts are refused"
    assert outbox_messages(app) == []
    # A host the portal answers to as well still gets links to BASE_URL.
    app.config["TRUSTED_HOSTS"].append("portal.internal")
    page = soup(client.get("/", headers={"Host": "portal.internal"}))
    token = page.select_one('meta[name="csrf-token"]')["content"]
    sent = client.post("/password-reset", data={"csrf_token": token, "email": "amy@example.org"},
                       headers={"Host": "portal.internal"})
    assert sent.status_code == 200
    [message] = outbox_messages(app)
    assert "http://localhost/password-reset/" in message and "portal.internal" not in message


def password_error(response) -> str:
    """The message by the password field, which must also lead the error summary."""
    page = soup(response)
    message = page.select_one("#password-error").get_text(" ", strip=True).removeprefix("Error: ")
    assert page.select_one(".govuk-error-summary a[href='#password']").get_text(strip=True) == message
    assert page.select_one("#password").get("value") is None, "passwords are never sent back"
    return message


WEAK_PASSWORDS = [
    ("password12", passwords.TOO_SHORT),
    ("          ", passwords.TOO_SHORT),
    ("1234567890", passwords.TOO_SHORT),
    ("aaaaaaaaaaaa", passwords.ONE_CHARACTER),
    ("Password1234", passwords.COMMON),
]


@pytest.mark.parametrize("password, message", [
    *WEAK_PASSWORDS,
    ("Amy Example 2026", passwords.ABOUT_YOU),
    ("amy@example.org!", passwords.ABOUT_YOU),
    ("Good Food CIC 2026", passwords.ABOUT_YOU),
])
def test_sign_up_refuses_a_weak_password_and_keeps_the_other_answers(client, app, password, message):
    response = post(client, "/sign-up", {**GOOD_SIGN_UP, "password": password})
    assert response.status_code == 400
    assert password_error(response) == message
    page = soup(response)
    assert (page.select_one("#name")["value"], page.select_one("#email")["value"],
            page.select_one("#organisation_name")["value"]) == ("Amy Example", "Amy@Example.org", "Good Food CIC")
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(User)).all() == []


@pytest.mark.parametrize("path", ["/sign-up", "reset", "join"])
def test_password_fields_say_the_rule_in_plain_words(client, app, path):
    if path == "reset":
        path = f"/password-reset/{accounts.make_reset_token(make_supplier(app), app.config['SECRET_KEY'])}"
    elif path == "join":
        path = invitation_path(client, app)
    page = soup(client.get(path))
    assert page.select_one("#password-hint").get_text(strip=True) == passwords.HINT
    assert "10 characters" not in page.get_text()


@pytest.mark.parametrize("password, message", [
    *WEAK_PASSWORDS,
    ("amy@example.org 2026", passwords.ABOUT_YOU),
    ("Amy Example!!", passwords.ABOUT_YOU),
])
def test_password_reset_refuses_a_weak_password_then_accepts_a_strong_one(client, app, password, message):
    user = make_supplier(app)
    path = f"/password-reset/{accounts.make_reset_token(user, app.config['SECRET_KEY'])}"
    refused = post(client, path, {"password": password, "confirm": password})
    assert refused.status_code == 400
    assert password_error(refused) == message
    assert post(client, "/sign-in", {"email": "amy@example.org", "password": PASSWORD}).status_code == 303, \
        "the old password still works"
    post(client, "/sign-out")
    accepted = post(client, path, {"password": "lantern pebble orchard", "confirm": "lantern pebble orchard"})
    assert accepted.status_code == 303
    assert post(client, "/sign-in", {"email": "amy@example.org", "password": "lantern pebble orchard"}).status_code == 303


def invitation_path(client, app) -> str:
    """Amy invites ben@example.org to Good Food CIC and signs out; the path of the emailed link."""
    make_supplier(app)
    sign_in(client)
    assert post(client, "/organisation/invite", {"email": "ben@example.org"}).status_code == 303
    post(client, "/sign-out")
    return re.search(r"/join/\S+", outbox_messages(app)[-1]).group(0)


@pytest.mark.parametrize("password, message", [
    *WEAK_PASSWORDS,
    ("ben@example.org", passwords.ABOUT_YOU),
    ("Ben Jones 1990", passwords.ABOUT_YOU),
    ("goodfoodcic123", passwords.ABOUT_YOU),
])
def test_joining_refuses_a_weak_password_then_accepts_a_strong_one(client, app, password, message):
    path = invitation_path(client, app)
    refused = post(client, path, {"name": "Ben Jones", "password": password})
    assert refused.status_code == 400
    assert password_error(refused) == message
    assert soup(refused).select_one("#name")["value"] == "Ben Jones"
    accepted = post(client, path, {"name": "Ben Jones", "password": "lantern pebble orchard"})
    assert accepted.status_code == 303
    with Session(app.extensions["engine"]) as session:
        assert session.exec(select(User.name).where(User.email == "ben@example.org")).one() == "Ben Jones"


def test_emails_carry_a_date(client, app):
    make_supplier(app)
    post(client, "/password-reset", {"email": "amy@example.org"})
    wait_for_background_mail()
    [path] = Path(app.config["OUTBOX_DIR"]).glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["Date"].datetime.tzinfo is not None
