"""The bulletin commands use the server and token `quietwire desk init` stored (issue 13,
rough edge): an editor whose desk is set up publishes without repeating them."""

from __future__ import annotations

from pathlib import Path

import httpx
from tests.support.server import run_cli, serve

from quietwire.crypto import new_identity

SIGNING = {"QUIETWIRE_SIGNING_PASSPHRASE": "a long test passphrase for the desk key"}
BODY = (
    "Water trucks reached the eastern district on Thursday after a week without supply.\n\n"
    "Residents said queues formed before dawn at the three distribution points."
)


def test_publish_uses_the_server_and_token_of_desk_init(tmp_path: Path, database_url: str) -> None:
    pair = new_identity()
    identity = tmp_path / "identity.txt"
    identity.write_text(pair.secret.reveal() + "\n")
    identity.chmod(0o600)
    inst = tmp_path / "instance"
    run_cli("init", "--dir", str(inst), "--database-url", database_url)
    added = run_cli("editors", "add", "ed", "--dir", str(inst), "--recipient", pair.recipient)
    token = added.stdout.splitlines()[-1]
    ws = tmp_path / "ws"
    with serve(inst) as running:
        run_cli(
            *("desk", "init", "--dir", str(ws), "--server", running.desk),
            *("--token", token, "--identity", str(identity)),
        )
        run_cli("publish", "keys", "new", "--dir", str(ws), env=SIGNING)
        body = tmp_path / "body.txt"
        body.write_text(BODY, encoding="utf-8")
        made = run_cli(
            *("desk", "bulletin", "new", "--dir", str(ws), "--title", "Water trucks arrive"),
            *("--body-file", str(body)),
        )
        bulletin_id = made.stdout.strip().splitlines()[-1]
        published = run_cli(
            "desk", "bulletin", "publish", "--dir", str(ws), bulletin_id, env=SIGNING
        )
        assert "published:" in published.stdout and bulletin_id in published.stdout
        site = httpx.get(running.public + "/", timeout=10)
        assert site.status_code == 200 and "Water trucks arrive" in site.text
        # And the other commands that talk to the server: nothing more to upload.
        assert (
            "0 file(s) uploaded" in run_cli("desk", "bulletin", "upload", "--dir", str(ws)).stdout
        )
