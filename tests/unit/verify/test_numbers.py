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
        ("four hundred and twelve", 412, 412, "exact"),
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


@pytest.mark.parametrize(
    ("text", "low", "high", "qualifier"),
    [
        ("roughly 3.5 million refugees", 3150000, 3850000, "about"),
        ("some 20k residents", 18000, 22000, "about"),
        ("a budget of $2.6bn", 2.6e9, 2.6e9, "exact"),
        ("from 80 to 95 soldiers", 80, 95, "range"),
        ("between 2 and 3 million people", 2e6, 3e6, "range"),
        ("tens of thousands of families", 10000, 99999, "vague"),
        ("several hundred workers", 200, 999, "vague"),
        ("90 bodies or more", 90, None, "at_least"),
        ("25 or so families", 22, 28, "about"),
        ("nearly a dozen guards", 10, 14, "about"),
        ("forty-two villagers", 42, 42, "exact"),
        ("حوالي 400 ألف نازح", 360000, 440000, "about"),
        ("ثلاثة آلاف مقاتل", 3000, 3000, "exact"),
        ("مئات الآلاف من اللاجئين", 100000, 999999, "vague"),
        ("19 قتيلا على الأقل", 19, None, "at_least"),
        ("وقرابة 60 جريحا", 54, 66, "about"),
        ("بنحو 40 قتيلا", 36, 44, "about"),
        ("من 70 إلى 90 معتقلا", 70, 90, "range"),
        ("يزيد عن مليوني شخص", 2000001, None, "at_least"),
        ("قتل شخصان", 2, 2, "exact"),
    ],
)
def test_scales_ranges_and_hedges_after(
    text: str, low: float, high: float | None, qualifier: str
) -> None:
    found = find_numbers(fold(text))
    assert [(n.low, n.high, n.qualifier) for n in found] == [(low, high, qualifier)]


@pytest.mark.parametrize(
    "text",
    [
        "The council passed resolution 2401 in February.",
        "Units of Brigade 55 moved along Route 4 towards the airport.",
        "Since 2012 the town has changed hands twice.",
        "Between 2014 and 2017 the group held the city.",
        "The talks resume on 21 May in Geneva.",
        "An F-16 flew over the valley.",
        "The strike came at dawn (0400 GMT) on the outskirts.",
        "انتشر عناصر الفوج 46 قرب الطريق رقم 7.",
        "صدر القرار 2139 عام 2014.",
        "وصل الوفد في 14 نيسان إلى شارع 29 أيار.",
    ],
)
def test_years_dates_and_names_with_numbers_are_not_counts(text: str) -> None:
    assert find_numbers(fold(text)) == []


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("Gunmen killed 6 and wounded 14 at the market.", ["killed", "wounded"]),
        ("Four policemen died and nine others were hurt.", ["killed", "wounded"]),
        ("The raid left 33 dead and 50 injured.", ["killed", "wounded"]),
        ("Hundreds marched to demand the release of prisoners.", ["protesters"]),
        ("Officers detained 18 students at the gate.", ["arrested"]),
        ("More than 9,000 people fled the shelling.", ["displaced"]),
        ("The drones fired 12 missiles at the base.", [None]),
        ("The fund needs $300 million for the camps.", [None]),
        ("The blast took the lives of 3 workers, wounding others.", ["killed"]),
        ("قتل أربعة وأصيب ستة آخرون بجروح.", ["killed", "wounded"]),
        ("أسفر الانفجار عن 17 قتيلا و40 جريحا.", ["killed", "wounded"]),
        ("اعتقلت الشرطة نحو 30 طالبا.", ["arrested"]),
        ("نزح أكثر من ألفي شخص من القرى.", ["displaced"]),
        ("أطلق المسلحون 20 قذيفة على البلدة.", [None]),
    ],
)
def test_what_is_counted_keeps_killed_and_wounded_apart(
    text: str, counts: list[str | None]
) -> None:
    assert [n.counts for n in find_numbers(fold(text))] == counts


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
