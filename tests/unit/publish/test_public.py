"""The public app serves the signed tree and nothing else: no database, no instance files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from starlette.types import ASGIApp

from quietwire.publish import create_public_app

BID = f"{1:016x}"


@pytest.fixture
def instance_like(tmp_path: Path, site_dir: Path) -> Path:
    """An instance directory as the server has it: secrets beside the public tree."""
    (tmp_path / "config.toml").write_text('pepper = "0f0f"\n')
    (tmp_path / "quietwire.db").write_bytes(b"SQLite format 3\x00 submissions sources editors")
    (tmp_path / "blobs").mkdir()
    (tmp_path / "blobs" / "x.age").write_bytes(b"age-encryption.org/v1")
    shutil.copytree(site_dir, tmp_path / "public")
    (tmp_path / "public" / "notes.txt").write_text("planted")
    (tmp_path / "public" / ".env").write_text("TOKEN=1")
    (tmp_path / "public" / "bulletins" / "link.json").symlink_to(tmp_path / "config.toml")
    return tmp_path


@pytest.fixture
def client(
    instance_like: Path, serve: Callable[[ASGIApp], AbstractContextManager[str]]
) -> Iterator[httpx.Client]:
    """The public app over a real loopback socket."""
    with serve(create_public_app(instance_like / "public")) as url, httpx.Client(base_url=url) as c:
        yield c


def test_contract_urls_are_served_with_strict_headers(client: httpx.Client) -> None:
    expected = {
        "/": "text/html; charset=utf-8",
        f"/bulletins/{BID}": "text/html; charset=utf-8",
        f"/bulletins/{BID}.html": "text/html; charset=utf-8",
        f"/bulletins/{BID}.json": "application/json; charset=utf-8",
        f"/bulletins/{BID}.json.minisig": "text/plain; charset=utf-8",
        "/feed.atom": "application/atom+xml; charset=utf-8",
        "/feed.json": "application/json; charset=utf-8",
        "/events.geojson": "application/geo+json; charset=utf-8",
        "/minisign.pub": "text/plain; charset=utf-8",
        "/chart.svg": "image/svg+xml; charset=utf-8",
        "/about-en.html": "text/html; charset=utf-8",
        "/about-ar.html": "text/html; charset=utf-8",
        "/style.css": "text/css; charset=utf-8",
        f"/media/{BID}/photo.png": "image/png",
    }
    for url, ctype in expected.items():
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"] == ctype, url
        csp = r.headers["content-security-policy"]
        assert (
            "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script" not in csp
        )
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert "set-cookie" not in r.headers and "server" not in r.headers
        assert b"<script" not in r.content.lower()
        # Nothing that gives the second a file was uploaded (an ETag is built from it too)
        assert "last-modified" not in r.headers and "etag" not in r.headers, url


@pytest.mark.parametrize(
    "url",
    [
        "/config.toml",
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/quietwire.db",
        "/blobs/x.age",
        "/public/index.html",
        "/notes.txt",
        "/.env",
        "/bulletins/link.json",
        "/bulletins/0000",
        "/api/submissions",
        "/sources",
        "/desk",
        "/publish/manifest",
        "/bulletins/../../config.toml",
    ],
)
def test_nothing_outside_the_signed_tree_is_reachable(client: httpx.Client, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404
    assert b"pepper" not in r.content and b"SQLite" not in r.content


def test_only_reading_methods_exist(client: httpx.Client) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert client.request(method, "/").status_code == 405
        assert client.request(method, "/feed.json").status_code == 405


def test_an_empty_site_says_nothing_is_published_yet(
    tmp_path: Path, serve: Callable[[ASGIApp], AbstractContextManager[str]]
) -> None:
    with serve(create_public_app(tmp_path / "not-yet")) as url:
        home = httpx.get(url + "/")
        assert home.status_code == 200 and "No bulletins yet" in home.text
        assert (
            "<script" not in home.text
            and "default-src 'none'" in home.headers["content-security-policy"]
        )
        assert httpx.get(url + "/feed.json").status_code == 404


def test_the_public_app_has_no_database_or_instance_access() -> None:
    # Building and serving the public app in a fresh interpreter loads no database layer,
    # no store, no source app and no desk API: it could not reach submission, source or
    # editor data even if a route wanted to.
    code = (
        "import sys, pathlib; from quietwire.publish import create_public_app; "
        "create_public_app(pathlib.Path('.')); print('\\n'.join(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    for forbidden in (
        "sqlalchemy",
        "psycopg",
        "sqlite3",
        "quietwire.store",
        "quietwire.intake",
        "quietwire.deskapi",
        "quietwire.desk",
        "quietwire.instance",
    ):
        assert not any(m == forbidden or m.startswith(forbidden + ".") for m in loaded), forbidden


def test_the_app_is_two_read_only_routes_over_one_directory(tmp_path: Path) -> None:
    # Its only input is a directory: no instance, settings, database or key can reach it.
    import inspect

    params = inspect.signature(create_public_app).parameters
    assert list(params) == ["public_dir"]
    inner = create_public_app(tmp_path).app  # type: ignore[attr-defined]
    routes = [(r.path, sorted(r.methods)) for r in inner.routes]
    assert routes == [("/", ["GET", "HEAD"]), ("/{path:path}", ["GET", "HEAD"])]
