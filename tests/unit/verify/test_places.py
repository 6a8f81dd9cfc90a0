"""Places resolved offline; variant and Arabic spellings meet on one gazetteer entry."""

from __future__ import annotations

import pytest

from quietwire.verify._lang import fold
from quietwire.verify._places import GazEntry, default_gazetteer, find_places


@pytest.mark.parametrize(
    ("names", "cc"),
    [
        (["Raqqa", "Raqqah", "Ar-Raqqah", "al-Raqqa", "الرقة"], "SY"),
        (["Kobani", "Kobane", "Ayn al-Arab", "عين العرب"], "SY"),
        (["Deir ez-Zor", "Deir al-Zor", "Dayr az-Zawr", "دير الزور"], "SY"),
        (["Aleppo", "Halab", "حلب"], "SY"),
        (["Mosul", "الموصل"], "IQ"),
    ],
)
def test_variant_spellings_resolve_to_one_place(names: list[str], cc: str) -> None:
    gaz = default_gazetteer()
    entries = [gaz.lookup(n) for n in names]
    assert all(e is not None for e in entries), names
    assert {(e.lat, e.lon, e.country_code) for e in entries if e} == {
        (entries[0].lat, entries[0].lon, cc) if entries[0] else None
    }


def test_places_found_in_running_text_with_arabic_clitics() -> None:
    text = "قصف الطيران بالرقة وفي دير الزور"
    found = find_places(text, fold(text), default_gazetteer())
    assert [text[p.span[0] : p.span[1]] for p in found] == ["الرقة", "دير الزور"]


def test_outlet_names_are_not_places() -> None:
    text = "the Raqqa Post said so, and Syria Direct and the New York Times agreed in Raqqa"
    found = find_places(text, fold(text), default_gazetteer())
    assert [text[p.span[0] : p.span[1]] for p in found] == ["Raqqa"]
    assert found[0].span[0] == text.rindex("Raqqa")


def test_small_homonym_needs_a_locative_word() -> None:
    # GeoNames has towns whose names are English words; a capitalised sentence start is not one
    text = "Said the man. Then he left."
    assert find_places(text, fold(text), default_gazetteer()) == []


class _TinyGazetteer:
    """A real (if very small) Gazetteer, to show the protocol is all extract needs."""

    def lookup(self, name: str) -> GazEntry | None:
        if name.lower() == "springfield":
            return GazEntry("Springfield", 1.0, 2.0, "XX", 10, True)
        return None

    def masked(self, folded: str) -> list[tuple[int, int]]:
        return []

    def could_start(self, word: str) -> bool:
        return True


def test_any_gazetteer_can_be_passed() -> None:
    text = "Protests in Springfield and Raqqa"
    found = find_places(text, fold(text), _TinyGazetteer())
    assert [(p.entry.name, p.entry.country_code) for p in found] == [("Springfield", "XX")]
