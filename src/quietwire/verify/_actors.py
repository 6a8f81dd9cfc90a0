"""Actors named in a text, each resolved to one canonical entity.

The alias table (data/actor_aliases.json) is ours: armed groups, parties, states and their
forces, ministries by country, victim categories, in English and in the forms Arabic news
uses (الحوثيون، الحوثي، حوثيا؛ جبهة النصرة = هيئة تحرير الشام؛ قسد). English aliases are
matched case-sensitively where case carries meaning ("IS" the group, "is" the verb) and
without case otherwise; Arabic aliases on the folded text (see _lang.fold), with the clitics
و ب ل allowed in front. Press usage folds the YPG into the SDF it leads; we do too.

Two kinds of reference need the rest of the text:
- a weak alias is also an everyday word (النظام "the system", القاعدة "the base"): it counts
  only when the text names the same actor in full or names its home (Syria for the regime);
- «التنظيم», «الحركة», «الجماعة»... refer back to the group last named (التنظيم used to be
  read as Islamic State whatever the text was about); with no group named, التنظيم keeps
  its usual sense in regional news (Islamic State) and the others mean nobody.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from quietwire.verify._lang import fold

_TOKEN = re.compile(r"[^\W_]+(?:[-'.][^\W_]+)*")
_CLITICS = ("وب", "ول", "و", "ب", "ل")


def _tokens(s: str) -> tuple[str, ...]:
    return tuple(m.group(0) for m in _TOKEN.finditer(s))


def _load() -> dict[str, Any]:
    raw = resources.files("quietwire.verify").joinpath("data/actor_aliases.json")
    data: dict[str, Any] = json.loads(raw.read_text(encoding="utf-8"))
    return data


def _aliases(data: dict[str, Any]) -> dict[str, tuple[list[str], list[str], list[str]]]:
    """canonical -> (English without case, English with case, Arabic), ministries included."""
    out = {k: (list(v["en"]), list(v["en_case"]), list(v["ar"])) for k, v in data["actors"].items()}
    for country, adj, ar_adj in data["states"]:
        for name, en_words, ar_word in data["ministries"]:
            en, _, ar = out.setdefault(f"Ministry of {name} ({country})", ([], [], []))
            en += [f"{adj} {w} Ministry" for w in en_words]
            en += [f"{adj} Ministry of {w}" for w in en_words]
            ar.append(f"وزارة {ar_word} {ar_adj}")
            if name == "Finance":
                ar.append(f"وزارة الخزانة {ar_adj}")
    return out


def _tables(
    aliases: dict[str, tuple[list[str], list[str], list[str]]],
) -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str]]:
    """Exact-case and lower-case lookup tables keyed by token tuples.

    Matching by token n-grams in a dict is much faster than one alternation of hundreds of
    aliases, which the regex engine would try at every character.
    """
    exact: dict[tuple[str, ...], str] = {}
    lower: dict[tuple[str, ...], str] = {}
    for canon, (ci, cs, ar) in aliases.items():
        for a in ci:
            lower[tuple(t.lower() for t in _tokens(fold(a)))] = canon
        for a in (*cs, *(fold(x) for x in ar)):
            exact[_tokens(a)] = canon
    return exact, lower


_DATA = _load()
_EXACT, _LOWER = _tables(_aliases(_DATA))
# First words (lower-cased, clitic-free) of every alias, with the most words an alias that
# begins with it has: most words start none, and few start a long one.
_WORDS_FROM: dict[str, int] = {}
for _k in (*_EXACT, *_LOWER):
    _WORDS_FROM[_k[0].lower()] = max(_WORDS_FROM.get(_k[0].lower(), 0), len(_k))
_FIRST = frozenset(_WORDS_FROM)
#: weak alias (folded, lower-cased tokens) -> (its canonical, a pattern of its home words)
_WEAK: dict[tuple[str, ...], tuple[str, re.Pattern[str]]] = {
    tuple(t.lower() for t in _tokens(fold(a))): (
        canon,
        re.compile("|".join(re.escape(fold(h)) for h in w["home"]), re.IGNORECASE),
    )
    for canon, w in _DATA["weak"].items()
    for a in w["aliases"]
}
_GROUPS = frozenset(_DATA["groups"])
_ANAPHORA = frozenset(fold(w) for w in _DATA["anaphora"])
_DEFAULT_REFERENT = {fold(k): v for k, v in _DATA["default_referent"].items()}


_STARTS: dict[str, bool] = {}


def _may_start(word: str) -> bool:
    """Whether an alias or a back-reference may begin with this lower-cased word (with or
    without a clitic); memoised, since most words begin none."""
    got = _STARTS.get(word)
    if got is None:
        got = (
            word in _FIRST
            or word[1:] in _FIRST
            or (word[:2] in ("وب", "ول") and word[2:] in _FIRST)
            or word in _ANAPHORA
            or (word[:1] in "وف" and word[1:] in _ANAPHORA)
        )
        if len(_STARTS) > 200_000:
            _STARTS.clear()
        _STARTS[word] = got
    return got


@dataclass(frozen=True, slots=True)
class RawActor:
    span: tuple[int, int]
    canonical: str


def _alias_at(words: list[str], lows: list[str], i: int) -> tuple[int, int, str] | None:
    """(words taken, clitic characters skipped, canonical) of the longest alias at word i."""
    w = lows[i]
    most = max(_WORDS_FROM.get(w, 0), _WORDS_FROM.get(w[1:], 0), _WORDS_FROM.get(w[2:], 0))
    for n in range(min(most, len(words) - i), 0, -1):
        key = tuple(words[i : i + n])
        canon = _EXACT.get(key) or _LOWER.get(tuple(lows[i : i + n]))
        if canon:
            return n, 0, canon
        if "\u0621" <= key[0][:1] <= "\u064a":
            for cl in _CLITICS:
                if key[0].startswith(cl) and len(key[0]) > len(cl) + 2:
                    canon = _EXACT.get((key[0][len(cl) :], *key[1:]))
                    if canon:
                        return n, len(cl), canon
    return None


def find_actors(folded: str) -> list[RawActor]:
    """Every actor alias in `folded`, earliest and longest first, without overlaps.

    An Arabic clitic (و ب ل) glued to the first word is left outside the span; a case
    ending (tanween) after the last word is kept inside it.
    """
    toks = list(_TOKEN.finditer(folded))
    words = [m.group(0) for m in toks]
    lows = [w.lower() for w in words]
    out: list[RawActor] = []
    weak: list[tuple[RawActor, re.Pattern[str]]] = []
    out_end = 0  # the word index after the last alias taken
    starts = [k for k, w in enumerate(lows) if _may_start(w)]
    for i in starts:
        if i < out_end:
            continue  # inside an alias already taken
        first = lows[i]
        clitic = 1 if first[:1] in "وف" and first[1:] in _ANAPHORA else 0
        if first[clitic:] in _ANAPHORA:
            named = [a.canonical for a in out if a.canonical in _GROUPS]
            canon = named[-1] if named else _DEFAULT_REFERENT.get(first[clitic:])
            if canon:  # the group most recently named, else the word's usual sense
                out.append(RawActor((toks[i].start() + clitic, toks[i].end()), canon))
                out_end = i + 1
            continue
        hit = _alias_at(words, lows, i)
        if hit is None:
            continue
        n, skip, canon = hit
        a, b = toks[i].start() + skip, toks[i + n - 1].end()
        while b < len(folded) and "\u064b" <= folded[b] <= "\u0652":
            b += 1  # keep the case ending (tanween) with the word
        actor = RawActor((a, b), canon)
        w = _WEAK.get(tuple(t.lower() for t in _tokens(folded[a:b])))
        if w is not None and w[0] == canon:
            weak.append((actor, w[1]))
        out.append(actor)
        out_end = i + n
    for actor, home in weak:
        full = any(x.canonical == actor.canonical and (x, home) not in weak for x in out)
        if not full and not home.search(folded):
            out.remove(actor)
    return out
