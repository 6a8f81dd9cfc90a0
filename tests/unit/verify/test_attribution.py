"""Attributed claims and echo chains."""

from __future__ import annotations

from quietwire.verify._attribution import find_attributions
from quietwire.verify._lang import fold


def _cut(text: str, span: tuple[int, int] | None) -> str | None:
    return text[span[0] : span[1]] if span else None


def _rows(text: str) -> list[tuple[str | None, str | None, str | None, str | None, str | None]]:
    return [
        (
            _cut(text, a.source) or "unspecified",
            _cut(text, a.cue),
            _cut(text, a.recipient),
            _cut(text, a.content_span),
            _cut(text, a.cites),
        )
        for a in find_attributions(fold(text))
    ]


def test_told_outlet_cited_by_another_is_a_chain() -> None:
    text = "An activist told The Independent that 16 men gave blood, which was cited by Al Jazeera."
    assert _rows(text) == [
        ("An activist", "told", "The Independent", "16 men gave blood", None),
        ("Al Jazeera", "cited by", None, "16 men gave blood", "The Independent"),
    ]


def test_according_to_either_side() -> None:
    assert _rows("According to residents, the bridge fell.") == [
        ("residents", "According to", None, "the bridge fell", None)
    ]
    assert _rows("The bridge fell, according to residents.") == [
        ("residents", "according to", None, "The bridge fell", None)
    ]


def test_quote_first_with_recipient() -> None:
    text = '"They took everyone," a resident told Reuters.'
    assert _rows(text) == [("a resident", "told", "Reuters", "They took everyone", None)]


def test_reportedly_has_an_unspecified_source() -> None:
    assert _rows("The group reportedly seized the dam.")[0][:2] == ("unspecified", "reportedly")


def test_arabic_verb_first_with_recipient() -> None:
    text = "قال ناشط لصحيفة الإندبندنت إن التنظيم أعدم ثلاثة شبان."
    # names come back as written, hamza and all
    assert _rows(text) == [("ناشط", "قال", "صحيفة الإندبندنت", "التنظيم أعدم ثلاثة شبان", None)]


def test_arabic_quoted_by_outlet_is_a_chain() -> None:
    text = "نقلت صحيفة الحياة عن ناشط قوله إن التنظيم اعتقل العشرات."
    rows = _rows(text)
    assert rows[0][:3] == ("ناشط", "قوله", "صحيفة الحياة")
    assert rows[1] == ("صحيفة الحياة", "نقلت", None, "التنظيم اعتقل العشرات", "ناشط")


def test_arabic_according_to_with_nested_source() -> None:
    text = "وبحسب موقع عين على الوطن نقلاً عن ناشط، فإن التنظيم أعدم رجلين."
    rows = _rows(text)
    # spans: names come back as written (على, not the folded علي)
    assert rows[0][0] == "موقع عين على الوطن" and rows[0][4] == "ناشط"
    assert rows[0][3] == "التنظيم أعدم رجلين"
    assert rows[1][0] == "ناشط"


def test_no_cue_no_attribution() -> None:
    assert _rows("Air strikes hit the bridge on Monday.") == []


def _pairs(text: str) -> list[tuple[str | None, str | None]]:
    return [(r[0], r[3]) for r in _rows(text)]


def test_cues_of_belief_and_judgement_are_attributions() -> None:
    assert _pairs("Witnesses blamed the militia for the fire in the grain store.") == [
        ("Witnesses", "the militia for the fire in the grain store")
    ]
    assert _pairs("Police suspect that the bomb was planted overnight.") == [
        ("Police", "the bomb was planted overnight")
    ]
    assert _pairs("Local doctors questioned the official toll.") == [
        ("Local doctors", "the official toll")
    ]


def test_the_source_is_the_subject_not_the_clause_around_it() -> None:
    text = "When the interior minister said the checkpoint would close, traders protested."
    assert _pairs(text) == [("the interior minister", "the checkpoint would close")]
    text = "Umm Ahmad, who lost two sons in Douma, Rif Dimashq, in 2013, told the agency that the road was mined."
    assert _rows(text) == [("Umm Ahmad", "told", "the agency", "the road was mined", None)]
    assert _pairs("A nurse who fled told the paper that six men were taken.") == [
        ("A nurse who fled", "six men were taken")
    ]
    rows = _pairs("The governor defended the curfew, saying it had saved lives.")
    assert rows == [("The governor", "the curfew"), ("The governor", "it had saved lives")]


def test_inverted_cues_and_quotations_over_several_sentences() -> None:
    assert _pairs('"It is over," said one local commander.') == [
        ("one local commander", "It is over")
    ]
    text = '"We have nothing left. They burned the fields," a farmer from Hama said.'
    assert _pairs(text) == [("a farmer from Hama", "We have nothing left. They burned the fields")]
    text = 'The mayor spoke first. He said: "The water is cut. The bakery is shut."'
    assert _pairs(text) == [("He", "The water is cut. The bakery is shut")]


def test_a_headline_in_title_case_has_a_cue() -> None:
    assert _pairs("Local Council Warns Water Will Run Out In Idlib") == [
        ("Local Council", "Water Will Run Out In Idlib")
    ]


def test_a_speaker_line_of_a_transcript_or_headline() -> None:
    assert _rows("GOVERNOR: The road will open on Monday.") == [
        ("GOVERNOR", ":", None, "The road will open on Monday", None)
    ]
    assert _rows("Note: the figures are estimates.") == []


def test_words_that_only_look_like_cues() -> None:
    # a passive with no speaker, a noun, and a claim quoted inside a quotation
    assert _rows("Warplanes believed to be Russian bombed the bakery.") == []
    assert _rows("The report came out after the attacks on the market.") == []
    rows = _pairs('"Everything I said was true," the officer told the court.')
    assert rows == [("the officer", "Everything I said was true")]
