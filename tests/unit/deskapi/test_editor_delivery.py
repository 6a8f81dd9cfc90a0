"""An editor is a name, an age key and a token: what is sealed to a key reaches whoever
holds it, whenever their account appears (issue 13, item 1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete, select
from tests.unit.desk.deskkit import EditorKit, auth, desk_api, new_source, open_workspace, submit

from quietwire import instance as instance_mod
from quietwire.crypto import IdentityPair, new_identity
from quietwire.deskapi import (
    EditorError,
    RecipientChecks,
    add_editor,
    add_recipient,
    check_recipients,
    list_recipients,
    remove_recipient,
    revoke_editor,
    set_recipient,
)
from quietwire.deskapi._service import acknowledge, pending
from quietwire.instance import Instance, current_recipients
from quietwire.store import Delivery, Editor, Submission


def _identity_file(root: Path, name: str, pair: IdentityPair) -> Path:
    path = root / f"{name}-identity.txt"
    path.write_text(pair.secret.reveal() + "\n")
    path.chmod(0o600)
    return path


def _editor_id(inst: Instance, name: str) -> str:
    with inst.db.session() as s:
        found = s.scalar(select(Editor.id).where(Editor.name == name))
    assert found is not None
    return found


@pytest.fixture
def keyed(tmp_path: Path, database_url: str) -> Iterator[tuple[Instance, IdentityPair]]:
    """An instance as `init --recipient` makes it (one key, no editor yet), and that key."""
    pair = new_identity()
    inst = instance_mod.create(tmp_path / "instance", [pair.recipient], database_url)
    yield inst, pair
    inst.close()


def test_a_submission_sent_before_the_editor_exists_is_pulled_once_they_are_added(
    tmp_path: Path, keyed: tuple[Instance, IdentityPair]
) -> None:
    inst, pair = keyed
    early = submit(inst, new_source(inst), "sent before any editor")
    assert check_recipients(inst).warnings  # doctor/serve report the editorless key
    token = add_editor(inst, "alice", pair.recipient)
    assert check_recipients(inst).warnings == ()
    kit = EditorKit("alice", token, _identity_file(tmp_path, "alice", pair), pair.recipient)
    with desk_api(inst) as url:
        report = open_workspace(tmp_path / "ws", url, kit).pull()
    assert report.imported == [early] and report.rejected == {}
    with inst.db.session() as s:  # alice was its only reader: gone from the server
        assert s.scalar(select(Submission).where(Submission.id == early)) is None


def test_an_editor_is_delivered_only_what_was_sealed_to_their_key(
    tmp_path: Path, keyed: tuple[Instance, IdentityPair]
) -> None:
    inst, pair = keyed
    sealed = submit(inst, new_source(inst), "for the first key")
    add_editor(inst, "alice", pair.recipient)
    other = new_identity()
    add_editor(inst, "bob", other.recipient)  # a key the first submission never had
    both = submit(inst, new_source(inst), "for both keys")
    listed = {
        name: [p.id for p in pending(inst, _editor_id(inst, name), 0, 10)]
        for name in ("alice", "bob")
    }
    assert listed == {"alice": [sealed, both], "bob": [both]}
    assert current_recipients(inst) == tuple(sorted([pair.recipient, other.recipient]))


def test_a_delivery_two_transactions_missed_is_made_at_the_next_listing(
    keyed: tuple[Instance, IdentityPair],
) -> None:
    # An editor added while a submission commits on PostgreSQL (READ COMMITTED) can miss it
    # from both sides; the seal remains, and their listing delivers it.
    inst, pair = keyed
    add_editor(inst, "alice", pair.recipient)
    add_editor(inst, "bob", new_identity().recipient)
    sub = submit(inst, new_source(inst), "x")
    alice, bob = _editor_id(inst, "alice"), _editor_id(inst, "bob")
    with inst.db.session() as s:
        s.execute(delete(Delivery).where(Delivery.submission_id == sub))
    assert [p.id for p in pending(inst, alice, 0, 10)] == [sub]
    # bob has no delivery row yet, but the seal says it is his: alice's ack does not delete it
    assert acknowledge(inst, alice, sub) is False
    assert pending(inst, alice, 0, 10) == []  # acknowledged: never listed to her again
    assert [p.id for p in pending(inst, bob, 0, 10)] == [sub]
    assert acknowledge(inst, bob, sub) is True


def test_a_key_without_an_editor_keeps_what_is_sealed_to_it(
    tmp_path: Path, keyed: tuple[Instance, IdentityPair]
) -> None:
    inst, pair = keyed  # pair stays unclaimed until bob
    alice_pair = new_identity()
    add_editor(inst, "alice", alice_pair.recipient)
    sub = submit(inst, new_source(inst), "for alice and the unclaimed key")
    # alice has it; the unclaimed key's editor does not exist yet: it stays
    assert acknowledge(inst, _editor_id(inst, "alice"), sub) is False
    delivered_now = add_editor(inst, "bob", pair.recipient)
    assert delivered_now.startswith("bob.")
    bob = _editor_id(inst, "bob")
    assert [p.id for p in pending(inst, bob, 0, 10)] == [sub]
    assert acknowledge(inst, bob, sub) is True


def test_the_recipients_are_the_active_editors_keys(keyed: tuple[Instance, IdentityPair]) -> None:
    inst, pair = keyed
    [unclaimed] = list_recipients(inst)
    assert unclaimed.recipient == pair.recipient and unclaimed.editor is None
    add_editor(inst, "alice", pair.recipient)
    assert [(r.recipient, r.editor) for r in list_recipients(inst)] == [(pair.recipient, "alice")]
    with pytest.raises(EditorError, match="already holds"):
        add_editor(inst, "mallory", pair.recipient)
    with pytest.raises(EditorError, match="already configured"):
        add_recipient(inst, pair.recipient)
    with pytest.raises(EditorError, match="editors revoke alice"):
        remove_recipient(inst, pair.recipient)
    spare = new_identity().recipient
    add_recipient(inst, spare)
    revoke_editor(inst, "alice")
    assert current_recipients(inst) == (spare,)  # her key went with her
    with pytest.raises(EditorError, match="last recipient"):
        remove_recipient(inst, spare)
    # The same person, a new token: a new name with the same key.
    add_editor(inst, "alice2", pair.recipient)
    assert set(current_recipients(inst)) == {spare, pair.recipient}


def test_an_editor_without_a_key_is_refused_and_a_key_without_an_editor_reported(
    keyed: tuple[Instance, IdentityPair],
) -> None:
    inst, pair = keyed
    checks = check_recipients(inst)
    assert checks.problems == () and len(checks.warnings) == 1
    assert pair.recipient in checks.warnings[0] and "has no editor" in checks.warnings[0]
    # An account from before editors had keys (as migration 0002 leaves it).
    with inst.db.session() as s:
        s.add(Editor(name="old", token_hash="0" * 64))
    problems = check_recipients(inst).problems
    assert len(problems) == 1 and "editor 'old' has no age recipient" in problems[0]
    sub = submit(inst, new_source(inst), "sealed to the unclaimed key")
    assert set_recipient(inst, "old", pair.recipient) == 1
    assert [p.id for p in pending(inst, _editor_id(inst, "old"), 0, 10)] == [sub]
    assert check_recipients(inst) == RecipientChecks(problems=(), warnings=())
    revoke_editor(inst, "old")
    assert any("no editor: nobody could read" in p for p in check_recipients(inst).problems)


def test_the_desk_api_lists_nothing_to_an_editor_whose_key_it_was_not_sealed_to(
    keyed: tuple[Instance, IdentityPair],
) -> None:
    inst, pair = keyed
    add_editor(inst, "alice", pair.recipient)
    submit(inst, new_source(inst), "x")
    carol = add_editor(inst, "carol", new_identity().recipient)
    with desk_api(inst) as url:
        page = httpx.get(f"{url}/api/v1/submissions", headers=auth(carol)).json()
    assert page["submissions"] == []


def test_a_key_typed_in_capitals_is_the_same_key(keyed: tuple[Instance, IdentityPair]) -> None:
    # bech32 allows an all-capital key; stored as typed, it would never match the seals.
    inst, pair = keyed
    sub = submit(inst, new_source(inst), "sealed to the key as init was given it")
    add_editor(inst, "alice", f"  {pair.recipient.upper()} ")
    assert [(r.recipient, r.editor) for r in list_recipients(inst)] == [(pair.recipient, "alice")]
    assert [p.id for p in pending(inst, _editor_id(inst, "alice"), 0, 10)] == [sub]
