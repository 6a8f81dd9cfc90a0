"""The JSON shapes of `quietwire verify cluster`: input lines, track records, events.

Pure functions over already-decoded JSON values; the command does the file work. Any
malformed value raises ClusterError naming the field, never echoing the text itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, get_args

from quietwire.verify._cluster_types import (
    ClusterError,
    Contradiction,
    Event,
    Report,
    Side,
    SourceRecord,
)
from quietwire.verify._document_io import document_from_value, optional_str
from quietwire.verify._events import EVENT_TYPES
from quietwire.verify._independence import name_key
from quietwire.verify._types import (
    Actor,
    Attribution,
    DateMention,
    Document,
    Extraction,
    Place,
    Qualifier,
    Quantity,
    VerifyError,
)

_EVENT_TYPES = set(EVENT_TYPES)
_QUALIFIERS = set(get_args(Qualifier))


def _day(value: Any, key: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ClusterError(f"field {key!r} is not an ISO date") from None


def _num(value: Any, key: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ClusterError(f"field {key!r} must be a number")
    return float(value)


def _span(value: Any) -> tuple[int, int]:
    if isinstance(value, list | tuple) and len(value) == 2:
        return (int(value[0]), int(value[1]))
    return (0, 0)


def extraction_from_json(obj: Mapping[str, Any], doc: Document) -> Extraction:
    """An Extraction from the JSON `extract` writes (unknown fields are ignored)."""
    etype = obj.get("event_type")
    if etype is not None and etype not in _EVENT_TYPES:
        raise ClusterError(f"unknown event_type {etype!r}")
    try:
        return Extraction(
            id=doc.id,
            lang=str(obj.get("lang") or doc.lang or "und"),
            event_type=etype,
            sub_event_type=obj.get("sub_event_type"),
            attributions=tuple(
                Attribution(
                    str(a["source"]),
                    str(a.get("cue", "")),
                    a.get("recipient"),
                    str(a.get("content", "")),
                    _span(a.get("content_span")),
                    a.get("cites") if isinstance(a.get("cites"), str) else None,
                )
                for a in obj.get("attributions") or ()
            ),
            quantities=tuple(
                Quantity(
                    str(q.get("text", "")),
                    _span(q.get("span")),
                    _num(q.get("low"), "low"),
                    _num(q.get("high"), "high"),
                    q["qualifier"] if q.get("qualifier") in _QUALIFIERS else "exact",
                    q.get("counts"),
                )
                for q in obj.get("quantities") or ()
            ),
            places=tuple(
                Place(
                    str(p["name"]),
                    _span(p.get("span")),
                    _num(p.get("lat"), "lat"),
                    _num(p.get("lon"), "lon"),
                    p.get("country_code"),
                )
                for p in obj.get("places") or ()
            ),
            dates=tuple(
                DateMention(
                    str(d.get("text", "")),
                    _span(d.get("span")),
                    _day(d.get("start"), "start"),
                    _day(d.get("end"), "end"),
                )
                for d in obj.get("dates") or ()
            ),
            actors=tuple(
                Actor(str(a["name"]), str(a.get("canonical") or a["name"]), _span(a.get("span")))
                for a in obj.get("actors") or ()
            ),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ClusterError(f"malformed extraction: {type(exc).__name__} {exc}") from None


def report_from_json(
    obj: Any,
    extract: Callable[[Document], Extraction] | None,
    extraction: Mapping[str, Any] | None = None,
) -> Report:
    """A Report from one input line. The extraction comes from, in order: `extraction`
    (a `verify extract` output object for this id), the line's own `extraction` object,
    or `extract`; ClusterError when none is there.

    The document fields follow the rules `verify extract` reads them by (`document_from_json`),
    with the same messages, raised here as ClusterError; `source` and `url` are optional
    strings by the same rule as `outlet`.
    """
    try:
        doc = document_from_value(obj)
        source, url = optional_str(obj, "source"), optional_str(obj, "url")
    except VerifyError as exc:
        raise ClusterError(str(exc)) from None
    given = extraction if extraction is not None else obj.get("extraction")
    if isinstance(given, Mapping):
        found = extraction_from_json(given, doc)
    elif extract is not None:
        found = extract(doc)
    else:
        raise ClusterError("no 'extraction' on the line and no extractor available")
    cites = obj.get("cites") or []
    if not isinstance(cites, list) or not all(isinstance(c, str) for c in cites):
        raise ClusterError("field 'cites' must be a list of strings")
    return Report(doc, found, source, tuple(cites), url)


def track_record_from_json(obj: Any) -> dict[str, SourceRecord]:
    """{source: {"confirmed": n, "refuted": m}} with names folded as origins are."""
    if not isinstance(obj, dict):
        raise ClusterError("a track record is a JSON object of source -> counts")
    out: dict[str, SourceRecord] = {}
    for name, counts in obj.items():
        if not isinstance(counts, dict):
            raise ClusterError(f"track record of {name!r} must be an object")
        c, r = counts.get("confirmed", 0), counts.get("refuted", 0)
        if not (isinstance(c, int) and isinstance(r, int)) or c < 0 or r < 0:
            raise ClusterError(f"track record of {name!r} needs whole counts of zero or more")
        out[name_key(str(name))] = SourceRecord(c, r)
    return out


def _side(s: Side) -> dict[str, Any]:
    out: dict[str, Any] = {"reports": list(s.reports), "origins": list(s.origins)}
    if s.actors:
        out["actors"] = list(s.actors)
    else:
        out["low"], out["high"] = s.low, s.high
    return out


def _contradiction(c: Contradiction) -> dict[str, Any]:
    return {"kind": c.kind, "counts": c.counts, "a": _side(c.a), "b": _side(c.b), "why": c.why}


def event_to_json(ev: Event) -> dict[str, Any]:
    """The output line of one event (the six contract fields first)."""
    return {
        "event": ev.event,
        "members": list(ev.members),
        "origins": list(ev.origins),
        "independent_sources": ev.independent_sources,
        "grade": ev.grade,
        "contradictions": [_contradiction(c) for c in ev.contradictions],
        "reliability": ev.reliability,
        "credibility": ev.credibility,
        "event_type": ev.event_type,
        "place": ev.place,
        "date_range": [d.isoformat() for d in ev.date_range] if ev.date_range else None,
        "echoes": list(ev.echoes),
        "quantities": [
            {"counts": q.counts, "min": q.min, "max": q.max, "reports": q.reports}
            for q in ev.quantities
        ],
        "lineage": [
            {"from": e.child, "to": e.parent, "kind": e.kind, "why": e.why} for e in ev.lineage
        ],
        "why": list(ev.why),
    }
