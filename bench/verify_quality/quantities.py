"""Quantities: found, value right, qualifier right at its bound, and what is counted.

Corpora: CQE's NewsQuant (news sentences; every gold `change` is "=") and the four
Recognizers-Text sets (value only, no qualifier), plus our own hedged conflict sets
(devsets/quantities_en.jsonl, quantities_ar.jsonl, tuned on; quantities_*_heldout.jsonl,
written after the rules and never tuned on; per line `id`, `text`, `quantities`:
`surface` as written in the text, `low`, `high` (null when open), `qualifier`, and `counts`
when it is scored, null meaning "nothing the docs list").

Every figure runs the whole extractor (`extract`), so dates, years and names with numbers
are left out as a user sees them. The baseline is every run of digits read as an exact
number counting nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from quietwire.verify import Document, Quantity, extract
from verify_quality._common import DEVSETS, Figure, f1, read_jsonl

_CQE_SETS = ("newsquant", "age-model", "currency-model", "dimension-model", "temperature-model")
# Our qualifier as CQE's `change`; a range or a vague word is a value CQE writes with "=".
_CHANGE = {"exact": "=", "range": "=", "vague": "=", "about": "~", "at_least": ">", "at_most": "<"}
_DIGITS = re.compile(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?![\d.])")


def _naive(text: str) -> list[Quantity]:
    out = []
    for m in _DIGITS.finditer(text):
        v = float(m[0].replace(",", ""))
        out.append(Quantity(m[0], m.span(), v, v, "exact", None))
    return out


def _ours(text: str) -> list[Quantity]:
    return list(extract(Document("q", text)).quantities)


def _stated(q: Quantity) -> set[float]:
    """The number as written, read back from the interval at the bound the qualifier implies."""
    lo, hi = q.low, q.high
    if q.qualifier == "at_least" and lo is not None:
        return {lo, lo - 1}  # "at least N" is N..; "more than N" is N+1..
    if q.qualifier == "at_most" and hi is not None:
        return {hi, hi + 1}
    if q.qualifier == "about" and lo is not None and hi is not None:
        return {(lo + hi) / 2}  # the band is symmetric about N
    return {v for v in (lo, hi) if v is not None}


def _gold_value(v: str) -> tuple[float, float] | None:
    m = re.fullmatch(r"(-?[\d.]+)(?:-(-?[\d.]+))?", v.replace(" ", ""))
    if not m:
        return None
    a = float(m[1])
    return (a, float(m[2])) if m[2] else (a, a)


def _cqe_match(g: dict[str, Any], q: Quantity) -> bool:
    gv = _gold_value(str(g["value"]))
    if gv is None:
        return False
    if gv[0] != gv[1]:  # a vague word's top is one below CQE's ("tens of millions")
        return {q.low, q.high} == set(gv) or (q.qualifier == "vague" and q.high == gv[1] - 1)
    return gv[0] in _stated(q)


def _cqe(name: str, rows: list[dict[str, Any]], find: Any) -> tuple[float, ...]:
    """(found F1, value right, qualifier right, qualifier right of those found, gold count)."""
    tp = n_pred = n_gold = qual_right = 0
    for d in rows:
        preds = find(d["text"])
        n_pred += len(preds)
        gold = d["gold_quantities"]
        n_gold += len(gold)
        free = list(preds)
        for g in gold:
            hit = next((q for q in free if _cqe_match(g, q)), None)
            if hit is None:
                continue
            free.remove(hit)
            tp += 1
            qual_right += g["change"] is None or _CHANGE[hit.qualifier] == g["change"]
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    share = qual_right / n_gold if n_gold else 0.0
    return f1(p, r), r, share, qual_right / tp if tp else 0.0, n_gold


def _dev(rows: list[dict[str, Any]], find: Any) -> dict[str, tuple[float, int]]:
    """Found F1, value right, value and hedge right, counts right on one of our sets."""
    tp = n_pred = n_gold = value = hedge = counted = n_counted = 0
    for d in rows:
        text = d["text"]
        preds = find(text)
        n_pred += len(preds)
        for g in d["quantities"]:
            n_gold += 1
            a = text.index(g["surface"])
            b = a + len(g["surface"])
            hit = next((q for q in preds if q.span[0] < b and a < q.span[1]), None)
            if hit is not None:
                preds = [q for q in preds if q is not hit]
                tp += 1
            gl, gh = float(g["low"]), None if g["high"] is None else float(g["high"])
            ok_value = hit is not None and (hit.low, hit.high) == (gl, gh)
            value += ok_value
            hedge += ok_value and hit is not None and hit.qualifier == g["qualifier"]
            if "counts" in g:
                n_counted += 1
                counted += hit is not None and hit.counts == g["counts"]
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {
        "found F1": (f1(p, r), n_gold),
        "value right (low and high)": (value / n_gold, n_gold),
        "value and qualifier right": (hedge / n_gold, n_gold),
        "what is counted right": (counted / n_counted if n_counted else 0.0, n_counted),
    }


_DEV_DEF = {
    "found F1": "a gold quantity is found when a predicted span overlaps its surface (one to one)",
    "value right (low and high)": "share of gold quantities found with the interval exactly right",
    "value and qualifier right": "share found with the interval and the qualifier both right",
    "what is counted right": "share of gold quantities with a scored `counts` found with it",
}


def _fakes(rows: list[dict[str, Any]], find: Any) -> tuple[float, int]:
    """Share of FA-KES articles with a killed figure whose interval holds the crowd's count."""
    hit = n = 0
    for r in rows:
        g = r["gold"]
        civ, other = g.get("nb_civilians") or 0, g.get("nb_noncivilians") or 0
        targets = {float(civ), float(civ + other)} - {0.0}
        if not targets:
            continue
        n += 1
        hit += any(
            (find is _naive or q.counts == "killed")
            and q.low is not None
            and any(q.low <= t <= (q.high if q.high is not None else float("inf")) for t in targets)
            for q in find(r["text"])
        )
    return (hit / n if n else 0.0), n


def measure(corpora: Path) -> list[Figure]:
    out: list[Figure] = []
    fakes = list(read_jsonl(corpora / "fakes" / "fakes_articles.jsonl"))
    (ours_f, n_f), (base_f, _) = _fakes(fakes, _ours), _fakes(fakes, _naive)
    out.append(
        Figure(
            "fakes (en, real)",
            "killed figure found",
            ours_f,
            base_f,
            "share of articles with a quantity counting the killed whose interval holds the "
            "crowd-coded deaths (civilians, or civilians plus others); baseline: any digit run "
            "equal to it",
            n_f,
        )
    )
    for name in _CQE_SETS:
        rows = list(read_jsonl(corpora / "quantities" / f"{name}.jsonl"))
        ours, base = _cqe(name, rows, _ours), _cqe(name, rows, _naive)
        defs = (
            "F1 of quantities whose value (range ends, or the number at the bound its "
            "qualifier implies) equals a gold value, one to one",
            "share of gold quantities found with the right value",
            "share of gold quantities found with the right value and CQE change "
            "(=, ~, >, <; our range and vague read as =)",
            "the same share among the gold quantities found",
        )
        labels = ("found F1", "value right", "qualifier right at its bound", "  of those found")
        for i, label in enumerate(labels):
            if name != "newsquant" and i >= 2:
                continue  # these sets label no qualifier
            out.append(Figure(f"cqe {name}", label, ours[i], base[i], defs[i], int(ours[4])))
    for name in ("en", "ar", "en_heldout", "ar_heldout"):
        rows = list(read_jsonl(DEVSETS / f"quantities_{name}.jsonl"))
        ours_d, base_d = _dev(rows, _ours), _dev(rows, _naive)
        for key, (v, n) in ours_d.items():
            corpus = f"devset quantities_{name}"
            out.append(Figure(corpus, key, v, base_d[key][0], _DEV_DEF[key], n))
    return out
