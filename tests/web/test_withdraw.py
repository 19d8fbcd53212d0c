"""Withdrawing and cancelling a published item: a confirmation page with a required reason, the public page that
stays and says why, followers told once, open data that says the same, and only the buyer's own items."""

import pytest
from sqlmodel import Session, select

from portal.models import Notification, Opportunity, OpportunityVersion, Stage, Status, StopNotice
from portal.search import SearchQuery
from portal.services import notifications
from tests.conftest import TODAY
from tests.factories import make_buyer, make_opportunity
from tests.ocds_validation import schema_errors
from tests.web.conftest import soup
from tests.web.helpers import make_buyer_user, make_supplier, post, sign_in

REASON = "The funding for this work has been moved to next year."


@pytest.fixture
def world(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        kent = make_buyer(session, slug="kent", name="Kent County Council", org_type="county-council", region="TLJ")
        ours = make_opportunity(session, camden, slug="lunch-clubs", title="Lunch clubs for older people",
                                status=Status.DRAFT)
        other = make_opportunity(session, camden, slug="warm-homes", title="Warm homes advice")
        theirs = make_opportunity(session, kent, slug="kent-item", title="Kent's own item")
    make_buyer_user(app, camden, "cam@camden.example.org")
    make_buyer_user(app, kent, "kim@kent.example.org")
    return {"ours": ours, "other": other, "theirs": theirs}


@pytest.fixture
def camden(app, world):
    client = app.test_client()
    sign_in(client, "cam@camden.example.org")
    assert post(client, f"/buyer/opportunities/{world['ours'].id}/publish").status_code == 303
    return client


@pytest.fixture
def follower(app, world):
    supplier = make_supplier(app)
    with Session(app.extensions["engine"]) as session:
        notifications.follow(session, supplier.id, world["ours"].id)
    return supplier


def item(app, opportunity_id) -> Opportunity:
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        return session.get(Opportunity, opportunity_id)


def told(app, user_id) -> list[Notification]:
    with Session(app.extensions["engine"]) as session:
        return list(session.exec(select(Notification).where(Notification.user_id == user_id)).all())


@pytest.mark.parametrize("action, heading, button", [
    ("withdraw", "Are you sure you want to withdraw this?", "Withdraw it"),
    ("cancel", "Are you sure you want to cancel this?", "Cancel the buying"),
])
def test_the_confirmation_page_says_what_will_happen_and_asks_why(camden, world, action, heading, button):
    page = soup(camden.get(f"/buyer/opportunities/{world['ours'].id}/{action}"))
    assert page.h1.get_text(strip=True) == heading
    assert "Say why, in a sentence or two. This is shown to the public." in page.select_one("#reason-hint").get_text()
    assert page.select_one("main form input[name=csrf_token]") is not None
    assert page.select_one("main form button").get_text(strip=True) == button
    manage = soup(camden.get(f"/buyer/opportunities/{world['ours'].id}"))
    assert {a["href"] for a in manage.select("a.govuk-button--warning")} == {
        f"/buyer/opportunities/{world['ours'].id}/withdraw", f"/buyer/opportunities/{world['ours'].id}/cancel"}


@pytest.mark.parametrize("action", ["withdraw", "cancel"])
@pytest.mark.parametrize("reason, message", [
    (None, "Say why, in a sentence or two"),
    ("", "Say why, in a sentence or two"),
    ("   \u0007 ", "Say why, in a sentence or two"),
    ("Changed plans", "Say why in a sentence of at least 3 words, so people understand"),
    ("word " * 101, "Reason must be 100 words or fewer (it has 101)"),
    ("x" * 5000, "Reason must be 1,000 characters or fewer"),
])
def test_a_missing_short_or_long_reason_is_refused_and_kept(app, camden, world, action, reason, message):
    response = post(camden, f"/buyer/opportunities/{world['ours'].id}/{action}",
                    {} if reason is None else {"reason": reason})
    assert response.status_code == 400
    page = soup(response)
    assert page.title.get_text().startswith("Error:")
    assert page.select_one(".govuk-error-summary a").get_text(strip=True) == message
    assert page.select_one("a[href='#reason']") is not None
    if reason and reason.strip("\u0007 "):
        assert page.select_one("textarea#reason").get_text() == reason
    unchanged = item(app, world["ours"].id)
    assert (unchanged.status, unchanged.stage) == (Status.PUBLISHED, Stage.ENGAGEMENT)
    assert _notices(app) == []


def _notices(app) -> list[StopNotice]:
    with Session(app.extensions["engine"]) as session:
        return list(session.exec(select(StopNotice)).all())


def test_without_the_form_token_nothing_happens(app, camden, world):
    response = camden.post(f"/buyer/opportunities/{world['ours'].id}/withdraw", data={"reason": REASON})
    assert response.status_code == 400
    assert item(app, world["ours"].id).status == Status.PUBLISHED


def test_withdrawing_keeps_the_address_says_why_and_tells_followers_once(app, camden, world, follower):
    ours = world["ours"]
    response = post(camden, f"/buyer/opportunities/{ours.id}/withdraw", {"reason": REASON})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/buyer/opportunities/{ours.id}#confirmation"
    assert item(app, ours.id).status == Status.WITHDRAWN
    [notice] = _notices(app)
    assert (notice.kind, notice.reason) == ("withdrawn", REASON) and notice.made_by_id is not None

    public = camden.application.test_client().get(f"/opportunities/{ours.slug}")
    assert public.status_code == 410
    page = soup(public)
    assert page.h1.get_text(strip=True) == "Lunch clubs for older people"
    notice_text = page.select_one("#stop-notice").get_text(" ", strip=True)
    assert "Withdrawn on 22 November 2026." in notice_text and REASON in notice_text
    assert "Camden Council said why" in notice_text
    links = {a["href"] for a in page.select("main a")}
    assert {"/buyers/camden", "/search"} <= links
    assert f"Withdrawn: {REASON}" in page.select_one("#changes + ul").get_text()

    [message] = told(app, follower.id)
    assert message.message == "\u201cLunch clubs for older people\u201d has been withdrawn. It is no longer on the portal."
    assert message.details == REASON

    manage = soup(camden.get(f"/buyer/opportunities/{ours.id}"))
    record = manage.select_one("#withdrawn-or-cancelled + dl").get_text(" ", strip=True)
    assert "Withdrawn on Sunday 22 November 2026, midday by" in record and REASON in record
    assert manage.select_one("a.govuk-button--warning") is None  # nothing left to withdraw or cancel
    again = camden.get(f"/buyer/opportunities/{ours.id}/withdraw")
    assert again.status_code == 303 and item(app, ours.id).status == Status.WITHDRAWN
    assert len(_notices(app)) == 1


def test_a_withdrawn_item_leaves_search_the_lists_the_feed_and_the_api_but_not_the_ocds(app, camden, world):
    ours = world["ours"]
    index = app.extensions["search"]
    assert index.search(SearchQuery(text="lunch clubs"), TODAY).ids == [ours.id]
    post(camden, f"/buyer/opportunities/{ours.id}/withdraw", {"reason": REASON})
    visitor = app.test_client()
    assert index.search(SearchQuery(text="lunch clubs"), TODAY).ids == []
    assert "Lunch clubs" not in visitor.get("/opportunities").get_data(as_text=True)
    assert "Lunch clubs" not in visitor.get("/search?q=lunch").get_data(as_text=True)
    assert "Lunch clubs" not in visitor.get("/search/feed.atom").get_data(as_text=True)
    assert "Lunch clubs" not in visitor.get("/buyers/camden").get_data(as_text=True)
    assert "lunch-clubs" not in visitor.get("/api/opportunities").get_data(as_text=True)
    assert visitor.get("/api/opportunities/lunch-clubs").status_code == 404
    assert "lunch-clubs" not in visitor.get("/data/opportunities.csv").get_data(as_text=True)

    package = visitor.get("/opportunities/lunch-clubs/ocds.json").get_json()
    assert schema_errors(package) == []
    [release] = package["releases"]
    assert release["tag"] == ["tenderAmendment"]
    assert release["tender"]["status"] == "withdrawn"
    [amendment] = release["tender"]["amendments"]
    assert amendment["rationale"] == REASON
    assert amendment["description"] == "The buyer withdrew this opportunity from the portal on 22 November 2026."
    everything = visitor.get("/data/ocds/releases.json").get_json()
    assert schema_errors(everything) == []
    assert {r["tender"]["status"] for r in everything["releases"] if r["ocid"] == ours.ocid} == {"withdrawn"}


def test_cancelling_keeps_it_public_at_the_cancelled_stage_and_says_why(app, camden, world, follower):
    ours = world["ours"]
    reason = "We have <b>stopped</b> this: <script>alert(1)</script> the service will be run in-house."
    assert post(camden, f"/buyer/opportunities/{ours.id}/cancel", {"reason": reason}).status_code == 303
    cancelled = item(app, ours.id)
    assert (cancelled.status, cancelled.stage) == (Status.PUBLISHED, Stage.CANCELLED)

    visitor = app.test_client()
    response = visitor.get(f"/opportunities/{ours.slug}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "<b>stopped</b>" not in body
    page = soup(response)
    notice = page.select_one("#stop-notice").get_text(" ", strip=True)
    assert "Cancelled on 22 November 2026." in notice and reason in notice
    assert f"Cancelled: {reason}" in page.select_one("#change-log").get_text()
    assert app.extensions["search"].search(SearchQuery(text="lunch clubs", closed=True), TODAY).ids == [ours.id]

    [message] = told(app, follower.id)  # once: not also "its stage is now Cancelled"
    assert message.message == "\u201cLunch clubs for older people\u201d has been cancelled. The buying is not going ahead."
    assert message.details == reason

    package = visitor.get("/opportunities/lunch-clubs/ocds.json").get_json()
    assert schema_errors(package) == []
    tender = package["releases"][0]["tender"]
    assert package["releases"][0]["tag"] == ["tenderCancellation"]
    assert tender["status"] == "cancelled" and tender["amendments"][0]["rationale"] == reason
    assert "<script>alert(1)</script>" not in camden.get(f"/buyer/opportunities/{ours.id}").get_data(as_text=True)
    assert camden.get(f"/buyer/opportunities/{ours.id}/cancel").status_code == 303  # already cancelled
    assert len(_notices(app)) == 1


def test_publishing_again_takes_the_notice_away_but_the_log_keeps_it(app, camden, world):
    ours = world["ours"]
    post(camden, f"/buyer/opportunities/{ours.id}/withdraw", {"reason": REASON})
    assert post(camden, f"/buyer/opportunities/{ours.id}/publish").status_code == 303
    page = soup(app.test_client().get(f"/opportunities/{ours.slug}"))
    assert page.select_one("#stop-notice") is None
    assert f"Withdrawn: {REASON}" in page.select_one("#change-log").get_text()
    with Session(app.extensions["engine"]) as session:
        logged = session.exec(select(OpportunityVersion.changes).where(OpportunityVersion.opportunity_id == ours.id)
                              .order_by(OpportunityVersion.number)).all()
    assert logged == [["First published"], [f"Withdrawn: {REASON}"], ["Published again"]]
    manage = soup(camden.get(f"/buyer/opportunities/{ours.id}"))
    assert REASON in manage.select_one("#withdrawn-or-cancelled + dl").get_text()


def test_a_draft_cannot_be_withdrawn_or_cancelled(app, world):
    client = app.test_client()
    sign_in(client, "cam@camden.example.org")
    draft = world["ours"]  # not published in this test
    for action in ("withdraw", "cancel"):
        response = post(client, f"/buyer/opportunities/{draft.id}/{action}", {"reason": REASON})
        assert response.status_code == 303
        assert item(app, draft.id).status == Status.DRAFT
    assert _notices(app) == []


@pytest.mark.parametrize("action", ["withdraw", "cancel"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_buyers_item_is_not_found(app, camden, world, action, method):
    url = f"/buyer/opportunities/{world['theirs'].id}/{action}"
    response = camden.get(url) if method == "get" else post(camden, url, {"reason": REASON})
    assert response.status_code == 404
    theirs = item(app, world["theirs"].id)
    assert (theirs.status, theirs.stage) == (Status.PUBLISHED, Stage.ENGAGEMENT)


@pytest.mark.parametrize("action", ["withdraw", "cancel"])
def test_suppliers_and_signed_out_people_cannot_withdraw_or_cancel(app, world, action):
    url = f"/buyer/opportunities/{world['other'].id}/{action}"
    signed_out = app.test_client()
    assert signed_out.get(url).status_code == 302
    assert post(signed_out, url, {"reason": REASON}).status_code == 302
    make_supplier(app)
    supplier = app.test_client()
    sign_in(supplier)
    assert supplier.get(url).status_code in (302, 403)
    assert post(supplier, url, {"reason": REASON}).status_code in (302, 403)
    assert item(app, world["other"].id).status == Status.PUBLISHED and _notices(app) == []


def test_an_item_withdrawn_before_reasons_were_kept_is_gone_without_one(app, world):
    with Session(app.extensions["engine"]) as session:
        make_opportunity(session, session.get(Opportunity, world["other"].id).buyer, slug="old-one",
                         title="Old withdrawn one", status=Status.WITHDRAWN)
    response = app.test_client().get("/opportunities/old-one")
    assert response.status_code == 410
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Old withdrawn one" and page.select_one("#stop-notice") is None
    assert app.test_client().get("/opportunities/old-one/ocds.json").status_code == 404
