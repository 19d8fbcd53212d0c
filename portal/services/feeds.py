"""Atom feeds of search results."""

from feedgen.feed import FeedGenerator

from portal.clock import as_utc
from portal.published_dates import published_moment
from portal.security import external_url
from portal.security.text import clean_text, one_line

FEED_SIZE = 50


def atom_feed(hits, page_url: str, feed_url: str, text: str) -> bytes:
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(f"Opportunities for \u201c{one_line(text)}\u201d" if text else "New opportunities")
    feed.subtitle("Public-sector opportunities from the Opportunity Portal")
    feed.link(href=page_url, rel="alternate")
    feed.link(href=feed_url, rel="self")
    feed.language("en-GB")
    latest = None
    for hit in reversed(hits):  # feedgen puts each new entry first
        opportunity = hit.opportunity
        url = external_url("opportunities.show", slug=opportunity.slug)
        entry = feed.add_entry()
        entry.id(url)
        entry.title(one_line(opportunity.title))
        entry.link(href=url)
        entry.summary(clean_text(opportunity.summary or ""))
        entry.author(name=one_line(opportunity.buyer.name))
        updated = as_utc(opportunity.updated_at)
        entry.updated(updated)
        if published := published_moment(opportunity):
            entry.published(published)
        latest = max(latest, updated) if latest else updated
    if latest:
        feed.updated(latest)
    return feed.atom_str(pretty=True)
