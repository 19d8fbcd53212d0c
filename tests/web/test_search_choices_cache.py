"""The search filters' choices are read once per process, and again after a buyer or mission changes."""

from bs4 import BeautifulSoup
from sqlalchemy import text

from portal.services import search as search_service
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
    monkeypatch.setattr(search_service, "CHOICES_MAX_AGE_SECONDS", 0.0)
    assert any(option.startswith("Leeds Council") for option in buyer_options(client))
