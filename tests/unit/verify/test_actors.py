"""Actor aliases resolve to one canonical entity."""

from __future__ import annotations

import pytest

from quietwire.verify._actors import find_actors
from quietwire.verify._lang import fold


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("ISIS", "Islamic State"), ("Isis", "Islamic State"), ("IS", "Islamic State"),
        ("Islamic State", "Islamic State"), ("Daesh", "Islamic State"), ("ISIL", "Islamic State"),
        ("داعش", "Islamic State"), ("تنظيم الدولة", "Islamic State"),
        ("US-led coalition", "US-led coalition"), ("التحالف الدولي", "US-led coalition"),
        ("regime forces", "Syrian government"), ("قوات النظام", "Syrian government"),
        ("SDF", "SDF"), ("YPG", "SDF"), ("قسد", "SDF"),
        ("Russian warplanes", "Russia"), ("civilians", "Civilians"), ("المدنيين", "Civilians"),
    ],
)  # fmt: skip
def test_alias_resolves(alias: str, canonical: str) -> None:
    text = f"Reports say {alias} were there."
    found = find_actors(fold(text))
    assert [(text[a.span[0] : a.span[1]], a.canonical) for a in found] == [(alias, canonical)]


def test_the_verb_is_is_not_the_islamic_state() -> None:
    text = "This is what it is. Is it? IS fighters left."
    found = find_actors(fold(text))
    assert [a.span for a in found] == [(27, 29)]


def test_arabic_clitic_is_outside_the_span() -> None:
    text = "قاتلت قسد وداعش"
    (a, b) = find_actors(fold(text))
    assert text[b.span[0] : b.span[1]] == "داعش"
    assert text[a.span[0] : a.span[1]] == "قسد"


def test_arabic_group_forms_and_references_resolve_to_one_actor() -> None:
    from quietwire.verify._actors import find_actors
    from quietwire.verify._lang import fold

    def canon(text: str) -> list[str]:
        return [a.canonical for a in find_actors(fold(text))]

    assert canon("قال قيادي حوثي إن الجماعة لن تنسحب، وأكد الحوثيون ذلك") == ["Houthis"] * 3
    assert canon("أعلنت حركة حماس الهدنة. وقالت الحركة إنها ستلتزم") == ["Hamas", "Hamas"]
    # «التنظيم» is the group the text is about; «الحركة» with no group named is nobody
    assert canon("تبنى تنظيم القاعدة الهجوم، وقال التنظيم إنه سيواصل") == ["al-Qaeda"] * 2
    assert canon("وقالت الحركة إنها ستواصل") == []
    # a weak alias is an everyday word unless the text is about its actor
    assert canon("طالب الوزير بإصلاح النظام الضريبي وبناء القاعدة الصناعية") == []
    assert canon("قصف النظام ريف إدلب") == ["Syrian government"]
    assert canon("قالت وزارة الدفاع العراقية إن حزب العمال الكردستاني انسحب") == [
        "Ministry of Defence (Iraq)",
        "PKK",
    ]


def test_english_state_forces_and_ministries_by_country() -> None:
    from quietwire.verify._actors import find_actors
    from quietwire.verify._lang import fold

    text = "Iraqi forces and the Israeli army moved; the Turkish Foreign Ministry protested."
    assert [a.canonical for a in find_actors(fold(text))] == [
        "Iraq",
        "Israel",
        "Ministry of Foreign Affairs (Turkey)",
    ]
