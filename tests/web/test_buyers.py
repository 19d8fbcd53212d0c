"""Buyers write, publish and manage their own items, and only their own."""

import csv
import io

import pytest
from sqlmodel import Session, select

from portal.models import Opportunity, OpportunityVersion, Question, Status
from portal.search import SearchQuery
from portal.services import events, questions
from tests.conftest import TODAY
from tests.factories import make_buyer, make_interest, make_mission, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier, post, sign_in

GOOD_BRIEF = {
    "title": "Help older people feel less lonely", "summary": "Many older people in our borough are lonely.",
    "why": "Loneliness harms health.", "problem": "About 4,000 older people rarely see anyone.",
    "who_it_affects": "People over 75 living alone.", "outcomes_wanted": "Fewer people feel lonely.",
    "market_questions": "How would you reach people who do not use services?", "missions": ["food"],
    "cpv": "85311000-2", "regions": ["TLI"], "value_min": "20000", "value_max": "80000",
    "engagement_closes": "2027-01-31", "financial_year": "2027", "quarter": "2", "stage": "engagement",
    "suitable_for_sme": "y", "suitable_for_vcse": "y",
}


@pytest.fixture
def world(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        kent = make_buyer(session, slug="kent", name="Kent County Council", org_type="county-council", region="TLJ")
        make_mission(session, owner=camden, slug="food", short_title="Food")
        kents_item = make_opportunity(session, kent, slug="kent-item", title="Kent's own item")
    make_buyer_user(app, camden, "cam@camden.example.org")
    make_buyer_user(app, kent, "kim@kent.example.org")
    return {"camden": camden, "kent": kent, "kents_item": kents_item}


@pytest.fixture
def camden_client(app, world):
    client = app.test_client()
    sign_in(client, "cam@camden.example.org")
    return client


def create_draft(client, **changes) -> int:
    response = post(client, "/buyer/opportunities/new/problem-statement", {**GOOD_BRIEF, **changes})
    assert response.status_code == 303, soup(response).select_one(".govuk-error-summary")
    return int(response.headers["Location"].split("/")[3])


def rows(app, model):
    with Session(app.extensions["engine"]) as session:
        return session.exec(select(model)).all()


def test_signed_out_and_suppliers_cannot_use_buyer_pages(app, client, world):
    assert client.get("/buyer").status_code == 302
    make_supplier(app)
    sign_in(client)
    assert client.get("/buyer").status_code == 403
    assert client.get("/buyer/opportunities/new/problem-statement").status_code == 403
    assert client.get("/admin").status_code == 403


def test_write_a_draft_preview_and_publish_into_search(app, camden_client):
    opportunity_id = create_draft(camden_client)
    [draft] = [o for o in rows(app, Opportunity) if o.id == opportunity_id]
    assert draft.status == Status.DRAFT and draft.buyer_id is not None
    assert "## The problem\n\nAbout 4,000 older people" in draft.body_md
    assert (draft.value_min, draft.value_max, draft.market_year, draft.market_quarter) == (20000, 80000, 2027, 2)
    index = app.extensions["search"]
    assert index.search(SearchQuery(text="lonely"), TODAY).ids == [], "drafts are not public"
    preview = soup(camden_client.get(f"/buyer/opportunities/{opportunity_id}/preview"))
    assert "About 4,000 older people rarely see anyone." in preview.get_text()
    assert post(camden_client, f"/buyer/opportunities/{opportunity_id}/publish").status_code == 303
    assert index.search(SearchQuery(text="lonely"), TODAY).ids == [opportunity_id]
    [version] = rows(app, OpportunityVersion)
    assert version.number == 1 and version.changes == ["First published"]


def publish_changes(client, opportunity_id: int) -> str:
    """Check the pending change's confirmation page, publish it, and return what the page said would change."""
    review = client.get(f"/buyer/opportunities/{opportunity_id}/changes")
    assert review.status_code == 200
    listed = soup(review).select_one("#changes-to-publish").get_text()
    assert post(client, f"/buyer/opportunities/{opportunity_id}/changes").status_code == 303
    return listed


def test_material_changes_are_logged_on_the_public_page_once_published(app, camden_client):
    opportunity_id = create_draft(camden_client)
    post(camden_client, f"/buyer/opportunities/{opportunity_id}/publish")
    edited = post(camden_client, f"/buyer/opportunities/{opportunity_id}/edit", {**GOOD_BRIEF, "value_max": "120000",
                                                                                  "stage": "tender"})
    assert edited.status_code == 303
    slug = [o for o in rows(app, Opportunity) if o.id == opportunity_id][0].slug
    page = soup(camden_client.get(f"/opportunities/{slug}"))
    assert page.select_one("#change-log") is None and "£80,000" in page.get_text(), "nothing public changes yet"
    listed = publish_changes(camden_client, opportunity_id)
    changes = soup(camden_client.get(f"/opportunities/{slug}")).select_one("#change-log").get_text()
    for sentence in ("The value changed from £20,000 to £80,000 in total to £20,000 to £120,000 in total",
                     "The stage changed from \u201cTalking to the market\u201d to \u201cOpen for bids\u201d"):
        assert sentence in listed and sentence in changes


def test_value_for_each_year_is_saved_shown_back_and_logged(app, camden_client):
    opportunity_id = create_draft(camden_client, value_min="£20,000", value_max="30,000", value_basis="per-year",
                                  contract_length_months="36")
    [draft] = [o for o in rows(app, Opportunity) if o.id == opportunity_id]
    assert (draft.value_min, draft.value_max, draft.value_basis) == (20_000, 30_000, "per-year")
    page = soup(camden_client.get(f"/buyer/opportunities/{opportunity_id}/edit"))
    assert page.select_one("input[name=value_basis][value=per-year]").has_attr("checked")
    assert page.select_one("#value_min")["value"] == "£20,000"  # shown back the way people write money

    post(camden_client, f"/buyer/opportunities/{opportunity_id}/publish")
    edited = post(camden_client, f"/buyer/opportunities/{opportunity_id}/edit",
                  {**GOOD_BRIEF, "value_min": "20000", "value_max": "30000", "value_basis": "total",
                   "contract_length_months": "36"})
    assert edited.status_code == 303
    publish_changes(camden_client, opportunity_id)
    page = soup(camden_client.get(f"/opportunities/{draft.slug}"))
    assert ("The value changed from £20,000 to £30,000 a year (£60,000 to £90,000 in total over 3 years) to "
            "£20,000 to £30,000 in total") in page.select_one("#change-log").get_text()


def test_value_for_each_year_needs_a_value(app, camden_client):
    response = post(camden_client, "/buyer/opportunities/new/problem-statement",
                    {**GOOD_BRIEF, "value_min": "", "value_max": "", "value_basis": "per-year"})
    assert response.status_code == 400
    page = soup(response)
    assert "Enter a value before saying it is for each year" in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("input[name=value_basis][value=per-year]").has_attr("checked")


@pytest.mark.parametrize("field, value, message", [
    ("title", "", "Enter a title"),
    ("summary", "word " * 51, "50 words or fewer"),
    ("problem", "", "Answer"),
    ("problem", "word " * 201, "200 words or fewer"),
    ("cpv", "12345", "CPV code"),
    ("regions", [], "Choose at least one region"),
    ("value_min", "900000", "lowest value must not be more"),
    ("value_max", "lots", "Enter an amount in whole pounds"),
    ("value_max", "-5", "Enter an amount in whole pounds"),
    ("value_max", "1" * 20, "Enter an amount no more than £100,000,000,000"),
    ("value_basis", "per-month", "Not a valid choice"),
    ("quarter", "", "both a financial year and a quarter"),
    ("financial_year", "1999", "Not a valid choice"),
    ("engagement_closes", "31/02/2027", "Enter a real date, like 31 March 2027"),
    ("engagement_closes", "2/31/2027", "Enter a real date, like 31 March 2027"),
    ("stage", "finished", "Not a valid choice"),
    ("missions", ["nope"], "Choose from the options"),
])
def test_brief_errors_keep_everything_typed(camden_client, field, value, message):
    response = post(camden_client, "/buyer/opportunities/new/problem-statement", {**GOOD_BRIEF, field: value})
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one(".govuk-error-summary").get_text()
    if field != "title":
        assert page.select_one("#title")["value"] == GOOD_BRIEF["title"]
    if field != "problem":
        assert page.select_one("#problem").get_text() == GOOD_BRIEF["problem"]


def test_hostile_markdown_is_cleaned_on_preview_and_public_page(app, camden_client):
    opportunity_id = create_draft(camden_client, problem='<script>alert(1)</script>[x](javascript:alert(2)) <img src=x onerror=alert(3)>')
    response = camden_client.get(f"/buyer/opportunities/{opportunity_id}/preview")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>alert(1)" not in body and "javascript:" not in body and "onerror" not in body
    assert post(camden_client, f"/buyer/opportunities/{opportunity_id}/publish").status_code == 303
    with Session(app.extensions["engine"]) as session:
        slug = session.get(Opportunity, opportunity_id).slug
    public = camden_client.get(f"/opportunities/{slug}")
    assert public.status_code == 200
    body = public.get_data(as_text=True)
    assert soup(public).h1.get_text(strip=True) == "Help older people feel less lonely"
    assert "<script>alert(1)" not in body and "javascript:" not in body and "onerror" not in body


def test_unknown_kind_is_404(camden_client):
    assert camden_client.get("/buyer/opportunities/new/tender").status_code == 404


OTHER_BUYERS_ROUTES = [
    ("get", "/buyer/opportunities/{id}"), ("get", "/buyer/opportunities/{id}/edit"),
    ("get", "/buyer/opportunities/{id}/preview"), ("get", "/buyer/opportunities/{id}/interest.csv"),
    ("post", "/buyer/opportunities/{id}/edit"), ("post", "/buyer/opportunities/{id}/publish"),
    ("post", "/buyer/opportunities/{id}/withdraw"), ("post", "/buyer/opportunities/{id}/close"),
    ("get", "/buyer/opportunities/{id}/close"),
    ("post", "/buyer/questions/{question}/answer"), ("post", "/buyer/events/{event}/outcome"),
]


@pytest.mark.parametrize("method, path", OTHER_BUYERS_ROUTES)
def test_a_buyer_cannot_touch_another_buyers_items(app, camden_client, world, method, path):
    supplier = make_supplier(app)
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        item = session.get(Opportunity, world["kents_item"].id)
        question = questions.ask(session, item.id, supplier.organisation_id, supplier.id, "When?")
        from datetime import timedelta

        from portal.models import utcnow
        start = utcnow() + timedelta(days=3)
        event = events.create_event(session, item, kind="webinar", title="Briefing", starts_at=start,
                                    ends_at=start + timedelta(hours=1), online_link="https://meet.example.org/k",
                                    capacity=5, booking_deadline=start)
    url = path.format(id=item.id, question=question.id, event=event.id)
    data = {**GOOD_BRIEF, "answer": "Taken over", "what_we_heard": "Taken over"}
    response = camden_client.get(url) if method == "get" else post(camden_client, url, data)
    assert response.status_code == 404
    with Session(app.extensions["engine"]) as session:
        unchanged = session.get(Opportunity, item.id)
        assert (unchanged.title, unchanged.status) == ("Kent's own item", "published")
        assert session.get(Question, question.id).answer is None


def test_interest_breakdown_and_csv_export(app, camden_client):
    opportunity_id = create_draft(camden_client)
    post(camden_client, f"/buyer/opportunities/{opportunity_id}/publish")
    charity = make_supplier(app, email="c@example.org", organisation="=HYPERLINK(\"http://evil\")", size="small",
                            legal_form="charity")
    micro = make_supplier(app, email="m@example.org", organisation="Tiny Ltd", size="micro", legal_form="company")
    with Session(app.extensions["engine"]) as session:
        item = session.get(Opportunity, opportunity_id)
        make_interest(session, item, charity, open_to_partnering=True)
        make_interest(session, item, micro, listed_publicly=True)
    page = soup(camden_client.get(f"/buyer/opportunities/{opportunity_id}"))
    def breakdown(list_id):
        return {row.dt.get_text(strip=True): row.dd.get_text(strip=True)
                for row in page.select(f"#{list_id} .govuk-summary-list__row")}
    assert breakdown("interest-by-size") == {"Micro": "1", "Small": "1", "Medium-sized": "0", "Large": "0",
                                             "Size not given": "0", "SMEs (micro, small and medium-sized together)": "2"}
    assert breakdown("interest-by-type") == {"Voluntary, community and social enterprises (VCSEs)": "1", "Company": "1",
                                             "Charity": "1"}
    assert "London: 2" in page.select_one("#interest-by-type + h3 + p").get_text()
    response = camden_client.get(f"/buyer/opportunities/{opportunity_id}/interest.csv")
    assert response.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))
    assert [(r["Organisation"], r["Size"], r["Type"]) for r in table] == [
        ("'=HYPERLINK(\"http://evil\")", "Small", "Charity"), ("Tiny Ltd", "Micro", "Company")]


def test_withdraw_and_close(app, camden_client):
    opportunity_id = create_draft(camden_client)
    post(camden_client, f"/buyer/opportunities/{opportunity_id}/publish")
    post(camden_client, f"/buyer/opportunities/{opportunity_id}/close")
    with Session(app.extensions["engine"]) as session:
        assert session.get(Opportunity, opportunity_id).engagement_closes_on is not None
    post(camden_client, f"/buyer/opportunities/{opportunity_id}/withdraw", {"reason": "It was published by mistake."})
    assert app.extensions["search"].search(SearchQuery(text="lonely"), TODAY).ids == []


def test_admin_adds_a_buyer_and_invites_staff(app, client):
    from portal.services import accounts
    with Session(app.extensions["engine"]) as session:
        accounts.create_admin(session, "root@example.org", "Admin", PASSWORD)
    sign_in(client, "root@example.org")
    assert client.get("/admin").status_code == 200
    bad = post(client, "/admin/buyers/new", {"name": "", "org_type": "nhs-trust", "region": "TLE"})
    assert bad.status_code == 400
    created = post(client, "/admin/buyers/new", {"name": "Leeds Hospitals", "org_type": "nhs-trust", "region": "TLE"})
    assert created.headers["Location"] == "/admin/buyers/leeds-hospitals/invite"
    assert post(client, "/admin/buyers/leeds-hospitals/invite", {"email": "staff@leeds.example.org", "staff_role": "publisher"}).status_code == 303
    assert post(client, "/admin/buyers/nope/invite", {"email": "x@example.org"}).status_code == 404


def upload(client, data: bytes, name="pipeline.csv"):
    from tests.web.helpers import csrf_token
    return client.post("/buyer/pipeline", data={"csrf_token": csrf_token(client), "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_pipeline_page_and_upload(app, camden_client):
    with Session(app.extensions["engine"]) as session:
        for slug in ("camden-food", "net-zero", "camden-estates", "healthier-lives"):
            make_mission(session, slug=slug)
    assert camden_client.get("/buyer/pipeline").status_code == 200
    example = camden_client.get("/buyer/pipeline/example.csv")
    assert example.mimetype == "text/csv"
    good = upload(camden_client, example.data)
    assert good.status_code == 303
    page = soup(camden_client.get("/buyer/pipeline"))
    assert page.select_one("#buyer-spend-table") is not None


def test_pipeline_upload_with_problems_lists_them_and_saves_nothing(app, camden_client):
    before = len(rows(app, Opportunity))
    example = camden_client.get("/buyer/pipeline/example.csv").data.decode()
    broken = example.replace("2027-28", "2090-91", 1)
    response = upload(camden_client, broken.encode())
    assert response.status_code == 400
    assert "Nothing was saved" in soup(response).select_one(".govuk-error-summary").get_text()
    assert len(rows(app, Opportunity)) == before
    assert upload(camden_client, b"").status_code == 400
    assert upload(camden_client, b"\x89PNG\x00\x01binary").status_code == 400


def test_plain_english_check_live_and_stored(app, camden_client):
    jargon = post(camden_client, "/buyer/check", {**GOOD_BRIEF, "kind": "problem-statement",
                                                 "problem": "We will leverage synergies in order to facilitate stakeholder outcomes."},
                  headers={"HX-Request": "true"})
    plain = post(camden_client, "/buyer/check", {**GOOD_BRIEF, "kind": "problem-statement"}, headers={"HX-Request": "true"})
    assert jargon.status_code == plain.status_code == 200
    jargon_page, plain_page = soup(jargon), soup(plain)
    assert jargon_page.find(True)["id"] == "plain-checker" and jargon_page.find("html") is None
    assert int(jargon_page.select_one("#plain-score").get_text()) < int(plain_page.select_one("#plain-score").get_text())
    assert "leverage" in jargon_page.select_one("#checker-problem").get_text()
    assert post(camden_client, "/buyer/check", {"kind": "nonsense"}).status_code == 400
    opportunity_id = create_draft(camden_client)
    [stored] = [o for o in rows(app, Opportunity) if o.id == opportunity_id]
    assert stored.plain_score == int(plain_page.select_one("#plain-score").get_text())
    preview = soup(camden_client.get(f"/buyer/opportunities/{opportunity_id}/preview"))
    assert preview.select_one("#plain-checker #reading-age") is not None
    dashboard = soup(camden_client.get("/buyer"))
    assert str(stored.plain_score) in dashboard.select_one("tbody tr").get_text()


def test_markdown_preview_is_sanitised(camden_client):
    response = post(camden_client, "/buyer/preview-markdown",
                    {"field": "problem", "problem": "## Heading\n\n<script>alert(1)</script>[x](javascript:alert(2))"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert '<h2 class="govuk-heading-m">Heading</h2>' in body
    assert "<script>" not in body and "javascript:" not in body
    assert post(camden_client, "/buyer/preview-markdown", {"field": "<bad>", "<bad>": "x"}).get_data(as_text=True).count("x") == 0


GOOD_EVENT = {"kind": "webinar", "title": "Supplier briefing", "starts": "2027-01-20T10:00", "ends": "2027-01-20T11:00",
              "booking_deadline": "2027-01-19T17:00", "online_link": "https://meet.example.org/brief", "capacity": "40"}


def test_add_an_engagement_event_in_uk_time(app, camden_client):
    from datetime import datetime, timezone

    from portal.models import EngagementEvent
    opportunity_id = create_draft(camden_client)
    assert post(camden_client, f"/buyer/opportunities/{opportunity_id}/events/new", GOOD_EVENT).status_code == 303
    [event] = rows(app, EngagementEvent)
    assert event.starts_at == datetime(2027, 1, 20, 10, 0, tzinfo=timezone.utc)  # January: UK time is UTC
    summer = post(camden_client, f"/buyer/opportunities/{opportunity_id}/events/new",
                  {**GOOD_EVENT, "title": "Summer", "starts": "2027-07-01T10:00", "ends": "2027-07-01T11:00",
                   "booking_deadline": "2027-06-30T10:00"})
    assert summer.status_code == 303
    assert [e.starts_at.hour for e in rows(app, EngagementEvent) if e.title == "Summer"] == [9]  # British Summer Time


@pytest.mark.parametrize("changes, message", [
    ({"ends": "2027-01-20T09:00"}, "end after it starts"),
    ({"booking_deadline": "2027-01-21T09:00"}, "Booking must close before"),
    ({"online_link": "", "location": ""}, "an address, a joining link, or both"),
    ({"capacity": "0"}, "from 1 to 10,000"),
    ({"starts": "tomorrow"}, "Not a valid datetime"),
    ({"online_link": "javascript:alert(1)"}, "web address"),
])
def test_event_form_errors_keep_what_was_typed(camden_client, changes, message):
    opportunity_id = create_draft(camden_client)
    response = post(camden_client, f"/buyer/opportunities/{opportunity_id}/events/new", {**GOOD_EVENT, **changes})
    assert response.status_code == 400
    assert message in soup(response).select_one(".govuk-error-summary").get_text()
    assert soup(response).select_one("#title")["value"] == "Supplier briefing"


def test_cannot_add_events_to_another_buyers_item(camden_client, world):
    assert post(camden_client, f"/buyer/opportunities/{world['kents_item'].id}/events/new", GOOD_EVENT).status_code == 404


CHALLENGE = {**{k: v for k, v in GOOD_BRIEF.items() if k not in ("market_questions",)},
             "eligibility": "Anyone, including charities.", "how_to_enter": "Send 2 pages.",
             "judging_criteria": "Impact, 60%; cost, 40%.",
             "phases-0-name": "Discovery", "phases-0-starts": "2027-02-01", "phases-0-ends": "2027-04-30",
             "phases-0-funding": "20000", "phases-1-name": "Pilot", "phases-1-starts": "2027-06-01",
             "phases-1-ends": "2027-12-31"}


def test_innovation_challenge_with_phases(app, camden_client):
    response = post(camden_client, "/buyer/opportunities/new/innovation-challenge", CHALLENGE)
    assert response.status_code == 303, soup(response).select_one(".govuk-error-summary")
    opportunity_id = int(response.headers["Location"].split("/")[3])
    post(camden_client, f"/buyer/opportunities/{opportunity_id}/publish")
    with Session(app.extensions["engine"]) as session:
        item = session.get(Opportunity, opportunity_id)
        assert [(p.name, p.funding) for p in item.phases] == [("Discovery", 20000), ("Pilot", None)]
        slug = item.slug
    table = soup(camden_client.get(f"/opportunities/{slug}")).select_one("#phases + table")
    assert "Discovery" in table.get_text() and "£20,000" in table.get_text()
    form = soup(camden_client.get(f"/buyer/opportunities/{opportunity_id}/edit"))
    assert form.select_one("#phases-1-name")["value"] == "Pilot"
    edited = post(camden_client, f"/buyer/opportunities/{opportunity_id}/edit",
                  {**CHALLENGE, "phases-1-name": "", "phases-1-starts": "", "phases-1-ends": ""})
    assert edited.status_code == 303
    with Session(app.extensions["engine"]) as session:
        assert [p.name for p in session.get(Opportunity, opportunity_id).phases] == ["Discovery", "Pilot"], \
            "the public keeps the published phases until the change is published"
    assert "Phases: removed Pilot" in publish_changes(camden_client, opportunity_id)
    with Session(app.extensions["engine"]) as session:
        assert [p.name for p in session.get(Opportunity, opportunity_id).phases] == ["Discovery"]


@pytest.mark.parametrize("changes, message", [
    ({"phases-0-name": "", "phases-0-starts": "", "phases-0-ends": "", "phases-0-funding": "",
      "phases-1-name": "", "phases-1-starts": "", "phases-1-ends": ""}, "at least one phase"),
    ({"phases-1-ends": ""}, "Give phase 2 a name, a start date and an end date"),
    ({"phases-0-ends": "2027-01-01"}, "Phase 1 must not end before it starts"),
    ({"phases-0-funding": "lots"}, "Phase 1, funding or prize in pounds (optional)"),
])
def test_challenge_phase_errors(camden_client, changes, message):
    response = post(camden_client, "/buyer/opportunities/new/innovation-challenge", {**CHALLENGE, **changes})
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one(page.select_one(".govuk-error-summary a")["href"]) is not None
    if "phases-0-name" not in changes:
        assert page.select_one("#phases-0-name")["value"] == "Discovery", "what was typed is kept"


def test_buyers_cannot_use_administration_or_supplier_pages(camden_client):
    assert camden_client.get("/admin").status_code == 403
    assert camden_client.get("/admin/buyers/new").status_code == 403
    assert camden_client.get("/dashboard").status_code == 403
    assert camden_client.get("/sign-in").status_code == 200
    assert soup(camden_client.get("/")).find("a", string="Your opportunities")["href"] == "/buyer"


def test_the_editor_does_not_offer_cancelling_or_awarding_without_their_details(app, camden_client):
    opportunity_id = create_draft(camden_client)
    offered = [radio["value"] for radio in soup(camden_client.get(f"/buyer/opportunities/{opportunity_id}/edit"))
               .select("input[name=stage]")]
    assert offered == ["pipeline", "engagement", "tender"]
    refused = post(camden_client, f"/buyer/opportunities/{opportunity_id}/edit", {**GOOD_BRIEF, "stage": "cancelled"})
    assert refused.status_code == 400
    assert [o.stage for o in rows(app, Opportunity) if o.id == opportunity_id] == ["engagement"]


def test_an_item_already_cancelled_keeps_its_stage_when_edited(app, camden_client, world):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        item = make_opportunity(session, world["camden"], slug="stopped", title="Stopped item", stage="cancelled")
    offered = [radio["value"] for radio in soup(camden_client.get(f"/buyer/opportunities/{item.id}/edit"))
               .select("input[name=stage]")]
    assert offered == ["pipeline", "engagement", "tender", "cancelled"]


def test_council_areas_are_typed_by_name_checked_and_shown(app, camden_client):
    new_form = soup(camden_client.get("/buyer/opportunities/new/problem-statement"))
    assert new_form.select_one("#areas")["value"] == "", "Camden's test buyer is not named as a council"
    refused = post(camden_client, "/buyer/opportunities/new/problem-statement", {**GOOD_BRIEF, "areas": "Camdem, Islington"})
    assert refused.status_code == 400
    page = soup(refused)
    assert "We do not know a council called \u201cCamdem\u201d. Did you mean Camden?" in page.select_one("#areas-error").get_text()
    assert page.select_one("#areas")["value"] == "Camdem, Islington", "what was typed is kept"
    opportunity_id = create_draft(camden_client, areas="camden; London Borough of Islington")
    [saved] = [o for o in rows(app, Opportunity) if o.id == opportunity_id]
    assert saved.area_codes == ["CMD", "ISL"]
    assert soup(camden_client.get(f"/buyer/opportunities/{opportunity_id}/edit")).select_one("#areas")["value"] == "Camden, Islington"
    post(camden_client, f"/buyer/opportunities/{opportunity_id}/publish")
    assert "Camden, Islington" in soup(camden_client.get(f"/opportunities/{saved.slug}")).select_one("#where").get_text()
    post(camden_client, f"/buyer/opportunities/{opportunity_id}/edit", {**GOOD_BRIEF, "areas": "Camden"})
    assert "Council areas: removed Islington" in publish_changes(camden_client, opportunity_id)


def test_a_councils_new_item_starts_in_its_own_area(app, world):
    with Session(app.extensions["engine"]) as session:
        camden = session.get(type(world["camden"]), world["camden"].id)
        camden.area_code = "CMD"
        session.add(camden)
        session.commit()
    client = app.test_client()
    sign_in(client, "cam@camden.example.org")
    assert soup(client.get("/buyer/opportunities/new/problem-statement")).select_one("#areas")["value"] == "Camden"


@pytest.mark.parametrize("typed, message", [
    ("<script>alert(1)</script>", "We do not know a council called \u201c<script>alert(1)</script>\u201d"),
    (", ".join(["Camden"] * 31), "Name no more than 30 council areas"),
    ("x" * 1001, "Enter no more than 1,000 characters"),
])
def test_council_areas_that_cannot_be_read_are_refused_and_kept(app, camden_client, typed, message):
    refused = post(camden_client, "/buyer/opportunities/new/problem-statement", {**GOOD_BRIEF, "areas": typed})
    assert refused.status_code == 400
    page = soup(refused)
    assert message in page.select_one("#areas-error").get_text()
    assert page.select_one("#areas")["value"] == typed
    assert "<script>alert(1)</script>" not in refused.get_data(as_text=True), "shown as text, never as markup"
    assert rows(app, Opportunity) == [o for o in rows(app, Opportunity) if o.slug == "kent-item"]
