"""One way of writing money, on every page and in every file people read."""

import pytest

from portal.presenters import money, short_money, value_range


@pytest.mark.parametrize("pounds, written", [
    (0, "£0"),
    (950, "£950"),
    (50_000, "£50,000"),
    (999_999, "£999,999"),
    (1_000_000, "£1 million"),
    (1_050_000, "£1.05 million"),
    (1_500_000, "£1.5 million"),
    (1_234_567, "£1,234,567"),  # not a whole number of ten thousands: written in full, nothing rounded away
    (12_340_000, "£12.34 million"),
    (4_000_000, "£4 million"),
    (1_250_000_000, "£1,250 million"),
])
def test_money(pounds, written):
    assert money(pounds) == written


@pytest.mark.parametrize("low, high, written", [
    (1_500_000, 4_000_000, "£1.5 million to £4 million in total"),
    (999_999, 1_000_000, "£999,999 to £1 million in total"),
    (50_000, 1_050_000, "£50,000 to £1.05 million in total"),
    (1_500_000, 1_500_000, "£1.5 million in total"),
])
def test_ranges(low, high, written):
    assert value_range(low, high) == written


@pytest.mark.parametrize("pounds, label", [
    (800, "£800"), (1_499, "£1,000"), (450_400, "£450,000"), (949_999, "£950,000"),
    (950_000, "£1 million"), (1_249_999, "£1.2 million"), (12_345_678, "£12.3 million"),
])
def test_chart_labels_round_in_the_same_words(pounds, label):
    assert short_money(pounds) == label
