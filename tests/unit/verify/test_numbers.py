"""Hedged numbers as intervals, English and Arabic."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quietwire.verify._lang import fold
from quietwire.verify._numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    ("text", "low", "high", "qualifier"),
    [
        ("up to 100 people", 0, 100, "at_most"),
        ("at least 16 were killed", 16, None, "at_least"),
        ("more than 200 families", 201, None, "at_least"),
        ("fewer than 20 remain", 0, 19, "at_most"),
        ("dozens of civilians", 12, 99, "vague"),
        ("some 30 fighters", 27, 33, "about"),
        ("around 25 nurses", 22, 28, "about"),
        ("between 10 and 20 people", 10, 20, "range"),
        ("three or four men", 3, 4, "range"),
        ("sixteen men", 16, 16, "exact"),
        ("two hundred and fifty", 250, 250, "exact"),
        ("two dozen students", 24, 24, "exact"),
        ("1,200 people", 1200, 1200, "exact"),
        ("قتل ما لا يقل عن ١٦ مدنيا", 16, None, "at_least"),
        ("أكثر من خمسة وعشرين", 26, None, "at_least"),
        ("عشرات المدنيين", 10, 99, "vague"),
        ("مئات الأشخاص", 100, 999, "vague"),
        ("نحو 30 شخصا", 27, 33, "about"),
        ("حوالي ٥٠ شابا", 45, 55, "about"),
        ("ما يصل إلى 12 شخصا", 0, 12, "at_most"),
        ("بين 10 و20 مقاتلا", 10, 20, "range"),
        ("ثلاثة عشر طفلا", 13, 13, "exact"),
    ],
)
def test_hedged_number_becomes_the_documented_interval(
    text: str, low: float, high: float | None, qualifier: str
) -> None:
    found = find_numbers(fold(text))
    assert len(found) == 1, found
    n = found[0]
    assert (n.low, n.high, n.qualifier) == (low, high, qualifier)
    assert text[n.span[0] : n.span[1]].strip() == text[n.span[0] : n.span[1]]


def test_arabic_compound_is_one_number_not_a_range() -> None:
    # "five and twenty" is 25 in Arabic word order, not the range 5..20
    assert parse_number(fold("خمسة وعشرين")) == 25


def test_unknown_words_are_not_numbers() -> None:
    assert parse_number("twelvety") is None
    assert find_numbers("no numbers here at all") == []


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789 ,.-abtwnoueihrsfvl٠١٢٣عشراتنحوأكثرمن")),
        max_size=80,
    )
)
def test_never_crashes_and_low_never_exceeds_high(text: str) -> None:
    for n in find_numbers(fold(text)):
        assert n.low is not None
        assert n.high is None or n.low <= n.high
        assert 0 <= n.span[0] < n.span[1] <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_unicode_is_safe(text: str) -> None:
    for n in find_numbers(fold(text)):
        assert n.high is None or n.low is None or n.low <= n.high
