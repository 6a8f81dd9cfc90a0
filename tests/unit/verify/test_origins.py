"""Origins as entities: one monitoring group under its namings, quotes are not sources."""

from __future__ import annotations

from tests.unit.verify.cluster_records import report

from quietwire.verify import cluster
from quietwire.verify._origins import cited, organisation_like, resolve

SOHR = "syrian observatory for human rights"


def test_the_namings_of_one_monitor_resolve_to_one_origin() -> None:
    for name in (
        "the Syrian Observatory for Human Rights",
        "SOHR",
        "the Observatory",
        "the UK-based monitor",
        "the Britain-based monitoring group",
        "المرصد السوري لحقوق الإنسان",
        "المرصد السوري",
        "Rami Abdel Rahman, head of the Observatory",
    ):
        found = resolve(name)
        assert found is not None and found.canonical == SOHR, name


def test_a_text_names_its_origin_with_a_reporting_word_in_either_language() -> None:
    assert [
        o.canonical for o in cited("Nine died in the shelling, the UK-based monitor said.")
    ] == [SOHR]
    assert [o.canonical for o in cited("وبحسب المرصد، قتل تسعة في القصف.")] == [SOHR]
    assert cited("The observatory on the hill is closed for repairs.") == []
    assert cited("Residents who fled said nine died.") == []  # "who" is not the WHO


def test_bodies_are_told_from_people() -> None:
    assert organisation_like("the health directorate in the town")
    assert organisation_like("مديرية الصحة")
    assert not organisation_like("Hana Khoury, a seamstress")
    assert not organisation_like("التاجر سمير الأحمد")


def test_outlets_repeating_one_monitor_under_different_names_are_one_source() -> None:
    events = cluster(
        [
            report("a", "Nine died, SOHR said.", outlet="First Wire", says=("SOHR",)),
            report("b", "Nine died, said the UK-based monitor.", outlet="Second Post"),
            report("c", "قال المرصد السوري إن تسعة قتلوا.", outlet="ثالث", lang="ar"),
        ]
    )
    assert len(events) == 1
    assert events[0].origins == (f"who:{SOHR}",)
    assert events[0].credibility == 3


def test_an_article_quoting_seven_people_is_one_source_graded_3_at_best() -> None:
    names = ("Hana Khoury", "Omar Saleh", "Karim Nassar", "Lina Mourad", "Tarek Aziz")
    names += ("Nabil Daher", "سمير الأحمد")
    ev = cluster([report("a", "A fire killed three workers.", outlet="Levant Daily", says=names)])[
        0
    ]
    assert ev.origins == ("outlet:levant daily",)
    assert ev.credibility == 3


def test_one_article_citing_two_bodies_is_still_not_confirmed() -> None:
    ev = cluster(
        [
            report(
                "a",
                "Nine died, the Civil Defence and the health ministry said.",
                outlet="Levant Daily",
                says=("the Civil Defence", "the health ministry"),
            )
        ]
    )[0]
    assert ev.independent_sources == 2
    assert ev.credibility == 3


def test_two_outlets_each_with_its_own_account_still_confirm_each_other() -> None:
    ev = cluster(
        [
            report("a", "Nine died in the strike, our reporter saw.", outlet="Levant Daily"),
            report("b", "The strike killed nine, we counted.", outlet="Gulf Wire"),
        ]
    )[0]
    assert ev.independent_sources == 2
    assert ev.credibility == 2


def test_whom_a_source_told_is_not_a_source() -> None:
    text = "A nurse told Reuters that nine people died, the Observatory said."
    assert [o.canonical for o in cited(text)] == [SOHR]


def test_the_origin_is_whom_the_report_cites_for_the_figures() -> None:
    from dataclasses import replace

    from quietwire.verify import Report
    from quietwire.verify._types import Attribution, Quantity

    text = "The Observatory said 9 were killed. The United Nations said it was worried."
    base = report("a", text, outlet="Levant Daily")
    toll = Quantity("9", (21, 22), 9, 9, "exact", "killed")
    says = (
        Attribution("The Observatory", "said", None, "9 were killed", (21, 35)),
        Attribution("The United Nations", "said", None, "it was worried", (60, 75)),
    )
    r = Report(base.doc, replace(base.extraction, attributions=says, quantities=(toll,)))
    assert cluster([r])[0].origins == (f"who:{SOHR}",)
