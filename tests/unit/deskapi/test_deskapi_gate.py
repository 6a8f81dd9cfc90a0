"""The desk API's gate, over a real socket: the token before the body, no lockout of the
right token by a stranger, a body cap per route, security headers on every answer, the
spec behind the token, one path check for uploads and deletions of site files."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from tests.unit.desk.deskkit import Editors, auth

from quietwire.deskapi.auth import FAILURES_ALLOWED, Refusal, Throttle, authenticate
from quietwire.web import security_headers

ZERO_SOURCE = "0" * 64


def _raw_exchange(url: str, head: bytes, body_part: bytes, timeout: float = 10.0) -> bytes:
    """Send a request head and the start of its body; return what the server answers
    before the rest of the body is sent (b"" if it answers nothing in `timeout`)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(head + body_part)
        try:
            return sock.recv(65536)
        except TimeoutError:
            return b""


def test_a_huge_body_without_a_token_is_refused_before_it_is_read(desk_url: str) -> None:
    # Given a request declaring a 256 MB JSON body and no token
    head = (
        b"POST /api/v1/acks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 268435456\r\n\r\n"
    )
    # When only its first kilobyte is sent
    answer = _raw_exchange(desk_url, head, b'{"submissions": [' + b" " * 1024)
    # Then the 401 comes at once: the server did not wait to read (and parse) the rest
    assert answer.startswith(b"HTTP/1.1 401 "), answer[:200]


def test_a_huge_body_with_a_token_is_refused_at_its_declared_length(
    desk_url: str, editors: Editors
) -> None:
    token = editors["alice"].token
    no_body = f"/api/v1/submissions/{'0' * 32}/ack"
    for path, limit in (("/api/v1/acks", 64 * 1024), (no_body, 4096)):
        head = (
            f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {limit + 1}\r\n\r\n"
        ).encode()
        answer = _raw_exchange(desk_url, head, b"{")
        assert answer.startswith(b"HTTP/1.1 413 "), (path, answer[:200])


def test_each_route_caps_its_body_even_when_no_length_is_declared(
    desk_url: str, editors: Editors
) -> None:
    token = editors["alice"].token

    def chunked(size: int) -> Iterator[bytes]:
        # A generator: httpx sends it chunked, with no Content-Length.
        for _ in range(size // 65536):
            yield b" " * 65536

    cases = [
        ("POST", f"/api/v1/sources/{ZERO_SOURCE}/replies", 1024 * 1024 + 65536),
        ("POST", "/api/v1/acks", 128 * 1024),
        ("POST", "/api/v1/envelopes/batch", 128 * 1024),
    ]
    for method, path, size in cases:
        r = httpx.request(
            method, desk_url + path, content=chunked(size), headers=auth(token), timeout=30
        )
        assert r.status_code == 413, (path, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/json")
    # Under its cap, a route reads its body as before: a reply to no source is a 422/404.
    small = httpx.post(
        f"{desk_url}/api/v1/sources/{ZERO_SOURCE}/replies",
        content=b"x" * 1000,
        headers=auth(token),
        timeout=30,
    )
    assert small.status_code == 422


def test_bad_tokens_under_an_editors_name_never_lock_the_right_token_out(
    desk_url: str, editors: Editors
) -> None:
    # Given a stranger who knows the editor's name (names appear in the docs)
    good = editors["alice"].token
    bad = "alice." + "A" * 43
    # When they send many bad tokens under that name
    statuses = [
        httpx.get(f"{desk_url}/api/v1/me", headers=auth(bad), timeout=10).status_code
        for _ in range(FAILURES_ALLOWED * 3)
    ]
    # Then their failures are throttled (401 at first, then 429 with Retry-After)...
    assert statuses[:FAILURES_ALLOWED] == [401] * FAILURES_ALLOWED
    assert set(statuses[FAILURES_ALLOWED:]) == {429}
    # ...and the editor's own token still gets in, at once and between further failures
    for _ in range(3):
        r = httpx.get(f"{desk_url}/api/v1/me", headers=auth(good), timeout=10)
        assert r.status_code == 200 and r.json() == {"name": "alice"}
        throttled = httpx.get(f"{desk_url}/api/v1/me", headers=auth(bad), timeout=10)
        assert throttled.status_code == 429 and throttled.headers["retry-after"] == "60"
    # ...and another editor was never affected.
    bob = httpx.get(f"{desk_url}/api/v1/me", headers=auth(editors["bob"].token), timeout=10)
    assert bob.status_code == 200


def test_the_throttle_remembers_editors_not_what_strangers_send(editors: Editors) -> None:
    # Given failures under 2,000 made-up names and a malformed header
    throttle = Throttle()
    headers = [f"Bearer nobody{i}.secret" for i in range(2000)]
    for header in [*headers, "", "Basic abc", "Bearer alice.wrong"]:
        with pytest.raises(Refusal) as refused:
            authenticate(editors.instance, throttle, header)
        assert refused.value.status in (401, 429)
    # Then it holds two keys (the shared one for no editor, and alice), each bounded
    assert len(throttle._failures) == 2
    assert all(len(times) <= FAILURES_ALLOWED + 1 for times in throttle._failures.values())
    # And the right token still passes
    assert authenticate(editors.instance, throttle, f"Bearer {editors['alice'].token}").name == (
        "alice"
    )


def test_every_answer_carries_the_security_headers_and_the_spec_needs_a_token(
    desk_url: str, editors: Editors
) -> None:
    token = editors["alice"].token
    expected = security_headers()
    # The spec: refused without a token, served with one.
    assert httpx.get(f"{desk_url}/api/v1/openapi.json", timeout=10).status_code == 401
    spec = httpx.get(f"{desk_url}/api/v1/openapi.json", headers=auth(token), timeout=10)
    assert spec.status_code == 200
    answers = [spec]
    # Every route of the spec, with and without the token; an unknown path; a 413.
    for path, operations in spec.json()["paths"].items():
        concrete = path.replace("{source_id}", ZERO_SOURCE).replace("{path}", "index.html")
        concrete = concrete.replace("{envelope_id}", "0" * 32).replace("{submission_id}", "0" * 32)
        for method in operations:
            if method == "delete":
                continue  # nothing here to delete; the headers come from the same layer
            for headers in ({}, auth(token)):
                answers.append(
                    httpx.request(method, desk_url + concrete, headers=headers, timeout=10)
                )
    answers.append(httpx.get(f"{desk_url}/nowhere", headers=auth(token), timeout=10))
    answers.append(httpx.post(f"{desk_url}/api/v1/acks", content=b" " * 70000, headers=auth(token)))
    statuses = {r.status_code for r in answers}
    assert {200, 401, 404, 413} <= statuses
    for r in answers:
        for name, value in expected.items():
            assert r.headers.get(name) == value, (r.request.url, r.status_code, name)
        assert "server" not in r.headers


def test_put_and_delete_refuse_a_symlinked_folder_alike(desk_url: str, editors: Editors) -> None:
    # Given a folder inside public/ that is a symlink to somewhere outside it
    public = editors.instance.settings.dir / "public"
    outside = editors.instance.settings.dir.parent / "outside"
    outside.mkdir()
    (outside / "kept.json").write_text("{}")
    public.mkdir(exist_ok=True)
    (public / "bulletins").symlink_to(outside, target_is_directory=True)
    headers = auth(editors["alice"].token)
    # When an editor token writes and deletes through it
    put = httpx.put(f"{desk_url}/publish/files/bulletins/new.json", content=b"{}", headers=headers)
    put_deeper = httpx.put(
        f"{desk_url}/publish/files/bulletins/sub/new.json", content=b"{}", headers=headers
    )
    delete = httpx.delete(f"{desk_url}/publish/files/bulletins/kept.json", headers=headers)
    # Then both are refused the same way and nothing outside public/ changed
    assert (put.status_code, put_deeper.status_code, delete.status_code) == (422, 422, 422)
    assert "not inside the site tree" in put.json()["detail"]
    assert sorted(p.name for p in outside.iterdir()) == ["kept.json"]
    # While a plain folder inside public/ still takes uploads
    ok = httpx.put(f"{desk_url}/publish/files/media/a/b.json", content=b"{}", headers=headers)
    assert ok.status_code == 204 and (public / "media" / "a" / "b.json").read_bytes() == b"{}"
