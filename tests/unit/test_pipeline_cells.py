"""One cell of an uploaded pipeline file at a time: each rule on both sides of its limit, and each accepted spelling."""

import pytest

from portal.models import Stage
from portal.services import pipeline_cells as cells
from portal.services.pipeline_cells import CellError


def refused(check, text, *args) -> str:
    with pytest.raises(CellError) as error:
        check(text, *args)
    return str(error.value)


@pytest.mark.parametrize("text, pounds", [
    ("", None), ("0", 0), ("250000", 250_000), ("£250,000", 250_000), ("250 000", 250_000), ("250000.00", 250_000),
    ("100000000000", 100_000_000_000), ("250k", 250_000), ("1.2m", 1_200_000), ("£2 million", 2_000_000),
])
def test_money_accepted(text, pounds):
    assert cells.money(text) == pounds


def test_money_one_pound_over_the_limit_is_refused():
    assert cells.MAX_MONEY == 100_000_000_000
    assert refused(cells.money, "100000000001") == "enter an amount no more than £100,000,000,000"


@pytest.mark.parametrize("text", ["12.50", "-5", "1e6", "ten", "£", "250000.", ".5"])
def test_money_that_is_not_whole_pounds_is_refused(text):
    assert refused(cells.money, text) == "enter an amount in whole pounds, like 250000, £250,000 or 250k"


@pytest.mark.parametrize("text, expected", [("", None), ("1", 1), ("24", 24), ("600", 600)])
def test_months_accepted(text, expected):
    assert cells.months(text) == expected


@pytest.mark.parametrize("text", ["0", "601", "1.5", "-1", "two"])
def test_months_outside_1_to_600_are_refused(text):
    assert refused(cells.months, text) == "enter a whole number of months from 1 to 600, like 24"


@pytest.mark.parametrize("text, expected", [("1", 1), ("4", 4), ("Q2", 2), ("q 3", 3)])
def test_quarters_accepted(text, expected):
    assert cells.quarter(text) == expected


@pytest.mark.parametrize("text", ["0", "5", "Q5", "", "12"])
def test_quarters_outside_1_to_4_are_refused(text):
    assert refused(cells.quarter, text) == "enter 1, 2, 3 or 4 (1 is April to June, 4 is January to March)"


@pytest.mark.parametrize("text, expected", [
    ("planned", Stage.PIPELINE), ("In  Engagement", Stage.ENGAGEMENT), ("going to tender", Stage.TENDER),
    ("AWARDED", Stage.AWARDED), ("cancelled", Stage.CANCELLED),
])
def test_each_status_names_its_stage(text, expected):
    assert cells.stage(text) == expected


@pytest.mark.parametrize("text, expected", [("yes", True), ("Y", True), ("true", True), ("No", False), ("n", False),
                                            ("FALSE", False)])
def test_yes_and_no(text, expected):
    assert cells.yes_no(text) is expected


@pytest.mark.parametrize("text", ["", "maybe", "1", "0"])
def test_anything_else_is_not_yes_or_no(text):
    assert refused(cells.yes_no, text) == "enter yes or no"


def test_a_line_may_have_exactly_its_limit():
    assert cells.line("  a   b  ", "title", 3) == "a b"
    assert cells.line("x" * 200, "title", 200) == "x" * 200
    assert refused(cells.line, "x" * 201, "title", 200) == "must be 200 characters or fewer (it has 201)"
    assert refused(cells.line, "   ", "title", 200) == "enter a title"
    assert cells.line("", "", 200) == "", "an optional line may be empty"


def test_a_summary_may_have_50_words_and_600_characters():
    assert cells.summary(" ".join(["word"] * 50)) == " ".join(["word"] * 50)
    assert refused(cells.summary, " ".join(["word"] * 51)) == "must be 50 words or fewer (it has 51)"
    long_words = " ".join(["x" * 11] * 50)  # 50 words, 599 characters
    assert cells.summary(long_words + "y") == long_words + "y"
    assert refused(cells.summary, long_words + "yz") == "must be 600 characters or fewer (it has 601)"


def test_regions_by_code_nuts_code_or_name_sorted_once_each():
    assert cells.regions("London; TLI; UKI, north west") == ("TLD", "TLI")
    assert refused(cells.regions, "Mars") == ("\u201cMars\u201d is not a UK region. Use region names like London or "
                                             "North West, or ITL1 codes like TLI")
    assert refused(cells.regions, " ; , ") == "enter at least one region, like London or TLI"


def test_cpv_codes_with_or_without_the_check_digit():
    assert cells.cpv("85311000") == cells.cpv("85311000-2") == cells.cpv("85311000 - 2") == "85311000-2"
    assert cells.cpv("3000000") == "03000000-1"


def test_financial_year_names():
    assert [cells.financial_year_name(year) for year in (2026, 2099, 2100)] == ["2026-27", "2099-00", "2100-01"]
    assert cells.item_reference("  AB-12 ") == "ab-12"
