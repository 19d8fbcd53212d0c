"""Suppliers give their organisation's size and its type as two questions; buyers and the public see both."""

import csv
import io

import pytest
from sqlmodel import Session, select

from portal.auth import limiter
from portal.models import Organisation
from tests.factories import make_buyer, make_interest, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier, post, sign_in

SIGN_UP = {
    "name": "Sam Patel", "email": "sam@example.org", "password": PASSWORD, "organisation_name": "Kitchen Table",
    "size": "small", "legal_form": "co-operative", "regions_served": ["TLI"], "one_line": "We run lunch clubs.",
}
PROFILE = {key: value for key, value in SIGN_UP.items() if key not in ("name", "email", "password")}


@pytest.fixture(autouse=True)
def fresh_rate_limits(app):
    limiter.reset()


def checked(page, name: str) -> list[str]:
    return [radio["value"] for radio in page.select(f'input[name="{name}"][checked]')]


def error_summary(page) -> list[str]:
    return [link.get_text(strip=True) for link in page.select(".govuk-error-summary a")]


def forget_size_and_type(app, user) -> None:
    """As the migration leaves an account whose old type said neither (a social enterprise)."""
    with Session(app.extensions["engine"]) as session:
        organisation = session.get(Organisation, user.organisation_id)
        organisation.size = organisation.legal_form = None
        session.add(organisation)
        session.commit()


def test_sign_up_asks_size_and_type_as_two_questions_with_a_hint_under_each_option(client):
    page = soup(client.get("/sign-up"))
    size = page.select_one("#size").find_parent("fieldset")
    assert size.legend.get_text(strip=True) == "How big is your organisation?"
    options = {radio["value"]: radio for radio in size.select('input[type="radio"]')}
    assert list(options) == ["micro", "small", "medium", "large"]
    micro_hint = page.select_one(f'#{options["micro"]["aria-describedby"]}').get_text(strip=True)
    assert micro_hint == "Fewer than 10 staff, and a yearly turnover or balance sheet of £2 million or less"
    assert "£44 million" in page.select_one(f'#{options["medium"]["aria-describedby"]}').get_text()
    legal_form = page.select_one("#legal_form").find_parent("fieldset")
    assert legal_form.legend.get_text(strip=True) == "What type of organisation is it?"
    labels = [label.get_text(strip=True) for label in legal_form.select(".govuk-radios__label")]
    assert labels == ["Company", "Community interest company (CIC)", "Charity",
                      "Charitable incorporated organisation (CIO)", "Co-operative", "Mutual",
                      "Community or voluntary group", "Sole trader", "Other"]
    mutual = legal_form.select('input[type="radio"]')[5]
    assert "community benefit society" in page.select_one(f'#{mutual["aria-describedby"]}').get_text()


def test_sign_up_needs_both_answers(client):
    response = post(client, "/sign-up", {**SIGN_UP, "size": "", "legal_form": ""})
    assert response.status_code == 400
    page = soup(response)
    assert error_summary(page) == ["Choose your organisation's size", "Choose your organisation's type"]
    assert [a["href"] for a in page.select(".govuk-error-summary a")] == ["#size", "#legal_form"]
    assert page.select_one("#size-error").get_text(strip=True) == "Error:Choose your organisation's size"


@pytest.mark.parametrize("field, value, message", [
    ("size", "enormous", "Choose your organisation's size"),
    ("size", "x" * 100_000, "Choose your organisation's size"),
    ("size", "Micro", "Choose your organisation's size"),
    ("legal_form", "social-enterprise", "Choose your organisation's type"),  # an old type, no longer offered
    ("legal_form", "<script>alert(1)</script>", "Choose your organisation's type"),
])
def test_sign_up_refuses_a_size_or_type_that_was_not_offered(client, field, value, message):
    response = post(client, "/sign-up", {**SIGN_UP, field: value})
    assert response.status_code == 400
    page = soup(response)
    assert error_summary(page) == [message]
    assert "<script>alert(1)" not in response.get_data(as_text=True)
    other = "legal_form" if field == "size" else "size"
    assert checked(page, other) == [SIGN_UP[other]], "the other answer is kept"


def test_sign_up_keeps_both_answers_when_something_else_is_wrong(client):
    page = soup(post(client, "/sign-up", {**SIGN_UP, "one_line": ""}))
    assert (checked(page, "size"), checked(page, "legal_form")) == (["small"], ["co-operative"])


def test_sign_up_stores_size_and_type_and_no_old_style_type(client, app):
    assert post(client, "/sign-up", SIGN_UP).status_code == 200
    with Session(app.extensions["engine"]) as session:
        organisation = session.exec(select(Organisation).where(Organisation.kind == "supplier")).one()
        assert (organisation.size, organisation.legal_form, organisation.org_type) == ("small", "co-operative", "")


def test_profile_shows_both_answers_and_changes_them(client, app):
    make_supplier(app, size="micro", legal_form="community-interest-company")
    sign_in(client)
    page = soup(client.get("/organisation"))
    assert (checked(page, "size"), checked(page, "legal_form")) == (["micro"], ["community-interest-company"])
    assert page.select_one(".govuk-inset-text") is None, "nothing to ask for"
    assert post(client, "/organisation", {**PROFILE, "size": "medium", "legal_form": "mutual"}).status_code == 303
    page = soup(client.get("/organisation"))
    assert (checked(page, "size"), checked(page, "legal_form")) == (["medium"], ["mutual"])


def test_profile_refuses_bad_answers_and_keeps_what_was_chosen(client, app):
    make_supplier(app)
    sign_in(client)
    response = post(client, "/organisation", {**PROFILE, "size": "gigantic", "legal_form": "sole-trader"})
    assert response.status_code == 400
    page = soup(response)
    assert error_summary(page) == ["Choose your organisation's size"]
    assert checked(page, "legal_form") == ["sole-trader"]
    missing = post(client, "/organisation", {key: value for key, value in PROFILE.items() if key != "legal_form"})
    assert missing.status_code == 400 and error_summary(soup(missing)) == ["Choose your organisation's type"]


def test_a_supplier_who_has_not_told_us_is_asked_on_the_dashboard_and_the_profile(client, app):
    user = make_supplier(app)
    forget_size_and_type(app, user)
    sign_in(client)
    dashboard = soup(client.get("/dashboard")).select_one(".govuk-inset-text")
    assert "Tell us its size and type" in dashboard.get_text(" ", strip=True)
    assert dashboard.a["href"] == "/organisation"
    page = soup(client.get("/organisation"))
    assert "Tell us its size and type" in page.select_one(".govuk-inset-text").get_text(" ", strip=True)
    assert (checked(page, "size"), checked(page, "legal_form")) == ([], []), "nothing is chosen for them"
    refused = post(client, "/organisation", {**PROFILE, "size": "", "legal_form": ""})
    assert refused.status_code == 400 and len(error_summary(soup(refused))) == 2

    assert post(client, "/organisation", PROFILE).status_code == 303
    assert soup(client.get("/dashboard")).select_one(".govuk-inset-text") is None


def test_only_the_missing_answer_is_asked_for(client, app):
    user = make_supplier(app)
    with Session(app.extensions["engine"]) as session:
        session.get(Organisation, user.organisation_id).size = None
        session.commit()
    sign_in(client)
    text = soup(client.get("/organisation")).select_one(".govuk-inset-text").get_text(" ", strip=True)
    assert "Tell us its size, so buyers count you correctly." in text


@pytest.fixture
def opportunity(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        buyer = make_buyer(session, slug="camden", name="Camden Council")
        item = make_opportunity(session, buyer, slug="school-meals", title="Healthy school meals")
    make_buyer_user(app, buyer, "cam@camden.example.org")
    return item


def test_a_two_person_cic_counts_as_micro_and_as_a_vcse_for_the_buyer(app, opportunity):
    cic = make_supplier(app, email="two@example.org", organisation="Two Person CIC", size="micro",
                        legal_form="community-interest-company")
    firm = make_supplier(app, email="firm@example.org", organisation="Big Firm Ltd", size="large", legal_form="company")
    old = make_supplier(app, email="old@example.org", organisation="Old Social Enterprise")
    forget_size_and_type(app, old)
    with Session(app.extensions["engine"]) as session:
        for supplier in (cic, firm, old):
            make_interest(session, opportunity, supplier, listed_publicly=True)
    buyer = app.test_client()
    sign_in(buyer, "cam@camden.example.org")
    page = soup(buyer.get(f"/buyer/opportunities/{opportunity.id}"))

    def counts(list_id):
        return {row.dt.get_text(strip=True): row.dd.get_text(strip=True)
                for row in page.select(f"#{list_id} .govuk-summary-list__row")}
    assert counts("interest-by-size") == {"Micro": "1", "Small": "0", "Medium-sized": "0", "Large": "1",
                                          "Size not given": "1", "SMEs (micro, small and medium-sized together)": "1"}
    assert counts("interest-by-type") == {"Voluntary, community and social enterprises (VCSEs)": "1",
                                          "Company": "1", "Community interest company (CIC)": "1",
                                          "Type not given": "1"}

    table = list(csv.DictReader(io.StringIO(buyer.get(f"/buyer/opportunities/{opportunity.id}/interest.csv")
                                            .get_data(as_text=True).removeprefix("\ufeff"))))
    assert [(row["Organisation"], row["Size"], row["Type"]) for row in table] == [
        ("Two Person CIC", "Micro", "Community interest company (CIC)"), ("Big Firm Ltd", "Large", "Company"),
        ("Old Social Enterprise", "Size not given", "Type not given")]

    public = soup(app.test_client().get("/opportunities/school-meals"))
    listed = {row.th.contents[0].strip(): [cell.get_text(strip=True) for cell in row.select("td")[:2]]
              for row in public.select("table tbody tr")}
    assert listed == {"Two Person CIC": ["Micro", "Community interest company (CIC)"],
                      "Big Firm Ltd": ["Large", "Company"], "Old Social Enterprise": ["Size not given", "Type not given"]}
