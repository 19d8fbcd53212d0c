"""The tantivy index's schema, its English analyser, and how an index document becomes a tantivy document.

Text is analysed as the Whoosh backend does (words of two letters or more, lower case, the same stop words,
English stemming), so both find the same opportunities. Every filter group's values are written at index time
into one multi-valued `facet` column as "group=value", which term queries filter on and one terms aggregation
counts. The closing date depends on the day of the search, so it has a column of its own for range queries and
range aggregations. Sorting reads one integer column per order.
"""

import re

import tantivy

from portal.search.query import FILTER_NAMES, TICK_FILTERS, values_for_counting
from portal.search.highlight import plain_text
from portal.search.ranking import PHRASE_FIELDS

ANALYZER_NAME = "portal_en"
SPELLING_ANALYZER_NAME = "portal_words"
STORED_ONLY_NAME = "portal_stored_only"
TEXT_FIELDS = {"title": 4.0, "summary": 2.0, "keywords": 1.5, "why": 1.0, "body": 1.0}  # as schema.TEXT_FIELDS
# Whoosh's STOP_WORDS, so both backends drop the same words.
STOP_WORDS = [
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have", "if", "in", "is", "it", "may",
    "not", "of", "on", "or", "tbd", "that", "the", "this", "to", "us", "we", "when", "will", "with", "yet", "you",
    "your",
]
WORD_PATTERN = r"\w\w+"  # as Whoosh's StemmingAnalyzer: one-letter words are not indexed
LONGEST_WORD = 100  # longer "words" are not indexed (tantivy refuses terms over 65,530 bytes)
COUNTED_IN_FACET = tuple(name for name in FILTER_NAMES if name != "closing")
TICKED = "yes"
SAFE_VALUE = re.compile(r"[A-Za-z0-9_.\-]+")
ENCODED = "~"  # then the value's UTF-8 in hex, for values with other characters
# Sort keys pack several numbers into one unsigned column: a date ordinal is below 2**20 (until the year 2870).
DAY_BITS = 20
ID_BITS = 34
LARGEST_VALUE = (1 << (64 - DAY_BITS)) - 2  # £17.6 trillion: larger values sort as this


def analyzer() -> tantivy.TextAnalyzer:
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(WORD_PATTERN))
            .filter(tantivy.Filter.remove_long(LONGEST_WORD))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.custom_stopword(STOP_WORDS))
            .filter(tantivy.Filter.stemmer("english"))
            .build())


def spelling_analyzer() -> tantivy.TextAnalyzer:
    """Whole words, unstemmed, for "did you mean"."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"[^\W\d_]{3,30}"))
            .filter(tantivy.Filter.lowercase())
            .build())


def stored_only_analyzer() -> tantivy.TextAnalyzer:
    """No terms at all, for text that is only stored (tantivy's bindings index every text field). With the "raw"
    tokenizer each extract was one term of a few kilobytes, which doubled the index's size and build time."""
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw()).filter(tantivy.Filter.remove_long(0)).build()


def register_analyzers(index: tantivy.Index) -> None:
    """Tokenisers are not saved in the index: every process registers them after opening it."""
    index.register_tokenizer(ANALYZER_NAME, analyzer())
    index.register_tokenizer(SPELLING_ANALYZER_NAME, spelling_analyzer())
    index.register_tokenizer(STORED_ONLY_NAME, stored_only_analyzer())


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        # Positions where phrases and words close together are looked for (see ranking.PHRASE_FIELDS).
        builder.add_text_field(name, stored=name == "title", tokenizer_name=ANALYZER_NAME,
                               index_option="position" if name in PHRASE_FIELDS else "freq")
    builder.add_text_field("spelling", tokenizer_name=SPELLING_ANALYZER_NAME, index_option="freq")
    builder.add_text_field("extract", stored=True, tokenizer_name=STORED_ONLY_NAME, index_option="basic")
    builder.add_text_field("facet", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("closes", indexed=True, fast=True)
    for key in ("newest_key", "value_key", "closing_key", "published"):
        builder.add_unsigned_field(key, fast=True)
    return builder.build()


SCHEMA = build_schema()


def facet_token(group: str, value) -> str:
    """How one value of one filter group is written in the `facet` column (and asked for in a query)."""
    if value is True:
        value = TICKED
    value = str(value)
    return f"{group}={value if SAFE_VALUE.fullmatch(value) else ENCODED + value.encode().hex()}"


def value_of_token(group: str, value: str):
    """The count key a `facet` value stands for, as filtering.filter_and_count keys its counts."""
    if group in TICK_FILTERS:
        return True
    if group == "open":
        return value == TICKED
    if value.startswith(ENCODED):
        return bytes.fromhex(value[len(ENCODED):]).decode()
    return value


def facet_tokens(facets: dict) -> list[str]:
    """Every value each filter group (but closing, which depends on the day) would count this document towards.
    A document passes a filter exactly when it counts towards the value chosen (see query.matches)."""
    return [facet_token(name, value) for name in COUNTED_IN_FACET
            for value in values_for_counting(name, facets, today=0)]


def tantivy_document(document: dict) -> tantivy.Document:
    """A tantivy document from documents.document_for's index document."""
    facets = document["facets"]
    opportunity_id = int(document["id"])
    published = max(0, min(facets["published"], (1 << DAY_BITS) - 1))
    value = facets["value"]
    value_part = 0 if value is None else min(max(value, 0), LARGEST_VALUE) + 1
    doc = tantivy.Document()
    doc.add_unsigned("id", opportunity_id)
    for name in TEXT_FIELDS:
        doc.add_text(name, document[name] or "")
    doc.add_text("spelling", " ".join(document[name] or "" for name in ("title", "summary", "body")))
    doc.add_text("extract", plain_text(f"{document['summary']}\n\n{document['body']}"))
    for token in facet_tokens(facets):
        doc.add_text("facet", token)
    doc.add_unsigned("newest_key", (published << ID_BITS) + min(opportunity_id, (1 << ID_BITS) - 1))
    doc.add_unsigned("value_key", (value_part << DAY_BITS) + published)
    doc.add_unsigned("published", published)
    if facets["closes"] is not None:
        doc.add_integer("closes", facets["closes"])
        doc.add_unsigned("closing_key", (facets["closes"] << DAY_BITS) + ((1 << DAY_BITS) - 1 - published))
    return doc
