"""The index schema: weighted text fields for ranking, plain fields for filters, facets and sorting."""

from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, STORED, TEXT, Schema

# Stop words are kept out of the index but ordinary words like "older" and "people" are kept.
ANALYZER = StemmingAnalyzer()

TEXT_FIELDS = {"title": 4.0, "summary": 2.0, "keywords": 1.5, "why": 1.0, "body": 1.0}
SPELLING_FIELDS = ("title", "summary", "body")

SCHEMA = Schema(
    id=ID(unique=True, stored=True),
    title=TEXT(analyzer=ANALYZER, field_boost=TEXT_FIELDS["title"], spelling=True),
    summary=TEXT(analyzer=ANALYZER, field_boost=TEXT_FIELDS["summary"], spelling=True),
    keywords=TEXT(analyzer=ANALYZER, field_boost=TEXT_FIELDS["keywords"]),
    why=TEXT(analyzer=ANALYZER, field_boost=TEXT_FIELDS["why"]),
    body=TEXT(analyzer=ANALYZER, field_boost=TEXT_FIELDS["body"], spelling=True),
    # Everything filters, facets and sorting need, in one stored value per document.
    facets=STORED(),
    plain=STORED(),  # the plain text extracts are cut from (snippets.searchable_text)
)
