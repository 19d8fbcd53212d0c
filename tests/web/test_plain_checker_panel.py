"""The plain English check beside the brief editor: findings field by field with links, one persistent live
region that hears how the score changed, and the check route's bad input and access rules."""

import pytest
from sqlmodel import Session

from portal.plain import check
from portal.web.buyer_brief import score_change
from tests.factories import make_buyer
from tests.web.conftest import soup
from tests.web.helpers import make_buyer_user, make_supplier, post, sign_in

BRIEF = {
    "kind": "problem-statement", "title": "Leverage synergies for service users",
    "summary": "We want to utilise approximately 3 vans. The MTFS sets the cost envelope.",
    "why": "Loneliness harms health.", "problem": "Bins were emptied late. It is important that we fix this.",
}


@pytest.fixture
def buyer_client(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
    make_buyer_user(app, camden, "cam@camden.example.org")
    client = app.test_client()
    sign_in(client, "cam@camden.example.org")
    return client


def checked(client, form, **headers):
    response = post(client, "/buyer/check", form, headers={"HX-Request": "true", **headers})
    assert response.status_code == 200
    return soup(response)


def test_findings_are_grouped_by_field_with_a_link_to_each(buyer_client):
    page = checked(buyer_client, BRIEF)
    assert page.find(True)["id"] == "plain-checker" and page.find("html") is None
    groups = page.select("details.portal-checker__field")
    assert [group["id"] for group in groups] == ["checker-title", "checker-summary", "checker-problem"]
    assert [group.select_one(".portal-checker__field-link")["href"] for group in groups] == [
        "#title", "#summary", "#problem"]
    labels = [group.select_one("summary").get_text(" ", strip=True) for group in groups]
    assert labels[0] == "Title: 3 things to look at"  # leverage, synergies, service users
    assert labels[2].startswith("What is the problem?: 2 things")
    summary = groups[1].get_text(" ", strip=True)
    for word in ("utilise", "approximately", "MTFS", "cost envelope"):
        assert word in summary
    assert '"about"' in summary and '"budget"' in summary


def test_every_finding_is_shown_not_just_the_first_few(buyer_client):
    problem = " ".join(f"We will leverage asset {n}." for n in range(20))
    page = checked(buyer_client, {**BRIEF, "problem": problem})
    assert len(page.select("#checker-problem li")) == 20


def test_the_live_region_is_outside_the_swap_and_hears_the_score_change(buyer_client):
    first = checked(buyer_client, BRIEF)
    age, score = first.select_one("[name=checked_reading_age]")["value"], first.select_one("[name=checked_score]")["value"]
    assert age.isdigit() and score.isdigit()
    assert first.select_one("[aria-live]") is None  # the region itself is never sent again, only its words
    plainer = checked(buyer_client, {**BRIEF, "title": "Help older people", "checked_reading_age": age,
                                     "checked_score": score})
    [status] = plainer.select("#plain-checker-status")
    assert status["hx-swap-oob"] == "innerHTML" and status.parent.name == "[document]"
    new_age, new_score = plainer.select_one("[name=checked_reading_age]")["value"], plainer.select_one("#plain-score").get_text()
    said = status.get_text()
    assert f"Score now {new_score} out of 100, was {score}." in said
    assert (f"Reading age now {new_age}, was {age}." in said) == (new_age != age)
    same = checked(buyer_client, {**BRIEF, "checked_reading_age": age, "checked_score": score})
    assert same.select_one("#plain-checker-status") is None  # nothing changed: nothing new to hear


def test_the_editor_page_has_one_persistent_polite_live_region(buyer_client):
    page = soup(buyer_client.get("/buyer/opportunities/new/problem-statement"))
    [region] = page.select(".portal-checker [aria-live]")
    assert region["id"] == "plain-checker-status" and region["aria-live"] == "polite"
    assert region.find_parent(id="plain-checker") is None
    assert page.select_one(".portal-checker #plain-checker") is not None
    form = page.select_one("form[hx-post]")
    assert form["hx-target"] == "#plain-checker" and form["hx-swap"] == "outerHTML"


def test_score_change_in_words():
    report = check("We want to cut the time people wait for a bin to be fixed. Tell us how you would do it. We will "
                   "pay for a small trial. Then we will choose the best idea and try it in one street.")
    assert score_change(report, {"checked_reading_age": "14", "checked_score": "70"}) == \
        f"Reading age now 6, was 14. Score now {report.score} out of 100, was 70."
    assert score_change(report, {"checked_reading_age": "6", "checked_score": str(report.score)}) == ""
    assert score_change(check("Short."), {"checked_reading_age": "9", "checked_score": "100"}) == \
        "Too short for a reading age now, was 9."


@pytest.mark.parametrize("age, score", [("abc", "-5"), ("99999999", "1e9"), ("<script>", "12.5"), ("", "")])
def test_bad_previous_values_are_ignored(buyer_client, age, score):
    page = checked(buyer_client, {**BRIEF, "checked_reading_age": age, "checked_score": score})
    status = page.select_one("#plain-checker-status")
    assert status is not None and "was" not in status.get_text()


@pytest.mark.parametrize("text", ["<script>alert(1)</script> MTFS", "x" * 50_000, "\u0000\ufffd ∑ 🙂 HACCP"])
def test_hostile_text_is_checked_and_escaped(buyer_client, text):
    response = post(buyer_client, "/buyer/check", {**BRIEF, "summary": text}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<script>alert" not in response.data


def test_the_check_needs_a_buyer(app, client, buyer_client):
    assert post(client, "/buyer/check", BRIEF).status_code in (302, 401, 403)
    make_supplier(app, "sam@example.org", "Sam's Firm")
    supplier = app.test_client()
    sign_in(supplier, "sam@example.org")
    assert post(supplier, "/buyer/check", BRIEF).status_code in (302, 403, 404)
    assert post(buyer_client, "/buyer/check", {**BRIEF, "kind": "nonsense"}).status_code == 400
    assert post(buyer_client, "/buyer/check", {"title": "Hi"}).status_code == 400
