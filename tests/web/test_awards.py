"""Recording who won, a contract's KPIs and their results: buyers' own items only, clear messages that keep what was
typed, and the public page, timeline and followers that say who won, for how much and how it is going."""

import pytest
from sqlmodel import Session, select

from portal.models import KPI, Award, AwardSupplier, KPIResult, Notification, Opportunity, Stage, Status
from portal.services import notifications
from tests.factories import make_buyer, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_buyer_user, make_supplier, post, sign_in

AWARD = {"suppliers-0-name": "Good Food CIC", "suppliers-0-size": "small", "suppliers-0-vcse": "yes",
         "suppliers-0-region": "TLI", "value": "£250,000", "awarded_on": "1 October 2026",
         "contract_starts_on": "1 November 2026", "contract_ends_on": "31 October 2028"}
KPI_FORM = {"title": "Meals delivered on time", "measure": "The share of meals delivered within the agreed hour.",
            "unit": "%", "target": "95", "frequency": "quarterly"}
RESULT = {"period_start": "1 July 2026", "period_end": "30 September 2026", "observed": "91.5",
          "rating": "approaching-target", "comment": "Nearly there. Two new drivers start in October."}


@pytest.fixture
def world(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        kent = make_buyer(session, slug="kent", name="Kent County Council", org_type="county-council", region="TLJ")
        ours = make_opportunity(session, camden, slug="lunch-clubs", title="Lunch clubs for older people")
        draft = make_opportunity(session, camden, slug="draft-item", status=Status.DRAFT)
        theirs = make_opportunity(session, kent, slug="kent-item", title="Kent's own item")
    make_buyer_user(app, camden, "cam@camden.example.org")
    make_buyer_user(app, kent, "kim@kent.example.org")
    return {"ours": ours, "draft": draft, "theirs": theirs}


@pytest.fixture
def camden(app, world):
    client = app.test_client()
    sign_in(client, "cam@camden.example.org")
    return client


def rows(app, model):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        return list(session.exec(select(model)).all())


def record(client, opportunity_id, **changes):
    response = post(client, f"/buyer/opportunities/{opportunity_id}/award", AWARD | changes)
    if response.status_code == 400 and not changes:
        raise AssertionError(soup(response).select_one(".govuk-error-summary").get_text(" ", strip=True))
    return response


def test_recording_an_award_moves_the_item_to_awarded_tells_followers_and_shows_on_the_page(app, world, camden, client):
    supplier = make_supplier(app, "fan@example.org", "Fans Ltd")
    with Session(app.extensions["engine"]) as session:
        notifications.follow(session, supplier.id, world["ours"].id)
    form = camden.get(f"/buyer/opportunities/{world['ours'].id}/award")
    assert form.status_code == 200 and "Record who won" in form.get_data(as_text=True)
    response = record(camden, world["ours"].id)
    assert response.status_code == 303
    with Session(app.extensions["engine"]) as session:
        item = session.get(Opportunity, world["ours"].id)
        assert item.stage == Stage.AWARDED
        award = session.exec(select(Award)).one()
        assert (award.value, [s.name for s in award.suppliers], award.suppliers[0].is_vcse) == \
            (250_000, ["Good Food CIC"], True)
        told = session.exec(select(Notification).where(Notification.user_id == supplier.id)).all()
    assert any("A contract has been awarded to Good Food CIC for £250,000." in n.details for n in told)
    page = soup(client.get("/opportunities/lunch-clubs"))
    assert "Good Food CIC, for £250,000" in page.select_one("#who-won").get_text()
    assert "Small business, a voluntary, community or social enterprise (VCSE), based in London" in page.select_one("#award").get_text()
    timeline = page.select_one(".portal-timeline").get_text(" ", strip=True)
    assert "Awarded to Good Food CIC for £250,000 on 1 October 2026." in timeline


def test_a_portal_supplier_can_be_linked_and_its_name_is_used(app, world, camden):
    supplier = make_supplier(app, "amy@example.org", "Good Food CIC")
    response = record(camden, world["ours"].id, **{"suppliers-0-name": "",
                                                   "suppliers-0-organisation": str(supplier.organisation_id)})
    assert response.status_code == 303
    [supplier_row] = rows(app, AwardSupplier)
    assert (supplier_row.name, supplier_row.organisation_id) == ("Good Food CIC", supplier.organisation_id)


@pytest.mark.parametrize("changes, message", [
    ({"suppliers-0-name": ""}, "Enter the name of the supplier that won the contract"),
    ({"value": ""}, "Enter the value of the contract, like £250,000"),
    ({"value": "lots"}, "Enter an amount in whole pounds, like £50,000"),
    ({"value": "999999999999999999"}, "Enter an amount no more than £100,000,000,000"),
    ({"awarded_on": "31 February 2026"}, "Enter a real date, like 31 March 2027"),
    ({"awarded_on": ""}, "Enter the date of the award, like 31 March 2027"),
    ({"contract_ends_on": "1 January 2026"}, "The contract must end after it starts"),
    ({"suppliers-0-organisation": "99999"}, "Choose a supplier on this portal from the list"),
    ({"suppliers-0-size": "enormous"}, "Not a valid choice"),
    ({"lot": "7"}, "Choose a lot from the list"),
    ({"suppliers-0-name": "x" * 201}, "Name must be 200 characters or fewer"),
])
def test_a_bad_award_is_refused_with_a_clear_message_keeping_what_was_typed(app, world, camden, changes, message):
    response = record(camden, world["ours"].id, **changes)
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("#awarded_on")["value"] == changes.get("awarded_on", "1 October 2026")
    assert rows(app, Award) == []


def test_script_in_a_supplier_name_is_shown_as_text(app, world, camden, client):
    assert record(camden, world["ours"].id, **{"suppliers-0-name": "<script>alert(1)</script> Ltd"}).status_code == 303
    html = client.get("/opportunities/lunch-clubs").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Ltd" in html


def test_a_draft_cannot_have_an_award(app, world, camden):
    response = record(camden, world["draft"].id)
    assert response.status_code == 303 and rows(app, Award) == []


@pytest.mark.parametrize("who", ["kent", "supplier", "nobody"])
def test_only_the_buyers_own_staff_can_record_an_award_or_kpis(app, world, camden, who):
    record(camden, world["ours"].id)
    [award] = rows(app, Award)
    post(camden, f"/buyer/awards/{award.id}/kpis/new", KPI_FORM)
    [kpi] = rows(app, KPI)
    client = app.test_client()
    if who == "kent":
        sign_in(client, "kim@kent.example.org")
    elif who == "supplier":
        make_supplier(app)
        sign_in(client)
    expected = {"kent": 404, "supplier": 403, "nobody": 302}[who]
    for path, data in [(f"/buyer/opportunities/{world['ours'].id}/award", AWARD),
                       (f"/buyer/awards/{award.id}", None),
                       (f"/buyer/awards/{award.id}/kpis/new", KPI_FORM),
                       (f"/buyer/kpis/{kpi.id}/results/new", RESULT)]:
        assert client.get(path).status_code == expected, path
        if data:
            assert post(client, path, data).status_code == expected, path
    assert len(rows(app, Award)) == 1 and len(rows(app, KPI)) == 1 and rows(app, KPIResult) == []


def test_an_award_worth_over_5_million_asks_for_3_kpis_in_plain_words(app, world, camden):
    response = record(camden, world["ours"].id, value="£6 million")
    assert "add at least 3 KPIs" in camden.get(response.headers["Location"]).get_data(as_text=True)
    [award] = rows(app, Award)
    page = soup(camden.get(f"/buyer/awards/{award.id}"))
    assert "worth more than £5 million, so the law asks for at least 3 key performance indicators (KPIs). Add 3 more." \
        in page.select_one("#kpis-needed").get_text(" ", strip=True)
    for n in range(3):
        assert post(camden, f"/buyer/awards/{award.id}/kpis/new", KPI_FORM | {"title": f"KPI {n}"}).status_code == 303
    assert soup(camden.get(f"/buyer/awards/{award.id}")).select_one("#kpis-needed") is None


def test_an_award_of_5_million_or_less_does_not_ask_for_kpis(app, world, camden):
    record(camden, world["ours"].id, value="£5 million")
    [award] = rows(app, Award)
    assert soup(camden.get(f"/buyer/awards/{award.id}")).select_one("#kpis-needed") is None


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "Enter a short name for the KPI"),
    ({"measure": "  "}, "Say what is measured, in a sentence"),
    ({"unit": ""}, "Enter the unit, like % or days"),
    ({"target": "ninety"}, "Enter the target as a number, like 95 or 12.5"),
    ({"target": "1e400"}, "Enter the target as a number, like 95 or 12.5"),
    ({"target": "99999999999999999999"}, "Enter the target as a number, like 95 or 12.5"),
    ({"frequency": "hourly"}, "Not a valid choice"),
    ({"frequency": ""}, "Choose how often it is measured"),
])
def test_a_bad_kpi_is_refused_keeping_what_was_typed(app, world, camden, changes, message):
    record(camden, world["ours"].id)
    [award] = rows(app, Award)
    response = post(camden, f"/buyer/awards/{award.id}/kpis/new", KPI_FORM | changes)
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("#title")["value"] == (KPI_FORM | changes)["title"]
    assert rows(app, KPI) == []


@pytest.fixture
def kpi(app, world, camden):
    record(camden, world["ours"].id)
    [award] = rows(app, Award)
    assert post(camden, f"/buyer/awards/{award.id}/kpis/new", KPI_FORM | {"target": "95%"}).status_code == 303
    [kpi] = rows(app, KPI)
    assert kpi.target == 95
    return kpi


def test_a_published_result_shows_as_a_chart_a_table_and_the_latest_rating_in_words(app, world, camden, client, kpi):
    assert post(camden, f"/buyer/kpis/{kpi.id}/results/new", RESULT).status_code == 303
    assert post(camden, f"/buyer/kpis/{kpi.id}/results/new",
                RESULT | {"period_start": "1 October 2026", "period_end": "31 October 2026", "observed": "97",
                          "rating": "good", "comment": "On target."}).status_code == 303
    page = soup(client.get("/opportunities/lunch-clubs"))
    block = page.select_one(f"#kpi-{kpi.id}")
    assert "Latest rating: Good for 1 October 2026 to 31 October 2026." in block.select_one(".portal-latest-rating").get_text(" ", strip=True)
    table = [[cell.get_text(strip=True) for cell in row.select("th, td")] for row in block.select("tbody tr")]
    assert table == [["1 July 2026 to 30 September 2026", "91.5", "Approaching target"],
                     ["1 October 2026 to 31 October 2026", "97", "Good"]]
    assert len(block.select("svg rect")) == 2 and block.select_one("svg title").get_text().startswith("Bar chart of")


@pytest.mark.parametrize("changes, message", [
    ({"period_start": "someday"}, "Enter a real date, like 31 March 2027"),
    ({"period_end": "1 June 2026"}, "The period must end after it starts"),
    ({"period_end": "1 January 2027"}, "You can only publish a result for a period that has ended"),
    ({"observed": ""}, "Enter the result as a number, like 92 or 3.5"),
    ({"observed": "<b>9</b>"}, "Enter the result as a number, like 92 or 3.5"),
    ({"rating": "brilliant"}, "Not a valid choice"),
    ({"rating": ""}, "Choose a rating"),
    ({"rating": "other", "rating_note": ""}, "Say what the rating is, as you chose \u201cOther\u201d"),
    ({"comment": ""}, "Say in a sentence or two what the result means"),
    ({"comment": "word " * 101}, "Comment must be 100 words or fewer (it has 101)"),
])
def test_a_bad_result_is_refused_keeping_what_was_typed(app, world, camden, kpi, changes, message):
    response = post(camden, f"/buyer/kpis/{kpi.id}/results/new", RESULT | changes)
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("#observed")["value"] == (RESULT | changes)["observed"]
    assert rows(app, KPIResult) == []


def test_other_keeps_its_note_and_shows_it(app, world, camden, client, kpi):
    assert post(camden, f"/buyer/kpis/{kpi.id}/results/new",
                RESULT | {"rating": "other", "rating_note": "Not rated: first month"}).status_code == 303
    assert "Other: Not rated: first month" in soup(client.get("/opportunities/lunch-clubs")).select_one(
        ".portal-latest-rating").get_text()


def test_the_manage_page_links_to_recording_and_to_the_award(app, world, camden):
    page = soup(camden.get(f"/buyer/opportunities/{world['ours'].id}"))
    assert page.find("a", string="Record who won")
    record(camden, world["ours"].id)
    page = soup(camden.get(f"/buyer/opportunities/{world['ours'].id}"))
    assert "Good Food CIC, £250,000: KPIs and results" in page.select_one("#awards + ul").get_text()
