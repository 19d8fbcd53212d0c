from datetime import date

import pytest

from portal import presenters


@pytest.mark.parametrize("low, high, expected", [
    (None, None, "Not stated"),
    (50_000, 150_000, "£50,000 to £150,000 in total"),
    (2_000_000, 5_500_000, "£2 million to £5.5 million in total"),
    (80_000, 80_000, "£80,000 in total"),
    (None, 30_000, "£30,000 in total"),
])
def test_value_range(low, high, expected):
    assert presenters.value_range(low, high) == expected


@pytest.mark.parametrize("low, high, months, expected", [
    (100_000, 200_000, 36, "£100,000 to £200,000 a year (£300,000 to £600,000 in total over 3 years)"),
    (None, 50_000, 18, "£50,000 a year (£75,000 in total over 18 months)"),
    (1_000_000, 1_000_000, None, "£1 million a year"),  # no length: the total cannot be known
    (None, None, 24, "Not stated"),
])
def test_a_value_per_year_says_so_and_gives_the_total(low, high, months, expected):
    assert presenters.value_range(low, high, "per-year", months) == expected


@pytest.mark.parametrize("months, expected", [(1, "1 month"), (18, "18 months"), (12, "1 year"), (48, "4 years"), (None, "")])
def test_contract_length(months, expected):
    assert presenters.contract_length(months) == expected


@pytest.mark.parametrize("year, quarter, expected", [
    (2027, 1, "April to June 2027"),
    (2027, 3, "October to December 2027"),
    (2027, 4, "January to March 2028"),
    (None, None, "Not decided yet"),
])
def test_market_quarter(year, quarter, expected):
    assert presenters.market_quarter(year, quarter) == expected


def test_financial_year_and_dates():
    assert presenters.financial_year(2027) == "April 2027 to March 2028"
    assert presenters.long_date(date(2027, 1, 5)) == "5 January 2027"


@pytest.mark.parametrize("day, expected", [
    (date(2026, 11, 21), "closed"),
    (date(2026, 11, 22), "closes today"),
    (date(2026, 11, 23), "closes tomorrow"),
    (date(2026, 12, 2), "closes in 10 days"),
])
def test_days_until(day, expected):
    assert presenters.days_until(day, date(2026, 11, 22)) == expected


def test_cpv_label_uses_reference_data():
    assert presenters.cpv_label("85311000-2") == "Social work services with accommodation"
    assert presenters.cpv_label("not-a-code") == "not-a-code"


def test_a_text_too_short_for_a_reading_age_says_so():
    from portal.models import Opportunity
    from portal.services.reading_age import reading_age_of

    # The reading age is worked out when an item is saved and stored; pages read the stored number.
    short = Opportunity(slug="short", title="Short", summary="We want ideas.", why_md="", body_md="")
    short.reading_age = reading_age_of(short.summary, short.why_md, short.body_md)
    assert short.reading_age is None
    assert presenters.reading_age(short) == "too short to score"
