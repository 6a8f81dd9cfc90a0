"""The shipped gazetteer file (data/gazetteer.txt): its keys, its records, loaded lazily.

tools/build_gazetteer.py writes the file from GeoNames and our curated names; this module
reads it. Loading keeps each record as its raw line and decodes it on first use, so start-up
costs one split of the file (a few hundredths of a second) instead of parsing 16 MB of JSON.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from quietwire.verify._lang import normalise_ar

#: Where most of our reporting happens: every GeoNames place of 500 people or more is kept.
CORE = frozenset({"SY", "IQ", "YE", "LB", "PS", "JO"})
#: The wider region: all Latin alternate names of its cities are kept.
REGION = CORE | {"TR", "IL", "EG", "SA", "IR", "LY", "KW", "AE", "QA", "BH", "OM", "SD", "AF"}

#: Arabic proclitics a place name may carry (و ب ل ف ك and their pairs), longest first.
AR_CLITICS = ("وب", "ول", "فب", "فل", "وك", "و", "ب", "ل", "ف", "ك")

_APOSTROPHES = str.maketrans("", "", "'’‘ʿʼ`")
_DASH_SPACE = re.compile(r"[-\s]+")
_ARTICLE = re.compile(r"^(?:al|ar|ad|as|ash|at|az|an|el|ez|ed|es|the) ")
_INNER_ARTICLE = re.compile(r" (?:al|ar|ad|as|ash|at|az|an|el|ez|ed|es|ul) ")
_DOUBLE = re.compile(r"([a-z])\1")
_DIPHTHONG = re.compile(r"ay|ei")  # Dayr and Deir, Ayn and Ain


def latin_key(name: str) -> str:
    """A lookup key for a Latin-script name: no accents, no leading article, one spelling
    of the inner article, no doubled letters, no punctuation."""
    if name.isascii():
        s = name.lower()
    else:
        s = unicodedata.normalize("NFKD", name)
        s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = _DASH_SPACE.sub(" ", s.translate(_APOSTROPHES)).strip()
    # Transliterations of one Arabic name differ in the article's assimilation, in doubled
    # letters and in the diphthong: Ma'arrat an-Nu'man, Maarat al-Numan; Ra's al-'Ayn,
    # Ras al-Ain; Dayr, Deir.
    s = _INNER_ARTICLE.sub(" al ", _ARTICLE.sub("", s))
    return _DIPHTHONG.sub("ai", _DOUBLE.sub(r"\1", s))


def arabic_key(name: str) -> str:
    """A lookup key for an Arabic name: folded (see _lang), words joined by one space."""
    return " ".join(normalise_ar(name).split())


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One gazetteer record.

    `id` is stable across languages (الرقة and Raqqa share "gn:172955"); `admin1` is the
    GeoNames first-level division (a Syrian governorate) or "". `kind` is country, capital,
    city, admin1 or region; `curated` marks entries that need no context to be believed.
    """

    name: str
    lat: float | None
    lon: float | None
    country_code: str
    population: int
    curated: bool
    id: str = ""
    admin1: str = ""
    kind: str = "city"

    @property
    def ancestors(self) -> tuple[str, ...]:
        """The enclosing units, nearest first: "SY.04" (the governorate), "SY"."""
        if not self.country_code or self.kind == "country":
            return ()
        if self.admin1 and self.kind != "admin1":
            return (f"{self.country_code}.{self.admin1}", self.country_code)
        return (self.country_code,)


class CompactGazetteer:
    """The records and keys of data/gazetteer.txt."""

    def __init__(self, text: str) -> None:
        self._raw: dict[str, str] = {}
        self._keys: dict[str, str] = {}
        common: list[str] = []
        whole: list[str] = []
        outlets: list[str] = []
        for line in text.split("\n"):
            kind, _, rest = line.partition("\t")
            if kind == "K":
                k, _, ids = rest.partition("\t")
                self._keys[k] = ids
            elif kind == "P":
                self._raw[rest[: rest.index("\t")]] = rest
            elif kind == "C":
                common.append(rest)
            elif kind == "W":
                whole.append(rest)
            elif kind == "O":
                outlets.append(rest)
        self.common = frozenset(common)
        #: Everyday words whose clitic-stripped rest is a place (بلاد): never split.
        self.whole_words = frozenset(whole)
        self.outlet_names = tuple(sorted(outlets, key=len, reverse=True))
        self.first_words = frozenset(k.split(" ", 1)[0] for k in self._keys)
        #: Every proper word-prefix of a key of several words ("دير" of "دير الزور").
        self.prefixes = frozenset(
            " ".join(ws[:n])
            for k in self._keys
            if " " in k
            for ws in (k.split(" "),)
            for n in range(1, len(ws))
        )
        self._decoded: dict[str, GazEntry] = {}
        self._cands: dict[str, tuple[GazEntry, ...]] = {}

    def entry(self, pid: str) -> GazEntry | None:
        e = self._decoded.get(pid)
        if e is None:
            raw = self._raw.get(pid)
            if raw is None:
                return None
            _, name, cc, admin1, lat, lon, pop, kind = raw.split("\t")
            e = GazEntry(
                name, float(lat) if lat else None, float(lon) if lon else None, cc, int(pop),
                kind != "city", pid, admin1, kind,
            )  # fmt: skip
            self._decoded[pid] = e
        return e

    def countries(self) -> list[GazEntry]:
        """Every country record."""
        return [e for p in self._raw if p.startswith("cc:") and (e := self.entry(p))]

    def candidates(self, key: str) -> tuple[GazEntry, ...]:
        """Every entry a key may name, best first without context; () when unknown."""
        got = self._cands.get(key)
        if got is None:
            ids = self._keys.get(key)
            got = tuple(e for p in ids.split(",") if (e := self.entry(p))) if ids else ()
            if len(self._cands) > 200_000:  # bound the memo on endless streams of words
                self._cands.clear()
            self._cands[key] = got
        return got


@cache
def compact_gazetteer() -> CompactGazetteer:
    raw = resources.files("quietwire.verify").joinpath("data/gazetteer.txt")
    return CompactGazetteer(raw.read_text(encoding="utf-8"))
