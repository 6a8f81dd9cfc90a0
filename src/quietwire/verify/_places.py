"""Place names resolved to gazetteer entries, in one pass of token look-ups, then by context.

The gazetteer (data/gazetteer.txt, built by tools/build_gazetteer.py from GeoNames and our
curated names) maps a key (a Latin name without accents or article, or a folded Arabic
name) to its candidate entries, best first. A mention is a run of one to four words whose
key is known: capitalised words in English, words with an Arabic clitic (و ب ل ف ك)
stripped from the first in Arabic.

A greedy gazetteer moves Syrian news to Myanmar ("Madaya"), Germany ("Khan") or Russia
("Vladimir Putin"), so every mention is judged in its text:
- a name is chosen among its candidates by the governorates and countries the text names
  (أريحا is Ariha in Idlib when Idlib is named, Jericho otherwise);
- a weak match (a small town outside the region, a small town named without a place word
  or locative before it) is kept only when its country is named elsewhere in the text;
- a name right after a street word (شارع بغداد, "Baghdad Street") is a street, not a city;
- an Arabic name that is also a common word (المدينة: "the city" and Medina) counts only
  after a place word (مدينة، بلدة، محافظة...) or when the text names the place unambiguously;
- an all-capitals word ("SANA" the agency) is not a place, unless it is a country's acronym.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from quietwire.verify._places_data import (
    CORE,
    REGION,
    CompactGazetteer,
    GazEntry,
    arabic_key,
    compact_gazetteer,
    latin_key,
)
from quietwire.verify._places_scan import Gazetteer, Match, scan

__all__ = ["GazEntry", "Gazetteer", "GeonamesGazetteer", "RawPlace", "default_gazetteer"]

_HAS_ARABIC = re.compile(r"[\u0600-\u06ff]")


def key_of(name: str) -> str:
    """The lookup key for any name (Arabic or Latin)."""
    return arabic_key(name) if _HAS_ARABIC.search(name) else latin_key(name)


class GeonamesGazetteer:
    """The shipped gazetteer: GeoNames extract plus our curated names (see module doc)."""

    def __init__(self, data: CompactGazetteer | None = None) -> None:
        self._data = data if data is not None else compact_gazetteer()
        names = self._data.outlet_names
        self._outlets = re.compile("|".join(re.escape(n) for n in names)) if names else None

    def candidates(self, key: str) -> tuple[GazEntry, ...]:
        return self._data.candidates(key)

    def lookup(self, name: str) -> GazEntry | None:
        """The best entry for `name` without context, or None."""
        found = self._data.candidates(key_of(name))
        return found[0] if found else None

    def masked(self, folded: str) -> list[tuple[int, int]]:
        if self._outlets is None:
            return []
        return [m.span() for m in self._outlets.finditer(folded)]

    def could_start(self, first: str) -> bool:
        return first in self._data.first_words

    def is_common(self, key: str) -> bool:
        return key in self._data.common

    def is_prefix(self, key: str) -> bool:
        return key in self._data.prefixes

    def is_whole_word(self, key: str) -> bool:
        return key in self._data.whole_words


@cache
def default_gazetteer() -> GeonamesGazetteer:
    """The shared read-only gazetteer, loaded on first use (a few hundredths of a second)."""
    return GeonamesGazetteer()


@dataclass(frozen=True, slots=True)
class RawPlace:
    span: tuple[int, int]
    entry: GazEntry


# Latin words (an article glued by a hyphen stays in the word) and Arabic words.


_STRONG_KINDS = frozenset({"country", "capital", "admin1", "region"})


def _strong(e: GazEntry, m: Match) -> bool:
    """Whether a mention is believed without its country named elsewhere in the text."""
    if e.kind == "capital" and e.country_code not in REGION and e.population < 1_000_000:
        return m.placed  # ديلي is Dili, and also "Daily" in an outlet's name
    if e.kind in _STRONG_KINDS:
        return True
    if e.country_code in CORE:
        # a village needs its country vouched for: Bani Zaid is a quarter of Aleppo and a
        # village in the West Bank
        return e.population >= 15_000
    if " " in m.key:
        return True
    if e.country_code in REGION:
        return e.population >= 50_000
    return e.population >= 200_000


def _resolve(matches: list[Match], gaz: Gazetteer) -> list[RawPlace]:
    """Choose each mention's entry from the text's other mentions; drop what is implausible."""
    countries: Counter[str] = Counter()
    admins: Counter[str] = Counter()
    sure: set[str] = set()
    # the distinct places that vouch for a country: a name repeated does not vouch for itself
    support: dict[str, set[str]] = {}
    for m in matches:
        ccs = {e.country_code for e in m.cands}
        if len(ccs) == 1 and (_strong(m.cands[0], m) or m.placed) and not gaz.is_common(m.key):
            countries[m.cands[0].country_code] += 2 if m.cands[0].kind == "country" else 1
            sure.add(m.cands[0].id)
            support.setdefault(m.cands[0].country_code, set()).add(m.cands[0].id)
            ads = {e.admin1 for e in m.cands}
            if len(ads) == 1 and m.cands[0].admin1:
                admins[f"{m.cands[0].country_code}.{m.cands[0].admin1}"] += 1
    out: list[RawPlace] = []
    for m in matches:
        own = 1 if len({c.country_code for c in m.cands}) == 1 else 0

        def score(e: GazEntry, own: int = own) -> float:
            s = 3.0 * min(admins[f"{e.country_code}.{e.admin1}"], 3) if e.admin1 else 0.0
            return s + 2.0 * min(countries[e.country_code] - own, 3)

        # Among candidates the text supports equally, a place of the core region we would
        # believe on its own wins ("Hama": the Syrian city of 460,000, not a Tunisian town
        # whose primary name it is).
        best = max(
            m.cands,
            key=lambda e: (score(e), e.country_code in CORE and _strong(e, m), -m.cands.index(e)),
        )
        if gaz.is_common(m.key) and not m.named and best.id not in sure:
            continue
        other = len(support.get(best.country_code, set()) - {best.id})
        # A small place needs its country vouched for by another place of the text, and
        # outside the core region also a locative or place word before it.
        if not _strong(best, m) and (
            other <= 0 or (best.country_code not in CORE and not m.placed)
        ):
            continue
        if (
            m.doubtful
            and best.kind not in _STRONG_KINDS
            and (not m.placed or best.country_code not in CORE)
        ):
            continue  # "Vladimir Putin", "Zahran Alloush", "in Bani Zaid"
        out.append(RawPlace(m.span, best))
    return out


def find_places(text: str, folded: str, gaz: Gazetteer) -> list[RawPlace]:
    """Every place mention in `text` that `gaz` resolves and its context allows, in order."""
    mask = gaz.masked(folded)
    matches = [
        m
        for m in scan(text, folded, gaz)
        if not any(a <= m.span[0] and m.span[1] <= b for a, b in mask)
    ]
    return _resolve(matches, gaz)
