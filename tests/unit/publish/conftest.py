"""A signed demo site built once per test module (fast KDF: signing speed is not the point)."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from starlette.types import ASGIApp
from tests.support.server import serve_asgi

from quietwire.crypto import Secret
from quietwire.crypto._signing import (
    FAST_SIGNING_KDF,
    SigningKey,
    load_signing_key,
    new_signing_key,
)
from quietwire.publish import Bulletin, Media, Place, SiteInfo, sha256_hex, write_site

EVENT_TYPES = ["battles", "protests", "explosions_remote_violence", None]


def demo_bulletins(count: int) -> list[Bulletin]:
    out = []
    for i in range(count):
        ar = i % 2 == 1
        out.append(
            Bulletin(
                id=f"{i + 1:016x}",
                lang="ar" if ar else "en",
                title=f"قصف على السوق المركزي {i}" if ar else f"Market shelled, report {i}",
                body=(
                    "سقطت قذائف على السوق.\n\nأكدت مصادر مستقلة الأضرار."
                    if ar
                    else "Shells struck the market.\n\nIndependent sources confirmed the damage."
                ),
                published=datetime(2026, 9, 1, tzinfo=UTC) + timedelta(hours=7 * i),
                event_date=date(2026, 8, 25) + timedelta(days=i // 3),
                place=Place("إدلب" if ar else "Idlib", 35.95, 36.65) if i % 5 else None,
                event_type=EVENT_TYPES[i % 4],
                grade="B2" if i % 3 else None,
                sources=i % 4,
            )
        )
    return out


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buf, "PNG")
    return buf.getvalue()


PNG_1PX = _png()


@pytest.fixture(scope="module")
def signing() -> tuple[SigningKey, bytes]:
    files = new_signing_key(Secret("pw"), FAST_SIGNING_KDF)
    return load_signing_key(files.secret_key_file, Secret("pw")), files.public_key_file


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory, signing: tuple[SigningKey, bytes]) -> Path:
    key, pub = signing
    bulletins = demo_bulletins(120)
    first = bulletins[0]
    bulletins[0] = Bulletin(
        id=first.id, lang=first.lang, title=first.title, body=first.body,
        published=first.published, event_date=first.event_date, place=first.place,
        event_type=first.event_type, grade=first.grade, sources=first.sources,
        media=(Media("photo.png", sha256_hex(PNG_1PX), len(PNG_1PX)),),
    )  # fmt: skip
    root = tmp_path_factory.mktemp("site") / "public"
    write_site(
        root,
        bulletins,
        {first.id: {"photo.png": PNG_1PX}},
        key,
        SiteInfo("QuietWire", key.public_key),
        pub,
    )
    return root


@pytest.fixture
def make_bulletins() -> Callable[[int], list[Bulletin]]:
    return demo_bulletins


serve_app = serve_asgi


@pytest.fixture
def serve() -> Callable[[ASGIApp], AbstractContextManager[str]]:
    return serve_app
