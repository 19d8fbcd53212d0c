"""What every visitor sees alike (the search filters' choices, the home page) is read once per process, again at
once after this process commits a change to the catalogue, and within the minute after another process does."""

from bs4 import BeautifulSoup
from sqlalchemy import text

from datetime import date

from portal.services import search as search_service
from portal.services import opportunities as opportunity_service
from portal.services import shared_figures
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
    monkeypatch.setattr(shared_figures, "MAX_AGE_SECONDS", 0.0)
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
    monkeypatch.setattr(shared_figures, "MAX_AGE_SECONDS", 0.0)
    assert "Warm homes for everyone" in home(client).get_text()
