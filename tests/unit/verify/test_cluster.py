"""Grouping reports into events: blocking by place, week and type; near-duplicates."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from tests.unit.verify.cluster_records import groups, report

from quietwire.verify import ClusterError, ClusterSettings, cluster
from quietwire.verify._minhash import band_buckets, shingle_hashes, signatures, similarity

STRIKE = "An air strike hit the market in {place} on Monday, killing {n} people and wounding many."


def test_same_place_and_type_within_the_window_is_one_event() -> None:
    # Given three texts about one strike, worded differently, one day apart at most
    reports = [
        report("a", "Warplanes bombed a market.", day="2025-03-03"),
        report("b", "A market was hit from the air, medics say.", day="2025-03-04"),
        report("c", "Rescuers dug through rubble after the raid.", day="2025-03-03"),
    ]
    # When clustered
    events = cluster(reports)
    # Then they form one event
    assert groups(events) == {frozenset({"a", "b", "c"})}


def test_same_place_in_another_week_is_another_event() -> None:
    reports = [
        report("w1", STRIKE.format(place="Aleppo", n=5), day="2025-03-03"),
        report("w2", STRIKE.format(place="Aleppo", n=5), day="2025-03-10"),
    ]
    assert groups(cluster(reports)) == {frozenset({"w1"}), frozenset({"w2"})}


def test_same_place_and_day_but_another_type_stays_apart_when_texts_differ() -> None:
    reports = [
        report("s", "Shells fell on the old city.", event_type="explosions_remote_violence"),
        report("p", "Students marched to demand jobs.", event_type="protests"),
    ]
    assert groups(cluster(reports)) == {frozenset({"s"}), frozenset({"p"})}


def test_different_sub_event_types_at_one_place_and_day_are_two_events() -> None:
    reports = [
        report("air1", "Jets struck a depot.", sub_type="Air/drone strike"),
        report("air2", "A warplane bombed the fuel depot.", sub_type="Air/drone strike"),
        report("ied", "A roadside bomb killed two soldiers.", sub_type="Remote explosive/IED"),
    ]
    assert groups(cluster(reports)) == {frozenset({"air1", "air2"}), frozenset({"ied"})}


def test_arabic_and_english_names_of_one_place_meet_by_coordinates() -> None:
    reports = [
        report("en", "An air strike hit Aleppo.", place="Aleppo"),
        report("ar", "غارة جوية على حلب.", place="حلب", lang="ar"),
    ]
    assert groups(cluster(reports)) == {frozenset({"en", "ar"})}


def test_a_copy_that_lost_its_place_joins_its_original_by_text() -> None:
    text = STRIKE.format(place="Idlib", n=7) + " The civil defence said the toll may rise."
    reports = [
        report("orig", text, place="Idlib"),
        report("copy", "URGENT: " + text, place=None),
        report("other", "Unrelated: the price of bread doubled this winter.", place=None),
    ]
    assert groups(cluster(reports)) == {frozenset({"orig", "copy"}), frozenset({"other"})}


def test_a_report_without_a_type_joins_the_event_its_text_resembles() -> None:
    base = "A drone destroyed a fuel depot on the outskirts of Aleppo late on Tuesday night"
    reports = [
        report("typed", base + ", our correspondent reported."),
        report("untyped", base + ", firefighters said.", event_type=None),
        report("protest", "Teachers rallied for their pensions.", event_type="protests"),
    ]
    events = groups(cluster(reports))
    assert frozenset({"typed", "untyped"}) in events


def test_near_duplicates_of_different_places_never_merge() -> None:
    reports = [
        report("x", STRIKE.format(place="the town", n=3), place="Aleppo"),
        report("y", STRIKE.format(place="the town", n=3), place="Mosul"),
    ]
    assert groups(cluster(reports)) == {frozenset({"x"}), frozenset({"y"})}


def test_a_daily_chain_of_look_alike_reports_is_cut_into_windows() -> None:
    # A template repeated every day for a month must not become one month-long event.
    reports = [
        report(f"d{k}", STRIKE.format(place="Aleppo", n=4), day=f"2025-03-{k:02d}", place=None)
        for k in range(1, 31)
    ]
    events = cluster(reports)
    assert len(events) >= 4
    for ev in events:
        assert ev.date_range is not None
        assert (ev.date_range[1] - ev.date_range[0]).days <= 3 * 2 + 1


def test_every_report_lands_in_exactly_one_event() -> None:
    reports = [
        report(f"r{k}", f"Report number {k} about shelling.", day=f"2025-0{1 + k % 9}-0{1 + k % 7}")
        for k in range(60)
    ]
    members = [m for ev in cluster(reports) for m in ev.members]
    assert sorted(members) == sorted(r.id for r in reports)


def test_two_reports_with_one_id_are_refused() -> None:
    with pytest.raises(ClusterError, match="share the id"):
        cluster([report("same", "one"), report("same", "two")])


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ClusterError):
        ClusterSettings(num_perm=30, bands=8)
    with pytest.raises(ClusterError):
        ClusterSettings(near_duplicate=0.0)


def test_minhash_estimates_jaccard_and_is_stable_across_processes() -> None:
    a = "the quick brown fox jumps over the lazy dog near the river bank today"
    b = "the quick brown fox jumps over the lazy dog near the river bank tonight"
    c = "completely different words about bread prices and power cuts in winter"
    sigs = signatures([shingle_hashes(t) for t in (a, b, c, "")], 128)
    assert similarity(sigs, 0, 0) == 1.0
    assert similarity(sigs, 0, 1) > 0.7
    assert similarity(sigs, 0, 2) < 0.2
    assert similarity(sigs, 3, 3) == 0.0  # a text without words resembles nothing
    # CRC-32 and fixed permutations: another interpreter computes the same signature.
    code = (
        "from quietwire.verify._minhash import *;"
        f"print(signatures([shingle_hashes({a!r})], 128)[0].tolist())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(sigs[0].tolist())


def test_lsh_buckets_catch_near_duplicates_and_skip_empty_texts() -> None:
    texts = ["alpha beta gamma delta epsilon zeta eta theta iota kappa"] * 2 + ["", "", "x y z"]
    sigs = signatures([shingle_hashes(t) for t in texts], 32)
    buckets = [set(b.tolist()) for b in band_buckets(sigs, 8)]
    assert {0, 1} in buckets
    assert not any(2 in b or 3 in b for b in buckets)
    assert isinstance(sigs, np.ndarray)


def test_an_undated_report_joins_the_one_event_in_range_but_not_one_of_two() -> None:
    # Given an event on the 3rd and a report published on the 4th naming no date
    event = report("ev", "Warplanes bombed a market.", day="2025-03-03")
    undated = report("u", "Rescuers searched the rubble.", day=None, published="2025-03-04")
    # Then it joins the only strike in range
    assert groups(cluster([event, undated])) == {frozenset({"ev", "u"})}
    # But with two strikes of different kinds in range it cannot tell which: fail closed
    air = report("air", "Jets bombed a depot.", day="2025-03-03", sub_type="Air/drone strike")
    ied = report("ied", "A roadside bomb hit a bus.", day="2025-03-03", sub_type="IED")
    assert frozenset({"u"}) in groups(cluster([air, ied, undated]))
