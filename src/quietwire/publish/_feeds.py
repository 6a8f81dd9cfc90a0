"""Atom, JSON Feed 1.1 and GeoJSON (RFC 7946) documents of the published bulletins.

Built with the standard library's XML and JSON writers (no string pasting of markup). Links
are relative to the site root unless the site has a public base URL, so a mirror works
wherever it is hosted. Ids are stable `urn:uuid:` names derived from the bulletin id, so a
feed reader sees the same entry on the server and on every mirror.
"""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from quietwire.publish._labels import event_type_label
from quietwire.publish._model import Bulletin
from quietwire.publish._render import SiteInfo

#: Entries in each feed: the newest ones; older bulletins stay on the site and in GeoJSON.
FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
_NAMESPACE = uuid.UUID("6f0c8f2e-3c1e-5a52-9b7e-2d54c9a6f1b3")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_id(bulletin_id: str) -> str:
    return uuid.uuid5(_NAMESPACE, f"bulletin:{bulletin_id}").urn


def _feed_id(site: SiteInfo) -> str:
    return uuid.uuid5(_NAMESPACE, f"feed:{site.public_key}").urn


def _url(base_url: str, path: str) -> str:
    return (base_url.rstrip("/") + "/" + path) if base_url else path


def _summary(b: Bulletin) -> str:
    facts = []
    if b.place:
        facts.append(b.place.name)
    if b.event_date:
        facts.append(b.event_date.isoformat())
    if b.event_type:
        facts.append(event_type_label(b.event_type, b.lang))
    if b.grade:
        facts.append(f"{b.grade} ({b.sources})")
    return " · ".join(facts)


def atom_feed(newest_first: Sequence[Bulletin], site: SiteInfo, base_url: str = "") -> bytes:
    """An Atom 1.0 (RFC 4287) feed of the newest bulletins."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    items = newest_first[:FEED_SIZE]
    sub(feed, "id", _feed_id(site))
    sub(feed, "title", site.title)
    updated = items[0].published if items else datetime(2000, 1, 1, tzinfo=UTC)
    sub(feed, "updated", _iso(updated))
    author = sub(feed, "author")
    sub(author, "name", site.title)
    sub(feed, "link", rel="alternate", type="text/html", href=_url(base_url, "index.html"))
    sub(feed, "link", rel="self", type="application/atom+xml", href=_url(base_url, "feed.atom"))
    for b in items:
        entry = sub(feed, "entry")
        entry.set("{http://www.w3.org/XML/1998/namespace}lang", b.lang)
        sub(entry, "id", entry_id(b.id))
        sub(entry, "title", b.title)
        sub(entry, "updated", _iso(b.published))
        sub(entry, "published", _iso(b.published))
        page = _url(base_url, f"bulletins/{b.id}.html")
        sub(entry, "link", rel="alternate", type="text/html", href=page)
        sub(
            entry,
            "link",
            rel="alternate",
            type="application/json",
            href=_url(base_url, f"bulletins/{b.id}.json"),
        )
        if summary := _summary(b):
            sub(entry, "summary", summary)
        sub(entry, "content", b.body, type="text")
        if b.event_type:
            sub(entry, "category", term=b.event_type, label=event_type_label(b.event_type, b.lang))
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def json_feed(newest_first: Sequence[Bulletin], site: SiteInfo, base_url: str = "") -> bytes:
    """A JSON Feed 1.1 document of the newest bulletins."""
    doc: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.title,
        "language": site.lang,
        "items": [
            {
                "id": entry_id(b.id),
                "url": _url(base_url, f"bulletins/{b.id}.html"),
                "title": b.title,
                "content_text": b.body,
                "summary": _summary(b),
                "date_published": _iso(b.published),
                "language": b.lang,
                "tags": [b.event_type] if b.event_type else [],
                "attachments": [
                    {
                        "url": _url(base_url, f"media/{b.id}/{m.name}"),
                        "mime_type": m.content_type,
                        "size_in_bytes": m.size,
                    }
                    for m in b.media
                ],
            }
            for b in newest_first[:FEED_SIZE]
        ],
    }
    if base_url:
        doc["home_page_url"] = _url(base_url, "index.html")
        doc["feed_url"] = _url(base_url, "feed.json")
    return json.dumps(doc, ensure_ascii=False, indent=1).encode() + b"\n"


def events_geojson(bulletins: Sequence[Bulletin], base_url: str = "") -> bytes:
    """A GeoJSON FeatureCollection (RFC 7946): one Point per bulletin with a place.

    Positions are [longitude, latitude] in WGS 84, already on the publication grid.
    """
    features = [
        {
            "type": "Feature",
            "id": b.id,
            "geometry": {"type": "Point", "coordinates": [b.place.lon, b.place.lat]},
            "properties": {
                "title": b.title,
                "lang": b.lang,
                "place": b.place.name,
                "date": b.event_date.isoformat() if b.event_date else None,
                "published": _iso(b.published),
                "event_type": b.event_type,
                "grade": b.grade,
                "sources": b.sources,
                "url": _url(base_url, f"bulletins/{b.id}.html"),
            },
        }
        for b in bulletins
        if b.place is not None
    ]
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
