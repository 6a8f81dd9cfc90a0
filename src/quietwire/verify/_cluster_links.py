"""Step 6 of grouping: links between reports alike in their words, weighed with the fields.

Candidate pairs share one of their heaviest TF-IDF terms (`_cluster_text`); each gets its
cosine plus what places, dates, figures, actors and type add (`_cluster_evidence`); pairs
at `text_similar` or more are joined strongest first (Kruskal), with two guards against
chaining: an event's dates (background dates left out) may span no more than the cut
allows, and once an event has several texts the two events as wholes (their summed
vectors) must be alike too, so one bridging text cannot chain two events.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

import numpy as np

from quietwire.verify._cluster_evidence import MAX_BONUS, Profile, evidence
from quietwire.verify._cluster_text import TOP, Vectors, candidate_pairs
from quietwire.verify._cluster_types import ClusterSettings

if TYPE_CHECKING:
    from quietwire.verify._cluster import Keys


#: How much more alike (cosine + evidence) two events the blocking steps built must be.
BUILT_MARGIN = 0.25
#: Two built events this close in score leave a loose report torn between them alone.
AMBIGUOUS = 0.05
#: Below this cosine no evidence from the fields makes two texts one event.
MIN_COSINE = 0.12


class UnionFind(Protocol):
    def find(self, i: int) -> int: ...

    def union(self, i: int, j: int) -> None: ...


@dataclass(frozen=True, slots=True)
class TextEvidence:
    """TF-IDF vectors and field profiles of the reports, for the paraphrase step."""

    vectors: Vectors
    profiles: Sequence[Profile]


def text_links(
    uf: UnionFind,
    keys: Sequence[Keys],
    text: TextEvidence,
    settings: ClusterSettings,
    span: int,
) -> None:
    """Strongest links first (Kruskal), never making an event span more than `span` days.

    A link needs cosine + evidence >= `text_similar`; evidence from places, dates,
    figures, actors and type can carry a weaker text over the line, or hold a strong one
    back, and dates that cannot both be right block it.
    """
    n = len(keys)
    order = sorted(range(n), key=lambda i: (keys[i].day or date.max, i))
    i_arr, j_arr = candidate_pairs(text.vectors, order)
    if len(i_arr) == 0:
        return
    cos = text.vectors.cosine(i_arr, j_arr)
    floor = max(settings.text_similar - MAX_BONUS, MIN_COSINE)
    keep = np.flatnonzero(cos >= floor)
    scored: list[tuple[float, int, int]] = []
    cos_of: dict[tuple[int, int], float] = {}
    for k in keep.tolist():
        i, j = int(i_arr[k]), int(j_arr[k])
        extra = evidence(text.profiles[i], text.profiles[j], settings)
        if extra is not None and cos[k] + extra >= settings.text_similar:
            scored.append((float(cos[k]) + extra, i, j))
            cos_of[(i, j)] = float(cos[k])
    scored.sort(reverse=True)
    days: dict[int, list[date]] = {}
    for i in range(n):
        if keys[i].dated and keys[i].day is not None:
            days.setdefault(uf.find(i), []).append(keys[i].day or date.min)
    sums: dict[int, dict[int, float]] = {}

    def centroid(root: int) -> dict[int, float]:
        if root not in sums:
            ids, weights = text.vectors.ids[root], text.vectors.weights[root]
            sums[root] = {
                t: float(w) for t, w in zip(ids.tolist(), weights.tolist(), strict=True) if t >= 0
            }
        return sums[root]

    # Events the blocking steps already built (place, type, date all agreeing) are
    # joined to each other by words only with a margin: two strikes on one town the
    # same day read alike. Words mostly attach the reports those steps left alone.
    sizes: dict[int, int] = {}
    for i in range(n):
        r = uf.find(i)
        sizes[r] = sizes.get(r, 0) + 1
    # A report with a place, a type and a day (its own or its publication's) that the
    # blocking left alone was left alone for a reason (two candidate events and no
    # textual hint: fail closed), so it counts as built too.
    built = {r for r, size in sizes.items() if size > 1}
    built |= {uf.find(i) for i, k in enumerate(keys) if k.place and k.event_type and k.day}
    # What the blocking weighed: (place, type, day) of each event's members.
    places: dict[int, set[tuple[str, str, date]]] = {}
    for i, key in enumerate(keys):
        if key.place is not None and key.day is not None and key.event_type is not None:
            places.setdefault(uf.find(i), set()).add((key.place, key.event_type, key.day))
    torn = _torn(scored, uf, {r for r in built if sizes.get(r, 0) > 1 and r in places})
    for score, i, j in scored:
        a, b = uf.find(i), uf.find(j)
        if a == b or i in torn or j in torn:
            continue
        if (
            a in built
            and b in built
            and (
                _compared(places.get(a, set()), places.get(b, set()), settings.window_days)
                or score < settings.text_similar + BUILT_MARGIN
            )
        ):
            # The blocking compared these two at one place and kept them apart.
            continue
        merged = days.get(a, []) + days.get(b, [])
        # One text whose first date is a background date ("a similar fire in 2019")
        # must not keep it out of its event, while a chain of look-alike daily reports
        # still cannot grow for weeks.
        if len(merged) > 1 and _spread(merged) > span:
            continue
        # Average, not single, linkage once an event has several texts: the two events
        # as wholes must be alike, so one bridging text cannot chain two events.
        ca, cb = centroid(a), centroid(b)
        if len(ca) + len(cb) > 2 * TOP and _cosine(ca, cb) + score - cos_of[(i, j)] < (
            settings.text_similar
        ):
            continue
        days.pop(a, None)
        days.pop(b, None)
        uf.union(a, b)
        root = uf.find(a)
        if a in built or b in built:
            built.add(root)
        places[root] = places.pop(a, set()) | places.pop(b, set())
        if merged:
            days[root] = merged
        total = sums.pop(a)
        for t, w in sums.pop(b).items():
            total[t] = total.get(t, 0.0) + w
        sums[root] = total


def _cosine(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    norm = math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


#: A date this far from an event's median date is background ("a similar fire in
#: 2019"), not the event's own: it does not stretch the event's span.
BACKGROUND_DAYS = 60


def _compared(a: set[tuple[str, str, date]], b: set[tuple[str, str, date]], window: int) -> bool:
    """Whether the blocking compared the two events: one place and type, days in a window."""
    return any(
        pa == pb and ta == tb and abs((da - db).days) <= window
        for pa, ta, da in a
        for pb, tb, db in b
    )


def _torn(scored: list[tuple[float, int, int]], uf: UnionFind, built: set[int]) -> set[int]:
    """Loose reports nearly as alike to two built events as to each other: fail closed,
    as the blocking does with two candidates and no hint, and leave them alone."""
    best: dict[int, dict[int, float]] = {}
    for score, i, j in scored:
        a, b = uf.find(i), uf.find(j)
        for me, other in ((i, b), (j, a)):
            if other in built and uf.find(me) not in built:
                seen = best.setdefault(me, {})
                seen[other] = max(seen.get(other, 0.0), score)
    out = set()
    for me, by_event in best.items():
        top = sorted(by_event.values(), reverse=True)
        if len(top) > 1 and top[1] >= top[0] - AMBIGUOUS:
            out.add(me)
    return out


def _spread(days: list[date]) -> int:
    """Days between the earliest and latest of `days`, background dates left out."""
    ordered = sorted(days)
    mid = ordered[len(ordered) // 2]
    near = [d for d in ordered if abs((d - mid).days) <= BACKGROUND_DAYS]
    return (near[-1] - near[0]).days
