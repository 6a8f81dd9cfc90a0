"""Admiralty grading: reliability from the track record, credibility from this event."""

from __future__ import annotations

import pytest
from tests.unit.verify.cluster_records import report

from quietwire.verify import SourceRecord, cluster, track_record_from_json
from quietwire.verify._cluster_types import Contradiction, Side
from quietwire.verify._grading import credibility, reliability, source_letter, wilson_lower

CONTRA = Contradiction(
    "quantity", "killed", Side(("a",), ("o1",), 50, None), Side(("b",), ("o2",), 0, 10), "x"
)


@pytest.mark.parametrize(
    ("confirmed", "refuted", "letter"),
    [
        (0, 0, "F"),  # no basis: cannot be judged
        (4, 0, "F"),  # too short a record, however good
        (10, 0, "C"),  # ten out of ten is promising, not proven
        (20, 0, "B"),
        (60, 1, "A"),
        (12, 4, "D"),
        (3, 9, "E"),
    ],
)
def test_source_letters_follow_the_track_record(confirmed: int, refuted: int, letter: str) -> None:
    assert source_letter(SourceRecord(confirmed, refuted), min_record=5) == letter


def test_the_missing_source_is_f() -> None:
    assert source_letter(None, 5) == "F"


def test_wilson_bound_is_below_the_raw_share_and_zero_without_record() -> None:
    assert wilson_lower(0, 0) == 0.0
    assert 0.8 < wilson_lower(95, 100) < 0.95


def test_reliability_takes_the_best_judged_origin_and_lists_each() -> None:
    records = {"alpha": SourceRecord(60, 1), "beta": SourceRecord(3, 9)}
    letter, letters = reliability(["outlet:alpha", "outlet:beta", "who:new"], records, 5)
    assert letter == "A"
    assert letters == {"outlet:alpha": "A", "outlet:beta": "E", "who:new": "F"}
    assert reliability(["who:new"], records, 5)[0] == "F"


@pytest.mark.parametrize(
    ("independent", "contradictions", "number"),
    [
        (0, [], 6),  # zero sources: cannot be judged, never "confirmed"
        (1, [], 3),  # one source never above 3
        (2, [], 2),
        (3, [], 1),
        (7, [], 1),
        (3, [CONTRA], 5),  # one origin against one: improbable
        (0, [CONTRA], 6),
    ],
)
def test_credibility_fails_closed(
    independent: int, contradictions: list[Contradiction], number: int
) -> None:
    assert credibility(independent, contradictions)[0] == number


def test_a_contradiction_with_a_majority_is_doubtful() -> None:
    lopsided = Contradiction(
        "quantity",
        "killed",
        Side(("a",), ("o1",), 50, None),
        Side(("b", "c"), ("o2", "o3"), 0, 10),
        "x",
    )
    assert credibility(3, [lopsided])[0] == 4


def test_the_two_axes_are_independent() -> None:
    # A source with a long, clean record reporting alone: reliable, but only "possibly true".
    records = track_record_from_json({"Alpha News": {"confirmed": 60, "refuted": 0}})
    alone = cluster(
        [report("a", "Jets struck the market.", outlet="Alpha News")], track_record=records
    )
    assert alone[0].grade == "A3"
    # Three unknown sources agreeing: confirmed information from sources we cannot judge.
    three = cluster(
        [
            report("x", "Jets struck the market.", outlet="X"),
            report("y", "A raid hit the souk.", outlet="Y"),
            report("z", "Bombs fell near the stalls.", outlet="Z"),
        ]
    )
    assert three[0].grade == "F1"


def test_many_copies_of_one_source_never_grade_above_three() -> None:
    text = (
        "A drone strike destroyed a fuel depot on the outskirts of the city late on Tuesday night."
    )
    copies = [report(f"c{k}", f"Outlet {k} | " + text, outlet=f"Outlet {k}") for k in range(8)]
    (ev,) = cluster(copies)
    assert ev.independent_sources == 1
    assert ev.credibility == 3


def test_a_bad_track_record_is_refused() -> None:
    from quietwire.verify import ClusterError

    with pytest.raises(ClusterError):
        track_record_from_json({"x": {"confirmed": -1, "refuted": 0}})
    with pytest.raises(ClusterError):
        track_record_from_json(["x"])
