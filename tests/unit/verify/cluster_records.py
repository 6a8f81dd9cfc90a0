"""Real Report records for the cluster tests, built the way `extract` would fill them."""

from __future__ import annotations

from datetime import date

from quietwire.verify import Report
from quietwire.verify._types import (
    Actor,
    Attribution,
    DateMention,
    Document,
    EventType,
    Extraction,
    Place,
    Quantity,
)

COORDS = {
    "Aleppo": (36.20, 37.16),
    "حلب": (36.20, 37.16),
    "Idlib": (35.93, 36.63),
    "Mosul": (36.34, 43.13),
    "Homs": (34.73, 36.72),
}


def report(
    rid: str,
    text: str,
    *,
    day: str | None = "2025-03-03",
    published: str | None = None,
    place: str | None = "Aleppo",
    event_type: EventType | None = "explosions_remote_violence",
    sub_type: str | None = None,
    outlet: str | None = None,
    source: str | None = None,
    cites: tuple[str, ...] = (),
    says: tuple[str, ...] = (),
    killed: tuple[float | None, float | None] | None = None,
    actors: tuple[str, ...] = (),
    lang: str = "en",
) -> Report:
    """One report; `says` are attributed sources, `killed` a (low, high) interval."""
    pub = date.fromisoformat(published or day or "2025-03-03")
    places: tuple[Place, ...] = ()
    if place is not None:
        lat, lon = COORDS.get(place, (None, None))
        places = (Place(place, (0, 0), lat, lon, None),)
    dates = () if day is None else (DateMention(day, (0, 0), date.fromisoformat(day), None),)
    quantities: tuple[Quantity, ...] = ()
    if killed is not None:
        quantities = (Quantity("n", (0, 0), killed[0], killed[1], "range", "killed"),)
    extraction = Extraction(
        id=rid,
        lang=lang,
        event_type=event_type,
        sub_event_type=sub_type,
        attributions=tuple(Attribution(s, "said", None, "", (0, 0)) for s in says),
        quantities=quantities,
        places=places,
        dates=dates,
        actors=tuple(Actor(a, a.lower(), (0, 0)) for a in actors),
    )
    doc = Document(rid, text, lang, pub, outlet)
    return Report(doc, extraction, source, cites)


def groups(events: list) -> set[frozenset[str]]:  # type: ignore[type-arg]
    """The member sets of events, for order-free comparison."""
    return {frozenset(e.members) for e in events}
