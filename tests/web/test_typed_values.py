"""Forms accept money and dates as people type them, say what they understood, and list every error in the order
of the page: the brief editor, the "Can we bid?" page and the pipeline upload."""

import csv
import io
import re

import pytest
from sqlmodel import Session, select

from portal.bidding.facts import BidFacts
from portal.models import Opportunity
from tests.factories import make_buyer, make_mission, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import csrf_token, make_buyer_user, post, sign_in
from tests.web.test_buyers import GOOD_BRIEF

NEW_CHALLENGE = "/buyer/opportunities/new/innovation-challenge"
NEW_BRIEF = "/buyer/opportunities/new/problem-statement"


@pytest.fixture
def world(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        for slug in ("food", "camden-food", "net-zero", "camden-estates", "healthier-lives"):
            make_mission(session, owner=camden, slug=slug, short_title=slug)
        item = make_opportunity(session, camden, slug="school-meals", title="School meals")
    make_buyer_user(app, camden, "cam@camden.example.org")
    return {"item": item}


@pytest.fixture
def camden(app, world):
    client = app.test_client()
    sign_in(client, "cam@camden.example.org")
    return client


def stored(app, opportunity_id: int) -> Opportunity:
    with Session(app.extensions["engine"]) as session:
        return session.get(Opportunity, opportunity_id)


def summary_links(page) -> list[str]:
    return [a["href"] for a in page.select(".govuk-error-summary__list a")]


def in_page_order(page, links: list[str]) -> list[str]:
    """The links sorted by where their targets are on the page."""
    position = {element["id"]: number for number, element in enumerate(page.select("form [id]"))}
    assert all(link[1:] in position for link in links), [link for link in links if link[1:] not in position]
    return sorted(links, key=lambda link: position[link[1:]])


@pytest.mark.parametrize("low, high, pounds", [("50k", "1.2m", (50_000, 1_200_000)),
                                               ("£50,000", "£2 million", (50_000, 2_000_000)),
                                               ("50 thousand", "1.2 million", (50_000, 1_200_000))])
def test_the_brief_editor_reads_money_as_people_write_it(app, camden, low, high, pounds):
    response = post(camden, NEW_BRIEF, {**GOOD_BRIEF, "value_min": low, "value_max": high})
    assert response.status_code == 303
    opportunity_id = int(response.headers["Location"].split("/")[3])
    saved = stored(app, opportunity_id)
    assert (saved.value_min, saved.value_max) == pounds
    page = soup(camden.get(f"/buyer/opportunities/{opportunity_id}/edit"))
    assert page.select_one("#value_max")["value"] == f"£{pounds[1]:,}"
    assert page.select_one(".portal-understood") is None  # nothing to explain once shown as £1,200,000


@pytest.mark.parametrize("typed", ["31/3/2027", "31 March 2027", "2027-03-31", "31 Mar 2027"])
def test_the_brief_editor_reads_dates_as_people_write_them(app, camden, typed):
    response = post(camden, NEW_BRIEF, {**GOOD_BRIEF, "engagement_closes": typed})
    assert response.status_code == 303
    opportunity_id = int(response.headers["Location"].split("/")[3])
    assert str(stored(app, opportunity_id).engagement_closes_on) == "2027-03-31"
    page = soup(camden.get(f"/buyer/opportunities/{opportunity_id}/edit"))
    field = page.select_one("#engagement_closes")
    assert field["value"] == "31 March 2027" and field["type"] == "text"


def test_every_date_box_has_a_hint_that_matches_what_it_accepts(camden):
    page = soup(camden.get(NEW_CHALLENGE))
    boxes = [page.select_one(f"#{id}") for id in ("engagement_closes", "questions_close", "phases-0-starts", "phases-2-ends")]
    for box in boxes:
        assert box["type"] == "text"
        hint = page.select_one(f"#{box['aria-describedby'].split()[0]}").get_text(" ", strip=True)
        assert hint.endswith("For example, 31 March 2027 or 31/3/2027."), hint
        for example in re.findall(r"\d{1,2} \w+ \d{4}|\d{1,2}/\d{1,2}/\d{4}", hint):
            response = post(camden, NEW_BRIEF, {**GOOD_BRIEF, "engagement_closes": example})
            assert response.status_code == 303, example


def test_an_error_page_says_what_each_money_and_date_field_was_read_as(camden):
    response = post(camden, NEW_BRIEF, {**GOOD_BRIEF, "title": "", "value_min": "50k", "value_max": "1.2m",
                                        "engagement_closes": "31/3/2027"})
    assert response.status_code == 400
    page = soup(response)
    for id, typed, understood in [("value_min", "50k", "We read this as £50,000."),
                                  ("value_max", "1.2m", "We read this as £1,200,000."),
                                  ("engagement_closes", "31/3/2027", "We read this as 31 March 2027.")]:
        box = page.select_one(f"#{id}")
        assert box["value"] == typed  # what was typed is kept
        hint = page.select_one(f"#{id}-hint")
        assert f"{id}-hint" in box["aria-describedby"].split()
        assert hint.select_one(".portal-understood").get_text(strip=True) == understood


def test_no_hint_is_added_to_money_that_could_not_be_read_or_was_written_in_full(camden):
    page = soup(post(camden, NEW_BRIEF, {**GOOD_BRIEF, "value_min": "£50,000", "value_max": "lots"}))
    assert page.select("#value_min-hint .portal-understood, #value_max-hint .portal-understood") == []
    assert page.select_one("#value_max")["value"] == "lots"


@pytest.mark.parametrize("typed", ["50kk", "1e9", "£12.50", "-50k", "1.2.3m", "k", "<script>alert(1)</script>", "9" * 5000])
def test_the_brief_editor_refuses_what_is_not_money(camden, typed):
    response = post(camden, NEW_BRIEF, {**GOOD_BRIEF, "value_max": typed})
    assert response.status_code == 400
    assert "Enter an amount in whole pounds, like £50,000" in soup(response).select_one(".govuk-error-summary").get_text()
    assert "<script>alert" not in response.get_data(as_text=True)


def test_the_brief_editors_error_summary_follows_the_page(camden):
    data = {**GOOD_BRIEF, "kind": "innovation-challenge", "title": "", "summary": "word " * 51, "why": "",
            "problem": "", "value_max": "lots", "engagement_closes": "31/02/2027", "regions": [], "cpv": "1",
            "phases-0-name": "Discovery", "phases-0-starts": "soon", "stage": "finished",
            "questions_to_suppliers-0-max_words": "5", "questions_to_suppliers-0-text": "Why?"}
    page = soup(post(camden, NEW_CHALLENGE, data))
    links = summary_links(page)
    assert len(links) >= 10
    assert links == in_page_order(page, links)
    assert links[:3] == ["#title", "#summary", "#why"]
    assert "#phases" in links and "#questions_to_suppliers" in links and "#regions" in links


def test_the_can_we_bid_page_reads_money_as_people_write_it(app, camden, world):
    item = world["item"]
    response = post(camden, f"/buyer/opportunities/{item.id}/bidding",
                    {"min_turnover": "50k", "lots-0-title": "North", "lots-0-value_max": "1.2m"})
    assert response.status_code == 303
    saved = stored(app, item.id)
    facts = BidFacts.model_validate((saved.pending or {}).get("bid_facts", saved.bid_facts))  # published: a draft change
    assert facts.conditions.min_turnover == 50_000
    assert facts.lots[0].value_max == 1_200_000


def test_the_can_we_bid_pages_error_summary_follows_the_page(camden, world):
    data = {"lots-0-title": "A lot", "lots-0-value_min": "lots", "lots-1-number": "x", "lots-1-title": "Another",
            "min_turnover": "50kk", "payment_days": "abc", "small_firm_share": "101", "criteria-0-weight": "ten",
            "criteria-1-name": "x" * 200, "social_value-0-wish": "x" * 500, "tupe": "maybe", "max_lots_per_bidder": "0"}
    response = post(camden, f"/buyer/opportunities/{world['item'].id}/bidding", data)
    assert response.status_code == 400
    page = soup(response)
    links = summary_links(page)
    assert len(links) >= 9
    assert links == in_page_order(page, links)
    assert "#lots-0-value_min" in links and "#criteria-1-name" in links


def test_the_pipeline_upload_reads_money_as_people_write_it(app, camden):
    example = camden.get("/buyer/pipeline/example.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(example)))
    rows[0].update(value_min="50k", value_max="1.2m")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    response = camden.post("/buyer/pipeline", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(camden), "file": (io.BytesIO(out.getvalue().encode()), "pipeline.csv")})
    assert response.status_code == 303, soup(response).select_one(".govuk-error-summary")
    with Session(app.extensions["engine"]) as session:
        saved = session.exec(select(Opportunity).where(Opportunity.title == rows[0]["title"])).one()
    assert (saved.value_min, saved.value_max) == (50_000, 1_200_000)
