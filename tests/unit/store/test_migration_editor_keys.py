"""An instance made before editors held keys (recipients in the config, submissions, then
editors) upgrades through migration 0002 and delivers what was waiting (issue 13, item 1)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from tests.support.server import run_cli

from quietwire import config
from quietwire import instance as instance_mod
from quietwire.crypto import decrypt_bytes, encrypt_bytes, new_identity, parse_identity
from quietwire.crypto import parse_recipients as parse
from quietwire.deskapi import check_recipients, list_recipients
from quietwire.deskapi._service import acknowledge, envelope_for, pending
from quietwire.store import Database, Editor, UtcHour

_sources = sa.table(
    "sources", sa.column("id"), sa.column("reply_recipient"), sa.column("created", UtcHour())
)
_submissions = sa.table(
    "submissions",
    sa.column("id"),
    sa.column("source_id"),
    sa.column("created", UtcHour()),
    sa.column("size"),
)
_envelopes = sa.table(
    "envelopes",
    sa.column("id"),
    sa.column("submission_id"),
    sa.column("kind"),
    sa.column("position"),
    sa.column("blob_key"),
    sa.column("size"),
)
_editors = sa.table(
    "editors",
    sa.column("id"),
    sa.column("name"),
    sa.column("token_hash"),
    sa.column("created", UtcHour()),
)


def _old_instance(directory: Path, database_url: str, recipients: list[str]) -> dict[str, bytes]:
    """What QuietWire at revision 0001 left: recipients in the config, two submissions that
    arrived before any editor (so delivered to nobody), then an editor without a key.
    Returns submission id -> the plaintext of its one envelope."""
    directory.mkdir(mode=0o700)
    values = {
        "pepper": secrets.token_hex(32),
        "recipients": recipients,
        "database_url": database_url,
        "demo": False,
    }
    instance_mod.write_config(directory / config.CONFIG_NAME, values)
    old = Database(database_url)
    try:
        old.migrate(revision="0001")
    finally:
        old.dispose()
    inst = instance_mod.open_instance(directory)
    now = datetime.now(UTC)
    sent: dict[str, bytes] = {}
    try:
        with inst.db.engine.begin() as conn:
            source = secrets.token_hex(32)
            conn.execute(
                _sources.insert(),
                {"id": source, "reply_recipient": new_identity().recipient, "created": now},
            )
            for n in range(2):
                plain = f"report {n} from before the editors".encode()
                pending_blob = inst.blobs.begin()
                pending_blob.file.write(encrypt_bytes(plain, parse(recipients)))
                key, size = pending_blob.finish()
                sub = secrets.token_hex(16)
                conn.execute(
                    _submissions.insert(),
                    {"id": sub, "source_id": source, "created": now, "size": size},
                )
                conn.execute(
                    _envelopes.insert(),
                    {
                        "id": secrets.token_hex(16),
                        "submission_id": sub,
                        "kind": "manifest",
                        "position": 0,
                        "blob_key": key,
                        "size": size,
                    },
                )
                sent[sub] = plain
            conn.execute(
                _editors.insert(),
                {
                    "id": secrets.token_hex(16),
                    "name": "alice",
                    "token_hash": "0" * 64,
                    "created": now,
                },
            )
    finally:
        inst.close()
    return sent


def test_an_instance_built_the_old_way_migrates_and_delivers(
    tmp_path: Path, database_url: str
) -> None:
    alice, spare = new_identity(), new_identity()
    d = tmp_path / "old"
    sent = _old_instance(d, database_url, [alice.recipient, spare.recipient])

    # serve upgrades the schema, then refuses the editor who has no key, naming the fix.
    refused = run_cli("serve", "--dir", str(d), "--source-port", "0", check=False)
    assert refused.returncode == 1
    assert "editor 'alice' has no age recipient" in refused.stderr
    assert "editors set-recipient alice" in refused.stderr
    for key in (alice.recipient, spare.recipient):  # and reports each key without an editor
        assert f"recipient {key} has no editor" in refused.stdout
    # The recipients moved from the config into the database: both kept, both reported.
    assert "recipients" not in instance_mod.read_config_values(d)
    inst = instance_mod.open_instance(d)
    try:
        assert inst.db.is_current()
        assert {(r.recipient, r.editor) for r in list_recipients(inst)} == {
            (alice.recipient, None),
            (spare.recipient, None),
        }
        warnings = check_recipients(inst).warnings
        assert len(warnings) == 2 and all("2 submission(s)" in w for w in warnings)
    finally:
        inst.close()

    refused = run_cli("doctor", "--dir", str(d), check=False)
    assert refused.returncode == 1 and "editor 'alice' has no age recipient" in refused.stdout
    given = run_cli(
        "editors", "set-recipient", "alice", "--dir", str(d), "--recipient", alice.recipient
    )
    assert "2 waiting submission(s) delivered" in given.stdout
    doctor = run_cli("doctor", "--dir", str(d))
    assert f"recipient {spare.recipient} has no editor" in doctor.stdout  # reported, kept

    inst = instance_mod.open_instance(d)
    try:
        with inst.db.session() as s:
            alice_id = s.scalar(sa.select(Editor.id).where(Editor.name == "alice"))
        assert alice_id is not None
        waiting = pending(inst, alice_id, 0, 10)
        assert sorted(p.id for p in waiting) == sorted(sent)
        identity = [parse_identity(alice.secret.reveal())]
        for sub in waiting:
            found = envelope_for(inst, alice_id, sub.envelopes[0].id)
            assert found is not None
            with inst.blobs.open(found[0]) as fh:
                assert decrypt_bytes(fh.read(), identity) == sent[sub.id]
            # The unclaimed key still holds it: its editor-to-be will be delivered it too.
            assert acknowledge(inst, alice_id, sub.id) is False
    finally:
        inst.close()
