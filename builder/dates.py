"""Dates and periods: ISO text in the fact files to typed literals and intervals."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

XSD = "http://www.w3.org/2001/XMLSchema#"

_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_HALF = re.compile(r"^(\d{4})-H([12])$")


class DateError(ValueError):
    """A date or period text that is not valid."""


@dataclass(frozen=True)
class DateValue:
    """A date at year, month or day precision."""

    text: str
    datatype: str  # xsd:gYear, xsd:gYearMonth or xsd:date
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class Period:
    """A time interval with its readable labels."""

    key: str
    start: dt.date
    end: dt.date
    label_zh: str
    label_en: str


def parse_date(text: object) -> DateValue:
    """`2021`, `2021-04` or `2019-08-18`."""
    value = str(text).strip()
    try:
        if _YEAR.match(value):
            year = int(value)
            return DateValue(value, XSD + "gYear", dt.date(year, 1, 1), dt.date(year, 12, 31))
        if m := _MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            last_day = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            first, last = dt.date(year, month, 1), dt.date(year, month, last_day)
            return DateValue(value, XSD + "gYearMonth", first, last)
        if _DAY.match(value):
            day = dt.date.fromisoformat(value)
            return DateValue(value, XSD + "date", day, day)
    except ValueError as err:
        raise DateError(f"bad date {value!r}: {err}") from err
    raise DateError(f"bad date {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")


def _labels_for_date(value: DateValue) -> tuple[str, str]:
    first = value.first
    if value.datatype.endswith("gYear"):
        return f"{first.year}年", f"{first.year}"
    if value.datatype.endswith("gYearMonth"):
        return f"{first.year}年{first.month}月", first.strftime("%B %Y")
    return f"{first.year}年{first.month}月{first.day}日", first.isoformat()


def parse_period(text: object) -> Period:
    """A period: a date, `YYYY-H1`/`YYYY-H2`, or `A--B` with A and B dates."""
    value = str(text).strip()
    if m := _HALF.match(value):
        year, half = int(m[1]), int(m[2])
        start = dt.date(year, 1 if half == 1 else 7, 1)
        end = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
        zh = f"{year}年{'上' if half == 1 else '下'}半年"
        en = f"{'first' if half == 1 else 'second'} half of {year}"
        return Period(value, start, end, zh, en)
    if "--" in value:
        left, right = value.split("--", 1)
        first, last = parse_date(left), parse_date(right)
        if last.last < first.first:
            raise DateError(f"bad period {value!r}: it ends before it starts")
        zh = f"{_labels_for_date(first)[0]}至{_labels_for_date(last)[0]}"
        en = f"{_labels_for_date(first)[1]} to {_labels_for_date(last)[1]}"
        return Period(value, first.first, last.last, zh, en)
    single = parse_date(value)
    zh, en = _labels_for_date(single)
    return Period(value, single.first, single.last, zh, en)
