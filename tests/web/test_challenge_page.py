"""The public page of an opportunity shows everything the buyer entered, and an innovation challenge is entered there
with a real form that says when entries close."""

from datetime import date

import pytest
from sqlmodel import Session

from portal.models import OpportunityKind, Stage
from portal.services import market_questions
from portal.services.market_questions import QuestionValues
from tests.factories import make_buyer, make_opportunity
from tests.web.conftest import soup
from tests.web.helpers import make_supplier, post, sign_in

PHASES = [dict(name="Scale", starts_on=date(2027, 9, 1), ends_on=date(2028, 3, 31), funding=250_000),
          dict(name="Discovery", starts_on=date(2027, 2, 1), ends_on=date(2027, 4, 30), funding=20_000),
          dict(name="Pilot", starts_on=date(2027, 5, 1), ends_on=date(2027, 8, 31))]


@pytest.fixture
def challenge(app):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        item = make_opportunity(session, camden, slug="quiet-streets", title="Quieter streets challenge",
                                kind=OpportunityKind.INNOVATION_CHALLENGE, engagement_closes_on=date(2027, 1, 15),
                                phases=PHASES)
        market_questions.sync(session, item.id, [QuestionValues("What is your idea?", 300)])
        session.commit()
    return item


def set_fields(app, slug: str, **fields):
    from portal.models import Opportunity
    from sqlmodel import select
    with Session(app.extensions["engine"]) as session:
        item = session.exec(select(Opportunity).where(Opportunity.slug == slug)).one()
        for name, value in fields.items():
            setattr(item, name, value)
        session.add(item)
        session.commit()


def test_the_timeline_shows_each_phase_in_date_order_with_dates_and_funding(client, challenge):
    page = soup(client.get("/opportunities/quiet-streets"))
    steps = page.select(".portal-timeline__step")
    titles = [step.select_one(".portal-timeline__title").get_text() for step in steps]
    assert titles[-3:] == ["Phase 1: Discovery", "Phase 2: Pilot", "Phase 3: Scale"]
    assert steps[-3].select_one(".portal-timeline__detail").get_text() == \
        "1 February 2027 to 30 April 2027. Funding or prize: £20,000."
    assert [s.select_one(".portal-timeline__state").get_text() for s in steps].count("Now") == 1


def test_a_running_phase_is_marked_now(app, client, challenge):
    set_fields(app, "quiet-streets", stage=Stage.AWARDED)
    app.config["TODAY"] = date(2027, 6, 1)
    page = soup(client.get("/opportunities/quiet-streets"))
    now = page.select_one(".portal-timeline__step--now .portal-timeline__title").get_text()
    assert now == "Phase 2: Pilot"


def test_a_supplier_enters_the_challenge_with_a_labelled_form(app, client, challenge):
    make_supplier(app)
    sign_in(client)
    page = soup(client.get("/opportunities/quiet-streets"))
    assert page.select_one("#your-interest").get_text() == "Enter the challenge"
    assert "Entries close at the end of 15 January 2027." in page.select_one("#entries-close").get_text()
    assert page.find("button", string="Send your entry") is not None
    assert page.find("button", string="Send to the buyer") is None
    assert "Your answers are your entry." in page.select_one("#take-part").find_next("form").get_text()
    assert "What is your idea?" in page.select_one("#take-part").find_next("form").get_text()


def test_sending_an_entry_says_entry(app, client, challenge):
    make_supplier(app)
    sign_in(client)
    with Session(app.extensions["engine"]) as session:
        [question] = market_questions.current(session, challenge.id)
    draft = post(client, "/opportunities/quiet-streets/interest",
                 {f"answer_{question.id}": "A quiet-hours app.", "action": "draft"}, follow_redirects=True)
    assert "until you choose \u201cSend your entry\u201d" in soup(draft).select_one(".govuk-notification-banner").get_text()
    sent = post(client, "/opportunities/quiet-streets/interest",
                {f"answer_{question.id}": "A quiet-hours app.", "action": "send"}, follow_redirects=True)
    assert "Your entry has been sent to Camden Council." in soup(sent).select_one(".govuk-notification-banner").get_text()
    assert soup(sent).select_one("#your-interest").get_text() == "Your entry"
    assert soup(sent).find("button", string="Send changes to your entry") is not None


def test_signed_out_visitors_are_asked_to_sign_in_to_enter(client, challenge):
    page = soup(client.get("/opportunities/quiet-streets"))
    assert "to enter the challenge" in page.select_one("#take-part").find_next("div", class_="govuk-inset-text").get_text()
    assert "form below" not in page.select_one("#entries-close").get_text(), "there is no form for them"


def test_after_closing_it_says_entries_have_closed_and_has_no_form(app, client, challenge):
    make_supplier(app)
    sign_in(client)
    app.config["TODAY"] = date(2027, 1, 16)
    page = soup(client.get("/opportunities/quiet-streets"))
    closed = page.select_one("#engagement-closed")
    assert "Entries have closed" in closed.get_text() and "Entries closed on 15 January 2027." in closed.get_text()
    assert page.find("button", string="Send your entry") is None
    assert page.select_one("#entries-close") is None


def test_a_challenge_at_the_tender_stage_is_not_entered_here(app, client, challenge):
    set_fields(app, "quiet-streets", stage=Stage.TENDER)
    page = soup(client.get("/opportunities/quiet-streets"))
    assert "Entries have closed" not in page.get_text()
    assert "Engagement has closed" in page.select_one("#engagement-closed").get_text()


def test_other_kinds_keep_register_interest(app, client):
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        make_opportunity(session, make_buyer(session, slug="kent", name="Kent"), slug="plain-one")
    make_supplier(app)
    sign_in(client)
    page = soup(client.get("/opportunities/plain-one"))
    assert page.select_one("#your-interest").get_text() == "Register your interest"
    assert page.select_one("#entries-close") is None and page.find("button", string="Send to the buyer")


def test_likely_route_and_contract_length_are_shown(app, client, challenge):
    set_fields(app, "quiet-streets", likely_route="open procedure under the <b>Procurement Act</b>",
               contract_length_months=18)
    page = soup(client.get("/opportunities/quiet-streets"))
    assert page.select_one("#likely-route").get_text() == "Open procedure under the <b>Procurement Act</b>"
    assert page.select_one("#contract-length").get_text() == "18 months"


def test_no_route_no_length_no_empty_rows(client, challenge):
    page = soup(client.get("/opportunities/quiet-streets"))
    assert page.select_one("#likely-route") is None and page.select_one("#contract-length") is None


def test_blank_sections_have_no_heading(app, client, challenge):
    set_fields(app, "quiet-streets", body_md="  \n", why_md="", brief_answers={"problem": "", "eligibility": " "})
    page = soup(client.get("/opportunities/quiet-streets"))
    headings = [h.get_text().strip() for h in page.select("h2, h3")]
    for empty in ("The brief", "Why we are buying this", "Mission outcomes it works towards", "Missions it serves"):
        assert empty not in headings


def test_every_answered_section_of_a_saved_brief_is_shown(app, client):
    from tests.web.test_buyers import CHALLENGE
    from tests.web.helpers import make_buyer_user
    from tests.factories import make_mission
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        camden = make_buyer(session, slug="camden", name="Camden Council")
        make_mission(session, owner=camden, slug="food", short_title="Food")
    make_buyer_user(app, camden, "cam@camden.example.org")
    sign_in(client, "cam@camden.example.org")
    sent = {**CHALLENGE, "constraints": "", "phase_notes": "Three teams go on to the pilot.",
            "likely_route": "a competitive flexible procedure", "contract_length_months": "24"}
    response = post(client, "/buyer/opportunities/new/innovation-challenge", sent)
    assert response.status_code == 303
    opportunity_id = int(response.headers["Location"].split("/")[3])
    post(client, f"/buyer/opportunities/{opportunity_id}/publish")
    post(client, "/sign-out")
    from portal.models import Opportunity
    with Session(app.extensions["engine"]) as session:
        slug = session.get(Opportunity, opportunity_id).slug
    page = soup(client.get(f"/opportunities/{slug}"))
    headings = [h.get_text().strip() for h in page.select("h2, h3")]
    for heading in ("The problem", "Who it affects", "Outcomes we want", "About the phases", "Eligibility",
                    "How to enter", "How we will judge entries", "The brief", "Phases"):
        assert heading in headings, heading
    assert "Constraints" not in headings, "left blank, so no heading"
    assert page.select_one("#likely-route").get_text() == "A competitive flexible procedure"
    assert page.select_one("#contract-length").get_text() == "2 years"
    assert "Three teams go on to the pilot." in page.get_text()


def test_seeded_challenges_say_what_the_page_offers(content_app):
    """A seeded challenge that is entered on its page names the form as the page does; none claims a form that is
    not there."""
    from sqlmodel import select
    from portal.models import Opportunity
    from portal.web.opportunity_page import takes_entries
    with Session(content_app.extensions["engine"]) as session:
        challenges = session.exec(select(Opportunity).where(
            Opportunity.kind == OpportunityKind.INNOVATION_CHALLENGE)).all()
        entered_here = [(c.slug, c.body_md) for c in challenges if takes_entries(c) and c.stage == Stage.ENGAGEMENT]
        all_bodies = [c.body_md for c in challenges]
    assert entered_here
    for slug, body in entered_here:
        assert "Enter the challenge in the Take part section" in body, slug
    for body in all_bodies:
        assert "Register your interest" not in body and "use the form on this page" not in body.lower()
    client = content_app.test_client()
    page = soup(client.get(f"/opportunities/{entered_here[0][0]}"))
    assert "to enter the challenge" in page.get_text()
