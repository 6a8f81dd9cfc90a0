"""The bulletin: what the network tells the world, and its canonical signed JSON form.

Canonical JSON: UTF-8, keys sorted, no insignificant whitespace, non-ASCII kept as is,
floats only for coordinates (already rounded to the publication grid). The same bulletin
always gives the same bytes, so a signature made on the desk verifies anywhere.

Nothing internal goes into a bulletin: not the verify events it was built from, not the
source designations, not submission ids. Those stay in the desk's own records.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from quietwire.publish._errors import BulletinError

FORMAT_VERSION = 1
LANGS = ("ar", "en")
BULLETIN_ID = re.compile(r"[0-9a-f]{16}")
_GRADE = re.compile(r"[A-F][1-6]")
MEDIA_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".mp4": "video/mp4",
}
#: Default publication grid in degrees: about 5 km, the scale of a town.
DEFAULT_PRECISION = 0.05


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Media:
    """A published media file: `media/<bulletin id>/<name>` on the site."""

    name: str
    sha256: str
    size: int

    @property
    def content_type(self) -> str:
        return MEDIA_TYPES[_suffix(self.name)]


@dataclass(frozen=True, slots=True)
class Bulletin:
    id: str
    lang: str
    title: str
    body: str
    published: datetime
    event_date: date | None = None
    place: Place | None = None
    event_type: str | None = None
    grade: str | None = None
    sources: int = 0
    media: tuple[Media, ...] = field(default=())

    def __post_init__(self) -> None:
        if not BULLETIN_ID.fullmatch(self.id):
            raise BulletinError("a bulletin id is 16 lowercase hex digits")
        if self.lang not in LANGS:
            raise BulletinError(f"language must be one of {', '.join(LANGS)}")
        if not self.title.strip() or not self.body.strip():
            raise BulletinError("a bulletin needs a title and a body")
        if self.published.tzinfo is None:
            raise BulletinError("the publication time must be timezone-aware")
        if self.grade is not None and not _GRADE.fullmatch(self.grade):
            raise BulletinError("a grade is a reliability letter A-F and a credibility digit 1-6")
        if self.sources < 0:
            raise BulletinError("the number of sources cannot be negative")
        if self.event_type is not None and not re.fullmatch(r"[a-z_]{1,64}", self.event_type):
            raise BulletinError("an event type is a lowercase taxonomy name")
        for m in self.media:
            if not MEDIA_NAME.fullmatch(m.name) or _suffix(m.name) not in MEDIA_TYPES:
                raise BulletinError(f"media name {m.name[:40]!r} is not a plain known file name")
        if self.place is not None:
            _check_coordinates(self.place.lat, self.place.lon)


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _check_coordinates(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        raise BulletinError("coordinates out of range")


def coarsen(lat: float, lon: float, precision: float = DEFAULT_PRECISION) -> tuple[float, float]:
    """Snap a point to the publication grid (`precision` degrees), as published.

    Contract: the result is a multiple of `precision` on both axes, rounded to the decimals
    that precision needs, so the JSON never carries finer digits than the grid.
    """
    _check_coordinates(lat, lon)
    if not 0 < precision <= 1:
        raise BulletinError("coordinate precision must be in (0, 1] degrees")
    decimals = max(0, -math.floor(math.log10(precision)) + 1)

    def snap(value: float) -> float:
        return round(round(value / precision) * precision, decimals) + 0.0

    return snap(lat), snap(lon)


def to_canonical_json(b: Bulletin) -> bytes:
    """The signed form of a bulletin. Deterministic: equal bulletins give equal bytes."""
    doc: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "id": b.id,
        "lang": b.lang,
        "title": b.title,
        "body": b.body,
        "published": b.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "date": b.event_date.isoformat() if b.event_date else None,
        "place": (
            {"name": b.place.name, "lat": b.place.lat, "lon": b.place.lon} if b.place else None
        ),
        "event_type": b.event_type,
        "grade": b.grade,
        "sources": b.sources,
        "media": [
            {"path": f"media/{b.id}/{m.name}", "sha256": m.sha256, "size": m.size} for m in b.media
        ],
    }
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def from_canonical_json(data: bytes) -> Bulletin:
    """Read a bulletin back from its signed JSON. Raises `BulletinError` if malformed."""
    try:
        doc = json.loads(data)
        if doc.get("format") != FORMAT_VERSION:
            raise BulletinError("unknown bulletin format version")
        place = doc["place"]
        return Bulletin(
            id=doc["id"],
            lang=doc["lang"],
            title=doc["title"],
            body=doc["body"],
            published=datetime.strptime(doc["published"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC),
            event_date=date.fromisoformat(doc["date"]) if doc["date"] else None,
            place=Place(place["name"], float(place["lat"]), float(place["lon"])) if place else None,
            event_type=doc["event_type"],
            grade=doc["grade"],
            sources=int(doc["sources"]),
            media=tuple(
                Media(m["path"].rsplit("/", 1)[-1], m["sha256"], int(m["size"]))
                for m in doc["media"]
            ),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BulletinError(f"not a bulletin JSON document: {type(exc).__name__}") from None
