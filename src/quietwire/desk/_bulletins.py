"""Desk-side bulletin storage: drafts, publication state, overrides and protected terms.

Everything lives under `<workspace>/bulletins/`, apart from the desk engineer's schema:

    bulletins.sqlite3   drafts and published bulletins, overrides, protected terms
    config.toml         publishing settings (server, jitter, guard thresholds, site title)
    media/ID/NAME       the media files a bulletin publishes (copies, 0600)
    site/               the whole signed public site as last built (what gets uploaded)

and the signing key pair under `<workspace>/signing/` (`quietwire publish keys new`).
The database is private to the editor (0600). Override records are append-only: who
overrode which finding, why and when is kept even when the bulletin changes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from quietwire.publish import Bulletin, BulletinError, Media, Place, SiteError, SiteInfo

SCHEMA = """
CREATE TABLE IF NOT EXISTS bulletins (
    id TEXT PRIMARY KEY,
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    event_date TEXT,
    place_name TEXT, lat REAL, lon REAL,
    event_type TEXT,
    grade TEXT,
    sources INTEGER NOT NULL DEFAULT 0,
    events TEXT NOT NULL DEFAULT '[]',
    media TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'draft',
    release_at TEXT,
    published TEXT,
    created TEXT NOT NULL,
    withdrawn TEXT
);
CREATE TABLE IF NOT EXISTS overrides (
    bulletin_id TEXT NOT NULL,
    finding_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS protected_terms (
    designation TEXT NOT NULL,
    term TEXT NOT NULL,
    PRIMARY KEY (designation, term)
);
CREATE TABLE IF NOT EXISTS source_texts (
    designation TEXT NOT NULL,
    text TEXT NOT NULL
);
"""

DEFAULT_CONFIG = """\
# Publishing settings of this desk workspace (quietwire desk bulletin ...).
site_title = "QuietWire"
# Language of the index and archive pages ("ar" lays them out right to left).
site_lang = "en"
# One line under the site's name on every page (empty: none).
site_description = ""
# Colour of links, the top rule and grades, as #rrggbb.
site_accent = "#8a1c1c"
# Digits on Arabic pages: "latin" (0-9) or "arab" (Arabic-Indic, ٠-٩).
site_digits = "latin"
# Public base URL of the site (an onion address, say); empty keeps feed links relative.
base_url = ""
# Server of the desk API and the editor token; --server/--token override these.
server = ""
token = ""
# Random delay before a bulletin is uploaded, drawn with `secrets` in [0, jitter_minutes],
# so the publication time says nothing about when a source reported. 0 uploads at once.
jitter_minutes = 0
# Redaction guard: words copied verbatim from a source's report before it refuses, and the
# publication grid for places in degrees (0.05 is about 5 km: a town).
verbatim_words = 8
precision = 0.05
"""


@dataclass(frozen=True, slots=True)
class DeskPublishConfig:
    site_title: str = "QuietWire"
    site_lang: str = "en"
    site_description: str = ""
    site_accent: str = "#8a1c1c"
    site_digits: str = "latin"
    base_url: str = ""
    server: str = ""
    token: str = ""
    jitter_minutes: int = 0
    verbatim_words: int = 8
    precision: float = 0.05


@dataclass(frozen=True, slots=True)
class StoredBulletin:
    bulletin: Bulletin
    status: str  # draft, scheduled, published or withdrawn
    release_at: datetime | None
    events: tuple[str, ...]


def area(workspace: Path) -> Path:
    return workspace / "bulletins"


def media_dir(workspace: Path, bulletin_id: str) -> Path:
    return area(workspace) / "media" / bulletin_id


def site_dir(workspace: Path) -> Path:
    return area(workspace) / "site"


def signing_dir(workspace: Path) -> Path:
    return workspace / "signing"


def load_config(workspace: Path) -> DeskPublishConfig:
    """Read `bulletins/config.toml`, writing the commented default first if absent."""
    path = area(workspace) / "config.toml"
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(DEFAULT_CONFIG)
    try:
        values: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        config = DeskPublishConfig(
            site_title=str(values.get("site_title", "QuietWire")),
            site_lang=_lang(values.get("site_lang", "en")),
            site_description=str(values.get("site_description", "")),
            site_accent=str(values.get("site_accent", "#8a1c1c")),
            site_digits=str(values.get("site_digits", "latin")),
            base_url=str(values.get("base_url", "")),
            server=str(values.get("server", "")),
            token=str(values.get("token", "")),
            jitter_minutes=int(values.get("jitter_minutes", 0)),
            verbatim_words=int(values.get("verbatim_words", 8)),
            precision=float(values.get("precision", 0.05)),
        )
        # the accent goes into the stylesheet: checked here, named with the file
        SiteInfo(config.site_title, "", config.site_lang, config.site_description,
                 config.site_accent, config.site_digits)  # fmt: skip
    except (tomllib.TOMLDecodeError, ValueError, TypeError, SiteError) as exc:
        raise BulletinError(f"{path}: {exc}") from None
    return config


def _lang(value: object) -> str:
    if value not in ("ar", "en"):
        raise ValueError("site_lang must be ar or en")
    return str(value)


@contextmanager
def connect(workspace: Path) -> Iterator[sqlite3.Connection]:
    """Open (creating if needed) the bulletin database; commit on success."""
    path = area(workspace) / "bulletins.sqlite3"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    conn = sqlite3.connect(path)
    try:
        conn.executescript(SCHEMA)
        columns = {row[1] for row in conn.execute("PRAGMA table_info(bulletins)")}
        if "withdrawn" not in columns:  # a database from before withdrawal existed
            conn.execute("ALTER TABLE bulletins ADD COLUMN withdrawn TEXT")
        yield conn
        conn.commit()
    finally:
        conn.close()


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def save(conn: sqlite3.Connection, stored: StoredBulletin, created: datetime) -> None:
    b = stored.bulletin
    conn.execute(
        "INSERT OR REPLACE INTO bulletins (id, lang, title, body, event_date, place_name, lat,"
        " lon, event_type, grade, sources, events, media, status, release_at, published,"
        " created) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            b.id,
            b.lang,
            b.title,
            b.body,
            b.event_date.isoformat() if b.event_date else None,
            b.place.name if b.place else None,
            b.place.lat if b.place else None,
            b.place.lon if b.place else None,
            b.event_type,
            b.grade,
            b.sources,
            json.dumps(list(stored.events)),
            json.dumps([[m.name, m.sha256, m.size] for m in b.media]),
            stored.status,
            _iso(stored.release_at),
            _iso(b.published),
            _iso(created),
        ),
    )


_COLUMNS = (
    "id, lang, title, body, event_date, place_name, lat, lon, event_type, grade, sources,"
    " events, media, status, release_at, published"
)


def _row(row: tuple[Any, ...]) -> StoredBulletin:
    (id_, lang, title, body, event_date, place_name, lat, lon) = row[:8]
    (event_type, grade, sources, events, media, status, release_at, published) = row[8:]
    bulletin = Bulletin(
        id=id_,
        lang=lang,
        title=title,
        body=body,
        published=datetime.fromisoformat(published),
        event_date=date.fromisoformat(event_date) if event_date else None,
        place=Place(place_name, lat, lon) if place_name is not None else None,
        event_type=event_type,
        grade=grade,
        sources=sources,
        media=tuple(Media(n, h, s) for n, h, s in json.loads(media)),
    )
    return StoredBulletin(
        bulletin=bulletin,
        status=status,
        release_at=datetime.fromisoformat(release_at) if release_at else None,
        events=tuple(json.loads(events)),
    )


def get(conn: sqlite3.Connection, bulletin_id: str) -> StoredBulletin:
    row = conn.execute(f"SELECT {_COLUMNS} FROM bulletins WHERE id = ?", (bulletin_id,)).fetchone()  # noqa: S608 - fixed column list
    if row is None:
        raise BulletinError(f"no bulletin {bulletin_id[:20]!r} in this workspace")
    return _row(row)


def all_bulletins(conn: sqlite3.Connection, status: str | None = None) -> list[StoredBulletin]:
    query = f"SELECT {_COLUMNS} FROM bulletins"  # noqa: S608 - fixed column list
    rows = (
        conn.execute(query + " WHERE status = ? ORDER BY created", (status,))
        if status
        else conn.execute(query + " ORDER BY created")
    )
    return [_row(r) for r in rows]


def mark_withdrawn(conn: sqlite3.Connection, bulletin_id: str, at: datetime) -> None:
    """Set a bulletin's status to withdrawn, for good; the time is kept to the hour only."""
    hour = at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    conn.execute(
        "UPDATE bulletins SET status = 'withdrawn', withdrawn = COALESCE(withdrawn, ?)"
        " WHERE id = ?",
        (hour.isoformat(), bulletin_id),
    )


def withdrawn_ids(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT id FROM bulletins WHERE status = 'withdrawn'")]


def record_override(
    conn: sqlite3.Connection,
    bulletin_id: str,
    finding_id: str,
    kind: str,
    message: str,
    reason: str,
) -> None:
    conn.execute(
        "INSERT INTO overrides VALUES (?,?,?,?,?,?)",
        (bulletin_id, finding_id, kind, message, reason, datetime.now(UTC).isoformat()),
    )


def overrides_of(conn: sqlite3.Connection, bulletin_id: str) -> list[tuple[str, str, str]]:
    """(finding id, reason, when) of every override recorded for a bulletin."""
    return list(
        conn.execute(
            "SELECT finding_id, reason, at FROM overrides WHERE bulletin_id = ? ORDER BY at",
            (bulletin_id,),
        )
    )


def add_protected_term(conn: sqlite3.Connection, designation: str, term: str) -> None:
    if not designation.strip() or not term.strip():
        raise BulletinError("a protected term needs a source designation and a term")
    conn.execute("INSERT OR IGNORE INTO protected_terms VALUES (?, ?)", (designation, term))


def add_source_text(conn: sqlite3.Connection, designation: str, text: str) -> None:
    conn.execute("INSERT INTO source_texts VALUES (?, ?)", (designation, text))
