"""When a planned purchase goes to market: a quarter of a financial year (April to March)."""

from datetime import date

QUARTER_FIRST_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}  # quarter 4 falls in the next calendar year


def approach_to_market_date(year: int | None, quarter: int | None) -> date | None:
    """The first day of the quarter: quarter 1 of 2027 starts on 1 April 2027, quarter 4 on 1 January 2028."""
    if not year or not quarter:
        return None
    return date(year + (1 if quarter == 4 else 0), QUARTER_FIRST_MONTH[quarter], 1)


def financial_year_quarter(year: int | None, quarter: int | None) -> str:
    """'2027-28 Q2', the way content files write it."""
    if not year or not quarter:
        return ""
    return f"{year}-{(year + 1) % 100:02d} Q{quarter}"
