"""Publishing end to end: desk CLI -> desk API upload -> public app -> readers' verification.

The desk API's own authentication (quietwire.deskapi.auth) is written in parallel; until
`quietwire serve` mounts the desk API, this test serves the real publishing router with a
bearer-token check of its own, and the real public app, each with uvicorn on a loopback port.
"""

from __future__ import annotations

import http.server
import io
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import feedparser
import httpx
import pytest
from PIL import Image
from tests.support.server import run_cli

PASSPHRASE = {"QUIETWIRE_SIGNING_PASSPHRASE": "a long test passphrase for the desk key"}
BODY_EN = (
    "Several shells struck the central market on Tuesday morning, damaging at least twelve "
    "shops.\n\nLocal residents said two people were injured. Independent sources confirmed "
    "the damage from photographs taken the same afternoon."
)
BODY_AR = (
    "سقطت عدة قذائف على السوق المركزي صباح الثلاثاء، ما أدى إلى تضرر اثني عشر متجرا على الأقل."
    "\n\nوقال سكان محليون إن شخصين أصيبا بجروح. وأكدت مصادر مستقلة الأضرار من خلال صور "
    "التقطت بعد ظهر اليوم نفسه."
)


@dataclass(frozen=True)
class Servers:
    desk: str
    public: str
    public_dir: Path
    token: str


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    """A real `quietwire serve` and a real editor token from `quietwire editors add`."""
    from tests.support.server import serve

    from quietwire.crypto import new_identity

    instance_dir = tmp_path / "instance"
    key = new_identity().recipient
    run_cli("init", "--dir", str(instance_dir), "--recipient", key)
    token = (
        run_cli("editors", "add", "publisher", "--dir", str(instance_dir), "--recipient", key)
        .stdout.strip()
        .splitlines()[-1]
    )
    with serve(instance_dir) as running:
        yield Servers(running.desk, running.public, instance_dir / "public", token)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A desk workspace with a signing key made by the CLI (production scrypt limits)."""
    ws = tmp_path_factory.mktemp("desk") / "ws"
    out = run_cli("publish", "keys", "new", "--dir", str(ws), env=PASSPHRASE)
    public_key = out.stdout.strip().splitlines()[-1]
    assert public_key.startswith("RW") and len(public_key) == 56
    assert (ws / "signing" / "minisign.key").stat().st_mode & 0o777 == 0o600
    return ws, public_key


def _minisign(pub: str, path: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("minisign") is None:
        pytest.fail("the stock `minisign` tool is needed: apt-get install minisign")
    return subprocess.run(
        ["minisign", "-V", "-P", pub, "-m", str(path)], capture_output=True, text=True
    )


def _scrubbed_jpeg(path: Path) -> Path:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 30, 30)).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return path


def _new(ws: Path, tmp: Path, title: str, body: str, *extra: str) -> str:
    body_file = tmp / f"body-{abs(hash(title))}.txt"
    body_file.write_text(body, encoding="utf-8")
    out = run_cli(
        "desk",
        "bulletin",
        "new",
        "--dir",
        str(ws),
        "--title",
        title,
        "--body-file",
        str(body_file),
        *extra,
    )
    return out.stdout.strip().splitlines()[-1]


def _publish(
    ws: Path, servers: Servers, bulletin_id: str, *extra: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "desk", "bulletin", "publish", "--dir", str(ws), bulletin_id,
        "--server", servers.desk, "--token", servers.token, *extra, env=PASSPHRASE, check=check,
    )  # fmt: skip


def test_publish_fetch_and_verify_with_stock_minisign(
    workspace: tuple[Path, str], servers: Servers, tmp_path: Path
) -> None:
    ws, pub = workspace
    # Given an English bulletin with a scrubbed photo and an Arabic one, composed on the desk
    photo = _scrubbed_jpeg(tmp_path / "market.jpg")
    en = _new(
        ws, tmp_path, "Shelling damages market in Idlib", BODY_EN,
        "--lang", "en", "--place", "Idlib", "--lat", "35.9312", "--lon", "36.6345",
        "--event-type", "explosions_remote_violence", "--event-date", "2026-11-17",
        "--grade", "C3", "--sources", "2", "--media", str(photo), "--event", "evt-1",
    )  # fmt: skip
    ar = _new(ws, tmp_path, "قصف يلحق أضرارا بسوق في إدلب", BODY_AR, "--lang", "ar")
    assert len(en) == 16 and len(ar) == 16
    # When the desk publishes them
    for bid in (en, ar):
        out = _publish(ws, servers, bid)
        assert out.stdout.strip().splitlines()[-1] == bid
        assert "published:" in out.stdout
    # Then the public app serves every contract URL
    fetched = tmp_path / "fetched"
    (fetched / "bulletins").mkdir(parents=True)
    with httpx.Client(base_url=servers.public) as client:
        for url in ("/", f"/bulletins/{en}", f"/bulletins/{ar}", "/minisign.pub"):
            assert client.get(url).status_code == 200, url
        assert client.get("/minisign.pub").text.strip().splitlines()[-1] == pub
        page = client.get(f"/bulletins/{en}").text
        assert "35.95" in page and "35.9312" not in page  # the place was coarsened
        # The photo is published under a name of its own, not the one it came with
        (media,) = client.get(f"/bulletins/{en}.json").json()["media"]
        assert media["path"] == f"media/{en}/{media['sha256'][:16]}.jpg"
        assert "market" not in client.get("/manifest.json").text
        signed = [
            f"bulletins/{en}.json", f"bulletins/{ar}.json", "feed.atom", "feed.json",
            "events.geojson", media["path"], "chart.svg", "manifest.json",
        ]  # fmt: skip
        for path in signed:
            target = fetched / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(client.get("/" + path).content)
            Path(f"{target}.minisig").write_bytes(client.get(f"/{path}.minisig").content)
    # And the stock minisign verifies every signature
    for path in signed:
        result = _minisign(pub, fetched / path)
        assert result.returncode == 0, (path, result.stderr)
        assert f"file:{path.rsplit('/', 1)[-1]}" in result.stdout
    # And the feeds parse
    atom = feedparser.parse((fetched / "feed.atom").read_bytes())
    assert not atom.bozo and {e.title for e in atom.entries} == {
        "Shelling damages market in Idlib",
        "قصف يلحق أضرارا بسوق في إدلب",
    }
    # And our verifier passes the live site
    ok = run_cli("publish", "verify", servers.public, "--key", pub)
    assert "OK:" in ok.stdout
    # When one byte of the served bulletin JSON changes on the server
    served = servers.public_dir / "bulletins" / f"{en}.json"
    data = bytearray(served.read_bytes())
    data[30] ^= 0x20
    served.write_bytes(bytes(data))
    # Then both verifiers refuse it, ours naming the file
    bad = run_cli("publish", "verify", servers.public, "--key", pub, check=False)
    assert bad.returncode == 1
    assert f"bulletins/{en}.json: signature does not match the data" in bad.stderr
    copy = fetched / "bulletins" / f"{en}.json"
    copy.write_bytes(bytes(data))
    assert _minisign(pub, copy).returncode != 0


def test_the_guard_refuses_then_an_explicit_override_is_recorded(
    workspace: tuple[Path, str], servers: Servers, tmp_path: Path
) -> None:
    ws, _ = workspace
    run_cli("desk", "bulletin", "protect", "--dir", str(ws), "--source", "Heron-3", "القصير")
    bid = _new(
        ws,
        tmp_path,
        "Hotline numbers",
        BODY_AR + "\n\nاتصلوا على ٠٩٣٣ ١٢٣ ٤٥٦ في القصير",
        "--lang",
        "ar",
    )
    # When the bulletin holds a phone number and a protected term, publication is refused
    refused = _publish(ws, servers, bid, check=False)
    assert refused.returncode == 1
    assert "phone number" in refused.stderr and "protected list of Heron-3" in refused.stderr
    assert not (servers.public_dir / "bulletins" / f"{bid}.json").exists()
    ids = [
        line.split(":")[0].strip()
        for line in refused.stderr.splitlines()
        if line.startswith("  ") and ":" in line
    ]
    phone = next(i for i in ids if i.startswith("phone-"))
    # An override of one finding is not enough
    partial_run = _publish(
        ws, servers, bid, "--override", phone, "--reason", "public hotline", check=False
    )
    assert partial_run.returncode == 1 and "protected-term-" in partial_run.stderr
    # Overriding both, explicitly, publishes and records the overrides
    args = []
    for finding in ids:
        args += ["--override", finding, "--reason", "editor approved: public information"]
    out = _publish(ws, servers, bid, *args)
    assert all(f"override recorded: {f}" in out.stdout for f in ids)
    assert (servers.public_dir / "bulletins" / f"{bid}.json").exists()


def test_uploads_need_the_token_and_safe_paths(servers: Servers) -> None:
    with httpx.Client(base_url=servers.desk) as client:
        assert client.put("/publish/files/index.html", content=b"x").status_code == 401
        auth = {"Authorization": f"Bearer {servers.token}"}
        for bad in ("x.py", ".env", "a/b/c/d.html", "bulletins/..%2f..%2fconfig.json"):
            r = client.put(f"/publish/files/{bad}", content=b"x", headers=auth)
            assert r.status_code in (404, 422), bad
        assert (
            client.put("/publish/files/minisign.pub", content=b"key one", headers=auth).status_code
            == 204
        )
        swap = client.put("/publish/files/minisign.pub", content=b"key two", headers=auth)
        assert swap.status_code == 409
    assert not any(
        p.name in ("x.py", ".env", "config.json") for p in servers.public_dir.parent.rglob("*")
    )


@contextmanager
def plain_file_server(root: Path) -> Iterator[str]:
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_static_export_on_a_plain_file_server_verifies(
    workspace: tuple[Path, str], servers: Servers, tmp_path: Path
) -> None:
    ws, pub = workspace
    bid = _new(ws, tmp_path, "Protest in the old town", BODY_EN, "--event-type", "protests")
    _publish(ws, servers, bid)
    # Given an export of the live site, served by python's http.server
    mirror = tmp_path / "mirror"
    out = run_cli("publish", "export", str(mirror), "--from", servers.public)
    assert "signatures verified" in out.stdout
    with plain_file_server(mirror) as url:
        assert httpx.get(f"{url}/bulletins/{bid}.html").status_code == 200
        ok = run_cli("publish", "verify", url, "--key", pub)
        assert "OK:" in ok.stdout
        # When the mirror alters a feed, verification fails with the reason
        feed = mirror / "feed.json"
        feed.write_bytes(feed.read_bytes().replace(b"Protest", b"Protesd"))
        bad = run_cli("publish", "verify", url, "--key", pub, check=False)
        assert bad.returncode == 1 and "feed.json: signature does not match" in bad.stderr
    # The export from the workspace is the same site
    again = run_cli("publish", "export", str(tmp_path / "from-ws"), "--dir", str(ws))
    assert "signatures verified" in again.stdout


@pytest.mark.browser
def test_pages_render_in_chromium_without_javascript(
    workspace: tuple[Path, str], servers: Servers, tmp_path: Path
) -> None:
    from tests.support.browser import chromium, screenshot

    ws, _ = workspace
    photo = _scrubbed_jpeg(tmp_path / "photo.jpg")
    en = _new(
        ws, tmp_path, "Shelling damages market in Idlib", BODY_EN, "--place", "Idlib",
        "--lat", "35.93", "--lon", "36.63", "--event-type", "explosions_remote_violence",
        "--event-date", "2026-11-17", "--grade", "C3", "--sources", "2", "--media", str(photo),
    )  # fmt: skip
    ar = _new(
        ws, tmp_path, "قصف يلحق أضرارا بسوق في إدلب", BODY_AR, "--lang", "ar", "--place", "إدلب",
        "--lat", "35.93", "--lon", "36.63", "--event-type", "battles", "--grade", "B2",
        "--sources", "3", "--event-date", "2026-11-10",
    )  # fmt: skip
    for bid in (en, ar):
        _publish(ws, servers, bid)
    with chromium(tmp_path / "profile") as context:
        page = context.new_page()
        # The index: list, chart image and its table
        response = page.goto(servers.public + "/")
        assert response is not None and response.status == 200
        assert page.locator("#bulletins li").count() >= 2
        assert page.locator("#chart img").evaluate("img => img.naturalWidth") == 720
        assert page.locator("#chart-table tbody tr").count() >= 1
        screenshot(page, "publish-index")
        # An English page, left to right
        page.goto(f"{servers.public}/bulletins/{en}")
        assert page.locator("html").get_attribute("dir") == "ltr"
        assert page.locator("h1").inner_text() == "Shelling damages market in Idlib"
        screenshot(page, "publish-bulletin-en")
        # An Arabic page, right to left, laid out from the right edge
        page.goto(f"{servers.public}/bulletins/{ar}")
        assert page.locator("html").get_attribute("dir") == "rtl"
        heading = page.locator("h1").bounding_box()
        assert heading is not None
        assert heading["x"] + heading["width"] > page.viewport_size["width"] / 2  # type: ignore[index]
        screenshot(page, "publish-bulletin-ar")
        # Links between pages work without scripts
        page.locator("#home").click()
        assert page.url.rstrip("/").endswith("index.html")


def _withdraw(
    ws: Path, servers: Servers, bulletin_id: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "desk", "bulletin", "withdraw", "--dir", str(ws), bulletin_id,
        "--server", servers.desk, "--token", servers.token, env=PASSPHRASE, check=check,
    )  # fmt: skip


def test_a_withdrawn_bulletin_is_gone_everywhere_and_stays_gone(
    workspace: tuple[Path, str], servers: Servers, tmp_path: Path
) -> None:
    ws, pub = workspace
    # Given two published bulletins, the one to withdraw with a photo and a place
    kept_title, gone_title = "Bakery reopens in the old town", "Checkpoint closure near the mill"
    kept = _new(ws, tmp_path, kept_title, BODY_EN, "--event-type", "protests")
    gone = _new(
        ws, tmp_path, gone_title, BODY_EN, "--place", "Saraqib", "--lat", "35.86",
        "--lon", "36.80", "--event-type", "battles", "--event-date", "2026-11-18",
        "--media", str(_scrubbed_jpeg(tmp_path / "mill.jpg")),
    )  # fmt: skip
    for bid in (kept, gone):
        _publish(ws, servers, bid)
    with httpx.Client(base_url=servers.public) as client:
        (media,) = client.get(f"/bulletins/{gone}.json").json()["media"]
        assert client.get("/" + media["path"]).status_code == 200
    # When the desk withdraws it
    out = _withdraw(ws, servers, gone)
    assert out.stdout.strip().splitlines()[-1] == gone and "withdrawn:" in out.stdout
    assert f"{gone}  withdrawn" in run_cli("desk", "bulletin", "list", "--dir", str(ws)).stdout

    def assert_gone() -> None:
        with httpx.Client(base_url=servers.public) as client:
            for url in (
                f"/bulletins/{gone}", f"/bulletins/{gone}.json",
                f"/bulletins/{gone}.json.minisig", "/" + media["path"],
                f"/{media['path']}.minisig",
            ):  # fmt: skip
                assert client.get(url).status_code == 404, url
            assert client.get(f"/bulletins/{kept}").status_code == 200
            aggregates = ["/", "/feed.atom", "/feed.json", "/events.geojson", "/manifest.json"]
            manifest = client.get("/manifest.json").json()["files"]
            aggregates += ["/" + p for p in manifest if p.startswith("archive-")]
            for url in aggregates:
                body = client.get(url)
                assert body.status_code == 200, url
                assert gone not in body.text and gone_title not in body.text, url
            assert kept_title in client.get("/feed.atom").text
        # Nothing of it is left in the server's public tree or the desk's site tree
        for root in (servers.public_dir, ws / "bulletins" / "site"):
            assert not [p for p in root.rglob("*") if gone in p.as_posix()], root

    # Then it is gone from every page, feed and the manifest, and the site still verifies
    assert_gone()
    ok = run_cli("publish", "verify", servers.public, "--key", pub)
    assert "OK:" in ok.stdout
    fetched = tmp_path / "after"
    fetched.mkdir()
    with httpx.Client(base_url=servers.public) as client:
        for name in ("manifest.json", "feed.atom", "feed.json", "events.geojson"):
            (fetched / name).write_bytes(client.get(f"/{name}").content)
            (fetched / f"{name}.minisig").write_bytes(client.get(f"/{name}.minisig").content)
            result = _minisign(pub, fetched / name)
            assert result.returncode == 0, (name, result.stderr)
    # When another bulletin is published, the withdrawn one does not come back
    later = _new(ws, tmp_path, "Water supply restored", BODY_EN)
    _publish(ws, servers, later)
    assert_gone()
    assert "OK:" in run_cli("publish", "verify", servers.public, "--key", pub).stdout
    # And it cannot be published again; withdrawing it again is harmless
    again = _publish(ws, servers, gone, check=False)
    assert again.returncode == 1 and "was withdrawn" in again.stderr
    assert "Traceback" not in again.stderr
    _withdraw(ws, servers, gone)
    assert_gone()


def test_the_delete_route_needs_the_token_and_stays_in_the_site(servers: Servers) -> None:
    public = servers.public_dir
    (public / "bulletins").mkdir(parents=True)
    page = public / "bulletins" / "0123456789abcdef.html"
    page.write_text("<p>a page</p>")
    outside = public.parent / "sentinel.json"
    outside.write_text("{}")
    auth = {"Authorization": f"Bearer {servers.token}"}
    with httpx.Client(base_url=servers.desk) as client:
        url = "/publish/files/bulletins/0123456789abcdef.html"
        # Without a token, or with a wrong one, nothing is deleted
        assert client.delete(url).status_code == 401
        wrong = {"Authorization": "Bearer publisher.not-the-token"}
        assert client.delete(url, headers=wrong).status_code == 401
        assert page.exists()
        # A path outside the public tree, or not a site file, is refused
        for bad in ("..%2fsentinel.json", "bulletins/..%2f..%2fsentinel.json", "x.py", ".env"):
            r = client.delete(f"/publish/files/{bad}", headers=auth)
            assert r.status_code in (404, 422), bad
        assert outside.exists() and page.exists()
        # The pinned key cannot be deleted through the API
        pinned = client.put("/publish/files/minisign.pub", content=b"k", headers=auth)
        assert pinned.status_code == 204
        assert client.delete("/publish/files/minisign.pub", headers=auth).status_code == 409
        assert (public / "minisign.pub").exists()
        # A site file goes, and deleting it again is fine
        assert client.delete(url, headers=auth).status_code == 204
        assert not page.exists()
        assert client.delete(url, headers=auth).status_code == 204
