"""Origins as entities: who a report's facts come from, under whatever name it gives.

data/origins.json lists canonical origins (monitoring groups, news agencies, outlets,
ministries and armies, rescuers, people who are themselves a source) with their namings in
English and Arabic: "the Syrian Observatory for Human Rights", "SOHR", "the Observatory",
"the UK-based monitor" and "المرصد السوري" are one origin. A person who speaks for a body
(`part_of`) is that body.

Two ways in:
- `resolve(name)`: the canonical origin of a source name an attribution gives, also when
  the name runs long ("the war monitor SOHR", "Rami Abdel Rahman, head of the
  Observatory"): the longest alias found whole inside it wins;
- `cited(text)`: the canonical origins a text names in a sentence with a reporting word
  ("said", "according to", "reported", "بحسب", "أفاد"...), which catches citations the
  attribution rules miss. An acronym (SOHR, AFP) counts only in capitals, so the word
  "who" is never the World Health Organization.

`organisation_like(name)` tells a body ("the health directorate") from a person ("Hana
Khoury, a seamstress"): the people an article quotes are its own reporting, not separate
origins (see _lineage).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from quietwire.verify._minhash import normalise

_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACE = re.compile(r"\s+")
_LEADING = re.compile(r"^(?:the|a|an|al|el|ال)\s+")
_SENTENCE = re.compile(r"[^.!?\n؟]+")
# Reporting words, folded (see _minhash.normalise: alef forms are bare alefs).
_CUE = re.compile(
    r"(?<!\w)[وف]?(?:said|says|say|reported|reports|told|tells|according to|documented|counted|"
    r"recorded|stated|announced|confirmed|estimated|added|citing|quoting|cited|quoted|"
    r"قال|قالت|افاد|افادت|ذكر|ذكرت|بحسب|حسب|وفق|وفقا|اكد|اكدت|اعلن|اعلنت|وثق|نقل|نقلت|"
    r"اشار|اشارت|اوضح|اوضحت|رصد)(?!\w)"
)
_ORG_WORDS = frozenset(
    "ministry minister ministers spokesman spokeswoman spokesperson governor official "  # noqa: SIM905 (a word list reads better as prose)
    "officials police army military forces council committee directorate department office "
    "agency observatory monitor group network organisation organization coalition command "
    "government authority authorities hospital crescent defence defense un centre center "
    "media television tv radio news newspaper commission court union party front brigade "
    "battalion movement channel ngo "
    "وزاره وزير مديريه مجلس لجنه مرصد شبكه مكتب منظمه هييه وكاله قياده الجيش جيش قوات شرطه "
    "حكومه سلطات مستشفي مركز اعلام تلفزيون قناه صحيفه موقع اذاعه ايتلاف جبهه حزب حركه محافظ "
    "متحدث ناطق المرصد الوزاره".split()
)
_AR_CLITIC = re.compile(r"^(?:[وفبك]?ال|[وف]?لل|[وفبل])(?=[\u0621-\u064a]{2})")


@dataclass(frozen=True, slots=True)
class Origin:
    canonical: str
    kind: str


def fold(name: str) -> str:
    """A name folded for matching: case, Arabic letter forms, punctuation, leading article."""
    flat = _SPACE.sub(" ", _PUNCT.sub(" ", normalise(name))).strip()
    return _LEADING.sub("", flat)


@cache
def _table() -> tuple[dict[str, Origin], re.Pattern[str], re.Pattern[str] | None]:
    """Folded alias -> origin; a pattern over folded text for the longer aliases; one over
    the original text for the capitalised acronyms."""
    raw = json.loads(files("quietwire.verify").joinpath("data/origins.json").read_text("utf-8"))
    table: dict[str, Origin] = {}
    for canonical, entry in raw.items():
        if canonical.startswith("_"):
            continue
        target = entry.get("part_of") or canonical
        kind = raw[target]["kind"] if target in raw else entry["kind"]
        for n in [canonical, *entry["aliases"]]:
            table[fold(n)] = Origin(target, kind)
    longer = sorted((a for a in table if len(a) >= 5), key=len, reverse=True)
    words = "|".join(re.escape(a).replace(r"\ ", r"[\s'’-]+") for a in longer)
    # An Arabic alias may carry a clitic: "للمرصد", "وبحسب المرصد" (the article's alef
    # falls after ل).
    folded = re.compile(rf"(?<!\w)(?:[وفبكل]|ل?ل)?(?:{words})(?!\w)")
    short = sorted({n for n in table if len(n) < 5 and n.isascii() and n.isalpha()})
    caps = re.compile(rf"\b(?:{'|'.join(n.upper() for n in short)})\b") if short else None
    return table, folded, caps


def lookup(alias: str) -> Origin | None:
    table = _table()[0]
    alias = fold(alias)
    found = table.get(alias)
    if found is None and alias[:1] in "وفبكل":
        found = table.get(_AR_CLITIC.sub("ال", alias, count=1)) or table.get(alias[1:])
    return found


def resolve(name: str) -> Origin | None:
    """The canonical origin a source name stands for, or None when we do not know it."""
    folded = fold(name)
    if not folded:
        return None
    found = lookup(folded)
    if found is not None:
        return found
    table, pattern, _caps = _table()
    hits = [m.group() for m in pattern.finditer(folded)]
    words = folded.split()
    hits += [w for w in words if len(w) < 5 and w in table and w.isascii() and w != "who"]
    for hit in sorted(hits, key=len, reverse=True):
        origin = lookup(hit.strip())
        if origin is not None:
            return origin
    return None


_TOLD = re.compile(r"\b(?:told|to|by|with)\s+(?:the\s+)?$")


def citations(text: str) -> list[tuple[Origin, tuple[int, int]]]:
    """(origin, sentence span) for each known origin the text names in a sentence with a
    reporting word, in text order. "told Reuters" names whom a source told, not a source,
    and is left out."""
    table, pattern, caps = _table()
    out: list[tuple[Origin, tuple[int, int]]] = []
    folded = normalise(text)
    same_length = len(folded) == len(text)
    for m in _SENTENCE.finditer(folded):
        sentence = m.group()
        if not _CUE.search(sentence):
            continue
        hits = [(hit.start(), lookup(hit.group())) for hit in pattern.finditer(sentence)]
        if caps is not None and same_length:
            # Offsets agree: normalise keeps lengths for the scripts that have acronyms.
            raw = text[m.start() : m.end()]
            hits += [(h.start(), table.get(h.group().casefold())) for h in caps.finditer(raw)]
        for start, origin in sorted(hits, key=lambda h: h[0]):
            if origin is not None and not _TOLD.search(sentence[:start]):
                out.append((origin, m.span()))
    return out


def cited(text: str) -> list[Origin]:
    """Canonical origins the text names in a sentence with a reporting word, first first."""
    out: list[Origin] = []
    for origin, _span in citations(text):
        if origin not in out:
            out.append(origin)
    return out


def organisation_like(name: str) -> bool:
    """True when a source name reads as a body or an office rather than a private person."""
    words = fold(name).split()
    return any(w in _ORG_WORDS or _AR_CLITIC.sub("", w) in _ORG_WORDS for w in words)
