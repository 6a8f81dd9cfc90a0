"""Attribution (who said what) on PolNeAR political news, against a "said"-only baseline.

Scored per article on the attributions PolNeAR gives an explicit source (an implicit
source has no span to find). A found attribution and a gold one are paired, one to one,
when their source spans share a character; among pairs, the one whose contents share
most words is taken first.

- source P/R/F1: pairs over found attributions with a source span / over gold ones.
- source+content alignment: the share of gold attributions paired with a found one whose
  content covers at least half of the gold content's words, and of whose content words
  at least half are in the gold content (so "the rest of the article" does not count).

The baseline, run on the same texts: a source is the up-to-three words before a form of
"say" or "tell" in the same sentence, the content the rest of that sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from quietwire.verify import Document, extract
from verify_quality._common import Figure, f1, read_jsonl

Span = tuple[int, int]
_WORD = re.compile(r"\w+")
_BASE = re.compile(r"\b(?:said|says|say|told|tells)\b")


def _words(text: str, spans: Iterable[Span]) -> set[int]:
    """Start offsets of the words inside `spans` (a bag keyed by position)."""
    out: set[int] = set()
    for a, b in spans:
        out.update(a + m.start() for m in _WORD.finditer(text[a:b]))
    return out


def _overlap(a: list[Span], b: list[Span]) -> bool:
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def _baseline(text: str) -> list[tuple[list[Span], list[Span]]]:
    out: list[tuple[list[Span], list[Span]]] = []
    for sent in re.finditer(r"[^.!?\n]+[.!?]?", text):
        m = _BASE.search(sent.group(0))
        if not m:
            continue
        lo = sent.start()
        before = list(_WORD.finditer(sent.group(0)[: m.start()]))[-3:]
        if not before:
            continue
        src = (lo + before[0].start(), lo + before[-1].end())
        out.append(([src], [(lo + m.end(), sent.end())]))
    return out


def _engine(text: str) -> list[tuple[list[Span], list[Span]]]:
    ex = extract(Document("a", text, lang="en"))
    return [
        ([a.source_span], [a.content_span]) for a in ex.attributions if a.source_span is not None
    ]


def _score(
    articles: list[dict[str, object]], finder: object
) -> tuple[float, float, float, float, int]:
    found_n = gold_n = paired = aligned = 0
    for art in articles:
        text = str(art["text"])
        gold = [
            (g["source"]["spans"], (g["content"] or {"spans": []})["spans"])
            for g in art["attributions"]  # type: ignore[attr-defined]
            if g["source"] is not None
        ]
        found = finder(text)  # type: ignore[operator]
        found_n += len(found)
        gold_n += len(gold)
        used: set[int] = set()
        for gs, gc in gold:
            gw = _words(text, [tuple(s) for s in gc])
            best: tuple[float, int, set[int]] | None = None
            for i, (fs, fc) in enumerate(found):
                if i in used or not _overlap([tuple(s) for s in gs], fs):
                    continue
                fw = _words(text, fc)
                shared = len(gw & fw)
                if best is None or shared > best[0]:
                    best = (shared, i, fw)
            if best is None:
                continue
            shared, i, fw = best
            used.add(i)
            paired += 1
            if gw and fw and shared >= 0.5 * len(gw) and shared >= 0.5 * len(fw):
                aligned += 1
    p = paired / found_n if found_n else 0.0
    r = paired / gold_n if gold_n else 0.0
    return p, r, f1(p, r), aligned / gold_n if gold_n else 0.0, gold_n


def measure(corpora: Path) -> list[Figure]:
    figures: list[Figure] = []
    for name in ("polnear_dev", "polnear_train"):
        articles = list(read_jsonl(corpora / "polnear" / f"{name}.jsonl"))
        ep, er, ef, ea, n = _score(articles, _engine)
        bp, br, bf, ba, _ = _score(articles, _baseline)
        what = "attributions with an explicit source; pairs share a source character"
        figures += [
            Figure(name, "source precision", ep, bp, what, n),
            Figure(name, "source recall", er, br, what, n),
            Figure(name, "source F1", ef, bf, what, n),
            Figure(
                name,
                "source+content alignment",
                ea,
                ba,
                "paired, and contents share >= half of the words of each",
                n,
            ),
        ]
    return figures
