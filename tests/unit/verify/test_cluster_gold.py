"""The labelled gold set: clusters, independent counts, grades and contradictions.

tests/data/verify/cluster_gold.jsonl holds 32 hand-written reports (English and Arabic)
with pre-filled extractions and a `gold_event` label: echo chains, copy-paste, echoes of
our own bulletins, contradictory figures and rival perpetrators, one place in different
weeks, and three known failures kept on purpose (a village missing from the gazetteer
named in two languages; two shootings in one city on one day). cluster_gold_events.jsonl
holds the expected count, grade and number of contradictions of each gold event.
The thresholds are the levels reached when the set was written; lowering one is a
regression to explain, not to paper over.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from quietwire.verify import (
    ClusterSettings,
    Event,
    bcubed,
    cluster,
    report_from_json,
    track_record_from_json,
)

Outcome = tuple[list[dict[str, Any]], list[Event]]
DATA = Path(__file__).resolve().parents[2] / "data" / "verify"


def _lines(name: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (DATA / name).read_text("utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="module")
def outcome() -> Outcome:
    lines = _lines("cluster_gold.jsonl")
    reports = [report_from_json(obj, None) for obj in lines]
    records = track_record_from_json(
        json.loads((DATA / "cluster_track_record.json").read_text("utf-8"))
    )
    settings = ClusterSettings(own_bulletin_ids=frozenset({"qw-2025-0502-01"}))
    return lines, cluster(reports, settings, records)


def test_clusters_score_at_or_above_the_recorded_b_cubed(outcome: Outcome) -> None:
    lines, events = outcome
    gold = {x["id"]: x["gold_event"] for x in lines}
    predicted = {m: ev.event for ev in events for m in ev.members}
    score = bcubed(predicted, gold)
    # Recorded: P 0.969, R 0.969 (the two known failures cost one merge and one split).
    assert score.precision >= 0.96
    assert score.recall >= 0.96
    assert score.f1 >= 0.96


def test_counts_grades_and_contradictions_per_gold_event(outcome: Outcome) -> None:
    lines, events = outcome
    by_member = {m: ev for ev in events for m in ev.members}
    members: dict[str, list[str]] = {}
    for x in lines:
        members.setdefault(x["gold_event"], []).append(x["id"])
    expected = _lines("cluster_gold_events.jsonl")
    right: Counter[str] = Counter()
    wrong: list[str] = []
    for exp in expected:
        ids = members[exp["gold_event"]]
        ev = Counter(by_member[i].event for i in ids).most_common(1)[0][0]
        (got,) = [e for e in events if e.event == ev]
        for field, value in (
            ("independent_sources", got.independent_sources),
            ("grade", got.grade),
            ("contradictions", len(got.contradictions)),
        ):
            if value == exp[field]:
                right[field] += 1
            else:
                wrong.append(f"{exp['gold_event']} {field}: {value} != {exp[field]}")
    n = len(expected)
    # Recorded: 12/15 independent counts and grades (the three known failures), 15/15
    # contradiction counts.
    assert right["independent_sources"] / n >= 12 / 15, wrong
    assert right["grade"] / n >= 12 / 15, wrong
    assert right["contradictions"] / n >= 15 / 15, wrong


def test_the_fail_closed_cases_of_the_gold_set_hold_exactly(outcome: Outcome) -> None:
    _, events = outcome
    by_member = {m: ev for ev in events for m in ev.members}
    assert by_member["e1-paperB"].independent_sources == 1  # echo chain
    assert by_member["e1-paperB"].credibility == 3
    assert by_member["e2-y"].origins == ("outlet:idlib now", "who:unnamed witnesses")
    assert by_member["e2-y"].grade == "B2"  # copies do not corroborate; the record gives B
    assert by_member["e3-echo2"].echoes == ("e3-echo1", "e3-echo2")
    assert by_member["e3b-echo1"].grade == "F6"  # nothing but our own echo
    assert by_member["e4-a"].grade == "F4"
    assert by_member["e5-a"].grade == "F5"
    assert by_member["e6-a"].event != by_member["e7-a"].event  # same place, next week
    assert by_member["e6-a"].event != by_member["e8-a"].event  # same place, other type


def test_the_whole_pipeline_through_extract_keeps_precision(outcome: Outcome) -> None:
    # The same texts without their hand-filled extractions: `extract` reads them.
    # Recorded with the extractor of this commit: P 1.00, R 0.79 (it types some Arabic
    # texts differently from their English twins, and the split is the fail-closed side).
    from quietwire.verify import extract

    lines, _ = outcome
    reports = [
        report_from_json({k: v for k, v in x.items() if k != "extraction"}, extract) for x in lines
    ]
    settings = ClusterSettings(own_bulletin_ids=frozenset({"qw-2025-0502-01"}))
    events = cluster(reports, settings)
    gold = {x["id"]: x["gold_event"] for x in lines}
    score = bcubed({m: ev.event for ev in events for m in ev.members}, gold)
    assert score.precision >= 0.95
    assert score.recall >= 0.75
    by_member = {m: ev for ev in events for m in ev.members}
    assert by_member["e1-paperB"].independent_sources == 1  # the echo chain still holds
    assert by_member["e3b-echo1"].grade == "F6"
