"""Bad input at the source boundary: a clear page, the right status, and nothing half-stored."""

from __future__ import annotations

import os
import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.server import RunningServer, run_cli, serve
from tests.support.source_client import SourceClient, multipart
from tests.support.store import counts, decrypted_submissions


@pytest.fixture
def source(running: RunningServer) -> Iterator[SourceClient]:
    client = SourceClient(running.source)
    client.new_source()
    yield client
    client.close()


SECURITY_HEADERS = (
    "content-security-policy",
    "cache-control",
    "referrer-policy",
    "x-content-type-options",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
)


def nothing_stored(server: RunningServer) -> None:
    c = counts(server.dir)
    assert (c["submissions"], c["envelopes"], c["blobs"]) == (0, 0, 0), c
    assert not list((server.dir / "blobs").iterdir()), "a blob or temporary was left"


def test_malformed_multipart(running: RunningServer, source: SourceClient) -> None:
    body = f'--XyZ\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{source.csrf}\r\n--XyZ\r\nGarbage'
    response = source.follow(source.submit_raw(body.encode() + b"\x00" * 100))
    assert response.status_code == 400 and 'class="error"' in response.text
    nothing_stored(running)


def test_upload_cut_short(running: RunningServer, source: SourceClient) -> None:
    body = multipart([("csrf", source.csrf.encode(), None), ("files", b"A" * 100_000, "a.bin")])
    response = source.follow(source.submit_raw(body[:-200]))
    assert response.status_code == 400
    nothing_stored(running)


@pytest.mark.parametrize("csrf", [None, "stale-token"])
def test_missing_or_stale_csrf(
    running: RunningServer, source: SourceClient, csrf: str | None
) -> None:
    parts = [("text", b"hello", None), ("files", b"data", "x.txt")]
    if csrf is not None:
        parts.insert(0, ("csrf", csrf.encode(), None))
    response = source.follow(source.submit_raw(multipart(parts)))
    assert response.status_code == 403 and 'class="error"' in response.text
    nothing_stored(running)


def test_invalid_utf8_text(running: RunningServer, source: SourceClient) -> None:
    body = multipart(
        [
            ("csrf", source.csrf.encode(), None),
            ("files", b"kept?", "f.txt"),
            ("text", b"caf\xe9 \xff\xfe", None),
        ]
    )
    response = source.follow(source.submit_raw(body))
    assert response.status_code == 400
    nothing_stored(running)


@pytest.mark.parametrize("after_a_good_file", [False, True])
def test_invalid_utf8_file_name(
    running: RunningServer, source: SourceClient, after_a_good_file: bool
) -> None:
    # A browser sends UTF-8 (or percent-encodes), so these raw Latin-1 and stray bytes in
    # filename="..." are a forged request: refused whole, even once a file is under way.
    parts = [("csrf", source.csrf.encode(), None), ("text", b"a report", None)]
    if after_a_good_file:
        parts.append(("files", b"a first file, already being encrypted" * 1000, "first.txt"))
    bad_part = (
        b'--XyZ\r\nContent-Disposition: form-data; name="files"; filename="caf\xe9 \xff\xfe.txt"'
        b"\r\nContent-Type: text/plain\r\n\r\ncontent\r\n"
    )
    head = multipart(parts).removesuffix(b"--XyZ--\r\n")
    answer = source.submit_raw(head + bad_part + b"--XyZ--\r\n")
    response = source.follow(answer)
    assert response.status_code == 400 and 'class="error"' in response.text
    assert "<script" not in response.text.lower()
    # The same security headers as every page (their values: test_source_browser.py).
    reference = source.http.get("/").headers
    assert "default-src 'none'" in reference["content-security-policy"]
    for name in SECURITY_HEADERS:
        assert response.headers[name] == reference[name], name
        assert answer.headers[name] == reference[name], name
    assert "server" not in response.headers
    nothing_stored(running)
    # Control: the very same body with the name in UTF-8 is accepted.
    good_part = bad_part.replace(b"caf\xe9 \xff\xfe", "café".encode())
    assert source.submit_raw(head + good_part + b"--XyZ--\r\n").status_code == 303


def test_thousands_of_fields(running: RunningServer, source: SourceClient) -> None:
    parts = [("csrf", source.csrf.encode(), None)] + [(f"f{i}", b"x", None) for i in range(5000)]
    response = source.follow(source.submit_raw(multipart(parts)))
    assert response.status_code == 400 and 'class="error"' in response.text
    nothing_stored(running)


@pytest.mark.parametrize("shape", ["nothing", "blank_file_input", "only_spaces"])
def test_empty_submission(running: RunningServer, source: SourceClient, shape: str) -> None:
    parts = [("csrf", source.csrf.encode(), None)]
    if shape == "blank_file_input":
        parts.append(("files", b"", ""))
    if shape == "only_spaces":
        parts += [("text", b"   \n ", None), ("what", b"  ", None)]
    response = source.follow(source.submit_raw(multipart(parts)))
    assert response.status_code == 400 and 'class="error"' in response.text
    nothing_stored(running)


def test_hostile_file_names_arrive_harmless(
    running: RunningServer, source: SourceClient, editor_key: tuple[Path, str]
) -> None:
    names = ["../../../etc/passwd", "..\\..\\boot.ini", "evil\u202egpj.exe", "tab\there\x07.txt"]
    # Raw bytes on the wire: a browser would percent-encode some of these, an attacker won't.
    parts = [("csrf", source.csrf.encode(), None), ("text", b"names", None)]
    parts += [("files", b"content", n) for n in names]
    response = source.submit_raw(multipart(parts))
    assert response.status_code == 303
    [(manifest, _)] = decrypted_submissions(running.dir, editor_key[0])
    assert [f.name for f in manifest.files] == ["passwd", "boot.ini", "evilgpj.exe", "tabhere.txt"]


def test_wrong_codenames_look_and_take_alike(running: RunningServer) -> None:
    client = SourceClient(running.source)
    real = client.new_source()
    client.http.cookies.clear()
    plausible = " ".join(reversed(real.split()))
    garbage = "x"
    timings: dict[str, list[float]] = {plausible: [], garbage: []}
    bodies = set()
    for _ in range(5):
        for guess in (plausible, garbage):
            start = time.perf_counter()
            response = client.login(guess)
            timings[guess].append(time.perf_counter() - start)
            # A redirect, never the page in place: the browser keeps no POST body.
            assert response.headers["location"] == "/login"
            page = client.follow(response)
            assert page.status_code == 200
            bodies.add(re.sub(r'name="csrf" value="[^"]+"', "", page.text))
    # The same page for every wrong codename (the token aside, which carries its time),
    # and the same work.
    assert len(bodies) == 1 and 'role="alert"' in next(iter(bodies))
    a, b = (statistics.median(t) for t in timings.values())
    assert abs(a - b) < 0.05 + 0.5 * max(a, b), timings
    assert client.login(real).status_code == 303
    client.close()


def test_expired_or_unknown_session(running: RunningServer) -> None:
    client = SourceClient(running.source)
    client.http.cookies.set("qw_session", "not-a-session-we-know")
    page = client.http.get("/home")
    assert page.status_code == 401 and "/login" in page.text
    # A form that is not ours is refused, session or not (an ended session's own form is
    # received and held: tests/functional/test_intake_held.py).
    response = client.submit_raw(multipart([("csrf", b"whatever", None), ("text", b"hi", None)]))
    assert client.follow(response).status_code == 403
    client.http.cookies.clear()
    response = client.submit_raw(multipart([("csrf", b"whatever", None), ("text", b"hi", None)]))
    assert client.follow(response).status_code == 401
    nothing_stored(running)
    client.close()


def test_oversize_upload_is_refused_and_leaves_nothing(
    tmp_path: Path, database_url: str, editor_key: tuple[Path, str]
) -> None:
    instance_dir = tmp_path / "small"
    run_cli(
        "init",
        "--dir",
        str(instance_dir),
        "--recipient",
        editor_key[1],
        "--database-url",
        database_url,
    )
    with serve(instance_dir, env={"QUIETWIRE_MAX_SUBMISSION_MB": "1"}) as server:
        client = SourceClient(server.source)
        client.new_source()

        def body() -> Iterator[bytes]:
            # Streamed without a Content-Length, so the server must count as it reads.
            yield from iter(multipart([("csrf", client.csrf.encode(), None)])[:-9].splitlines(True))
            yield b'--XyZ\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\n\r\n'
            for _ in range(48):
                yield os.urandom(64 * 1024)
            yield b"\r\n--XyZ--\r\n"

        response = client.follow(client.submit_raw(body()))
        assert response.status_code == 413 and 'class="error"' in response.text
        nothing_stored(server)
        # A declared Content-Length over the limit is refused before any byte is read.
        declared = client.submit(
            files=[("big.bin", b"x" * (3 * 1024 * 1024), "application/octet-stream")]
        )
        assert client.follow(declared).status_code == 413
        nothing_stored(server)
        assert client.submit(text="small is fine").status_code == 303
        client.close()
