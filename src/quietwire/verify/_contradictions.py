"""Contradictions within one event: figures that cannot both be true, rival perpetrators.

Figures are compared as intervals ("at least 50" is [50, inf), "up to 10" is [0, 10]).
Two reports contradict when their intervals do not overlap by a material margin: a toll
that grows from 5 to 6 as the day goes on is an update, not a contradiction, so the
larger figure must exceed the smaller by `contradiction_ratio` and `contradiction_gap`.
Nothing is averaged: `summarise` keeps the smallest and largest figure apart (Airwars).

Rival perpetrators: for one-sided violence (strikes, attacks on civilians) two reports
that each blame a single, different actor are "contested" in Airwars' sense. Actors who
are the speaker of an attribution, or civilians, are not candidates for blame.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from quietwire.verify._cluster_types import (
    ClusterSettings,
    Contradiction,
    QuantitySummary,
    Report,
    Side,
)
from quietwire.verify._independence import name_key

_ONE_SIDED = {"explosions_remote_violence", "violence_against_civilians"}
_NOT_BLAME = {"civilians", "civilian", "residents", "children", "مدنيين", "مدنيون", "اطفال"}

Interval = tuple[float, float]


def _intervals(members: Sequence[Report]) -> dict[str, dict[str, Interval]]:
    """counts -> report id -> the report's first interval for that count."""
    out: dict[str, dict[str, Interval]] = {}
    for r in members:
        for q in r.extraction.quantities:
            if q.counts is None or (q.low is None and q.high is None):
                continue
            low = q.low if q.low is not None else 0.0
            high = q.high if q.high is not None else math.inf
            out.setdefault(q.counts, {}).setdefault(r.id, (low, high))
    return out


def _origins(ids: list[str], origins_of: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(sorted({o for i in ids for o in origins_of.get(i, ())}))


def _side(ids: list[str], origins_of: Mapping[str, tuple[str, ...]], iv: Interval) -> Side:
    high = None if math.isinf(iv[1]) else iv[1]
    return Side(tuple(sorted(ids)), _origins(ids, origins_of), iv[0], high)


def _fmt(low: float, high: float) -> str:
    if math.isinf(high):
        return f"at least {low:g}"
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def quantity_contradictions(
    members: Sequence[Report],
    origins_of: Mapping[str, tuple[str, ...]],
    settings: ClusterSettings,
) -> list[Contradiction]:
    """One contradiction per kind of count whose figures are materially incompatible."""
    found: list[Contradiction] = []
    for counts, by_report in sorted(_intervals(members).items()):
        max_low = max(iv[0] for iv in by_report.values())
        min_high = min(iv[1] for iv in by_report.values())
        if not (
            max_low > min_high * settings.contradiction_ratio
            and max_low - min_high >= settings.contradiction_gap
        ):
            continue

        def material(big: float, small: float) -> bool:
            return big > small * settings.contradiction_ratio and big - small >= (
                settings.contradiction_gap
            )

        high_ids = [i for i, iv in by_report.items() if material(iv[0], min_high)]
        low_ids = [i for i, iv in by_report.items() if material(max_low, iv[1])]
        hi_iv = max(by_report[i] for i in high_ids)
        lo_iv = min((by_report[i] for i in low_ids), key=lambda iv: iv[1])
        why = f"{counts}: {_fmt(*hi_iv)} against {_fmt(*lo_iv)}, the intervals do not overlap"
        found.append(
            Contradiction(
                "quantity",
                counts,
                _side(high_ids, origins_of, hi_iv),
                _side(low_ids, origins_of, lo_iv),
                why,
            )
        )
    return found


def actor_contradictions(
    members: Sequence[Report], origins_of: Mapping[str, tuple[str, ...]], event_type: str | None
) -> list[Contradiction]:
    """Reports of one-sided violence that each blame one different actor."""
    if event_type not in _ONE_SIDED:
        return []
    blamed: dict[str, list[str]] = {}
    for r in members:
        if not origins_of.get(r.id):
            continue  # an echo does not get a say
        speakers = {name_key(a.source) for a in r.extraction.attributions}
        names = {
            a.canonical
            for a in r.extraction.actors
            if name_key(a.canonical) not in speakers and name_key(a.canonical) not in _NOT_BLAME
        }
        if len(names) == 1:
            blamed.setdefault(names.pop(), []).append(r.id)
    if len(blamed) < 2:
        return []
    ranked = sorted(
        blamed.items(),
        key=lambda kv: (-len({o for i in kv[1] for o in origins_of[i]}), kv[0]),
    )
    (actor_a, ids_a), (actor_b, ids_b) = ranked[0], ranked[1]
    side_a = Side(tuple(sorted(ids_a)), _origins(ids_a, origins_of), None, None, (actor_a,))
    side_b = Side(tuple(sorted(ids_b)), _origins(ids_b, origins_of), None, None, (actor_b,))
    why = f"responsibility contested: {actor_a} against {actor_b}"
    return [Contradiction("actors", None, side_a, side_b, why)]


def summarise(members: Sequence[Report]) -> tuple[QuantitySummary, ...]:
    """Per kind of count: the smallest low and the largest high reported (None if open)."""
    out: list[QuantitySummary] = []
    for counts, by_report in sorted(_intervals(members).items()):
        low = min(iv[0] for iv in by_report.values())
        high = max(iv[1] for iv in by_report.values())
        out.append(QuantitySummary(counts, low, None if math.isinf(high) else high, len(by_report)))
    return tuple(out)
