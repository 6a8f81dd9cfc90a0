"""Contradictions: incompatible figures and rival perpetrators, flagged and never averaged."""

from __future__ import annotations

from tests.unit.verify.cluster_records import report

from quietwire.verify import cluster


def test_at_least_fifty_against_up_to_ten_is_a_contradiction() -> None:
    (ev,) = cluster(
        [
            report("hi", "At least 50 killed.", outlet="A", killed=(50, None)),
            report("lo", "Up to 10 killed.", outlet="B", killed=(0, 10)),
        ]
    )
    (c,) = ev.contradictions
    assert c.kind == "quantity" and c.counts == "killed"
    assert c.a.reports == ("hi",) and c.a.low == 50 and c.a.high is None
    assert c.b.reports == ("lo",) and c.b.high == 10
    assert ev.credibility == 5  # one against one
    # Summaries keep both ends, never a mean.
    (q,) = ev.quantities
    assert (q.min, q.max) == (0, None)


def test_a_toll_that_grows_a_little_is_an_update_not_a_contradiction() -> None:
    (ev,) = cluster(
        [
            report("a", "Five killed.", outlet="A", killed=(5, 5)),
            report("b", "Six killed.", outlet="B", killed=(6, 6)),
        ]
    )
    assert ev.contradictions == ()
    assert ev.credibility == 2
    (q,) = ev.quantities
    assert (q.min, q.max, q.reports) == (5, 6, 2)


def test_overlapping_intervals_agree() -> None:
    (ev,) = cluster(
        [
            report("a", "Dozens killed.", outlet="A", killed=(24, 100)),
            report("b", "At least 30 killed.", outlet="B", killed=(30, None)),
        ]
    )
    assert ev.contradictions == ()


def test_a_majority_against_one_figure_is_doubtful_and_sides_name_origins() -> None:
    (ev,) = cluster(
        [
            report("a", "Eight killed, medics say.", outlet="A", killed=(8, 8)),
            report("b", "Nine killed.", outlet="B", killed=(9, 9)),
            report("c", "At least 50 killed.", outlet="C", killed=(50, None)),
        ]
    )
    (c,) = ev.contradictions
    assert c.a.origins == ("outlet:c",)
    assert c.b.origins == ("outlet:a", "outlet:b")
    assert ev.credibility == 4


def test_rival_perpetrators_of_one_sided_violence_are_contested() -> None:
    (ev,) = cluster(
        [
            report(
                "x",
                "Army gunmen executed three farmers.",
                outlet="A",
                event_type="violence_against_civilians",
                actors=("Syrian army", "Civilians"),
            ),
            report(
                "y",
                "IS fighters executed three farmers.",
                outlet="B",
                event_type="violence_against_civilians",
                actors=("Islamic State",),
            ),
        ]
    )
    (c,) = ev.contradictions
    assert c.kind == "actors"
    assert {c.a.actors, c.b.actors} == {("syrian army",), ("islamic state",)}
    assert ev.credibility == 5


def test_two_sides_of_a_battle_are_not_a_contradiction() -> None:
    (ev,) = cluster(
        [
            report(
                "x",
                "The army clashed with rebels.",
                outlet="A",
                event_type="battles",
                actors=("Army",),
            ),
            report(
                "y", "Rebels fought the army.", outlet="B", event_type="battles", actors=("Rebels",)
            ),
        ]
    )
    assert ev.contradictions == ()


def test_an_echo_gets_no_say_in_a_contradiction() -> None:
    (ev,) = cluster(
        [
            report("a", "Eight killed.", outlet="A", killed=(8, 8)),
            report("b", "QuietWire said 60 were killed.", outlet="B", killed=(60, 60)),
        ]
    )
    assert ev.echoes == ("b",)
    assert ev.contradictions == ()
    (q,) = ev.quantities
    assert (q.min, q.max) == (8, 8)
