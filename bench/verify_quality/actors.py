"""Actors: organisations that act (armed groups, armies, ministries, parties) on ANERcorp, and
every actor with its canonical name on our own Arabic development set.

Baseline: the actor alias table as it stood before (Islamic State, Hezbollah, Nusra...),
approximated by the engine's answers restricted to those canonical names.
"""

from __future__ import annotations

import re
from pathlib import Path

from quietwire.verify import Document, extract
from verify_quality._common import DEVSETS, Figure, f1, read_jsonl

#: The gold ORG mentions counted as actors: their text has one of these heads (a party, a
#: movement, an army, forces, a ministry, a front, an organisation of fighters...) or is a
#: well-known armed or political group's own name. Chosen by rule, not by item.
_ACTOR_ORG = re.compile(
    r"حزب|حركة|جيش|الجيش|قوات|وزارة|جبهة|تنظيم|كتائب|سرايا|ميليشي|فصائل|الحرس|"
    r"حماس|فتح|طالبان|القاعدة|البوليساريو|الجهاد"
)
_OLD = frozenset({"Islamic State", "US-led coalition", "Syrian government", "SDF", "Russia",
                  "Turkey", "HTS", "Free Syrian Army", "Hezbollah", "Iran",
                  "United States"})  # fmt: skip
_CATEGORIES = frozenset({"Civilians", "Protesters", "Hisba"})


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


#: Actors that ANERcorp's convention leaves untagged when written as a description (الجيش
#: اللبناني, وزارة الخارجية الإيرانية) or a back-reference (الحزب): states and ministries.
_STATES = frozenset({"Syrian government", "Russia", "Turkey", "Iran", "United States", "Israel",
                     "Iraq", "Yemen", "Lebanon", "Egypt", "Pakistan", "Afghanistan",
                     "Saudi Arabia", "US-led coalition"})  # fmt: skip
_ANAPHORA = re.compile(r"^[وف]?(?:التنظيم|الحركة|الجماعة|الحزب|الميليشيا)$")


def _named(canonical: str, text: str) -> bool:
    return not (
        canonical in _STATES or canonical.startswith("Ministry of") or _ANAPHORA.match(text)
    )


def _anercorp(
    corpora: Path, keep: frozenset[str] | None, names_only: bool = False
) -> tuple[float, float, int]:
    tp_r = n_gold = tp_p = n_found = 0
    for item in read_jsonl(corpora / "anercorp" / "anercorp_sentences.jsonl"):
        orgs = [tuple(e["span"]) for e in item["entities"] if e["type"] == "ORG"
                and _ACTOR_ORG.search(e["text"])]  # fmt: skip
        ents = [tuple(e["span"]) for e in item["entities"] if e["type"] in ("ORG", "LOC")]
        found = [a.span for a in extract(Document("q", item["text"])).actors
                 if a.canonical not in _CATEGORIES
                 and (keep is None or a.canonical in keep)
                 and (not names_only or _named(a.canonical, a.name))]  # fmt: skip
        n_gold += len(orgs)
        tp_r += sum(any(_overlap(g, f) for f in found) for g in orgs)
        n_found += len(found)
        tp_p += sum(any(_overlap(f, g) for g in ents) for f in found)
    return tp_p / max(n_found, 1), tp_r / max(n_gold, 1), n_gold


def _devset(keep: frozenset[str] | None, name: str) -> tuple[float, float, int]:
    tp_r = n_gold = tp_p = n_found = 0
    for item in read_jsonl(DEVSETS / name):
        text = item["text"]
        gold = [((m.start(), m.end()), c) for s, c in item["actors"]
                for m in re.finditer(re.escape(s), text)]  # fmt: skip
        found = [(a.span, a.canonical) for a in extract(Document("q", text)).actors
                 if keep is None or a.canonical in keep]  # fmt: skip
        n_gold += len(gold)
        tp_r += sum(any(_overlap(g, f) and gc == fc for f, fc in found) for g, gc in gold)
        n_found += len(found)
        tp_p += sum(any(_overlap(f, g) and gc == fc for g, gc in gold) for f, fc in found)
    return tp_p / max(n_found, 1), tp_r / max(n_gold, 1), n_gold


def measure(corpora: Path) -> list[Figure]:
    out = []
    for corpus, e, b, how in (
        ("anercorp", _anercorp(corpora, None), _anercorp(corpora, _OLD),
         "gold ORG mentions that are actors (a head such as حزب حركة جيش قوات وزارة جبهة "
         "تنظيم, or a group's own name) found by span overlap; precision: actors found "
         "(victim categories aside) overlapping a gold ORG or LOC (states acting are LOC)"),
        ("devset ar", _devset(None, "ar_places_actors.jsonl"),
         _devset(_OLD, "ar_places_actors.jsonl"),
         "our Arabic devset: span overlap with the right canonical actor"),
        ("devset en", _devset(None, "en_places_actors.jsonl"),
         _devset(_OLD, "en_places_actors.jsonl"),
         "our English devset: span overlap with the right canonical actor"),
    ):  # fmt: skip
        lang = "en" if corpus == "devset en" else "ar"
        out.append(Figure(corpus, f"{lang} actors recall", e[1], b[1], how, e[2]))
        out.append(Figure(corpus, f"{lang} actors precision", e[0], b[0], how, e[2]))
        out.append(Figure(corpus, f"{lang} actors F1", f1(e[0], e[1]), f1(b[0], b[1]), how, e[2]))
    e, b = _anercorp(corpora, None, True), _anercorp(corpora, _OLD, True)
    how = (
        "as above, leaving out states' forces and ministries and back-references (الحزب), "
        "which ANERcorp tags only when written as a name"
    )
    out.append(Figure("anercorp", "ar actors precision, named groups", e[0], b[0], how, e[2]))
    return out
