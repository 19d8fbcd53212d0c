"""The shape of an awarded item's `awards:` in its content file: who won, for how much, the contract's KPIs and their
published results. The same rules as the buyer's forms, worded for a content editor."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from portal.bidding.facts import known_regions
from portal.models import OrganisationSize, Rating
from portal.services.awards import FREQUENCIES, KPI_THRESHOLD, MIN_KPIS_OVER_THRESHOLD

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)  # as content.schema.Strict


class SupplierEntry(_Strict):
    name: Text
    size: OrganisationSize | None = None
    vcse: bool | None = None
    region: str | None = None

    @field_validator("region")
    @classmethod
    def known_region(cls, value: str | None) -> str | None:
        return known_regions([value])[0] if value else value


class ResultEntry(_Strict):
    period_start: date
    period_end: date
    observed: float
    rating: Rating
    rating_note: str = Field(default="", max_length=200)
    comment: str = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def sensible(self):
        if self.period_end < self.period_start:
            raise ValueError("period_end: the period must end after it starts")
        if self.rating == Rating.OTHER and not self.rating_note:
            raise ValueError("rating_note: say what the rating is when it is other")
        return self


class KPIEntry(_Strict):
    title: Text
    measure: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]
    unit: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    target: float
    frequency: str
    results: list[ResultEntry] = []

    @field_validator("frequency")
    @classmethod
    def known_frequency(cls, value: str) -> str:
        if value not in FREQUENCIES:
            raise ValueError(f"must be one of {', '.join(FREQUENCIES)}")
        return value


class AwardEntry(_Strict):
    suppliers: list[SupplierEntry] = Field(min_length=1)
    value: int = Field(ge=0)
    awarded: date
    contract_starts: date | None = None
    contract_ends: date | None = None
    lot: int | None = Field(default=None, ge=1, le=99)  # the number of one of the item's lots
    kpis: list[KPIEntry] = []

    @model_validator(mode="after")
    def sensible(self):
        if self.contract_starts and self.contract_ends and self.contract_ends < self.contract_starts:
            raise ValueError("contract_ends: the contract must end after it starts")
        if self.value > KPI_THRESHOLD and len(self.kpis) < MIN_KPIS_OVER_THRESHOLD:
            raise ValueError(f"kpis: a contract worth over £{KPI_THRESHOLD:,} needs at least "
                             f"{MIN_KPIS_OVER_THRESHOLD} KPIs")
        return self
