"""Forms a visitor fills in before signing in: sign-up, sign-in, password reset, and joining by invitation."""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from portal.models import Organisation, User
from portal.services import accounts
from tests.fuzz.checks import accepted, assert_pages_safe, assert_safe, landing, submit
from tests.fuzz.strategies import checkboxes, choice, form, fuzz_settings, fuzz_value, new_emails, words

pytestmark = pytest.mark.fuzz

REGIONS = ("TLI", "TLJ", "TLC", "TLM")
DIVISIONS = ("55", "85", "03")
SIZES = ("micro", "small", "medium", "large")
LEGAL_FORMS = ("company", "community-interest-company", "charity", "charitable-incorporated-organisation",
               "co-operative", "mutual", "community-group", "sole-trader", "other")
PASSWORDS = st.sampled_from(["correct horse battery staple", "a blue kettle on the hob", "pässwörd with ünicode"])

supplier_profile = dict(
    organisation_name=words("Good Food CIC", "Bob's Bakes & Co"),
    size=choice(*SIZES),
    legal_form=choice(*LEGAL_FORMS),
    registration_number=st.sampled_from(["", "01234567", "SC123456", "1234567"]),
    regions_served=checkboxes(*REGIONS),
    capabilities=checkboxes(*DIVISIONS),
    website=st.sampled_from(["", "https://example.org", "http://good.example.org/about?x=<b>"]),
    one_line=words("We cook with families.", "Café & bakery"),
)


@fuzz_settings(max_examples=30)
@given(data=form(name=words("Amy Example", "Ó Briain"), email=new_emails, password=PASSWORDS, **supplier_profile))
def test_sign_up(world, data):
    client = world.client("anonymous")
    response = submit(client, "/sign-up", data)
    world.assert_mail_sent()
    if response.status_code != 200 or not isinstance(data.get("email"), str):
        return
    with Session(world.app.extensions["engine"]) as session:
        user = accounts.find_user(session, data["email"])
        token = accounts.make_confirmation_token(user, world.app.config["SECRET_KEY"])
    confirmed = client.get(f"/confirm-email/{token}")
    assert_safe(confirmed, "GET /confirm-email/<token>")
    assert_pages_safe(client, landing(confirmed), "/organisation", f"/opportunities/{world.problem_slug}")


@fuzz_settings(max_examples=25)
@given(data=form(email=st.sampled_from(["fuzz-supplier@example.org", "fuzz-supplier@example.org", "FUZZ-supplier@example.org",
                                        " fuzz-supplier@example.org", "nobody@example.org"]),
                 password=st.sampled_from(["correct horse battery staple", "correct horse battery staple", "wrong"])),
       next_path=st.one_of(st.just(None), st.sampled_from(["/dashboard", "//evil.example", "javascript:alert(1)",
                                                           "/search?q=<script>", "/\\evil", "/ok\r\nX: y"]),
                           fuzz_value))
def test_sign_in(world, data, next_path):
    client = world.client("anonymous")
    query = {"next": next_path} if next_path is not None else {}
    assert_safe(client.get("/sign-in", query_string=query), "GET /sign-in")
    response = submit(client, "/sign-in", data, query_string=query)
    if accepted(response):
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
        assert_pages_safe(client, landing(response))


@fuzz_settings(max_examples=30)
@given(data=form(email=st.sampled_from(["fuzz-supplier@example.org", "nobody@example.org", "Fuzz-Supplier@Example.org "])))
def test_password_reset_request(world, data):
    submit(world.client("anonymous"), "/password-reset", data)
    world.assert_mail_sent()


@fuzz_settings(max_examples=20)
@given(data=form(password=PASSWORDS, confirm=st.one_of(st.just("same"), PASSWORDS)),
       token=st.one_of(st.just("good"), fuzz_value))
def test_password_reset(world, data, token):
    if data.get("confirm") == "same":
        data["confirm"] = data.get("password", "")
    with Session(world.app.extensions["engine"]) as session:
        user = session.exec(select(User).where(User.email == "fuzz-reset@example.org")).first() or \
            accounts.create_admin(session, "fuzz-reset@example.org", "Reset Person", "correct horse battery staple")
        if token == "good":
            token = accounts.make_reset_token(user, world.app.config["SECRET_KEY"])
    token = quote(token, safe="")
    client = world.client("anonymous")
    assert_safe(client.get(f"/password-reset/{token}"), "GET reset page")
    submit(client, f"/password-reset/{token}", data, what="POST /password-reset/<token>")


@fuzz_settings(max_examples=30)
@given(data=form(name=words("Pat Colleague", "Ana-María"), password=PASSWORDS), token=st.one_of(st.just("good"), fuzz_value),
       email=new_emails)
def test_join(world, data, token, email):
    with Session(world.app.extensions["engine"], expire_on_commit=False) as session:
        admin = accounts.find_user(session, "fuzz-admin@example.org")
        organisation = session.exec(select(Organisation).where(Organisation.slug == world.buyer_slug)).one()
        if token == "good":
            token = accounts.invite(session, admin, organisation.id, email, "buyer")
    token = quote(token, safe="")
    client = world.client("anonymous")
    assert_safe(client.get(f"/join/{token}"), "GET /join/<token>")
    response = submit(client, f"/join/{token}", data, what="POST /join/<token>")
    if accepted(response):
        assert_pages_safe(client, landing(response), "/buyer")
