"""A published item's edits wait as a pending change: the public sees the last published version (page, search, API,
OCDS) until the buyer checks the change in words and publishes it. Followers hear once per published change."""

import json

import pytest
from sqlmodel import Session, select

from portal.models import Follow, Notification, Opportunity, OpportunityVersion
from portal.search import SearchQuery
from tests.conftest import TODAY
from tests.factories import make_buyer, make_mission
from tests.web.conftest import soup
from tests.web.helpers import make_buyer_user, make_supplier, post, sign_in
from tests.web.test_buyers import GOOD_BRIEF

NEW_OUTCOMES = "Nobody over 75 goes a week without a visit."


@pytest.fixture
def world(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        kent = make_buyer(session, slug="kent", name="Kent County Council", org_type="county-council", region="TLJ")
        make_mission(session, owner=camden, slug="food", short_title="Food")
    make_buyer_user(app, camden, "cam@camden.example.org")
    make_buyer_user(app, kent, "kim@kent.example.org")
    return {"camden": camden, "kent": kent}


def signed_in(app, email):
    client = app.test_client()
    sign_in(client, email)
    return client


@pytest.fixture
def cam(app, world):
    return signed_in(app, "cam@camden.example.org")


@pytest.fixture
def published(app, cam) -> Opportunity:
    response = post(cam, "/buyer/opportunities/new/problem-statement", GOOD_BRIEF)
    opportunity_id = int(response.headers["Location"].split("/")[3])
    assert post(cam, f"/buyer/opportunities/{opportunity_id}/publish").status_code == 303
    return stored(app, opportunity_id)


def stored(app, opportunity_id) -> Opportunity:
    with Session(app.extensions["engine"]) as session:
        return session.get(Opportunity, opportunity_id)


def edit(client, item, **changes):
    response = post(client, f"/buyer/opportunities/{item.id}/edit", {**GOOD_BRIEF, **changes})
    assert response.status_code == 303, soup(response).select_one(".govuk-error-summary")
    return response


def public_views(app, client, item) -> dict:
    """What the public can read of the item, everywhere it is published."""
    return {
        "page": soup(client.get(f"/opportunities/{item.slug}")).select_one("main").get_text(" ", strip=True),
        "search": app.extensions["search"].search(SearchQuery(text="forgotten"), TODAY).ids,
        "api": json.dumps(client.get(f"/api/opportunities/{item.slug}").get_json(), sort_keys=True),
        "ocds": json.dumps(client.get(f"/opportunities/{item.slug}/ocds.json").get_json()["releases"][0]["tender"],
                           sort_keys=True),
    }


def test_editing_a_published_item_changes_nothing_public_until_the_change_is_published(app, client, cam, published):
    before = public_views(app, client, published)
    edit(cam, published, title="Help older people feel less forgotten", engagement_closes="2027-02-26",
         outcomes_wanted=NEW_OUTCOMES, regions=["TLI", "TLD"])

    assert public_views(app, client, published) == before
    assert "forgotten" not in before["page"] and "31 January 2027" in before["page"]
    preview = soup(cam.get(f"/buyer/opportunities/{published.id}/preview"))
    assert preview.h1.get_text(strip=True) == "Help older people feel less forgotten", "the buyer sees the draft"
    assert "You have changes that are not published yet" in preview.select_one("#pending").get_text()
    form = soup(cam.get(f"/buyer/opportunities/{published.id}/edit"))
    assert form.select_one("#title")["value"] == "Help older people feel less forgotten"
    assert form.select_one("#pending") is not None
    assert [v.number for v in rows(app, OpportunityVersion)] == [1]

    review = soup(cam.get(f"/buyer/opportunities/{published.id}/changes"))
    assert [li.get_text() for li in review.select("#changes-to-publish li")] == [
        "The title changed from \u201cHelp older people feel less lonely\u201d to "
        "\u201cHelp older people feel less forgotten\u201d",
        "The section \u2018Outcomes we want\u2019 was rewritten",
        "The closing date moved from 31 January 2027 to 26 February 2027",
        "Regions: added North West",
    ]
    assert public_views(app, client, published) == before, "looking at the question changes nothing"
    response = post(cam, f"/buyer/opportunities/{published.id}/changes")
    assert response.status_code == 303

    after = public_views(app, client, published)
    assert all(after[view] != before[view] for view in after)
    assert "forgotten" in after["api"] and "forgotten" in after["ocds"] and after["search"] == [published.id]
    log = soup(client.get(f"/opportunities/{published.slug}")).select_one("#change-log")
    assert "The closing date moved from 31 January 2027 to 26 February 2027" in log.get_text()
    view = log.select_one("details")
    assert "Outcomes we want" in view.summary.get_text()
    assert view.select_one("del").get_text().strip() == "Fewer people feel lonely."
    assert view.select_one("ins").get_text().strip() == NEW_OUTCOMES
    assert stored(app, published.id).pending is None
    assert soup(cam.get(f"/buyer/opportunities/{published.id}/preview")).select_one("#pending") is None


def rows(app, model):
    with Session(app.extensions["engine"]) as session:
        return session.exec(select(model)).all()


def test_the_change_log_shows_typed_html_as_text(app, client, cam, published):
    edit(cam, published, outcomes_wanted="<script>alert(1)</script> & more")
    post(cam, f"/buyer/opportunities/{published.id}/changes")
    response = client.get(f"/opportunities/{published.slug}")
    view = soup(response).select_one("#change-log details")
    assert view.select_one("script") is None and "<script>alert(1)</script>" in view.select_one("ins").get_text()


def test_followers_get_one_notice_per_published_change_listing_every_change(app, cam, published):
    supplier = make_supplier(app)
    with Session(app.extensions["engine"]) as session:
        session.add(Follow(user_id=supplier.id, opportunity_id=published.id))
        session.commit()
    edit(cam, published, stage="tender")
    edit(cam, published, stage="tender", value_max="120000")
    assert rows(app, Notification) == [], "saving tells nobody"
    review = soup(cam.get(f"/buyer/opportunities/{published.id}/changes"))
    assert "1 person follows this opportunity" in review.get_text()
    post(cam, f"/buyer/opportunities/{published.id}/changes")
    post(cam, f"/buyer/opportunities/{published.id}/changes")  # sent twice: nothing more is pending

    [notice] = [n for n in rows(app, Notification) if n.user_id == supplier.id]
    assert notice.details == (
        "The stage changed from \u201cTalking to the market\u201d to \u201cOpen for bids\u201d.\n"
        "The value changed from £20,000 to £80,000 in total to £20,000 to £120,000 in total.")
    assert [v.number for v in rows(app, OpportunityVersion)] == [1, 2]


def test_a_pending_change_can_be_discarded(app, client, cam, published):
    edit(cam, published, title="Help older people feel less forgotten")
    response = post(cam, f"/buyer/opportunities/{published.id}/changes/discard")
    assert response.status_code == 303
    assert "Your changes are discarded" in soup(cam.get(response.headers["Location"])).get_text()
    item = stored(app, published.id)
    assert item.pending is None and item.title == "Help older people feel less lonely"
    form = soup(cam.get(f"/buyer/opportunities/{published.id}/edit"))
    assert form.select_one("#title")["value"] == "Help older people feel less lonely"
    again = post(cam, f"/buyer/opportunities/{published.id}/changes/discard")
    assert "There were no changes to discard" in soup(cam.get(again.headers["Location"])).get_text()
    assert [v.number for v in rows(app, OpportunityVersion)] == [1]


def test_with_nothing_pending_there_is_nothing_to_publish(app, cam, published):
    response = cam.get(f"/buyer/opportunities/{published.id}/changes")
    assert response.status_code == 303
    assert "There are no changes to publish" in soup(cam.get(response.headers["Location"])).get_text()
    assert post(cam, f"/buyer/opportunities/{published.id}/changes").status_code == 303
    assert [v.number for v in rows(app, OpportunityVersion)] == [1]


def test_a_draft_never_published_still_saves_directly(app, cam):
    response = post(cam, "/buyer/opportunities/new/problem-statement", GOOD_BRIEF)
    opportunity_id = int(response.headers["Location"].split("/")[3])
    draft = stored(app, opportunity_id)
    edit(cam, draft, title="Lunch clubs")
    item = stored(app, opportunity_id)
    assert (item.title, item.pending) == ("Lunch clubs", None)
    assert soup(cam.get(f"/buyer/opportunities/{opportunity_id}/preview")).select_one("#pending") is None


def test_publishing_or_discarding_needs_the_form_token(app, cam, published):
    edit(cam, published, title="Help older people feel less forgotten")
    for path in ("changes", "changes/discard"):
        assert cam.post(f"/buyer/opportunities/{published.id}/{path}").status_code == 400
    assert stored(app, published.id).title == "Help older people feel less lonely"
    assert stored(app, published.id).pending is not None


def test_other_organisations_suppliers_and_strangers_cannot_see_or_publish_a_pending_change(app, client, cam,
                                                                                             published):
    edit(cam, published, title="Help older people feel less forgotten")
    kim = signed_in(app, "kim@kent.example.org")
    for path in ("changes", "preview", "edit"):
        assert kim.get(f"/buyer/opportunities/{published.id}/{path}").status_code == 404
    for path in ("changes", "changes/discard"):
        assert post(kim, f"/buyer/opportunities/{published.id}/{path}").status_code == 404
    make_supplier(app)
    amy = signed_in(app, "amy@example.org")
    assert amy.get(f"/buyer/opportunities/{published.id}/changes").status_code == 403
    assert post(amy, f"/buyer/opportunities/{published.id}/changes").status_code == 403
    assert client.get(f"/buyer/opportunities/{published.id}/changes").status_code == 302
    assert "forgotten" not in client.get(f"/opportunities/{published.slug}").get_data(as_text=True)
    item = stored(app, published.id)
    assert item.title == "Help older people feel less lonely" and item.pending is not None
    assert post(cam, "/buyer/opportunities/999999/changes").status_code == 404
