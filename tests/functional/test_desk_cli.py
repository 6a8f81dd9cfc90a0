"""The `quietwire editors` and `quietwire desk` commands as an editor types them.

The instance is made with `quietwire init`; the desk API runs on a real loopback socket;
every command runs in a child process.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pyrage
import pytest
from tests.support.server import run_cli
from tests.unit.desk.deskkit import desk_api, new_source, submit

from quietwire.crypto import decrypt_bytes, new_identity
from quietwire.instance import Instance, open_instance
from quietwire.store import Reply


@pytest.fixture
def setup(tmp_path: Path, database_url: str) -> Iterator[tuple[Instance, str, Path, str]]:
    """(instance, desk API URL, passphrase-protected identity file, token of 'alice')."""
    pair = new_identity()
    identity = tmp_path / "alice.age"
    identity.write_bytes(pyrage.passphrase.encrypt(pair.secret.reveal().encode(), "pass phrase"))
    inst_dir = tmp_path / "instance"
    run_cli(
        "init",
        "--dir",
        str(inst_dir),
        "--recipient",
        pair.recipient,
        "--database-url",
        database_url,
    )
    added = run_cli(
        "editors", "add", "alice", "--dir", str(inst_dir), "--recipient", pair.recipient
    )
    token = added.stdout.strip().splitlines()[-1]
    assert token.startswith("alice.") and len(token) > 40
    inst = open_instance(inst_dir)
    with desk_api(inst) as url:
        yield inst, url, identity, token
    inst.close()


def test_editor_workflow(tmp_path: Path, setup: tuple[Instance, str, Path, str]) -> None:
    inst, url, identity, token = setup
    inst_dir = str(inst.settings.dir)
    # The token is stored only as a hash.
    with inst.db.session() as s:
        from sqlalchemy import text

        stored = [r[0] for r in s.execute(text("SELECT token_hash FROM editors"))]
    assert token not in stored and len(stored[0]) == 64
    assert "alice" in run_cli("editors", "list", "--dir", inst_dir).stdout
    again = ("editors", "add", "alice", "--dir", inst_dir, "--recipient", new_identity().recipient)
    assert run_cli(*again, check=False).returncode == 1

    ws = str(tmp_path / "ws")
    env = {"QUIETWIRE_DESK_PASSPHRASE": "pass phrase"}
    run_cli(
        "desk",
        "init",
        "--dir",
        ws,
        "--server",
        url,
        "--token",
        token,
        "--identity",
        str(identity),
        env=env,
    )
    assert stat.S_IMODE(os.stat(ws).st_mode) == 0o700

    source = new_source(inst)
    sub_id = submit(
        inst,
        source,
        "what I saw",
        [("notes.txt", "text/plain", b"notes")],
        {"what": "a convoy", "where": "the bridge"},
    )
    pulled = run_cli("desk", "pull", "--dir", ws, env=env)
    assert "Imported 1 submission" in pulled.stdout

    listing = json.loads(run_cli("desk", "list", "--dir", ws, "--json").stdout)
    assert listing == [
        {
            "designation": listing[0]["designation"],
            "unread": 1,
            "submissions": [
                {
                    "id": sub_id,
                    "received": listing[0]["submissions"][0]["received"],
                    "read": False,
                    "starred": False,
                    "text": "what I saw",
                    "answers": {"what": "a convoy", "where": "the bridge"},
                    "files": [
                        {
                            "name": "notes.txt",
                            "size": 5,
                            "scrubbed": True,
                            "note": "plain text carries no hidden metadata: copied",
                            "sha256": hashlib.sha256(b"notes").hexdigest(),
                        }
                    ],
                }
            ],
        }
    ]
    designation = listing[0]["designation"]
    # The 8 characters the UI and `desk list` show are enough; labels in the form's order.
    shown = run_cli("desk", "show", "--dir", ws, sub_id[:8]).stdout
    assert "what I saw" in shown
    assert shown.index("What happened: a convoy") < shown.index("Where: the bridge")
    assert (
        "ماذا حدث: a convoy" in run_cli("desk", "show", "--dir", ws, sub_id, "--lang", "ar").stdout
    )
    assert f"SHA-256 {hashlib.sha256(b'notes').hexdigest()}" in shown
    assert json.loads(run_cli("desk", "list", "--dir", ws, "--json").stdout)[0]["unread"] == 0

    run_cli("desk", "reply", "--dir", ws, "--source", designation, "--text", "received, thanks")
    with inst.db.session() as s:
        [reply] = s.query(Reply).all()
    with inst.blobs.open(reply.blob_key) as fh:
        assert decrypt_bytes(fh.read(), [source.reply_identity()]) == b"received, thanks"

    run_cli("desk", "delete", "--dir", ws, "--source", designation)
    assert json.loads(run_cli("desk", "list", "--dir", ws, "--json").stdout) == []
    assert list(inst.blobs.keys()) == []

    run_cli("editors", "revoke", "alice", "--dir", inst_dir)
    refused = run_cli("desk", "pull", "--dir", ws, env=env, check=False)
    assert refused.returncode == 1 and "refused the token" in refused.stderr
    assert token not in refused.stderr + refused.stdout
