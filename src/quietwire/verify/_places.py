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
from typing import Protocol

from quietwire.verify._places_data import (
    AR_CLITICS,
    CORE,
    REGION,
    CompactGazetteer,
    GazEntry,
    arabic_key,
    compact_gazetteer,
    latin_key,
)

__all__ = ["GazEntry", "Gazetteer", "GeonamesGazetteer", "RawPlace", "default_gazetteer"]


class Gazetteer(Protocol):
    """Anything that resolves a place name; tests may pass their own small one."""

    def candidates(self, key: str) -> tuple[GazEntry, ...]:
        """The entries a key (see `key_of`) may name, best first; () when unknown."""
        ...

    def masked(self, folded: str) -> list[tuple[int, int]]:
        """Spans where no place should be found (outlet names and the like)."""
        ...

    def could_start(self, first: str) -> bool:
        """False only when no key begins with this first word (a key's first word)."""
        ...

    def is_common(self, key: str) -> bool:
        """True when the key is also an everyday Arabic word (المدينة)."""
        ...

    def is_prefix(self, key: str) -> bool:
        """True when some longer key begins with this key's words."""
        ...

    def is_whole_word(self, key: str) -> bool:
        """True for an everyday word never to split at a clitic (بلاد is not ب + لاد)."""
        ...


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
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w']*(?:-[\w']+)*|[\u0621-\u064a\u064b-\u0652]+")
_EN_LINK = frozenset({"al", "el", "ar", "ad", "as", "ash", "at", "az", "an", "ez", "es", "ed"})
_EN_LOCATIVE = frozenset(
    "in near at from outside around into to across towards toward of hit struck "  # noqa: SIM905 (a word list reads better as prose)
    "village town city province district countryside governorate neighbourhood suburb".split()
)
# A capitalised word after a place name that makes the run an outlet's name...
_OUTLET_WORDS = frozenset(
    "direct times post news monitor media center centre today network tribune daily "  # noqa: SIM905
    "herald observer journal press radio tv 24 voice eye agency "
    # and an organisation named after its place ("Khorasan Group", "Hama Military Council")
    "group brigade brigades battalion battalions front council movement army".split()
)
_EN_STREET = frozenset({"street", "st", "road", "avenue", "square", "highway", "bridge"})
_EN_ACRONYMS = frozenset({"uae", "usa", "uk", "drc"})
_AR_TRIGGER = frozenset(
    arabic_key(w)
    for w in "مدينة بلدة قرية محافظة حي ولاية إقليم منطقة مخيم العاصمة عاصمة ريف ناحية قضاء "  # noqa: SIM905
    "مدينتي بلدتي قريتي مدن بلدات قرى مناطق جمهورية دولة سلطنة مملكة إمارة".split()
)
_AR_LOCATIVE = frozenset(
    arabic_key(w)
    for w in "في من إلى الى قرب شمال جنوب شرق غرب شمالي جنوبي شرقي غربي داخل عند نحو حول "  # noqa: SIM905
    "أطراف محيط مشارف بين وفي ومن وإلى".split()
)
_AR_STREET = frozenset(
    arabic_key(w)
    for w in "شارع ساحة دوار جادة نفق جسر أوتوستراد اوتوستراد".split()  # noqa: SIM905
)
_STRONG_KINDS = frozenset({"country", "capital", "admin1", "region"})


@dataclass(slots=True)
class _Match:
    span: tuple[int, int]
    key: str
    cands: tuple[GazEntry, ...]
    placed: bool  # after a locative or a place word
    named: bool  # after a place word (مدينة, "city of"): the word is surely a place
    doubtful: bool  # a capitalised word glued on (a person?), or after حي (a quarter)


def _strong(e: GazEntry, m: _Match) -> bool:
    """Whether a mention is believed without its country named elsewhere in the text."""
    if e.kind == "capital" and e.country_code not in REGION and e.population < 1_000_000:
        return m.placed  # ديلي is Dili, and also "Daily" in an outlet's name
    if e.kind in _STRONG_KINDS or " " in m.key:
        return True
    if e.country_code in CORE:
        return e.population >= 15_000 or m.placed
    if e.country_code in REGION:
        return e.population >= 50_000
    return e.population >= 200_000


def _scan(text: str, folded: str, gaz: Gazetteer) -> list[_Match]:
    words = list(_WORD.finditer(folded))
    out: list[_Match] = []
    i, n_words = 0, len(words)
    while i < n_words:
        w = words[i].group(0)
        arabic = w[0] >= "\u0600"
        # a lower-case start is an Arabic article glued by a hyphen ("al-Bab"), never the
        # English words "an", "as", "at" ("an NGO")
        if not arabic and not (w[0].isupper() or (w.split("-", 1)[0] in _EN_LINK and "-" in w)):
            i += 1
            continue
        if not _variants(w, arabic, gaz):  # most words: no name begins with them
            i += 1
            continue
        found = _longest(folded, words, i, arabic, gaz)
        if found is None:
            i += 1
            continue
        a, b, key, cands, j = found
        prev = words[i - 1].group(0) if i else ""
        nxt = words[j].group(0) if j < n_words else ""
        gap_after = folded[b : words[j].start()] if j < n_words else "."
        if arabic:
            pk = arabic_key(prev)
            if pk in _AR_STREET:
                i = j
                continue
            named = pk in _AR_TRIGGER
            quarter = pk == "حي"  # a neighbourhood of the city named nearby
            placed = named or pk in _AR_LOCATIVE or a > words[i].start()
            doubtful = quarter
        else:
            if nxt.lower() in _EN_STREET | _OUTLET_WORDS and gap_after == " ":
                i = j
                continue
            tok = text[a:b]
            if tok.isupper() and len(tok) > 1 and key not in _EN_ACRONYMS:
                i = j
                continue
            before = folded[max(0, a - 25) : a].lower().split()
            named = (
                bool(before)
                and before[-1] in ("of",)
                and len(before) > 1
                and (before[-2] in ("city", "town", "village", "province", "governorate"))
            )
            placed = bool(before) and before[-1] in _EN_LOCATIVE
            if (
                gap_after == " "
                and nxt.split("-", 1)[0].lower() in _EN_LINK
                and cands[0].kind != "country"
            ):
                i = j  # the start of a longer name we do not know ("Ain al-Dananeer")
                continue
            if tok[:3].lower() in ("al-", "el-") or tok[:3] in ("al ", "Al ", "el ", "El "):
                cands = tuple(e for e in cands if e.country_code in REGION)
                if not cands:  # an Arabic article: not a town in Utah or Libya's far south
                    i = j
                    continue
            glued_prev = i > 0 and prev[:1].isupper() and folded[words[i - 1].end() : a] == " "
            glued_next = nxt[:1].isupper() and gap_after == " "
            if glued_next and cands[0].kind == "city" and cands[0].population < 100_000:
                i = j  # the head of a longer name we do not know ("Tal Hamis")
                continue
            doubtful = glued_prev or glued_next
        out.append(_Match((a, b), key, cands, placed, named, doubtful))
        i = j
    return out


_VARIANTS: dict[tuple[int, str], tuple[tuple[int, str], ...]] = {}


def _variants(word: str, arabic: bool, gaz: Gazetteer) -> tuple[tuple[int, str], ...]:
    """(characters before the name, key) for a word and its clitic-stripped forms that begin
    some key; memoised per gazetteer, since news repeats its words (most give ())."""
    memo = (id(gaz), word)
    got = _VARIANTS.get(memo)
    if got is None:
        if arabic:
            k0 = arabic_key(word)
            out = [(0, k0)]
            if not gaz.is_whole_word(k0):
                out += [(len(c), k0[len(c) :]) for c in AR_CLITICS
                        if k0.startswith(c) and len(k0) - len(c) >= 3]  # fmt: skip
                if k0.startswith("لل") and len(k0) > 4:  # ل + ال: the article's alef is gone
                    out.append((2, "ال" + k0[2:]))
        else:
            out = [(0, latin_key(word))]
        got = tuple((c, k) for c, k in out if gaz.could_start(k.split(" ", 1)[0]))
        if len(_VARIANTS) > 200_000:
            _VARIANTS.clear()
        _VARIANTS[memo] = got
    return got


def _longest(
    folded: str, words: list[re.Match[str]], i: int, arabic: bool, gaz: Gazetteer
) -> tuple[int, int, str, tuple[GazEntry, ...], int] | None:
    """The longest known name starting at word i: (start, end, key, candidates, next i).

    A name grows one word at a time only while what it has so far begins some longer key.
    """
    best: tuple[int, int, str, tuple[GazEntry, ...], int] | None = None
    start = words[i].start()
    for skip, k0 in _variants(words[i].group(0), arabic, gaz):
        key, j = k0, i + 1
        hit = (key, gaz.candidates(key), j)
        while j < len(words) and j - i < 4 and gaz.is_prefix(key):
            w = words[j]
            if folded[words[j - 1].end() : w.start()] != " ":
                break
            if arabic:
                key = f"{key} {arabic_key(w.group(0))}"
            elif w.group(0)[0].isupper() or w.group(0).split("-", 1)[0] in _EN_LINK:
                key = latin_key(folded[start : w.end()])
            else:
                break
            j += 1
            cands = gaz.candidates(key)
            if cands:
                hit = (key, cands, j)
        if hit[1] and (best is None or hit[2] > best[4]):
            best = (start + skip, words[hit[2] - 1].end(), hit[0], hit[1], hit[2])
    return best


def _resolve(matches: list[_Match], gaz: Gazetteer) -> list[RawPlace]:
    """Choose each mention's entry from the text's other mentions; drop what is implausible."""
    countries: Counter[str] = Counter()
    admins: Counter[str] = Counter()
    sure: set[str] = set()
    for m in matches:
        ccs = {e.country_code for e in m.cands}
        if len(ccs) == 1 and (_strong(m.cands[0], m) or m.placed) and not gaz.is_common(m.key):
            countries[m.cands[0].country_code] += 2 if m.cands[0].kind == "country" else 1
            sure.add(m.cands[0].id)
            ads = {e.admin1 for e in m.cands}
            if len(ads) == 1 and m.cands[0].admin1:
                admins[f"{m.cands[0].country_code}.{m.cands[0].admin1}"] += 1
    out: list[RawPlace] = []
    for m in matches:
        own = 1 if len({c.country_code for c in m.cands}) == 1 else 0

        def score(e: GazEntry, own: int = own) -> float:
            s = 3.0 * min(admins[f"{e.country_code}.{e.admin1}"], 3) if e.admin1 else 0.0
            return s + 2.0 * min(countries[e.country_code] - own, 3)

        best = max(m.cands, key=lambda e: (score(e), -m.cands.index(e)))
        if gaz.is_common(m.key) and not m.named and best.id not in sure:
            continue
        other = countries[best.country_code] - (1 if best.id in sure else 0)
        # A small place needs its country named elsewhere in the text, and outside the
        # core region also a locative or place word before it.
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
        for m in _scan(text, folded, gaz)
        if not any(a <= m.span[0] and m.span[1] <= b for a, b in mask)
    ]
    return _resolve(matches, gaz)
