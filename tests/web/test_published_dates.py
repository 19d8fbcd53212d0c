"""One published date per item: mission pages, item pages, the feed, the CSV and the API all agree, and loading
the content again never moves it."""

import csv
import io
import re
from datetime import date, datetime, timezone

import pytest
from sqlmodel import Session, select

from portal.content import load_content
from portal.models import Opportunity
from portal.presenters import long_date
from portal.published_dates import mark_published, published_moment, start_of
from tests.web.conftest import soup


@pytest.fixture
def client(content_app):
    return content_app.test_client()


def published_fact(client, href: str) -> str:
    page = soup(client.get(href))
    for row in page.select(".portal-facts .govuk-summary-list__row"):
        if row.dt.get_text(strip=True) == "Published":
            return row.dd.get_text(strip=True)
    raise AssertionError(f"{href} shows no published date")


@pytest.mark.parametrize("slug", ["net-zero", "camden-food"])
def test_a_mission_page_and_the_item_page_show_the_same_published_date(client, slug):
    page = soup(client.get(f"/missions/{slug}"))
    published = [li for li in page.select("#recent + ul li") if li.a.get_text().startswith("Published: ")]
    assert published, "the mission page should list something published"
    for item in published:
        assert item.span.get_text(strip=True) == published_fact(client, item.a["href"])


def test_the_feed_csv_and_api_give_the_front_matter_date(client, content_app):
    with Session(content_app.extensions["engine"]) as session:
        item = session.exec(select(Opportunity).where(Opportunity.slug == "camden-estate-retrofit-heat-pumps")).one()
    assert item.published_on == date(2026, 7, 14)  # the content file's front matter
    assert published_fact(client, f"/opportunities/{item.slug}") == "14 July 2026"
    assert client.get(f"/api/opportunities/{item.slug}").get_json()["published"] == "2026-07-14"
    rows = csv.DictReader(io.StringIO(client.get("/data/opportunities.csv").get_data(as_text=True).lstrip("\ufeff")))
    assert {row["published"] for row in rows if row["title"] == item.title} == {"2026-07-14"}
    feed = client.get("/search/feed.atom").get_data(as_text=True)
    entries = re.findall(r"<entry>.*?</entry>", feed, re.S)
    published = [re.search(r"<published>(.*?)</published>", e).group(1) for e in entries if item.slug in e]
    if published:  # the feed holds the newest fifty
        assert datetime.fromisoformat(published[0]) == start_of(date(2026, 7, 14))


def test_loading_the_content_again_does_not_move_published_dates(content_app):
    from portal.config import PROJECT_ROOT
    engine = content_app.extensions["engine"]
    with Session(engine) as session:
        before = {o.slug: (o.published_on, o.first_published_at) for o in session.exec(select(Opportunity)).all()}
    load_content(engine, PROJECT_ROOT / "content", content_app.config["OCID_PREFIX"])
    with Session(engine) as session:
        items = session.exec(select(Opportunity)).all()
        assert {o.slug: (o.published_on, o.first_published_at) for o in items} == before
        for o in items:
            if o.first_published_at:
                assert published_moment(o).astimezone(timezone.utc) == start_of(o.published_on)


def test_publishing_records_a_date_and_a_moment_that_agree():
    item = Opportunity(slug="x", title="x")
    late_evening = datetime(2026, 7, 14, 23, 30, tzinfo=timezone.utc)  # already 15 July in the UK
    mark_published(item, late_evening)
    assert item.published_on == date(2026, 7, 15) and item.first_published_at == late_evening
    mark_published(item, datetime(2026, 9, 1, 9, tzinfo=timezone.utc))  # published again later: nothing moves
    assert item.published_on == date(2026, 7, 15)
    given = Opportunity(slug="y", title="y")
    mark_published(given, late_evening, day=date(2026, 11, 22))  # the portal's today differs from the clock's
    assert given.published_on == date(2026, 11, 22) and given.first_published_at == start_of(date(2026, 11, 22))
    assert long_date(given.published_on) == "22 November 2026"
