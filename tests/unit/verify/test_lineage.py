"""The lineage graph: who repeats whom, echoes of our own bulletins, origins."""

from __future__ import annotations

from dataclasses import replace

from tests.unit.verify.cluster_records import report

from quietwire.verify import ClusterSettings, cluster

ORIGINAL = (
    "Shelling hit the Mishlab district on Monday morning, killing four people, among them "
    "two children, according to our correspondent who reached the scene at noon."
)


def _one(reports, settings=None):  # type: ignore[no-untyped-def]
    events = cluster(reports, settings)
    assert len(events) == 1, [e.members for e in events]
    return events[0]


def test_an_echo_chain_has_one_origin_and_the_graph_shows_why() -> None:
    # Given an activist's report, paper A quoting the activist, paper B citing paper A
    activist = report("act", ORIGINAL, outlet="Raqqa Monitor", source="obs-17")
    paper_a = report("pa", "Four died in shelling.", outlet="Levant Daily", says=("Raqqa Monitor",))
    paper_b = report(
        "pb",
        "Shelling killed four, Levant Daily said.",
        outlet="Gulf Mirror",
        cites=("Levant Daily",),
    )
    # When clustered
    ev = _one([activist, paper_a, paper_b])
    # Then one independent source, and edges pb -> pa -> act
    assert ev.origins == ("source:obs 17",)
    assert ev.independent_sources == 1
    edges = {(e.child, e.parent, e.kind) for e in ev.lineage}
    assert ("pa", "act", "attributes") in edges
    assert ("pb", "pa", "cites") in edges


def test_two_outlets_quoting_one_named_source_count_once() -> None:
    ev = _one(
        [
            report(
                "a",
                "Seven killed, the Civil Defence said.",
                outlet="A",
                says=("the Civil Defence",),
            ),
            report(
                "b",
                "قال الدفاع المدني إن سبعة قتلوا.",
                outlet="B",
                says=("الدفاع المدني",),
                lang="ar",
            ),
        ]
    )
    assert ev.origins == ("who:civil defence",)


def test_copy_paste_is_one_source_pointing_at_the_earlier_text() -> None:
    ev = _one(
        [
            report("late", "BREAKING | " + ORIGINAL, outlet="Copycat", published="2025-03-04"),
            report("early", ORIGINAL, outlet="First Post", published="2025-03-03"),
        ]
    )
    assert ev.origins == ("outlet:first post",)
    assert [(e.child, e.parent, e.kind) for e in ev.lineage] == [("late", "early", "copies")]


def test_independent_texts_are_independent_sources() -> None:
    ev = _one(
        [
            report("a", "Warplanes bombed a market at dawn.", outlet="Alpha News"),
            report("b", "Witnesses saw jets over the souk before the blast.", outlet="Beta Times"),
            report("c", "Medics counted the wounded at the hospital.", outlet="Gamma Daily"),
        ]
    )
    assert ev.independent_sources == 3
    assert ev.lineage == ()


def test_citing_our_bulletin_by_name_or_id_is_an_echo_not_corroboration() -> None:
    settings = ClusterSettings(own_bulletin_ids=frozenset({"qw-0042"}))
    ev = _one(
        [
            report("ours", "Students marched.", source="S-104", event_type="protests"),
            report(
                "n",
                "As QuietWire first reported, students marched.",
                outlet="X",
                event_type="protests",
            ),
            report(
                "i",
                "Students marched on Friday.",
                outlet="Y",
                cites=("qw-0042",),
                event_type="protests",
            ),
            report(
                "ar",
                "ذكرت منصة كوايت واير أن طلاباً تظاهروا.",
                outlet="Z",
                event_type="protests",
                lang="ar",
            ),
        ],
        settings,
    )
    assert ev.origins == ("source:s 104",)
    assert ev.echoes == ("ar", "i", "n")
    assert {e.kind for e in ev.lineage} == {"echoes"}


def test_repeating_an_echo_is_an_echo_too() -> None:
    ev = _one(
        [
            report(
                "e",
                "QuietWire says water was cut.",
                outlet="Echo Times",
                event_type="strategic_developments",
            ),
            report(
                "r",
                "Water was cut, Echo Times said.",
                outlet="Relay",
                says=("Echo Times",),
                event_type="strategic_developments",
            ),
        ]
    )
    assert ev.echoes == ("e", "r")
    assert ev.independent_sources == 0
    assert ev.credibility == 6


def test_unnamed_sources_of_one_kind_count_once_failing_closed() -> None:
    ev = _one(
        [
            report("a", "Activists said four died.", outlet="A", says=("activists",)),
            report(
                "b", "Local activists reported four deaths.", outlet="B", says=("local activists",)
            ),
            report("c", "قال ناشطون إن أربعة قتلوا.", outlet="C", says=("ناشطون",), lang="ar"),
            report("d", "Witnesses said four died.", outlet="D", says=("witnesses",)),
        ]
    )
    assert ev.origins == ("who:unnamed activists", "who:unnamed witnesses")


def test_a_report_naming_itself_is_its_own_account() -> None:
    ev = _one([report("a", "Reuters reported shelling.", outlet="Reuters", says=("Reuters",))])
    assert ev.origins == ("outlet:reuters",)
    assert ev.lineage == ()


def test_a_citation_loop_does_not_hang_and_counts_once_failing_closed() -> None:
    ev = _one(
        [
            report("a", "Shelling, B says.", outlet="A", cites=("B",)),
            report("b", "Shelling, A says.", outlet="B", cites=("A",)),
        ]
    )
    assert ev.independent_sources == 1
    assert ev.origins[0] in {"outlet:a", "outlet:b"}


def test_a_source_quoting_another_leads_to_the_one_quoted() -> None:
    from quietwire.verify import Report
    from quietwire.verify._types import Attribution

    base = report("a", "The agency, quoting the Civil Defence, said seven died.", outlet="A")
    quoting = Attribution("the agency", "quoting", None, "", (0, 0), cites="the Civil Defence")
    a = Report(base.doc, replace(base.extraction, attributions=(quoting,)))
    b = report("b", "Seven died, the Civil Defence said.", outlet="B", says=("the Civil Defence",))
    ev = _one([a, b])
    assert ev.origins == ("who:civil defence",)
    # "the agency" is a description, not a name: the text names the Civil Defence, so
    # the report leads straight to it.
    assert ("a", "who:civil defence", "attributes") in {
        (e.child, e.parent, e.kind) for e in ev.lineage
    }
