"""Attributed claims and echo chains."""

from __future__ import annotations

from quietwire.verify._attribution import find_attributions
from quietwire.verify._lang import fold


def _rows(text: str) -> list[tuple[str, str, str | None, str, str | None]]:
    return [
        (a.source, a.cue, a.recipient, text[a.content_span[0] : a.content_span[1]], a.cites)
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
        ("residents", "according to", None, "the bridge fell", None)
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
    assert _rows(text) == [("ناشط", "قال", "صحيفة الاندبندنت", "التنظيم أعدم ثلاثة شبان", None)]


def test_arabic_quoted_by_outlet_is_a_chain() -> None:
    text = "نقلت صحيفة الحياة عن ناشط قوله إن التنظيم اعتقل العشرات."
    rows = _rows(text)
    assert rows[0][:3] == ("ناشط", "قوله", "صحيفة الحياة")
    assert rows[1] == ("صحيفة الحياة", "نقلت", None, "التنظيم اعتقل العشرات", "ناشط")


def test_arabic_according_to_with_nested_source() -> None:
    text = "وبحسب موقع عين على الوطن نقلاً عن ناشط، فإن التنظيم أعدم رجلين."
    rows = _rows(text)
    # at this layer names come back folded (على -> علي); extract() restores the spelling
    assert rows[0][0] == fold("موقع عين على الوطن") and rows[0][4] == "ناشط"
    assert rows[0][3] == "التنظيم أعدم رجلين"
    assert rows[1][0] == "ناشط"


def test_no_cue_no_attribution() -> None:
    assert _rows("Air strikes hit the bridge on Monday.") == []
