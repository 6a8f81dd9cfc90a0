"""Independence: outlets repeating one monitoring group are one source; quotes are not
corroboration.

- devsets/incidents.jsonl (ours, English and Arabic; see devsets/README.md): each
  incident's articles are clustered on their own; an incident is right when they form
  one event with `expect_sources` independent sources. Scored for the `monitor` kind
  (several outlets, one monitoring group under different namings) and for all kinds.
- fakes: every `silver_event_key` (derived: date + governorate) with articles from two
  or more outlets that match `cites_sohr`: those articles clustered on their own must
  give one event with one independent source. `cites_sohr` is a text match, so a
  passing mention counts as citing; there are only a few such incidents.
- "no single article graded above 3 on its quotes alone": every article of fakes, of
  PolNeAR dev (political news, dense in quotes) and of our incidents, clustered alone;
  the share graded credibility 3 or worse (never 1 or 2).
Baselines: one source per outlet (incidents), and grading by the number of distinct
names quoted (single articles), the reading that counted seven quoted people as seven.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from quietwire.verify import ClusterSettings, Document, Report, cluster, extract
from verify_quality import _reports
from verify_quality._common import DEVSETS, Figure, read_jsonl

_SETTINGS = ClusterSettings()


def _one_source(reports: list[Report], expect: int) -> bool:
    events = cluster(reports, _SETTINGS)
    return len(events) == 1 and events[0].independent_sources == expect


def _incidents() -> list[tuple[dict[str, Any], list[Report]]]:
    out = []
    for inc in read_jsonl(DEVSETS / "incidents.jsonl"):
        reports = []
        for a in inc["articles"]:
            doc = Document(
                a["id"], a["text"], a["lang"], date.fromisoformat(a["published"]), a["outlet"]
            )
            reports.append(Report(doc, extract(doc)))
        out.append((inc, reports))
    return out


def _graded_at_most_3(reports: list[Report]) -> tuple[float, float]:
    """Share of single articles graded 3 or worse; the naive share for the baseline."""
    ok = naive = 0
    for r in reports:
        ev = cluster([r], _SETTINGS)[0]
        ok += ev.credibility >= 3
        naive += len({a.source.casefold() for a in r.extraction.attributions}) < 2
    return ok / len(reports), naive / len(reports)


def measure(corpora: Path) -> list[Figure]:
    figures: list[Figure] = []
    incidents = _incidents()
    for kind, label in (("monitor", "monitor incidents"), (None, "all incidents")):
        chosen = [(i, r) for i, r in incidents if kind is None or i["kind"] == kind]
        right = sum(_one_source(r, i["expect_sources"]) for i, r in chosen)
        naive = sum(len({x.doc.outlet for x in r}) == i["expect_sources"] for i, r in chosen)
        figures.append(
            Figure(
                "devset incidents",
                f"{label}: right source count",
                right / len(chosen),
                naive / len(chosen),
                "share of incidents whose articles, clustered alone, make one event with the "
                "expected independent sources; baseline: one source per outlet",
                len(chosen),
            )
        )
    rows, reports = _reports.fakes(corpora)
    by_key: dict[str, list[int]] = defaultdict(list)
    for k, row in enumerate(rows):
        if row["cites_sohr"]:
            by_key[row["silver_event_key"]].append(k)
    multi = [ks for ks in by_key.values() if len({rows[k]["outlet"] for k in ks}) > 1]
    right = sum(_one_source([reports[k] for k in ks], 1) for ks in multi)
    figures.append(
        Figure(
            "fakes",
            "SOHR multi-outlet incidents: one source",
            right / len(multi) if multi else 0.0,
            0.0,
            "share of silver keys (derived) with cites_sohr articles from 2+ outlets whose "
            "cites_sohr articles, clustered alone, make one event with one independent "
            "source; baseline: one source per outlet",
            len(multi),
        )
    )
    polnear = [
        Document(
            r["id"], r["text"], "en", date.fromisoformat(r["publication_date"]), r["publisher"]
        )
        for r in read_jsonl(corpora / "polnear" / "polnear_dev.jsonl")
    ]
    singles = (
        reports + [Report(d, extract(d)) for d in polnear] + [r for _i, rs in incidents for r in rs]
    )
    value, base = _graded_at_most_3(singles)
    figures.append(
        Figure(
            "fakes+polnear dev+devset",
            "single articles graded 3 or worse",
            value,
            base,
            "share of single articles, clustered alone, whose credibility is 3 or worse "
            "(never 'confirmed' on its quotes alone; target 1.0); baseline: graded by the "
            "count of distinct names quoted",
            len(singles),
        )
    )
    return figures


def _debug(corpora: Path) -> None:  # pragma: no cover - a development aid
    for inc, reps in _incidents():
        ev = cluster(reps, _SETTINGS)
        print(inc["incident"], json.dumps([(e.members, e.origins) for e in ev], ensure_ascii=False))
