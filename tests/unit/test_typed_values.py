"""Money and dates are read the way people type them, by one rule each (presenters.parse_pounds and parse_date),
and the form fields built on them show back what they understood."""

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from portal.forms.base import SubForm
from portal.forms.fields import MoneyField, UkDateField
from portal.presenters import parse_date, parse_pounds


@pytest.mark.parametrize("typed, pounds", [
    ("£50,000", 50_000), ("50,000", 50_000), ("50000", 50_000), ("50k", 50_000), ("50K", 50_000),
    ("£50k", 50_000), ("50 k", 50_000), ("50 thousand", 50_000), ("£1.2m", 1_200_000), ("1.2m", 1_200_000),
    ("1.2 million", 1_200_000), ("£2 million", 2_000_000), ("£1.2M", 1_200_000), ("2.5k", 2_500),
    ("1.25k", 1_250), ("0.5m", 500_000), ("1.345m", 1_345_000), ("£50,000.00", 50_000), ("50000.0", 50_000),
    (" £50,000 ", 50_000), ("0", 0), ("1,200k", 1_200_000),
    ("５０", 50),  # full-width digits are the same digits (NFKC)
])
def test_money_as_people_write_it(typed, pounds):
    assert parse_pounds(typed) == pounds


@pytest.mark.parametrize("typed", [
    "", " ", "£", "k", "m", "thousand", "50kk", "50km", "1.2.3m", "1e9", "1E9", "-50", "-£50", "£-50", "+50",
    "50.50", "50.5", "£12.50", "1.2345k", "1.2345678m", "1.", ".5m", "50k.00", "50,00", "1,00,000", "5,0000",
    "50-100k", "50 to 100", "about 50k", "fifty thousand", "50p", "50bn", "£50,000 a year", "0x10", "5_000",
    "9" * 200, "1" + " " * 100 + "0", "<script>alert(1)</script>", "50\x00000", "٥٠",
])
def test_anything_else_is_not_money(typed):
    assert parse_pounds(typed) is None


@pytest.mark.parametrize("typed, day", [
    ("2027-03-31", date(2027, 3, 31)), ("2027-3-31", date(2027, 3, 31)), ("31/3/2027", date(2027, 3, 31)),
    ("31/03/2027", date(2027, 3, 31)), ("31 March 2027", date(2027, 3, 31)), ("31 march 2027", date(2027, 3, 31)),
    ("31 Mar 2027", date(2027, 3, 31)), ("31 3 2027", date(2027, 3, 31)), ("31.3.2027", date(2027, 3, 31)),
    ("31-3-2027", date(2027, 3, 31)), ("1 Sept 2027", date(2027, 9, 1)), (" 29 February 2028 ", date(2028, 2, 29)),
    ("31 March, 2027", date(2027, 3, 31)),
])
def test_dates_as_people_in_the_uk_write_them(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize("typed", [
    "", " ", "tomorrow", "31/02/2027", "29 February 2027", "3/31/2027", "31/3/27", "2027/03/31", "0/1/2027",
    "31 Marchy 2027", "31 September 2027", "Monday 31 March 2027", "31/3/2027 10:00", "1" * 200, "2027-03-31T00:00",
    "<b>1/1/2027</b>",
])
def test_anything_else_is_not_a_date(typed):
    assert parse_date(typed) is None


class Fields(SubForm):
    value = MoneyField("Value (optional)")
    closes = UkDateField("Closes (optional)")


def fields(**typed) -> Fields:
    form = Fields(formdata=MultiDict(typed))
    form.validate()
    return form


@pytest.mark.parametrize("typed, understood", [
    ("1.2m", "We read this as £1,200,000"), ("50000", "We read this as £50,000"), ("£50,000", None), ("", None),
    ("lots", None),
])
def test_money_field_says_what_it_understood(typed, understood):
    form = fields(value=typed)
    assert form.value.understood == understood
    assert form.value._value() == typed  # what was typed is shown again


@pytest.mark.parametrize("typed, understood", [
    ("1/3/2027", "We read this as 1 March 2027"), ("2027-03-01", "We read this as 1 March 2027"),
    ("1 March 2027", None), ("31/02/2027", None),
])
def test_date_field_says_what_it_understood(typed, understood):
    form = fields(closes=typed)
    assert form.closes.understood == understood


def test_fields_show_saved_values_the_way_the_hint_writes_them():
    form = Fields(data={"value": 1_200_000, "closes": date(2027, 3, 31)})
    assert (form.value._value(), form.closes._value()) == ("£1,200,000", "31 March 2027")
    assert form.value.understood is None and form.closes.understood is None
    assert "31 March 2027" in UkDateField.format_hint and "31/3/2027" in UkDateField.format_hint


def test_a_bad_date_keeps_what_was_typed_with_a_plain_message():
    form = fields(closes="31/02/2027")
    assert form.closes.errors == ["Enter a real date, like 31 March 2027"]
    assert form.closes._value() == "31/02/2027"
