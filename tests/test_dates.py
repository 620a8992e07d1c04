"""Dates and periods of the fact files."""

import datetime as dt

import pytest

from builder.dates import DateError, parse_date, parse_period


def test_precision_sets_the_datatype() -> None:
    assert parse_date("2019-08-18").datatype.endswith("#date")
    assert parse_date("2021-04").datatype.endswith("#gYearMonth")
    assert parse_date(2021).datatype.endswith("#gYear")


def test_half_years_and_ranges() -> None:
    h1 = parse_period("2021-H1")
    assert (h1.start, h1.end, h1.label_zh) == (
        dt.date(2021, 1, 1),
        dt.date(2021, 6, 30),
        "2021年上半年",
    )
    span = parse_period("2015--2020")
    assert (span.start, span.end) == (dt.date(2015, 1, 1), dt.date(2020, 12, 31))


@pytest.mark.parametrize("text", ["2021-13", "2021-02-30", "21-01", "2020--2015", "2021-H3"])
def test_bad_dates_are_refused(text: str) -> None:
    with pytest.raises(DateError):
        parse_period(text)
