"""Quantity texts of the article become values in base units, or clear errors."""

from decimal import Decimal

import pytest

from builder.quantities import (
    COUNT_UNIT,
    UNIT,
    QuantityError,
    decimal_text,
    parse_percent,
    parse_quantity,
    parse_rank,
)


@pytest.mark.parametrize(
    ("text", "value", "unit", "count_word", "qualifier"),
    [
        ("1268.19亿元", "126819000000", UNIT + "CCY_CNY", None, None),
        ("约5.4亿元", "540000000", UNIT + "CCY_CNY", None, "About"),
        ("1.5亿元", "150000000", UNIT + "CCY_CNY", None, None),
        ("10.3%", "10.3", UNIT + "PERCENT", None, None),
        ("51.3公顷", "51.3", UNIT + "HA", None, None),
        ("990万平方米", "9900000", UNIT + "M2", None, None),
        ("29个月", "29", UNIT + "MO", None, None),
        ("超过80家", "80", COUNT_UNIT, "家", "MoreThan"),
        ("4.4万个以上", "44000", COUNT_UNIT, "个", "AtLeast"),
        ("10余个", "10", COUNT_UNIT, "个", "MoreThan"),
        ("近50万人次", "500000", COUNT_UNIT, "人次", "Nearly"),
        ("逾40亿条", "4000000000", COUNT_UNIT, "条", "MoreThan"),
        ("1/3", "33.3333333333", UNIT + "PERCENT", None, None),
        ("36个班", "36", UNIT + "NUM", "班", None),
        ("5大领域", "5", UNIT + "NUM", "领域", None),
    ],
)
def test_quantities_normalise(
    text: str, value: str, unit: str, count_word: str | None, qualifier: str | None
) -> None:
    quantity = parse_quantity(text)
    assert decimal_text(quantity.value) == value
    assert (quantity.unit, quantity.count_word, quantity.qualifier) == (unit, count_word, qualifier)
    assert quantity.text == text


@pytest.mark.parametrize("text", ["80公斤", "5.4亿美元", "十个"])
def test_unknown_units_are_refused(text: str) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(text)


def test_growth_must_be_a_percentage() -> None:
    assert parse_percent("36.1%").value == Decimal("36.1")
    with pytest.raises(QuantityError, match="not a percentage"):
        parse_percent("36.1亿元")


def test_ranks_read_chinese_ordinals() -> None:
    assert parse_rank("全市第二") == (2, "City")
    assert parse_rank("全市第一") == (1, "City")
    with pytest.raises(QuantityError):
        parse_rank("第一梯队")
