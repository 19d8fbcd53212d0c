"""A page of results reads its cards in one query of the columns cards show, and its extracts from the stored plain
text: never the briefs, and never one query per card."""

from sqlalchemy import event

from tests.web.conftest import soup


def test_a_page_of_results_loads_its_cards_in_one_narrow_query(content_app):
    client = content_app.test_client()
    client.get("/search?q=school")  # the filters' choices are read once and kept
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = content_app.extensions["engine"]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        response = client.get("/search?q=school")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    cards = soup(response).select("#search-results .portal-card")
    assert len(cards) > 3
    reading_cards = [s for s in statements if "FROM opportunity" in s]
    assert len(reading_cards) == 1, reading_cards
    assert "plain_text" in reading_cards[0]
    assert not any(column in reading_cards[0] for column in ("body_md", "why_md", "bid_facts", "brief_answers"))
    assert all(card.select_one("a").get_text(strip=True) and card.select(".govuk-tag") for card in cards)
