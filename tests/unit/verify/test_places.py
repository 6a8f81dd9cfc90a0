"""Places resolved offline; variant and Arabic spellings meet on one gazetteer id, and
context decides between homonyms. Every example is our own wording."""

from __future__ import annotations

import pytest

from quietwire.verify import Document, extract
from quietwire.verify._lang import fold
from quietwire.verify._places import GazEntry, default_gazetteer, find_places, key_of


@pytest.mark.parametrize(
    ("names", "cc"),
    [
        (["Raqqa", "Raqqah", "Ar-Raqqah", "al-Raqqa", "الرقة"], "SY"),
        (["Kobani", "Kobane", "Ayn al-Arab", "عين العرب"], "SY"),
        (["Deir ez-Zor", "Deir al-Zor", "Dayr az-Zawr", "دير الزور"], "SY"),
        (["Aleppo", "Halab", "حلب"], "SY"),
        (["Mosul", "الموصل"], "IQ"),
        (["Maarat al-Numan", "Ma'arrat an-Nu'man", "معرة النعمان"], "SY"),
        (["Pakistan", "باكستان"], "PK"),
        (["Israel", "إسرائيل", "اسرائيل"], "IL"),
        (["United States", "الولايات المتحدة", "أمريكا", "أميركا"], "US"),
    ],
)
def test_variant_spellings_resolve_to_one_id(names: list[str], cc: str) -> None:
    gaz = default_gazetteer()
    entries = [gaz.lookup(n) for n in names]
    assert all(e is not None for e in entries), names
    assert {(e.id, e.country_code) for e in entries if e} == {(entries[0].id, cc)}  # type: ignore[union-attr]


def _places(text: str) -> list[tuple[str, str | None]]:
    return [(p.name, p.country_code) for p in extract(Document("t", text)).places]


def test_places_found_in_running_text_with_arabic_clitics() -> None:
    text = "قصف الطيران بالرقة وفي دير الزور ثم للعراق"
    found = find_places(text, fold(text), default_gazetteer())
    assert [text[p.span[0] : p.span[1]] for p in found] == ["الرقة", "دير الزور", "عراق"]


def test_place_carries_id_and_ancestors_for_grouping() -> None:
    en = extract(Document("a", "Shelling hit Raqqa overnight.")).places
    ar = extract(Document("b", "قصف مدفعي على الرقة ليلا.")).places
    assert en[0].id == ar[0].id
    assert en[0].ancestors == ("SY.04", "SY")


def test_outlet_names_are_not_places() -> None:
    text = "the Raqqa Post said so, and Syria Direct and the New York Times agreed in Raqqa"
    found = find_places(text, fold(text), default_gazetteer())
    assert [text[p.span[0] : p.span[1]] for p in found] == ["Raqqa"]
    assert found[0].span[0] == text.rindex("Raqqa")


def test_small_homonym_needs_a_locative_word() -> None:
    # GeoNames has towns whose names are English words; a capitalised sentence start is not one
    assert _places("Said the man. Then he left.") == []


def test_an_agency_in_capitals_and_a_person_are_not_places() -> None:
    text = "Shelling hit Madaya in Syria, SANA reported. Vladimir Putin spoke to reporters."
    assert _places(text) == [("Madaya", "SY"), ("Syria", "SY")]


def test_a_homonym_takes_the_country_the_text_is_about() -> None:
    # أريحا is a town in Idlib and Jericho in the West Bank
    assert ("أريحا", "SY") in _places("دخلت الفصائل مدينة أريحا في ريف إدلب الجنوبي.")
    assert ("أريحا", "PS") in _places("عاد الوفد من أريحا إلى رام الله في الضفة الغربية.")


def test_a_common_noun_is_not_a_place() -> None:
    # «المدينة» is "the city" here, not Medina; a street named after Baghdad is in Damascus
    assert _places("اشتكى أهالي المدينة من انقطاع الماء في شارع بغداد بدمشق.") == [("دمشق", "SY")]
    assert _places("وصل الحجاج إلى المدينة المنورة.") == [("المدينة المنورة", "SA")]


def test_world_places_in_arabic() -> None:
    found = _places("زار الوفد باكستان وإسرائيل والولايات المتحدة ثم عاد إلى عدن.")
    assert [cc for _, cc in found] == ["PK", "IL", "US", "YE"]


def test_a_small_town_abroad_needs_its_country_named() -> None:
    # a quarter named like a town abroad stays in the city the text is about
    assert _places("قصفت الطائرات حي الرميلة في الرقة.") == [("الرقة", "SY")]
    assert key_of("Deir ez-Zor") == key_of("Deir al-Zor")


class _TinyGazetteer:
    """A real (if very small) Gazetteer, to show the protocol is all extract needs."""

    def candidates(self, key: str) -> tuple[GazEntry, ...]:
        if key == "springfield":
            return (GazEntry("Springfield", 1.0, 2.0, "XX", 10, True, "x:1", "", "capital"),)
        return ()

    def masked(self, folded: str) -> list[tuple[int, int]]:
        return []

    def could_start(self, first: str) -> bool:
        return True

    def is_common(self, key: str) -> bool:
        return False

    def is_prefix(self, key: str) -> bool:
        return False

    def is_whole_word(self, key: str) -> bool:
        return False


def test_any_gazetteer_can_be_passed() -> None:
    text = "Protests in Springfield and Raqqa"
    found = find_places(text, fold(text), _TinyGazetteer())
    assert [(p.entry.name, p.entry.country_code) for p in found] == [("Springfield", "XX")]


def test_shipped_gazetteer_is_built_from_its_sources() -> None:
    # data/gazetteer.txt is generated; a hand edit or a stale build would drift from
    # place_aliases.json and GeoNames without anyone noticing
    import importlib.util
    from pathlib import Path

    tool = Path(__file__).resolve().parents[3] / "tools" / "build_gazetteer.py"
    spec = importlib.util.spec_from_file_location("build_gazetteer", tool)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.build() == mod.OUT.read_text(encoding="utf-8")


def test_an_organisation_or_an_english_article_is_not_a_place() -> None:
    # "an" is not the Arabic article; a group named after its region is that group
    assert _places("He works for an NGO in Homs, not for the Khorasan Group.") == [("Homs", "SY")]


def test_a_city_of_the_region_beats_a_small_namesake_abroad() -> None:
    # Given a text naming only the town, no country: the Syrian city, not a Tunisian village
    ex = extract(Document("h", "Clashes north of Hama killed 23 fighters on Sunday.", "en"))
    assert [(p.name, p.country_code) for p in ex.places] == [("Hama", "SY")]
