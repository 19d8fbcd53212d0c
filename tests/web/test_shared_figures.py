"""What every visitor sees alike (the search filters' choices, the home page) is read once per process, again at
once after this process commits a change to the catalogue, and within the minute after another process does."""

from bs4 import BeautifulSoup
from sqlalchemy import text
from sqlmodel import Session, select

from datetime import date, datetime, timezone

from portal.services import search as search_service
from portal.services import opportunities as opportunity_service
from portal.services import shared_figures
from portal.models import Opportunity, Status
from tests.factories import make_buyer, make_opportunity


def buyer_options(client) -> list[str]:
    page = BeautifulSoup(client.get("/search").get_data(as_text=True), "html.parser")
    return [option.get_text() for option in page.select("#buyer option")]


def test_choices_are_read_once_while_nothing_changes(client, session, monkeypatch):
    make_opportunity(session, make_buyer(session, slug="leeds", name="Leeds City Council"))
    buyer_options(client)
    reads = []
    real = search_service._read_choices
    monkeypatch.setattr(search_service, "_read_choices", lambda s: reads.append(1) or real(s))
    buyer_options(client)
    buyer_options(client)
    assert reads == []


def test_a_new_buyer_shows_at_once(client, session):
    make_buyer(session, slug="leeds", name="Leeds City Council")
    assert any("Leeds" in option for option in buyer_options(client))
    make_buyer(session, slug="york", name="City of York Council")
    assert any("York" in option for option in buyer_options(client))


def test_a_change_from_another_process_shows_once_the_copy_is_old(app, client, session, monkeypatch):
    make_buyer(session, slug="leeds", name="Leeds City Council")
    assert any("Leeds City Council" in option for option in buyer_options(client))
    with app.extensions["engine"].begin() as connection:  # not through a session: no other process's flush is seen
        connection.execute(text("UPDATE organisation SET name = 'Leeds Council' WHERE slug = 'leeds'"))
    assert any("Leeds City Council" in option for option in buyer_options(client)), "still the copy"
    app.config["KEPT_PAGES_SECONDS"] = 0
    assert any(option.startswith("Leeds Council") for option in buyer_options(client))


def home(client) -> BeautifulSoup:
    return BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")


def test_the_home_page_is_read_once_while_nothing_changes(client, session, monkeypatch):
    make_opportunity(session, make_buyer(session), title="Warm homes for older residents")
    home(client)
    reads = []
    real = opportunity_service.open_counts
    monkeypatch.setattr(opportunity_service, "open_counts", lambda *args: reads.append(1) or real(*args))
    assert "Warm homes for older residents" in home(client).get_text()
    home(client)
    assert reads == []


def test_a_newly_published_opportunity_is_on_the_home_page_at_once(client, session):
    buyer = make_buyer(session)
    make_opportunity(session, buyer, title="Warm homes for older residents")
    assert "1 opportunity is open for ideas" in " ".join(home(client).select_one("#open-counts").get_text().split())
    make_opportunity(session, buyer, title="School meals from local farms")
    page = home(client)
    assert "School meals from local farms" in page.get_text()
    assert "2 opportunities are open for ideas" in " ".join(page.select_one("#open-counts").get_text().split())


def test_a_withdrawn_opportunity_leaves_the_home_page_at_once(client, session):
    opportunity = make_opportunity(session, make_buyer(session), title="Warm homes for older residents")
    assert "Warm homes for older residents" in home(client).get_text()
    opportunity.status = "draft"
    session.add(opportunity)
    session.commit()
    assert "Warm homes for older residents" not in home(client).get_text()


def test_a_change_rolled_back_keeps_the_home_page(client, session, monkeypatch):
    opportunity = make_opportunity(session, make_buyer(session), title="Warm homes for older residents")
    home(client)
    opportunity.title = "Never saved"
    session.add(opportunity)
    session.flush()
    session.rollback()
    reads = []
    real = opportunity_service.open_counts
    monkeypatch.setattr(opportunity_service, "open_counts", lambda *args: reads.append(1) or real(*args))
    assert "Warm homes for older residents" in home(client).get_text()
    assert reads == []


def test_the_home_page_is_read_again_on_a_new_day(app, client, session):
    make_opportunity(session, make_buyer(session), title="Warm homes for older residents",
                     engagement_closes_on=date(2026, 12, 15))
    app.config["TODAY"] = date(2026, 12, 10)
    assert "Warm homes for older residents" in home(client).select_one(".govuk-list--spaced").get_text()
    app.config["TODAY"] = date(2026, 12, 16)  # engagement closed yesterday: no longer closing soon
    assert home(client).select_one(".govuk-list--spaced") is None


def test_a_change_from_another_process_reaches_the_home_page_once_the_copy_is_old(app, client, session, monkeypatch):
    make_opportunity(session, make_buyer(session), slug="warm-homes", title="Warm homes for older residents")
    assert "Warm homes for older residents" in home(client).get_text()
    with app.extensions["engine"].begin() as connection:
        connection.execute(text("UPDATE opportunity SET title = 'Warm homes for everyone' WHERE slug = 'warm-homes'"))
    assert "Warm homes for older residents" in home(client).get_text(), "still the copy"
    app.config["KEPT_PAGES_SECONDS"] = 0
    assert "Warm homes for everyone" in home(client).get_text()


def opportunity_page(client, slug: str = "warm-homes"):
    response = client.get(f"/opportunities/{slug}")
    return response.status_code, BeautifulSoup(response.get_data(as_text=True), "html.parser")


def count_page_reads(monkeypatch) -> list:
    """Counts each time an opportunity's page is put together, whoever asks."""
    from portal.web import opportunities as opportunity_views
    from portal.web import opportunity_page
    reads = []
    real = opportunity_page.page_of
    counting = lambda *args: reads.append(1) or real(*args)  # noqa: E731
    monkeypatch.setattr(opportunity_page, "page_of", counting)
    monkeypatch.setattr(opportunity_views, "page_of", counting)
    return reads


def test_an_opportunity_page_is_kept_for_visitors_not_signed_in(client, session, monkeypatch):
    make_opportunity(session, make_buyer(session), slug="warm-homes", title="Warm homes for older residents")
    status, page = opportunity_page(client)
    assert status == 200 and page.select_one("h1").get_text(strip=True) == "Warm homes for older residents"
    reads = count_page_reads(monkeypatch)
    status, again = opportunity_page(client)
    assert status == 200 and reads == []
    assert again.select_one("main").get_text() == page.select_one("main").get_text()
    assert again.title.get_text() == page.title.get_text()


def test_a_change_of_any_kind_reaches_the_kept_page_at_once(client, session):
    from portal.models import EngagementEvent
    opportunity = make_opportunity(session, make_buyer(session), slug="warm-homes")
    assert "Meet the buyer in Leeds" not in opportunity_page(client)[1].get_text()
    event = EngagementEvent(opportunity_id=opportunity.id, kind="webinar", title="Meet the buyer in Leeds",
                            description="An hour online.", starts_at=datetime(2026, 12, 20, 10, tzinfo=timezone.utc),
                            ends_at=datetime(2026, 12, 20, 11, tzinfo=timezone.utc), capacity=30,
                            booking_deadline=datetime(2026, 12, 19, 17, tzinfo=timezone.utc))
    session.add(event)
    session.commit()
    assert "Meet the buyer in Leeds" in opportunity_page(client)[1].get_text()


def test_a_withdrawn_opportunity_is_gone_at_once_for_visitors_not_signed_in(client, session):
    opportunity = make_opportunity(session, make_buyer(session), slug="warm-homes")
    assert opportunity_page(client)[0] == 200
    session.delete(opportunity)
    session.commit()
    assert opportunity_page(client)[0] == 404


def test_signed_in_suppliers_see_their_own_page_not_the_kept_one(app, client, session, monkeypatch):
    from tests.web.helpers import make_supplier, sign_in
    make_opportunity(session, make_buyer(session), slug="warm-homes")
    make_supplier(app)
    sign_in(client)
    client.get("/")  # shows, and so clears, "You are signed in"
    opportunity_page(app.test_client())  # kept for visitors not signed in
    reads = count_page_reads(monkeypatch)
    status, page = opportunity_page(client)
    assert status == 200 and reads == [1]
    assert page.select_one('form[action$="/interest"]') is not None, "the supplier's own interest form"
    status, page = opportunity_page(app.test_client())
    assert page.select_one('form[action$="/interest"]') is None, "not kept for everyone"


def test_a_visitor_with_a_message_waiting_sees_it(client, session, monkeypatch):
    make_opportunity(session, make_buyer(session), slug="warm-homes")
    opportunity_page(client)
    with client.session_transaction() as browser_session:
        browser_session["_flashes"] = [("success:take-part", "Thank you for your interest")]
    assert "Thank you for your interest" in opportunity_page(client)[1].get_text()


def test_no_kept_page_holds_a_form_token(content_app):
    """A kept page is shown to everyone: a CSRF token in it would be someone else's."""
    client = content_app.test_client()
    with Session(content_app.extensions["engine"]) as session:
        slugs = session.exec(select(Opportunity.slug).where(Opportunity.status == Status.PUBLISHED)).all()
    assert len(slugs) > 20
    for slug in slugs:
        main = BeautifulSoup(client.get(f"/opportunities/{slug}").get_data(as_text=True), "html.parser").select_one("main")
        assert main.select('input[name="csrf_token"]') == [], slug


def test_nothing_is_kept_when_the_setting_says_so(app, client, session, monkeypatch):
    app.config["KEPT_PAGES_SECONDS"] = 0
    make_opportunity(session, make_buyer(session), slug="warm-homes")
    opportunity_page(client)
    reads = count_page_reads(monkeypatch)
    opportunity_page(client)
    assert reads == [1]


def test_an_address_that_finds_nothing_is_not_kept(app, client, session):
    for number in range(5):
        assert client.get(f"/opportunities/made-up-{number}").status_code == 404
    assert not any(key[0] == "opportunity page" for key in shared_figures._kept.get(app.extensions["engine"], {}))


def test_only_the_most_recently_seen_pages_are_kept(client, session, monkeypatch):
    monkeypatch.setattr(shared_figures, "MAX_KEPT", 2)
    buyer = make_buyer(session)
    for slug in ("first", "second", "third"):
        make_opportunity(session, buyer, slug=slug)
    for slug in ("first", "second", "third"):
        opportunity_page(client, slug)
    reads = count_page_reads(monkeypatch)
    opportunity_page(client, "third")
    opportunity_page(client, "second")
    assert reads == []
    opportunity_page(client, "first")  # the least recently seen: no longer kept
    assert reads == [1]
