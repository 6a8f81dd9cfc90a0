"""Absolute and relative dates, English and Arabic, resolved against `published`."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quietwire.verify._dates import find_dates
from quietwire.verify._lang import fold

PUB = date(2015, 3, 20)  # a Friday


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("on 12 March 2015 they", date(2015, 3, 12), date(2015, 3, 12)),
        ("since March 12, the", date(2015, 3, 12), date(2015, 3, 12)),
        ("on 12/03/2015", date(2015, 3, 12), date(2015, 3, 12)),
        ("on 03/25/2015", date(2015, 3, 25), date(2015, 3, 25)),  # day-first impossible
        ("2015-03-12", date(2015, 3, 12), date(2015, 3, 12)),
        ("in March 2015", date(2015, 3, 1), date(2015, 3, 31)),
        ("on 30 December", date(2014, 12, 30), date(2014, 12, 30)),  # not in the future
        ("في 12 آذار 2015", date(2015, 3, 12), date(2015, 3, 12)),
        ("في 12 مارس 2015", date(2015, 3, 12), date(2015, 3, 12)),
        ("يوم 12 آذار/مارس", date(2015, 3, 12), date(2015, 3, 12)),
        ("في شهر أيار عام 2014", date(2014, 5, 1), date(2014, 5, 31)),
        ("yesterday", date(2015, 3, 19), date(2015, 3, 19)),
        ("last month", date(2015, 2, 1), date(2015, 2, 28)),
        ("over the past few days", date(2015, 3, 13), date(2015, 3, 20)),
        ("on Monday", date(2015, 3, 16), date(2015, 3, 16)),
        ("three days ago", date(2015, 3, 17), date(2015, 3, 17)),
        ("الأسبوع الماضي", date(2015, 3, 13), date(2015, 3, 20)),
        ("أمس", date(2015, 3, 19), date(2015, 3, 19)),
        ("أول أمس", date(2015, 3, 18), date(2015, 3, 18)),
        ("يوم الاثنين", date(2015, 3, 16), date(2015, 3, 16)),
        ("قبل يومين", date(2015, 3, 18), date(2015, 3, 18)),
        ("العام الماضي", date(2014, 1, 1), date(2014, 12, 31)),
    ],
)
def test_date_resolves(text: str, start: date, end: date) -> None:
    found = find_dates(fold(text), PUB)
    assert len(found) == 1, found
    assert (found[0].start, found[0].end) == (start, end)


def test_relative_date_without_published_keeps_its_span_but_no_day() -> None:
    (d,) = find_dates("it happened yesterday", None)
    assert d.span == (12, 21)
    assert d.start is None and d.end is None


def test_impossible_day_is_not_a_date() -> None:
    assert find_dates("31/02/2015", PUB) == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_text_never_crashes_and_intervals_are_ordered(text: str) -> None:
    for d in find_dates(fold(text), PUB):
        assert d.start is None or d.end is None or d.start <= d.end
