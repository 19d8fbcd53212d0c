"""check(): one text, or a brief's named fields, in; a Report out. Never raises on any text.

The score, 0 to 100 (higher is plainer), starts at 100 and loses:
- 5 points for each sentence over 25 words, at most 30;
- 3 points for each wordy phrase or GOV.UK word to avoid, at most 30;
- 1 point for each procurement term or unexplained abbreviation, at most 10 (terms are often needed, but
  should be explained);
- 2 points for each passive-voice hint, at most 20;
- 5 points for each year of reading age above 14, at most 30.
It never goes below 0. Word limits are reported but do not change the score. A text with no words scores 100.
A text of fewer than SHORTEST_SCORED_WORDS words gets no reading age: the formula means nothing on a few words.
"""

from collections.abc import Mapping
from pathlib import Path

from portal.plain import readability
from portal.plain.acronyms import common_acronyms, find_acronyms, glossary_acronyms
from portal.plain.passive import passive_spans
from portal.plain.phrases import DEFAULT_GLOSSARY_PATH, builtin_lexicon, find_phrases, glossary_lexicon
from portal.plain.report import LongSentence, PassiveHint, PhraseHit, Report, WordLimit
from portal.plain.template_words import template_lexicon
from portal.plain.text import for_formulas, sentences, squash, strip_markdown, words

LONG_SENTENCE_WORDS = 25  # a sentence with more words than this is long
HARD_READING_AGE = 14  # reading ages above this lose points
SENTENCE_SHOWN_CHARACTERS = 300
SHORTEST_SCORED_WORDS = 30  # fewer words than this get no reading age

_PENALTIES = {  # name: (points each, most points in all)
    "long_sentence": (5, 30),
    "phrase": (3, 30),
    "term": (1, 10),
    "passive": (2, 20),
    "reading_age_year": (5, 30),
}


def check(
    text: str | Mapping[str, str] | None,
    limits: Mapping[str, int] | None = None,
    *,
    field: str | None = None,
    max_words: int | None = None,
    glossary_path: str | Path | None = None,
    labels: Mapping[str, str] | None = None,
) -> Report:
    """Check a text (Markdown allowed) for plain English.

    `text` is one text, or a mapping of field name to text (such as {"summary": ..., "description": ...}); a
    single text can be named with `field`. `limits` gives word limits by field name, such as {"summary": 50};
    `max_words` limits the words of all fields together. `glossary_path` defaults to content/glossary.yaml; the
    brief templates beside it (content/templates/) give words never to flag. `labels` names the fields for people.
    Reading age is worked out over all fields together; hits carry their field name and offsets into it.
    """
    fields = _fields(text, field)
    glossary_path = Path(glossary_path) if glossary_path is not None else DEFAULT_GLOSSARY_PATH
    lexicons = [builtin_lexicon(), glossary_lexicon(glossary_path)]
    lexicons.append(template_lexicon(glossary_path.parent / "templates", frozenset(lexicons[0]) | set(lexicons[1])))
    known_acronyms = common_acronyms() | glossary_acronyms(glossary_path)
    all_texts = "\n".join(value for _name, value in fields)
    word_count = sentence_count = 0
    long_sentences: list[LongSentence] = []
    passive: list[PassiveHint] = []
    phrases: list[PhraseHit] = []
    formula_parts: list[str] = []
    word_limits: list[WordLimit] = []

    for name, value in fields:
        plain = strip_markdown(value)
        tokens = words(plain.text)
        found = sentences(plain, tokens)
        word_count += len(tokens)
        sentence_count += len(found)
        formula_parts.append(for_formulas(plain))
        for sentence in found:
            if len(sentence.tokens) > LONG_SENTENCE_WORDS:
                shown = squash(plain.text[sentence.start:sentence.end], SENTENCE_SHOWN_CHARACTERS)
                long_sentences.append(LongSentence(shown, len(sentence.tokens), sentence.start, sentence.end, name))
            for start, end in passive_spans(sentence):
                passive.append(PassiveHint(squash(plain.text[start:end]), start, end, name))
        found_phrases = find_phrases(plain.text, tokens, lexicons, name)
        taken = [(hit.start, hit.end) for hit in found_phrases]
        phrases.extend(found_phrases)
        phrases.extend(find_acronyms(plain.text, tokens, all_texts, known_acronyms, taken, name))
        if limits and name in limits and limits[name] is not None:
            word_limits.append(WordLimit(name, len(tokens), int(limits[name]), len(tokens) > int(limits[name])))
    if max_words is not None:
        word_limits.append(WordLimit(None, word_count, int(max_words), word_count > int(max_words)))

    scored = word_count >= SHORTEST_SCORED_WORDS
    grade = readability.flesch_kincaid_grade("\n".join(part for part in formula_parts if part)) if scored else None
    age = readability.reading_age(grade)
    report_parts = {"long_sentences": tuple(long_sentences), "passive": tuple(passive), "phrases": tuple(phrases)}
    return Report(
        words=word_count,
        sentences=sentence_count,
        grade=None if grade is None else round(grade, 2),
        reading_age=age,
        reading_age_text=readability.about(age),
        reading_level=readability.describe(age) if age is not None or not word_count else TOO_SHORT,
        word_limits=tuple(word_limits),
        score=score(age, **report_parts),
        messages=tuple(messages(word_count, age, tuple(word_limits), **report_parts)),
        fields=tuple((name, (labels or {}).get(name) or _label(name)) for name, _value in fields),
        **report_parts,
    )


TOO_SHORT = f"Too short to score: a reading age needs about {SHORTEST_SCORED_WORDS} words or more"


def _label(name: str | None) -> str:
    return name.replace("_", " ").capitalize() if name else "Your text"


def _fields(text, field: str | None) -> list[tuple[str | None, str]]:
    if isinstance(text, Mapping):
        return [(str(name), _as_text(value)) for name, value in text.items()]
    return [(field, _as_text(text))]


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _penalty(name: str, count: int) -> int:
    each, most = _PENALTIES[name]
    return min(most, each * max(0, count))


def score(reading_age: int | None, long_sentences, passive, phrases) -> int:
    """The plainness score, 0 to 100; the formula is in this module's docstring."""
    terms = sum(1 for hit in phrases if hit.kind in ("term", "acronym"))
    lost = (
        _penalty("long_sentence", len(long_sentences))
        + _penalty("phrase", len(phrases) - terms)
        + _penalty("term", terms)
        + _penalty("passive", len(passive))
        + _penalty("reading_age_year", (reading_age or 0) - HARD_READING_AGE)
    )
    return max(0, 100 - lost)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def messages(word_count: int, reading_age: int | None, word_limits, long_sentences, passive, phrases) -> list[str]:
    """Short plain-English messages for the buyer, most important first."""
    if not word_count:
        return ["There is no text to check yet."]
    said = []
    for limit in word_limits:
        if limit.over:
            what = f"The {limit.field.replace('_', ' ')}" if limit.field else "The text"
            said.append(f"{what} has {_count(limit.words, 'word', 'words')}. The limit is {limit.limit}.")
    if reading_age is not None and reading_age > HARD_READING_AGE:
        said.append(f"The reading age is {readability.about(reading_age)}. Aim for {HARD_READING_AGE} or under: "
                    "use shorter sentences and everyday words.")
    if long_sentences:
        said.append(_count(len(long_sentences), "sentence is", "sentences are")
                    + f" longer than {LONG_SENTENCE_WORDS} words.")
    wordy = sum(1 for hit in phrases if hit.kind not in ("term", "acronym"))
    if wordy:
        said.append(_count(wordy, "word or phrase has", "words or phrases have") + " a plainer alternative.")
    acronyms = sum(1 for hit in phrases if hit.kind == "acronym")
    if acronyms:
        said.append(_count(acronyms, "abbreviation needs", "abbreviations need") + " writing out in full.")
    terms = len(phrases) - wordy - acronyms
    if terms:
        said.append(_count(terms, "procurement term needs", "procurement terms need")
                    + " explaining, or a plainer word.")
    if passive:
        said.append(_count(len(passive), "phrase may be", "phrases may be")
                    + " in the passive voice: say who does what.")
    return said or ["This text is clear and plain."]
