"""Brief templates: the questions buyers answer for each kind of opportunity, and the questions they might ask
suppliers, kept as content in content/templates/."""

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from portal.bidding.facts import BidFacts, Criterion

from portal.models import OpportunityKind
from portal.services.market_questions import (
    DEFAULT_WORDS,
    MAX_QUESTION_CHARACTERS,
    MAX_QUESTIONS,
    MAX_WORDS,
    MIN_WORDS,
)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[a-z_]+$")
    heading: str
    label: str
    hint: str = ""
    max_words: int = Field(ge=1, le=1000)
    required: bool = False


class MarketQuestionEntry(BaseModel):
    """A question to suppliers as content writes it: a template's suggestion, or a demo item's own question."""
    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str = Field(min_length=1, max_length=MAX_QUESTION_CHARACTERS, pattern=r"^[^\n]*$")
    max_words: int = Field(default=DEFAULT_WORDS, ge=MIN_WORDS, le=MAX_WORDS)


class Template(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    description: str
    sections: tuple[Section, ...]
    market_questions: tuple[MarketQuestionEntry, ...] = Field(min_length=1, max_length=MAX_QUESTIONS)
    # How bids might be judged, offered to an item that has no criteria yet; the weights add up to 100.
    suggested_criteria: tuple[Criterion, ...] = ()

    @field_validator("suggested_criteria")
    @classmethod
    def weights_add_up(cls, value: tuple[Criterion, ...]) -> tuple[Criterion, ...]:
        BidFacts(criteria=list(value))
        return value


class TemplateError(Exception):
    pass


@cache
def templates(folder: str) -> dict[str, Template]:
    """Every kind's template; a missing or broken file stops with the file name and the problem."""
    loaded = {}
    for kind in OpportunityKind:
        path = Path(folder) / "templates" / f"{kind.value}.yaml"
        try:
            loaded[kind.value] = Template.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError, ValidationError) as error:
            raise TemplateError(f"{path}: {error}") from error
    return loaded


def compose(template: Template, answers: dict[str, str]) -> str:
    """A buyer's answers as the published Markdown body: each answered section under its heading."""
    parts = [f"## {s.heading}\n\n{answers[s.name].strip()}" for s in template.sections if answers.get(s.name, "").strip()]
    return "\n\n".join(parts)
