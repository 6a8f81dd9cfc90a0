"""One editor's deletion never destroys what another editor has not fetched (issue 13,
item 15): a single stolen token cannot empty every inbox, yet a real emergency can."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from tests.support.server import run_cli
from tests.unit.desk.deskkit import Editors, auth, new_source, submit

from quietwire.deskapi import revoke_editor
from quietwire.instance import Instance
from quietwire.store import DeletionRequest, Source, Submission


def _delete(url: str, token: str, source_id: str) -> httpx.Response:
    return httpx.delete(f"{url}/api/v1/sources/{source_id}", headers=auth(token))


def _listed(url: str, token: str) -> list[str]:
    page = httpx.get(f"{url}/api/v1/submissions", headers=auth(token)).json()
    return [sub["id"] for sub in page["submissions"]]


def _sources(inst: Instance) -> int:
    with inst.db.session() as s:
        return s.scalar(select(func.count()).select_from(Source)) or 0


def test_a_stolen_token_cannot_empty_the_other_editors_inbox(
    editors: Editors, desk_url: str
) -> None:
    inst = editors.instance
    subs = [submit(inst, new_source(inst), f"report {n}") for n in range(3)]
    mallory = editors["alice"].token  # alice's token, in someone else's hands
    with inst.db.session() as s:
        source_ids = list(s.scalars(select(Submission.source_id)))
    for source_id in source_ids:
        answer = _delete(desk_url, mallory, source_id)
        assert answer.status_code == 202
        assert answer.json() == {"deleted": False, "waiting_for": 1}
    assert _listed(desk_url, mallory) == []  # alice's own copies are withdrawn
    assert sorted(_listed(desk_url, editors["bob"].token)) == sorted(subs)  # bob's are not
    assert _sources(inst) == 3 and len(list(inst.blobs.keys())) == 3


def test_the_deletion_is_done_once_the_other_editors_have_fetched_it(
    editors: Editors, desk_url: str
) -> None:
    inst = editors.instance
    keep = submit(inst, new_source(inst), "stays")
    source = new_source(inst)
    sub = submit(inst, source, "goes", [("f", "x/y", b"data")])
    assert _delete(desk_url, editors["alice"].token, source.source_id).status_code == 202
    bob = editors["bob"].token
    acked = httpx.post(f"{desk_url}/api/v1/acks", headers=auth(bob), json={"submissions": [sub]})
    assert acked.json()["deleted"] == [sub]
    with inst.db.session() as s:
        assert s.get(Source, source.source_id) is None
        assert s.scalar(select(func.count()).select_from(DeletionRequest)) == 0
        assert list(s.scalars(select(Submission.id))) == [keep]
    assert len(list(inst.blobs.keys())) == 1  # the kept report's manifest only


def test_a_second_editor_asking_too_deletes_at_once(editors: Editors, desk_url: str) -> None:
    inst = editors.instance
    source = new_source(inst)
    submit(inst, source, "goes")
    assert _delete(desk_url, editors["bob"].token, source.source_id).status_code == 202
    assert _delete(desk_url, editors["alice"].token, source.source_id).status_code == 204
    assert _sources(inst) == 0 and list(inst.blobs.keys()) == []
    assert _delete(desk_url, editors["alice"].token, source.source_id).status_code == 404


def test_revoking_the_editor_who_held_it_back_lets_the_deletion_happen(
    editors: Editors, desk_url: str
) -> None:
    inst = editors.instance
    source = new_source(inst)
    submit(inst, source, "goes")
    assert _delete(desk_url, editors["alice"].token, source.source_id).status_code == 202
    revoke_editor(inst, "bob")
    assert _sources(inst) == 0 and list(inst.blobs.keys()) == []
    # Alone now: alice's deletions are immediate.
    other = new_source(inst)
    submit(inst, other, "x")
    assert _delete(desk_url, editors["alice"].token, other.source_id).status_code == 204


def test_the_emergency_delete_on_the_server_does_not_wait(editors: Editors, desk_url: str) -> None:
    inst = editors.instance
    source = new_source(inst)
    submit(inst, source, "must go now")
    assert _delete(desk_url, editors["alice"].token, source.source_id).status_code == 202
    directory = str(inst.settings.dir)
    listed = run_cli("sources", "list", "--dir", directory).stdout
    assert f"{source.source_id}\tcreated" in listed and "deletion asked by 1 editor(s)" in listed
    run_cli("sources", "delete", source.source_id, "--dir", directory)
    assert _sources(inst) == 0 and list(inst.blobs.keys()) == []
    assert _listed(desk_url, editors["bob"].token) == []
    again = run_cli("sources", "delete", source.source_id, "--dir", directory, check=False)
    assert again.returncode == 1 and "no such source" in again.stderr
