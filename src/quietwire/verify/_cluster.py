"""Grouping reports into events without comparing all pairs.

Blocking first. A report's keys are its place (gazetteer coordinates when `extract` found
them, so "حلب" and "Aleppo" meet; else the folded name), its event date (the first date it
mentions, else its publication date) and its event type. Then, in order:

1. per (place, type), reports that mention a date are sorted by it and cut into
   anchored windows of `window_days`: everything within the window of the first report
   is one event, unless the reports name different sub-event types (ACLED's "air/drone
   strike" and "remote explosive" at one place and day are two events);
2. a report with a place but no type, or no date of its own (only its publication
   date, which may lag the event by `publish_lag_days`), joins the event at its place
   whose text is most like its own, if any is at least `text_link` alike; failing that,
   a typed one joins the only event of its type in range (if there are two, neither);
3. events at one place in overlapping windows but of different types merge when their
   texts are at least `text_link` alike (a clash reported as shelling by one outlet);
4. near-duplicate texts (MinHash LSH bands) join wherever their dates, places and types
   do not disagree, which also catches copies that lost their place or date;
5. a safety cut: a component spanning more than three windows and a publication lag is
   cut into windows again, so a chain of look-alike daily reports never becomes one
   months-long event;
6. paraphrase (`_cluster_links`): reports alike in their words (TF-IDF) join, weighed
   with places, dates, figures, actors and type (`_cluster_evidence`); this is how a
   report with no date, or with a place only its governorate names, still finds its
   event.

Every step looks only at reports sharing a block, an LSH bucket or a heavy term: the work
grows with the number of reports, not its square.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from quietwire.verify._cluster_links import TextEvidence, text_links
from quietwire.verify._cluster_types import ClusterSettings, Report
from quietwire.verify._minhash import Signatures, band_buckets, normalise, similarity
from quietwire.verify._types import EventType

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Keys:
    place: str | None
    place_label: str | None
    day: date | None
    event_type: EventType | None
    sub_type: str | None = None
    dated: bool = True  # False when `day` is only the publication date


def keys_of(report: Report) -> Keys:
    """The blocking keys of one report."""
    ex = report.extraction
    place = label = None
    for p in ex.places:
        if p.lat is not None and p.lon is not None:
            place, label = f"geo:{p.lat:.2f},{p.lon:.2f}", p.name
            break
    if place is None and ex.places:
        label = ex.places[0].name
        place = f"name:{' '.join(normalise(label).split())}"
    mentioned = next((d.start for d in ex.dates if d.start is not None), None)
    sub = normalise(ex.sub_event_type) if ex.sub_event_type else None
    return Keys(
        place, label, mentioned or report.doc.published, ex.event_type, sub, bool(mentioned)
    )


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _windows(items: Iterable[tuple[date, int]], width: int) -> list[list[int]]:
    """Anchored windows over (day, index) pairs: each starts at its first day."""
    out: list[list[int]] = []
    anchor: date | None = None
    for day, i in sorted(items):
        if anchor is None or (day - anchor).days > width:
            anchor = day
            out.append([])
        out[-1].append(i)
    return out


def _by_sub_type(win: list[int], keys: Sequence[Keys], sigs: Signatures) -> list[list[int]]:
    """Split a window by sub-event type (an air strike is not a car bomb); reports without
    one join the part whose text they most resemble."""
    parts: dict[str, list[int]] = {}
    for i in win:
        sub = keys[i].sub_type
        if sub is not None:
            parts.setdefault(sub, []).append(i)
    if len(parts) <= 1:
        return [win]
    groups = list(parts.values())
    for i in win:
        if keys[i].sub_type is None:
            max(groups, key=lambda g: _best_text(sigs, i, g)).append(i)
    return groups


def _best_text(sigs: Signatures, i: int, group: Sequence[int], probe: int = 4) -> float:
    return max((similarity(sigs, i, j) for j in group[:probe]), default=0.0)


def group_reports(
    keys: Sequence[Keys],
    sigs: Signatures,
    settings: ClusterSettings,
    tick: Callable[[int], None] | None = None,
    text: TextEvidence | None = None,
) -> list[list[int]]:
    """Indices of `keys` grouped into events (each group sorted, groups by first index).

    `text`, when given, adds step 5: links between texts alike in their words."""
    n = len(keys)
    uf = _UnionFind(n)
    width, lag = settings.window_days, settings.publish_lag_days
    firm: dict[tuple[str, EventType], list[tuple[date, int]]] = {}
    loose: list[int] = []
    for i, k in enumerate(keys):
        if k.place is None or k.day is None:
            continue
        if k.event_type is not None and k.dated:
            firm.setdefault((k.place, k.event_type), []).append((k.day, i))
        else:
            loose.append(i)
    # 1. per place and type, anchored windows over the dates the texts mention.
    by_place: dict[str, list[tuple[date, EventType, list[int]]]] = {}
    for (place, etype), items in firm.items():
        for win in _windows(items, width):
            for part in _by_sub_type(win, keys, sigs):
                for j in part[1:]:
                    uf.union(part[0], j)
                by_place.setdefault(place, []).append((keys[part[0]].day or date.min, etype, part))
    if tick:
        tick(n // 4)
    # 2. a report without a type or without a date of its own (only its publication
    # date) joins the most alike event at its place; failing that, a typed one joins the
    # one event of its type in range. Two candidates and no textual hint: it stays
    # alone, since a wrong merge would count it as corroboration (fail closed).
    for wins in by_place.values():
        wins.sort(key=lambda t: t[0])
    starts = {place: [w[0] for w in wins] for place, wins in by_place.items()}
    alone: dict[tuple[str, EventType | None], list[tuple[date, int]]] = {}
    for i in loose:
        k = keys[i]
        place, day = k.place or "", k.day or date.min
        early, late = (width, width) if k.dated else (lag + width, width)
        wins = by_place.get(place, [])
        lo = bisect.bisect_left(starts.get(place, []), day - timedelta(days=early))
        hi = bisect.bisect_right(starts.get(place, []), day + timedelta(days=late))
        near = [c for c in wins[lo:hi] if k.event_type in (None, c[1])]
        best = max(((_best_text(sigs, i, c[2]), c[2][0]) for c in near), default=None)
        if best is not None and best[0] >= settings.text_link:
            uf.union(best[1], i)
        elif len(near) == 1 and k.event_type is not None:
            uf.union(near[0][2][0], i)
        else:
            alone.setdefault((place, k.event_type), []).append((day, i))
    for items in alone.values():
        for win in _windows(items, width + lag):
            for j in win[1:]:
                uf.union(win[0], j)
    # 3. different types, one place, overlapping windows, alike texts.
    for wins in by_place.values():
        for a in range(len(wins)):
            for b in range(a + 1, len(wins)):
                if (wins[b][0] - wins[a][0]).days > width:
                    break
                if wins[a][1] != wins[b][1] and any(
                    _best_text(sigs, i, wins[b][2]) >= settings.text_link for i in wins[a][2][:4]
                ):
                    uf.union(wins[a][2][0], wins[b][2][0])
    if tick:
        tick(n // 4)
    # 4. near-duplicates wherever nothing disagrees.
    for bucket in band_buckets(sigs, settings.bands):
        members = bucket.tolist()
        for i, j in itertools.pairwise(members):
            if (
                uf.find(i) != uf.find(j)
                and _compatible(keys[i], keys[j], width + lag)
                and similarity(sigs, i, j) >= settings.near_duplicate
            ):
                uf.union(i, j)
    if tick:
        tick(n // 4)
    # 5. cut anything longer than three windows.
    span = 3 * width + lag + 1
    comps: dict[int, list[int]] = {}
    for i in range(n):
        comps.setdefault(uf.find(i), []).append(i)
    groups: list[list[int]] = []
    for members in comps.values():
        groups.extend(_cut(members, keys, span))
    # 6. paraphrase: alike words (TF-IDF) weighed with places, dates, figures, actors,
    # after the cut, which it respects by its own rule (see _cluster_links).
    if text is not None:
        uf = _UnionFind(n)
        for g in groups:
            for j in g[1:]:
                uf.union(g[0], j)
        text_links(uf, keys, text, settings, span)
        comps = {}
        for i in range(n):
            comps.setdefault(uf.find(i), []).append(i)
        groups = [sorted(m) for m in comps.values()]
    groups.sort(key=lambda g: g[0])
    if tick:
        tick(n - 3 * (n // 4))
    return groups


def _compatible(a: Keys, b: Keys, width: int) -> bool:
    if a.place is not None and b.place is not None and a.place != b.place:
        return False
    if a.event_type is not None and b.event_type is not None and a.event_type != b.event_type:
        return False
    return a.day is None or b.day is None or abs((a.day - b.day).days) <= width


def _cut(members: list[int], keys: Sequence[Keys], span: int) -> list[list[int]]:
    dated = [(keys[i].day, i) for i in members if keys[i].day is not None]
    days = [d for d, _ in dated if d is not None]
    if not days or (max(days) - min(days)).days <= span:
        return [sorted(members)]
    parts = _windows(((d, i) for d, i in dated if d is not None), span)
    parts[0].extend(i for i in members if keys[i].day is None)
    return [sorted(p) for p in parts]


def majority(values: Iterable[_T | None]) -> _T | None:
    """The most frequent non-None value (the first seen on a tie), or None."""
    counts = Counter(v for v in values if v is not None)
    return counts.most_common(1)[0][0] if counts else None
