"""The search page in suppliers' own words: synonyms, every word first, and open opportunities unless asked."""

import pytest

from tests.web.conftest import soup


@pytest.fixture
def client(content_app):
    return content_app.test_client()


def slugs(nodes) -> list[str]:
    return [a["href"].rsplit("/", 1)[-1] for a in nodes]


def result_slugs(response) -> list[str]:
    return slugs(soup(response).select("#search-results .portal-card h3 a"))


def count_of(label) -> int:
    return int(label.get_text().rsplit("(", 1)[1].split(")")[0])


@pytest.mark.parametrize("word", ["elderly", "seniors", "pensioners"])
def test_everyday_words_find_older_people(client, word):
    response = client.get(f"/search?q={word}")
    assert "hackney-loneliness-older-people" in result_slugs(response)[:3]
    assert soup(response).find(string=lambda s: s and "Did you mean" in s) is None, "a known word is never 'corrected'"


def test_items_matching_every_word_come_first_then_the_rest_apart(client):
    page = soup(client.get("/search?q=digital+skills+older+people&size=50"))
    first = slugs(page.select("#search-results ul.portal-card-list")[0].select(".portal-card h3 a"))
    assert page.select_one("#matching-some").get_text(strip=True) == "Also matching some of your words"
    rest = slugs(page.select_one("#matching-some").find_next("ul").select(".portal-card h3 a"))
    assert first[0] == "greater-manchester-older-people-online"
    assert rest and not set(first) & set(rest)
    assert len(first) < 10, "a search of several words no longer returns nearly everything as a full match"


def test_one_word_searches_are_not_split(client):
    page = soup(client.get("/search?q=elderly"))
    assert page.select_one("#matching-some") is None


def test_closed_and_awarded_only_when_asked_for(client):
    page = soup(client.get("/search?size=50"))
    shown = set(result_slugs(client.get("/search?size=50")))
    assert "bristol-library-digital-help" not in shown  # awarded
    assert "dfe-careers-advice-neet" not in shown  # cancelled
    extra = count_of(page.select_one('label[for="closed"]'))
    assert page.select_one('label[for="closed"]').get_text().startswith("Include closed and awarded")
    with_closed = set(result_slugs(client.get("/search?size=50&closed=yes")))
    assert {"bristol-library-digital-help", "dfe-careers-advice-neet"} <= with_closed
    assert len(with_closed) == len(shown) + extra


def test_stages_that_are_over_have_their_own_filter_with_counts(client):
    page = soup(client.get("/search"))
    awarded = count_of(page.select_one('#stage option[value="awarded"]'))
    assert awarded >= 1
    assert len(result_slugs(client.get("/search?stage=awarded&size=50"))) == awarded


def test_include_closed_can_be_removed_like_any_filter(client):
    page = soup(client.get("/search?closed=yes"))
    assert page.select_one("#closed").has_attr("checked")
    [remove] = [a for a in page.select("#chosen-filters a") if "Including closed and awarded" in a.get_text()]
    assert "closed=" not in remove["href"]


@pytest.mark.parametrize("value", ["no", "<script>", "1" * 500])
def test_a_bad_include_closed_value_is_a_message_not_an_error(client, value):
    response = client.get("/search", query_string={"closed": value})
    assert response.status_code == 400
    assert "We have shown only open opportunities" in response.get_data(as_text=True)


def test_home_page_counts_say_what_they_count(client):
    text = soup(client.get("/")).select_one("#open-counts").get_text(" ", strip=True)
    assert "open for ideas" in text and "open for bids" in text and "planned" in text
    assert "open to view" not in text
