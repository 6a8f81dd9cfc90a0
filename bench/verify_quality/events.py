"""Grouping reports of one event: B-cubed precision, recall and F1 on real news.

- ecbplus: ECB+ documents, gold `gold_event_cluster` (each topic holds two real-world
  events of one kind, a pair of hard negatives). Each document's text alone: ECB+ has no
  publication date and no outlet. Baselines: every document alone, and one cluster per
  ECB+ topic (an oracle of the topic, which the engine is never given).
- fakes: FA-KES articles (headline + body, publication day, outlet) against
  `silver_event_key` = crowd date + governorate. That key is DERIVED, not gold: different
  incidents on one day in one governorate share it, and reports of one incident dated a
  day apart do not. Also scored on the 14 articles of the 7 keys covered by two or more
  outlets (the predicted clusters restricted to them). Baselines: every article alone,
  and one cluster per publication day.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from quietwire.verify import bcubed, cluster
from verify_quality import _reports
from verify_quality._common import Figure

_BC = "B-cubed {} of predicted events against {} (Bagga and Baldwin 1998, averaged over items)"


def _figures(
    corpus: str,
    gold: Mapping[str, str],
    predicted: Mapping[str, str],
    baseline: Mapping[str, str],
    what: str,
    base_name: str,
) -> list[Figure]:
    got = bcubed(predicted, gold)
    base = bcubed(baseline, gold)
    out = []
    for name, value, bvalue in (
        ("precision", got.precision, base.precision),
        ("recall", got.recall, base.recall),
        ("F1", got.f1, base.f1),
    ):
        out.append(
            Figure(
                corpus,
                f"events B3 {name}",
                value,
                bvalue,
                _BC.format(name, what) + f"; baseline: {base_name}",
                len(gold),
            )
        )
    return out


def _predicted(reports: list[_reports.Report]) -> dict[str, str]:
    return {m: ev.event for ev in cluster(reports) for m in ev.members}


def measure(corpora: Path) -> list[Figure]:
    figures: list[Figure] = []
    rows, reports = _reports.ecbplus(corpora)
    gold = {r["id"]: r["gold_event_cluster"] for r in rows}
    predicted = _predicted(reports)
    alone = {r["id"]: r["id"] for r in rows}
    topic = {r["id"]: str(r["topic"]) for r in rows}
    figures += _figures("ecbplus", gold, predicted, alone, "gold_event_cluster", "all singletons")
    figures += _figures(
        "ecbplus", gold, predicted, topic, "gold_event_cluster", "one cluster per topic"
    )[2:]
    rows, reports = _reports.fakes(corpora)
    gold = {r["id"]: r["silver_event_key"] for r in rows}
    predicted = _predicted(reports)
    alone = {r["id"]: r["id"] for r in rows}
    by_day = {r["id"]: str(r["published"]) for r in rows}
    what = "silver_event_key (derived: date|governorate)"
    figures += _figures("fakes", gold, predicted, alone, what, "all singletons")
    figures += _figures("fakes", gold, predicted, by_day, what, "one cluster per day")[2:]
    outlets: dict[str, set[str]] = {}
    for r in rows:
        outlets.setdefault(r["silver_event_key"], set()).add(r["outlet"])
    multi = [r["id"] for r in rows if len(outlets[r["silver_event_key"]]) > 1]
    sub_gold = {i: gold[i] for i in multi}
    figures += _figures(
        "fakes multi-outlet",
        sub_gold,
        {i: predicted[i] for i in multi},
        {i: i for i in multi},
        what + f", the {len(multi)} articles of keys with 2+ outlets",
        "all singletons",
    )
    return figures
