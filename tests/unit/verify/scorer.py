"""Precision, recall and F1 per extracted field, against labelled gold lines.

Gold lines (tests/data/verify/extract_gold.jsonl) name each item by its text; its span is
the next unused occurrence of that text in the document, so the file stays readable and
hand-editable. Predictions are the JSON objects `quietwire verify extract` writes.

Fields scored (a true positive needs every listed part to agree):
    event_type, sub_event_type     the label (None predicted = no prediction)
    attr.source / attr.cue         normalised string, per document (multiset)
    attr.recipient / attr.cites    same, over the attributions that have one
    attr.content_exact             the content span exactly (PARC-style "exact")
    attr.content_overlap           a predicted content span overlapping a gold one
    qty.span_exact / qty.overlap   the number expression's span
    qty.interval                   overlapping span with the same low, high and qualifier
    qty.counts                     overlapping span with the same `counts`
    place.span_exact / place.cc    span; overlapping span with the right country code
    date.span_exact / date.resolved  span; overlapping span with the same start and end
    actor.span_exact / actor.canonical  span; overlapping span with the same canonical
The other verify tests may import `score` and `table`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GOLD = Path(__file__).resolve().parents[2] / "data" / "verify" / "extract_gold.jsonl"


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def norm(s: str | None) -> str:
    """Case, articles, Arabic letter variants, harakat and punctuation ignored."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", s).lower()
    s = s.translate(str.maketrans("أإآىة", "ااايه"))
    s = re.sub(r"[\u064b-\u0652\u0640]", "", s)
    s = re.sub(r"^(?:the|a|an)\s+", "", s.strip())
    return re.sub(r"[^\w\s]", "", s).strip()


def with_spans(
    doc: Mapping[str, Any], items: Iterable[dict[str, Any]], key: str
) -> list[dict[str, Any]]:
    """Gold items with `span`: the next unused occurrence of item[key] in the text."""
    text, used, out = doc["text"], Counter[str](), []
    for it in items:
        piece, start = it[key], -1
        for _ in range(used[piece] + 1):
            start = text.find(piece, start + 1)
        if start < 0 and used[piece]:  # chain links share one content span
            start = text.find(piece)
        used[piece] += 1
        if start < 0:
            raise ValueError(f"{doc['id']}: {piece!r} is not in the text")
        out.append({**it, "span": [start, start + len(piece)]})
    return out


def _overlap(a: list[int], b: list[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _match(
    prf: PRF,
    gold: list[dict[str, Any]],
    pred: list[dict[str, Any]],
    same: Callable[[dict[str, Any], dict[str, Any]], bool],
) -> None:
    free = list(pred)
    for g in gold:
        hit = next((p for p in free if same(g, p)), None)
        if hit is None:
            prf.fn += 1
        else:
            prf.tp += 1
            free.remove(hit)
    prf.fp += len(free)


def _bag(prf: PRF, gold: Iterable[str], pred: Iterable[str]) -> None:
    g, p = Counter(gold), Counter(pred)
    tp = sum((g & p).values())
    prf.tp += tp
    prf.fn += sum(g.values()) - tp
    prf.fp += sum(p.values()) - tp


def score(
    gold_rows: list[dict[str, Any]], preds: Mapping[str, Mapping[str, Any]]
) -> dict[str, PRF]:
    """Every field's counts over all gold documents (see the module docstring)."""
    r: dict[str, PRF] = {}

    def f(name: str) -> PRF:
        return r.setdefault(name, PRF())

    for doc in gold_rows:
        p = preds[doc["id"]]
        for lab in ("event_type", "sub_event_type"):
            g, q = doc[lab], p.get(lab)
            if q is not None and q == g:
                f(lab).tp += 1
            else:
                f(lab).fp += q is not None
                f(lab).fn += g is not None
        ga = with_spans(doc, doc["attributions"], "content")
        pa = list(p["attributions"])
        for part in ("source", "cue", "recipient", "cites"):
            _bag(
                f(f"attr.{part}"),
                [norm(a[part]) for a in ga if a[part]],
                [norm(a.get(part)) for a in pa if a.get(part)],
            )
        _match(f("attr.content_exact"), ga, pa, lambda g, q: list(q["content_span"]) == g["span"])
        _match(
            f("attr.content_overlap"),
            ga,
            pa,
            lambda g, q: _overlap(list(q["content_span"]), g["span"]),
        )
        for fld, key, checks in (
            ("qty", "text", {"interval": ("low", "high", "qualifier"), "counts": ("counts",)}),
            ("place", "name", {"cc": ("country_code",)}),
            ("date", "text", {"resolved": ("start", "end")}),
            ("actor", "name", {"canonical": ("canonical",)}),
        ):
            gold = with_spans(
                doc,
                doc[
                    {"qty": "quantities", "place": "places", "date": "dates", "actor": "actors"}[
                        fld
                    ]
                ],
                key,
            )
            pred = list(
                p[{"qty": "quantities", "place": "places", "date": "dates", "actor": "actors"}[fld]]
            )
            _match(f(f"{fld}.span_exact"), gold, pred, lambda g, q: list(q["span"]) == g["span"])
            _match(
                f(f"{fld}.span_overlap"),
                gold,
                pred,
                lambda g, q: _overlap(list(q["span"]), g["span"]),
            )
            for name, parts in checks.items():
                _match(
                    f(f"{fld}.{name}"), gold, pred,
                    lambda g, q, parts=parts: _overlap(list(q["span"]), g["span"]) and all(g[x] == q.get(x) for x in parts),
                )  # fmt: skip
    return r


def table(scores: Mapping[str, PRF]) -> str:
    """A plain-text table of P, R and F1 (percent) per field."""
    lines = [f"{'field':24} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
    for name, s in scores.items():
        lines.append(
            f"{name:24} {100 * s.precision:6.1f} {100 * s.recall:6.1f} {100 * s.f1:6.1f}  {s.tp:3} {s.fp:3} {s.fn:3}"
        )
    return "\n".join(lines)
