"""Every shape of page at 320 x 640, public and signed in as a supplier, a buyer and an administrator: no page
scrolls sideways (tables reflow or scroll inside their own box), and nothing reached with the Tab key is hidden or
covered. Every page the portal serves is either visited here or named in NOT_PAGES, so a new page cannot be missed."""

import re
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from portal.models import KPI, Award, EventKind, Opportunity, Organisation, PartnerMessage, User
from portal.services import accounts, events, partner_messages, voice, voice_moderation
from tests.conftest import TODAY
from tests.factories import make_interest
from tests.web.helpers import PASSWORD, make_buyer_user, make_supplier

PHONE = {"width": 320, "height": 640}
TAB_STOPS = 40  # enough to pass the header, the navigation and the first part of the page

# Endpoints that are not pages a person reads: files, feeds, data, redirects, and links that only work once.
NOT_PAGES = {
    "static", "health.health", "data.openapi", "data.api_opportunities", "data.api_opportunity", "data.releases",
    "data.release", "data.opportunities_csv", "search.feed", "events.calendar", "buyer.interest_csv",
    "buyer.event_bookings_csv", "buyer.pipeline_example",
}

PUBLIC = [
    "/", "/opportunities", "/opportunities/kent-rural-home-care", "/opportunities/dfe-school-building-decarbonisation",
    "/opportunities/kent-low-carbon-road-repairs", "/opportunities/camden-estate-green-spaces-after-dark", "/missions", "/missions/camden-food", "/buyers", "/buyers/kent",
    "/guidance", "/guidance/how-to-work-with-us", "/guidance/glossary", "/search", "/search?q=older+peple",
    "/data", "/sign-up", "/sign-in", "/password-reset", "/password-reset/not-a-real-link",
    "/confirm-email/not-a-real-link", "/join/not-a-real-link", "/no-such-page", "/residents/sign-up",
    "/draft-preview/not-a-real-link",
]


@pytest.fixture(scope="module")
def world(content_app):
    """A supplier who has registered interest and writes to a partner, a buyer with an event, and an administrator."""
    engine = content_app.extensions["engine"]
    with Session(engine, expire_on_commit=False) as session:
        kent = session.exec(select(Organisation).where(Organisation.slug == "kent")).one()
        item = session.exec(select(Opportunity).where(Opportunity.slug == "kent-rural-home-care")).one()
    supplier = make_supplier(content_app, email="phone-supplier@example.org", organisation="Pocket Care CIC")
    partner = make_supplier(content_app, email="phone-partner@example.org", organisation="Small Screen Carers")
    make_buyer_user(content_app, kent, "phone-buyer@kent.example.org")
    with Session(engine) as session:
        camden = session.exec(select(Organisation).where(Organisation.slug == "camden")).one()
        awarded = session.exec(select(Opportunity).where(Opportunity.slug == "camden-estate-green-spaces-after-dark")).one()
        award = session.exec(select(Award).where(Award.opportunity_id == awarded.id)).first()
        kpi = session.exec(select(KPI).where(KPI.award_id == award.id)).first()
        awarded_ids = {"opportunity": awarded.id, "award": award.id, "kpi": kpi.id}
    make_buyer_user(content_app, camden, "phone-buyer@camden.example.org")
    with content_app.app_context(), Session(engine, expire_on_commit=False) as session:
        accounts.create_admin(session, "phone-admin@example.org", "Ada Admin", PASSWORD)
        item = session.get(Opportunity, item.id)
        make_interest(session, item, partner, open_to_partnering=True, listed_publicly=True)
        make_interest(session, item, supplier)
        conversation = partner_messages.start(session, item, supplier, session.get(Organisation, partner.organisation_id),
                                              "Could we bid together for the east Kent lot?")
        session.commit()
        starts = datetime(2027, 1, 12, 10, tzinfo=timezone.utc)
        event = events.create_event(session, item, kind=EventKind.WEBINAR, title="Carers' support: questions answered",
                                    starts_at=starts, ends_at=starts + timedelta(hours=1), capacity=40,
                                    booking_deadline=starts - timedelta(days=1), online_link="https://meet.example.org/x")
        partner_slug = session.get(Organisation, partner.organisation_id).slug
        resident = accounts.sign_up_resident(session, "Jo", "phone-resident@example.org", PASSWORD)
        resident.email_confirmed_at = resident.created_at
        session.commit()
        said = voice.contribute(session, resident, voice.Subject(opportunity=item),
                                "My mum waited six weeks for a carer after she came home from hospital.", TODAY)
        buyer = session.exec(select(User).where(User.email == "phone-buyer@kent.example.org")).one()
        voice_moderation.approve(session, said, buyer, show_name=True)
        message_id = session.exec(select(PartnerMessage.id).where(PartnerMessage.conversation_id == conversation.id)).first()
    return {"item": item, "event": event.id, "conversation": conversation.id, "partner_slug": partner_slug,
            "message_id": message_id, "contribution": said.id, "awarded": awarded_ids}


def supplier_pages(world) -> list[str]:
    item = world["item"]
    return ["/dashboard", "/organisation", "/organisation/invite", f"/opportunities/{item.slug}",
             f"/opportunities/{item.slug}/meetings", f"/opportunities/{item.slug}/partners/{world['partner_slug']}/message",
             "/saved-searches/new?q=carers", "/messages", f"/messages/{world['conversation']}",
             f"/messages/{world['conversation']}/report/{world['message_id']}", f"/events/{world['event']}"]


def buyer_pages(world) -> list[str]:
    item = f"/buyer/opportunities/{world['item'].id}"
    return ["/buyer", item, f"{item}/edit", f"{item}/bidding", f"{item}/changes", f"{item}/close", f"{item}/preview",
            f"{item}/responses", f"{item}/meetings", f"{item}/events/new", f"{item}/withdraw", f"{item}/cancel",
            f"{item}/review", "/buyer/staff", "/buyer/residents", f"/buyer/residents/{world['contribution']}",
            f"/buyer/residents/opportunities/{world['item'].id}/what-changed",
            f"/buyer/events/{world['event']}/bookings", "/buyer/opportunities/new/problem-statement",
            "/buyer/opportunities/new/innovation-challenge", "/buyer/opportunities/new/pipeline-item",
            "/buyer/pipeline", "/buyer/settings"]


def award_pages(world) -> list[str]:
    awarded = world["awarded"]
    return [f"/buyer/opportunities/{awarded['opportunity']}/award", f"/buyer/awards/{awarded['award']}",
            f"/buyer/awards/{awarded['award']}/kpis/new", f"/buyer/kpis/{awarded['kpi']}/results/new"]


def resident_pages(world) -> list[str]:
    return ["/residents", f"/opportunities/{world['item'].slug}", f"/opportunities/{world['item'].slug}/what-it-means-to-me",
            f"/residents/comments/{world['contribution']}/report"]


ADMIN = ["/admin", "/admin/buyers/new", "/admin/buyers/kent/invite", "/admin/reported-messages"]


def sign_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out", include_hidden=True)).to_be_attached()


HIDDEN_FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const box = element.getClientRects()[0] || element.getBoundingClientRect();  // a link's first line
  const name = `${element.tagName.toLowerCase()}#${element.id} "${(element.textContent || element.value || "").trim().slice(0, 40)}"`;
  if (box.width === 0 || box.height === 0) return `${name} has no size`;
  const x = Math.min(Math.max(box.left + box.width / 2, 0), window.innerWidth - 1);
  const y = Math.min(Math.max(box.top + Math.min(box.height, 20) / 2, 0), window.innerHeight - 1);
  if (box.bottom < 0 || box.top > window.innerHeight || box.right < 0 || box.left > window.innerWidth)
    return `${name} is off the screen`;
  const seen = document.elementFromPoint(x, y);
  if (seen && !element.contains(seen) && !seen.contains(element) && !(element.labels && [...element.labels].some(l => l.contains(seen))))
    return `${name} is covered by ${seen.tagName.toLowerCase()}.${seen.className}`;
  return null;
}"""


def check_page(page: Page, path: str) -> list[str]:
    """What is wrong with one page at 320 pixels: its width, and any focused element that cannot be seen."""
    page.goto(path)
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{path} is {width} px wide")
    for _ in range(TAB_STOPS):
        page.keyboard.press("Tab")
        hidden = page.evaluate(HIDDEN_FOCUS)
        if hidden:
            problems.append(f"{path}: {hidden}")
            break
    return problems


def visit_all(page: Page, paths: list[str]) -> list[str]:
    page.set_viewport_size(PHONE)
    return [problem for path in paths for problem in check_page(page, path)]


# Who signs in (None: nobody) and which pages they see.
VISITORS = {
    "public": (None, lambda world: PUBLIC),
    "supplier": ("phone-supplier@example.org", supplier_pages),
    "buyer": ("phone-buyer@kent.example.org", buyer_pages),
    "buyer with an award": ("phone-buyer@camden.example.org", award_pages),
    "resident": ("phone-resident@example.org", resident_pages),
    "administrator": ("phone-admin@example.org", lambda world: ADMIN),
}


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_page_fits_a_phone(page: Page, world, visitor):
    email, pages = VISITORS[visitor]
    if email:
        sign_in(page, email)
    problems = visit_all(page, pages(world))
    assert problems == [], "\n".join(problems)


def test_every_page_is_checked_here(content_app):
    """Only the addresses matter here, so the world's ids and slugs are stand-ins (no fixture to set up twice)."""
    world = {"item": SimpleNamespace(id=1, slug="an-item"), "event": 1, "conversation": 1, "partner_slug": "a-partner",
             "message_id": 1, "contribution": 1, "awarded": {"opportunity": 1, "award": 1, "kpi": 1}}
    adapter = content_app.url_map.bind("localhost")
    visited = {adapter.match(path.split("?")[0])[0] for _email, pages in VISITORS.values() for path in pages(world)
               if path != "/no-such-page"}
    pages = {rule.endpoint for rule in content_app.url_map.iter_rules() if "GET" in rule.methods}
    assert pages - NOT_PAGES - visited == set(), "add these pages to a list above, or to NOT_PAGES with a reason"


def test_the_home_page_on_a_phone_offers_search_first_and_closing_dates_soon_after(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/")
    search = page.locator("#header-q")
    closing = page.get_by_role("heading", name="Closing soon")
    assert search.bounding_box()["y"] < PHONE["height"], "the search box is on the first screen"
    assert closing.bounding_box()["y"] < 5 * PHONE["height"], "closing dates are a few screens down, not ten"
    assert page.locator(".portal-home-newest .portal-card:visible").count() == 2
    search.fill("older people")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=older\+people"))
