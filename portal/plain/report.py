"""What the checker found, as frozen dataclasses. Offsets are character positions in the text as typed (Markdown
included), `end` exclusive. Texts in a report are the buyer's own words: escape them when showing them."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class PhraseHit:
    """A wordy phrase, a word to avoid or a procurement term."""

    phrase: str  # as written in the text
    start: int
    end: int
    kind: str  # "term" (procurement term), "acronym" (capitals not spelled out), "avoid" (GOV.UK words to avoid)
    # or "simpler" (a plainer word exists)
    replacements: tuple[str, ...]  # plainer words to use instead; may be empty
    advice: str  # one or two plain sentences for the buyer
    definition: str | None = None  # the glossary definition, for terms
    sources: tuple[str, ...] = ()  # "glossary", "govuk", "retext-simplify", "portal"
    field: str | None = None


@dataclass(frozen=True)
class LongSentence:
    text: str  # whitespace collapsed, cut to 300 characters
    words: int
    start: int
    end: int
    field: str | None = None


@dataclass(frozen=True)
class PassiveHint:
    phrase: str  # such as "was written"
    start: int
    end: int
    field: str | None = None


@dataclass(frozen=True)
class WordLimit:
    field: str | None  # None for a limit on the whole text (max_words)
    words: int
    limit: int
    over: bool


@dataclass(frozen=True)
class FieldFindings:
    """Everything found in one field, for showing field by field."""

    name: str | None
    label: str  # what the form calls the field, such as "Summary"
    phrases: tuple[PhraseHit, ...]
    long_sentences: tuple[LongSentence, ...]
    passive: tuple[PassiveHint, ...]

    @property
    def count(self) -> int:
        return len(self.phrases) + len(self.long_sentences) + len(self.passive)


@dataclass(frozen=True)
class Report:
    words: int
    sentences: int
    grade: float | None  # Flesch–Kincaid grade; None with no words
    reading_age: int | None  # grade + 5, rounded half up, between 5 and 25
    reading_age_text: str  # "about 12"
    reading_level: str  # "Easy to read (reading age 9 to 11)"
    long_sentences: tuple[LongSentence, ...]
    passive: tuple[PassiveHint, ...]
    phrases: tuple[PhraseHit, ...]
    word_limits: tuple[WordLimit, ...]
    score: int  # 0 to 100, higher is plainer; see portal.plain.checker for the formula
    messages: tuple[str, ...]  # plain-English summary for the buyer, most important first
    fields: tuple[tuple[str | None, str], ...] = ()  # (name, label) of each field checked, in order

    def by_field(self) -> tuple[FieldFindings, ...]:
        """The findings grouped by field, in the order the fields were given; fields with none are left out."""
        groups = []
        for name, label in self.fields:
            group = FieldFindings(name, label, tuple(hit for hit in self.phrases if hit.field == name),
                                  tuple(item for item in self.long_sentences if item.field == name),
                                  tuple(hint for hint in self.passive if hint.field == name))
            if group.count:
                groups.append(group)
        return tuple(groups)

    @property
    def over_limit(self) -> bool:
        return any(limit.over for limit in self.word_limits)

    def to_dict(self) -> dict:
        """Plain data for JSON: tuples become lists, and `over_limit` is included."""
        return _lists(asdict(self)) | {"over_limit": self.over_limit}


def _lists(value):
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(item) for item in value]
    return value
