"""Event type on ACLED's six types plus NONE: macro-F1, beside the majority class.

CASE 2021 task 2 snippets (English) carry an ACLED sub-type and its event type; "NONE"
items (claims of responsibility, diplomacy, disasters, crime) are negatives and must come
out null. Our Arabic development set (devsets/event_types_ar.jsonl: `id`, `text`,
`event_type`, one of our snake_case ids or null; tuned on) and its held-out companion
(event_types_ar_heldout.jsonl, written after the rules and never tuned on) are scored the
same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from quietwire.verify._events import EVENT_TYPES, classify
from verify_quality._common import DEVSETS, Figure, f1, read_jsonl

_ACLED = {
    "Battles": "battles",
    "Explosions/Remote violence": "explosions_remote_violence",
    "Violence against civilians": "violence_against_civilians",
    "Protests": "protests",
    "Riots": "riots",
    "Strategic developments": "strategic_developments",
    "NONE": None,
}
_CAUSE = {
    "shelling": "explosions_remote_violence",
    "explosion": "explosions_remote_violence",
    "chemical and toxic gases": "explosions_remote_violence",
    "execution": "violence_against_civilians",
}
_LABELS: tuple[str | None, ...] = (*EVENT_TYPES, None)
_DEF = (
    "mean over the six ACLED types and NONE of per-label F1 (a text is one prediction; "
    "NONE = null event type)"
)


def macro_f1(pairs: Iterable[tuple[str | None, str | None]]) -> float:
    """Macro-F1 over the six types and NONE of (gold, predicted) pairs."""
    conf = Counter(pairs)
    scores = []
    for lab in _LABELS:
        tp = conf[(lab, lab)]
        fp = sum(v for (g, p), v in conf.items() if p == lab and g != lab)
        fn = sum(v for (g, p), v in conf.items() if g == lab and p != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        scores.append(f1(prec, rec))
    return sum(scores) / len(scores)


def _figures(corpus: str, items: list[tuple[str, str | None]]) -> list[Figure]:
    gold = [g for _, g in items]
    majority = Counter(gold).most_common(1)[0][0]
    ours = [(g, classify(t)[0]) for t, g in items]
    out = [
        Figure(
            corpus,
            "event type macro-F1",
            macro_f1(ours),
            macro_f1((g, majority) for g in gold),
            _DEF + f"; baseline: always the majority class ({majority})",
            len(items),
        )
    ]
    for lab in _LABELS:
        n = sum(g == lab for g in gold)
        if n:
            right = sum(g == p == lab for g, p in ours)
            out.append(
                Figure(
                    corpus,
                    f"  recall {lab or 'NONE'}",
                    right / n,
                    None,
                    "share of the label's items given that label",
                    n,
                )
            )
    return out


def measure(corpora: Path) -> list[Figure]:
    case = [
        (str(d["text"]), _ACLED[d["gold_acled_event_type"]])
        for d in read_jsonl(corpora / "case2021" / "case2021_task2_snippets.jsonl")
    ]
    out = _figures("case2021 (en)", case)
    fakes = [
        (str(r["text"]), _CAUSE[r["gold"]["cause_of_death"]])
        for r in read_jsonl(corpora / "fakes" / "fakes_articles.jsonl")
        if r["gold"]["cause_of_death"] in _CAUSE
    ]
    right = sum(classify(t)[0] == g for t, g in fakes)
    major = Counter(g for _, g in fakes).most_common(1)[0][0]
    out.append(
        Figure(
            "fakes (en, real)",
            "event type agrees with cause of death",
            right / len(fakes),
            sum(g == major for _, g in fakes) / len(fakes),
            "share of articles whose type matches the crowd-coded cause (shelling, explosion, "
            "chemical -> explosions/remote violence; execution -> violence against civilians; "
            f"shooting and unknown left out); baseline: always {major}",
            len(fakes),
        )
    )
    for name in ("event_types_ar", "event_types_ar_heldout"):
        ar = [(str(d["text"]), d["event_type"]) for d in read_jsonl(DEVSETS / f"{name}.jsonl")]
        out += _figures(f"devset {name}", ar)
    return out
