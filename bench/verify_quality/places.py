"""Places: the right country on Syrian war news (FA-KES), Arabic LOC mentions (ANERcorp), and
our own Arabic development set.

Baseline: a greedy gazetteer on the same data file, no context: every capitalised run (in
English) or word with a clitic stripped (in Arabic) that is a key, read as its first
candidate. That is how the engine worked before this pass.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from quietwire.verify import Document, extract
from quietwire.verify._lang import fold
from quietwire.verify._places_data import arabic_key, compact_gazetteer, latin_key
from verify_quality._common import DEVSETS, Figure, f1, read_jsonl

Span = tuple[int, int]
#: (span, country code, ancestors, gazetteer id) of one place found.
Found = tuple[Span, str, tuple[str, ...], str]
_WORD = re.compile(r"[A-Za-z][\w'-]*|[\u0621-\u064a]+")
_CLITICS = ("وب", "ول", "و", "ب", "ل", "ف", "ك")
#: FA-KES gold governorates (lower-case, as written there) -> GeoNames admin1 codes. The
#: crowd wrote "damascus" for Damascus and its countryside (Rif Dimashq, 08) alike.
_AR_DEV, _EN_DEV = "ar_places_actors.jsonl", "en_places_actors.jsonl"
_GOVERNORATES = {
    "aleppo": {"09"}, "damascus": {"13", "08"}, "deir ezzor": {"07"}, "homs": {"11"},
    "raqqa": {"04"}, "idlib": {"12"}, "hasakeh": {"01"}, "hama": {"10"}, "daraa": {"06"},
    "lattakia": {"02"}, "quneitra": {"03"},
}  # fmt: skip


def engine(text: str) -> list[Found]:
    ex = extract(Document("q", text))
    return [(p.span, p.country_code or "", p.ancestors, p.id or "") for p in ex.places]


def _kind(pid: str) -> str:
    e = compact_gazetteer().entry(pid)
    return e.kind if e else ""


def greedy(text: str) -> list[Found]:
    """The naive baseline (see the module doc)."""
    gaz = compact_gazetteer()
    folded = fold(text)
    words = list(_WORD.finditer(folded))
    out: list[Found] = []
    i = 0
    while i < len(words):
        hit = None
        for n in (4, 3, 2, 1):
            if i + n > len(words):
                continue
            a, b = words[i].start(), words[i + n - 1].end()
            chunk = folded[a:b]
            if chunk[0] < "\u0600":
                keys = [latin_key(chunk)] if chunk[0].isupper() else []
            else:
                k = arabic_key(chunk)
                keys = [k, *(k[len(c) :] for c in _CLITICS if k.startswith(c))]
            for k in keys:
                c = gaz.candidates(k)
                if c:
                    e = c[0]
                    hit = ((a, b), e.country_code, e.ancestors, e.id), n
                    break
            if hit:
                break
        if hit:
            out.append(hit[0])
            i += hit[1]
        else:
            i += 1
    return out


def _fakes(corpora: Path, find: Callable[[str], list[Found]]) -> tuple[float, float, float, int]:
    """(right-country share of mentions, governorate accuracy, mistakes per 100 articles, n)."""
    countries = {e: latin_key(e) for e in _country_names()}
    right = total = gov_ok = gov_n = mistakes = articles = 0
    for item in read_jsonl(corpora / "fakes" / "fakes_articles.jsonl"):
        text = item["text"]
        articles += 1
        named = {cc for name, cc in countries.items() if name in text}
        found = find(text)
        for span, cc, kind in ((f[0], f[1], _kind(f[3])) for f in found):
            total += 1
            after = text[span[1] : span[1] + 2]
            person = len(after) == 2 and after[0] == " " and after[1].isupper()
            ok = cc in ("SY", "") or kind in ("country", "capital") or (cc in named and not person)
            right += ok
            mistakes += not ok
        govs = Counter(f[2][0][3:] for f in found if f[1] == "SY" and len(f[2]) == 2)
        if govs:
            gov_n += 1
            gov_ok += govs.most_common(1)[0][0] in _GOVERNORATES[item["gold"]["location"]]
    return right / max(total, 1), gov_ok / max(gov_n, 1), 100 * mistakes / articles, total


def _country_names() -> dict[str, str]:
    """English country names -> code, from the gazetteer's own country records."""
    return {e.name: e.country_code for e in compact_gazetteer().countries()}


def _ecbplus(corpora: Path, find: Callable[[str], list[Found]]) -> tuple[float, float, int]:
    """(recall of LOC_GEO mentions, share of places found inside one, gold mentions).

    ECB+ mentions carry no offsets: a gold mention counts found when a place found has a
    name inside it or containing it, and the other way round.
    """
    n_gold = hit = n_found = inside = 0
    for item in read_jsonl(corpora / "ecbplus" / "ecbplus_documents.jsonl"):
        text = item["text"]
        gold = [m["text"] for m in item["annotated_locations"] if m["type"] == "LOC_GEO"]
        names = [text[a:b] for (a, b), *_ in find(text)]
        n_gold += len(gold)
        hit += sum(any(n in g or g in n for n in names) for g in gold)
        n_found += len(names)
        inside += sum(any(n in g or g in n for g in gold) for n in names)
    return hit / max(n_gold, 1), inside / max(n_found, 1), n_gold


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _prf(gold: list[list[Span]], found: list[list[Span]]) -> tuple[float, float, int, int]:
    tp_p = sum(
        any(_overlap(f, g) for g in gs) for fs, gs in zip(found, gold, strict=True) for f in fs
    )
    tp_r = sum(
        any(_overlap(g, f) for f in fs) for fs, gs in zip(found, gold, strict=True) for g in gs
    )
    n_found = sum(map(len, found))
    n_gold = sum(map(len, gold))
    return tp_p / max(n_found, 1), tp_r / max(n_gold, 1), n_found, n_gold


def _strip(word: str) -> str:
    k = arabic_key(word)
    for c in ("وب", "ول", "و", "ب", "ل", "ف"):
        if k.startswith(c) and arabic_key("ال" + k[len(c) :]) != k and len(k) - len(c) >= 3:
            rest = k[len(c) :]
            if rest.startswith("ل") and c == "ل":
                rest = "ا" + rest
            return rest
    return k


def _labels() -> dict[str, str]:
    """Our hand labels: an ANERcorp place name (clitics off) -> its country ("-": none)."""
    out = {}
    for line in (DEVSETS / "anercorp_loc_countries.tsv").read_text(encoding="utf-8").split("\n"):
        if line and not line.startswith("#"):
            name, cc = line.split("\t")
            out[arabic_key(name)] = cc
    return out


def _anercorp(corpora: Path, find: Callable[[str], list[Found]]) -> list[float]:
    gold: list[list[Span]] = []
    found: list[list[Span]] = []
    labels = _labels()
    right = judged = 0
    for item in read_jsonl(corpora / "anercorp" / "anercorp_sentences.jsonl"):
        g = [
            (e["span"][0], e["span"][1], e["text"]) for e in item["entities"] if e["type"] == "LOC"
        ]
        fs = find(item["text"])
        gold.append([(a, b) for a, b, _ in g])
        found.append([f[0] for f in fs])
        for span, cc, *_ in fs:
            for a, b, t in g:
                label = labels.get(_strip(t)) or labels.get(arabic_key(t))
                if _overlap(span, (a, b)) and label is not None:
                    judged += 1
                    right += cc == label or (label == "-" and cc == "")
                    break
    p, r, _, ng = _prf(gold, found)
    return [p, r, f1(p, r), right / max(judged, 1), float(ng), float(judged)]


def _devset(find: Callable[[str], list[Found]], name: str) -> list[float]:
    gold: list[list[Span]] = []
    found: list[list[Span]] = []
    right = judged = 0
    for item in read_jsonl(DEVSETS / name):
        text = item["text"]
        g = [
            ((m.start(), m.end()), cc)
            for surface, cc in item["places"]
            for m in re.finditer(re.escape(surface), text)
        ]
        fs = find(text)
        gold.append([s for s, _ in g])
        found.append([f[0] for f in fs])
        for span, cc, *_ in fs:
            hit = next((gcc for gs, gcc in g if _overlap(span, gs)), None)
            if hit is not None:
                judged += 1
                right += cc == hit or (hit == "-" and cc == "")
    p, r, _, ng = _prf(gold, found)
    return [p, r, f1(p, r), right / max(judged, 1), float(ng), float(judged)]


def measure(corpora: Path) -> list[Figure]:
    e, b = _fakes(corpora, engine), _fakes(corpora, greedy)
    out = [
        Figure(
            "fakes",
            "en places in the right country",
            e[0],
            b[0],
            "share of place mentions found that resolve to Syria, to a country or a capital, "
            "or to a place in a country the article names (not directly before a capitalised "
            "word: a person's name)",
            e[3],
        ),
        Figure(
            "fakes",
            "en governorate of the article",
            e[1],
            b[1],
            "share of articles with a Syrian place whose most-named governorate is the "
            "gold one (Damascus and Rif Dimashq both count for 'damascus')",
            402,
        ),
        Figure(
            "fakes",
            "en country mistakes per 100 articles",
            e[2],
            b[2],
            "mentions failing the first figure's test, per 100 articles",
            402,
        ),
    ]
    e, b = _ecbplus(corpora, engine), _ecbplus(corpora, greedy)
    out.append(
        Figure(
            "ecbplus",
            "en LOC_GEO mentions found",
            e[0],
            b[0],
            "gold LOC_GEO mentions (no offsets) with a place found inside or around "
            "them; ECB+ is US-centred general news, a check outside Syria",
            e[2],
        )
    )
    out.append(
        Figure(
            "ecbplus",
            "en places found inside a LOC_GEO",
            e[1],
            b[1],
            "places found whose name is inside or around a gold LOC_GEO mention "
            "(not all places are annotated: a lower bound on precision)",
            e[2],
        )
    )
    names = ("precision", "recall", "F1", "right country")
    for corpus, ee, bb, how in (
        ("anercorp", _anercorp(corpora, engine), _anercorp(corpora, greedy),
         "LOC mentions, a found place counted right when its span overlaps a gold LOC span "
         "(clitics allowed)"),
        ("devset ar", _devset(engine, _AR_DEV), _devset(greedy, _AR_DEV),
         f"our Arabic development set (devsets/{_AR_DEV}), span overlap"),
        ("devset en", _devset(engine, _EN_DEV), _devset(greedy, _EN_DEV),
         f"our English development set (devsets/{_EN_DEV}), span overlap"),
    ):  # fmt: skip
        lang = corpus[-2:] if corpus.startswith("devset") else "ar"
        for k, name in enumerate(names):
            extra = (
                " ; right country: of found places overlapping a gold place with a hand "
                "label (devsets/anercorp_loc_countries.tsv for anercorp), the share whose "
                "country is the label's"
                if k == 3
                else ""
            )
            n = int(ee[5] if k == 3 else ee[4])
            out.append(Figure(corpus, f"{lang} places {name}", ee[k], bb[k], how + extra, n))
    return out
