"""`POST /api/v1/envelopes/batch`: several small envelopes in one answer, only an editor's own."""

from __future__ import annotations

import base64
import secrets

import httpx
from tests.unit.desk.deskkit import Editors, auth, new_source, submit

from quietwire.crypto import new_identity
from quietwire.deskapi import add_editor


def _batch(url: str, token: str, ids: list[str]) -> httpx.Response:
    return httpx.post(
        f"{url}/api/v1/envelopes/batch", json={"envelopes": ids}, headers=auth(token), timeout=30
    )


def test_batch_returns_the_same_bytes_as_single_downloads(editors: Editors, desk_url: str) -> None:
    inst = editors.instance
    source = new_source(inst)
    for i in range(3):
        submit(inst, source, f"r{i}", [("f", "x/y", secrets.token_bytes(100 + i))])
    token = editors["alice"].token
    subs = httpx.get(f"{desk_url}/api/v1/submissions", headers=auth(token)).json()["submissions"]
    ids = [e["id"] for s in subs for e in s["envelopes"]]
    unknown = "f" * 32
    r = _batch(desk_url, token, [*reversed(ids), unknown])
    assert r.status_code == 200
    body = r.json()
    assert [e["id"] for e in body["envelopes"]] == list(reversed(ids))  # in the order asked
    assert body["missing"] == [unknown]
    for item in body["envelopes"]:
        single = httpx.get(f"{desk_url}/api/v1/envelopes/{item['id']}", headers=auth(token))
        assert base64.b64decode(item["data"]) == single.content
    # Another editor gets none of them.
    carol = add_editor(inst, "carol", new_identity().recipient)
    assert _batch(desk_url, carol, ids).json() == {"envelopes": [], "missing": ids}
    # Limits: at most 500 ids, and the token is required.
    assert _batch(desk_url, token, [unknown] * 501).status_code == 422
    assert (
        httpx.post(f"{desk_url}/api/v1/envelopes/batch", json={"envelopes": []}).status_code == 401
    )


def test_batch_refuses_more_than_its_byte_limit(editors: Editors, desk_url: str) -> None:
    inst = editors.instance
    submit(inst, new_source(inst), "big", [("f", "x/y", secrets.token_bytes(9 * 1024 * 1024))])
    token = editors["alice"].token
    [sub] = httpx.get(f"{desk_url}/api/v1/submissions", headers=auth(token)).json()["submissions"]
    r = _batch(desk_url, token, [e["id"] for e in sub["envelopes"]])
    assert r.status_code == 413 and "fewer" in r.json()["detail"]
