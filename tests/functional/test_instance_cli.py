"""The instance commands as an administrator uses them: init, keys, recipients, doctor, serve."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

from tests.support.components import require_tool
from tests.support.server import run_cli, serve
from tests.support.source_client import SourceClient

from quietwire.cli._instance import SCAN_CHUNK
from quietwire.crypto import (
    decrypt_bytes,
    encrypt_bytes,
    new_identity,
    parse_identity_file,
    parse_recipient,
)


def test_keys_new_writes_a_private_identity_the_stock_tools_accept(tmp_path: Path) -> None:
    out = tmp_path / "me.txt"
    result = run_cli("keys", "new", "--out", str(out))
    recipient = result.stdout.strip().splitlines()[-1]
    assert recipient.startswith("age1")
    assert out.stat().st_mode & 0o777 == 0o600
    keygen = require_tool("age-keygen", "age")
    derived = subprocess.run([keygen, "-y", str(out)], capture_output=True, text=True, check=True)
    assert derived.stdout.strip() == recipient
    again = run_cli("keys", "new", "--out", str(out), check=False)
    assert again.returncode == 1 and "refusing to overwrite" in again.stderr


def test_passphrase_protected_identity_is_an_age_scrypt_file(tmp_path: Path) -> None:
    out = tmp_path / "locked.age"
    result = run_cli(
        "keys",
        "new",
        "--out",
        str(out),
        "--passphrase",
        env={"QUIETWIRE_KEY_PASSPHRASE": "correct horse"},
    )
    recipient = result.stdout.strip().splitlines()[-1]
    assert b"AGE-SECRET-KEY" not in out.read_bytes()
    import pyrage

    identities = parse_identity_file(
        pyrage.passphrase.decrypt(out.read_bytes(), "correct horse").decode()
    )
    assert decrypt_bytes(encrypt_bytes(b"ok", [parse_recipient(recipient)]), identities) == b"ok"


def test_recipients_are_the_editors_keys(tmp_path: Path, database_url: str) -> None:
    # One list: `recipients` shows each key with the editor holding it, and an editor's
    # key goes only with the editor.
    a, b, c = (new_identity().recipient for _ in range(3))
    d = str(tmp_path / "inst")
    run_cli("init", "--dir", d, "--recipient", a, "--database-url", database_url)
    added = run_cli("editors", "add", "bob", "--dir", d, "--recipient", b)
    assert added.stdout.splitlines()[-1].startswith("bob.")
    assert run_cli("recipients", "list", "--dir", d).stdout.splitlines() == [
        f"{b}\tbob",
        f"{a}\t(no editor)",
    ]
    assert b in run_cli("editors", "list", "--dir", d).stdout
    bad = run_cli("recipients", "add", "--dir", d, "age1bogus", check=False)
    assert bad.returncode == 1 and "not an age X25519 recipient" in bad.stderr
    again = run_cli("recipients", "add", "--dir", d, b, check=False)
    assert again.returncode == 1 and "already configured" in again.stderr
    held = run_cli("recipients", "remove", "--dir", d, b, check=False)
    assert held.returncode == 1 and "editors revoke bob" in held.stderr
    run_cli("recipients", "add", "--dir", d, c)
    run_cli("recipients", "remove", "--dir", d, a)
    run_cli("editors", "revoke", "bob", "--dir", d)
    assert run_cli("recipients", "list", "--dir", d).stdout.split() == [c, "(no", "editor)"]
    last = run_cli("recipients", "remove", "--dir", d, c, check=False)
    assert last.returncode == 1 and "last recipient" in last.stderr


def test_init_refuses_a_secret_key_as_recipient(tmp_path: Path) -> None:
    key = tmp_path / "k"
    run_cli("keys", "new", "--out", str(key))
    secret = next(line for line in key.read_text().splitlines() if line.startswith("AGE-SECRET"))
    result = run_cli("init", "--dir", str(tmp_path / "i"), "--recipient", secret, check=False)
    assert result.returncode == 1 and "secret key" in result.stderr
    assert secret not in result.stderr + result.stdout
    assert not (tmp_path / "i" / "quietwire.toml").exists()


def test_doctor_and_serve_refuse_an_editor_key_anywhere_in_the_instance(
    tmp_path: Path, database_url: str, editor_key: tuple[Path, str]
) -> None:
    identity, recipient = editor_key
    d = tmp_path / "inst"
    run_cli("init", "--dir", str(d), "--recipient", recipient, "--database-url", database_url)
    assert run_cli("doctor", "--dir", str(d)).returncode == 0
    # Not only at the top: a backup folder deep inside counts as much.
    hidden = d / "backup" / "2024" / "key.txt"
    hidden.parent.mkdir(parents=True)
    hidden.write_bytes(identity.read_bytes())
    doctor = run_cli("doctor", "--dir", str(d), check=False)
    assert doctor.returncode == 1
    assert f"{hidden} holds an age SECRET key" in doctor.stdout
    started = run_cli("serve", "--dir", str(d), "--source-port", "0", check=False)
    assert started.returncode == 1 and "refusing to start" in started.stderr
    assert f"{hidden} holds an age SECRET key" in started.stderr
    hidden.unlink()
    d.chmod(0o755)
    assert run_cli("doctor", "--dir", str(d), check=False).returncode == 1


def test_the_key_check_reads_large_files_and_links_but_not_the_ciphertext(
    tmp_path: Path, editor_key: tuple[Path, str]
) -> None:
    """The scan of the files, whatever the database: default SQLite, inside the instance."""
    identity, recipient = editor_key
    secret = identity.read_bytes().strip()
    d = tmp_path / "inst"
    run_cli("init", "--dir", str(d), "--recipient", recipient)
    # blobs/ holds age files by construction and is never read, whatever it holds.
    blob = d / "blobs" / f"{'ab' * 16}.age"
    blob.write_bytes(b"age-encryption.org/v1\n" + secret)
    large = d / "exports" / "dump.bin"
    large.parent.mkdir()
    large.write_bytes(b"\0" * (3 * SCAN_CHUNK))
    os.mkfifo(d / "exports" / "pipe")  # must be skipped, not read (it would block)
    assert run_cli("doctor", "--dir", str(d)).returncode == 0
    # A key split across two reads of the scan is found all the same.
    with large.open("r+b") as fh:
        fh.seek(SCAN_CHUNK - 7)
        fh.write(secret)
    # A link is not followed out of the instance: a directory there is reported, a file
    # there (within the server's reach through the link) is read.
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (d / "more").symlink_to(outside)
    (d / "linked.txt").symlink_to(identity)
    doctor = run_cli("doctor", "--dir", str(d), check=False)
    assert doctor.returncode == 1
    assert f"{large} holds an age SECRET key" in doctor.stdout
    link_out = f"{d / 'more'} is a symbolic link to {outside.resolve()}, outside the instance"
    assert link_out in doctor.stdout
    linked = f"{d / 'linked.txt'} (a link to {identity.resolve()}) holds an age SECRET key"
    assert linked in doctor.stdout
    assert blob.name not in doctor.stdout


def test_demo_instance_is_loudly_marked(tmp_path: Path, database_url: str) -> None:
    d = tmp_path / "demo"
    out = run_cli("init", "--dir", str(d), "--demo", "--database-url", database_url)
    assert "DEMO" in out.stdout and (d / "demo-editor-identity.txt").exists()
    assert "DEMO ONLY" in (d / "demo-editor-identity.txt").read_text()
    assert out.stdout.splitlines()[-1].startswith(f"quietwire desk init --dir {d}-desk ")
    doctor = run_cli("doctor", "--dir", str(d)).stdout
    assert "demo instance" in doctor and "has no editor" not in doctor


def test_the_demo_prints_the_desk_line_and_the_desk_pulls_the_first_report(
    tmp_path: Path, database_url: str
) -> None:
    # A newcomer's first report must reach the demo desk: the demo has its editor, and
    # serve prints the exact command that opens a desk on it.
    d = tmp_path / "demo"
    run_cli("init", "--dir", str(d), "--demo", "--database-url", database_url)
    with serve(d) as server:
        source = SourceClient(server.source)
        try:
            source.new_source()
            assert source.submit("the first report").status_code in (200, 303)
        finally:
            source.close()
        line = next(
            line for line in server.output().splitlines() if line.startswith("quietwire desk init")
        )
        args = shlex.split(line)[1:]
        assert args[args.index("--server") + 1] == server.desk
        run_cli(*args)
        pulled = run_cli("desk", "pull", "--dir", args[args.index("--dir") + 1])
    assert "Imported 1 submission(s)." in pulled.stdout


def test_throttled_new_codenames_get_a_busy_page(tmp_path: Path, database_url: str) -> None:
    recipient = new_identity().recipient
    d = tmp_path / "inst"
    run_cli("init", "--dir", str(d), "--recipient", recipient, "--database-url", database_url)
    env = {"QUIETWIRE_NEW_SOURCES_PER_MINUTE": "1", "QUIETWIRE_THROTTLE_BURST": "1"}
    with serve(d, env=env) as server:
        first, second = SourceClient(server.source), SourceClient(server.source)
        first.new_source()
        page = second.http.get("/new")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        busy = second.http.post("/new", data={"csrf": csrf})
        assert busy.status_code == 303 and int(busy.headers["retry-after"]) >= 1
        assert "try again in" in second.follow(busy).text
        # Logins have their own bucket: an existing source is not locked out by the flood.
        first.http.cookies.clear()
        assert first.login(first.codename).headers["location"] == "/home"
        log = server.output()
        first.close()
        second.close()
    assert "127.0.0.1:" not in log.replace(server.source, "").replace(server.desk, "").replace(
        server.public, ""
    )
    assert "python-httpx" not in log and "GET /" not in log
