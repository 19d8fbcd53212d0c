"""The shape of `residents_said:` in a problem statement's or a mission's content file: a few approved residents'
comments for the demo, with the buyer's official response if there is one. The same limits as the residents' form."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from portal.services.voice import MAX_CHARACTERS, MAX_WORDS


class ResidentSaidEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)  # as content.schema.Strict

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]  # a first name or initials
    said: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_CHARACTERS)]
    date: date  # when the buyer's staff approved it
    response: str = Field(default="", max_length=MAX_CHARACTERS)  # the buyer's official response

    @field_validator("said")
    @classmethod
    def not_too_long(cls, value: str) -> str:
        if len(value.split()) > MAX_WORDS:
            raise ValueError(f"use {MAX_WORDS} words or fewer, as residents must")
        return value

    @field_validator("name")
    @classmethod
    def no_email_address(cls, value: str) -> str:
        if "@" in value:
            raise ValueError("a display name, never an email address: personal details are not published")
        return value
