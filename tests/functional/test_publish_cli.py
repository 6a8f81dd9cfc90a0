"""The publishing commands refuse bad input with one clear line and exit status 1."""

from __future__ import annotations

from pathlib import Path

from tests.support.server import run_cli


def _fails(*args: str, env: dict[str, str] | None = None) -> str:
    out = run_cli(*args, env=env, check=False)
    assert out.returncode == 1, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr
    return out.stderr


def test_bulletin_input_is_checked(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    body = tmp_path / "body.txt"
    body.write_text("Hundreds marched through the old town.", encoding="utf-8")
    common = (
        "desk",
        "bulletin",
        "new",
        "--dir",
        ws,
        "--title",
        "Protest",
        "--body-file",
        str(body),
    )
    assert "language must be one of" in _fails(*common, "--lang", "fr")
    assert "a place needs --lat and --lon" in _fails(*common, "--place", "Idlib")
    assert "grade" in _fails(*common, "--grade", "Z9")
    assert "coordinates out of range" in _fails(
        *common, "--place", "X", "--lat", "91", "--lon", "0"
    )
    script = tmp_path / "run.sh"
    script.write_text("#!/bin/sh\n")
    assert "media must be" in _fails(*common, "--media", str(script))
    assert "no bulletin" in _fails("desk", "bulletin", "publish", "--dir", ws, "ffffffffffffffff")
    # A good one goes through and is listed as a draft
    bid = run_cli(*common).stdout.strip().splitlines()[-1]
    listed = run_cli("desk", "bulletin", "list", "--dir", ws).stdout
    assert f"{bid}  draft" in listed
    assert (
        run_cli("desk", "bulletin", "check", "--dir", ws, bid).stdout.strip()
        == "clean: nothing found"
    )
    # Publishing without a key says what to do
    assert "publish keys new" in _fails(
        "desk",
        "bulletin",
        "publish",
        "--dir",
        ws,
        bid,
        "--server",
        "http://127.0.0.1:9",
        "--token",
        "t",
    )
    assert "exactly one --reason" in _fails(
        "desk", "bulletin", "publish", "--dir", ws, bid, "--override", "phone-0000000000"
    )


def test_keys_are_not_overwritten_and_verify_refuses_nonsense(tmp_path: Path) -> None:
    env = {"QUIETWIRE_SIGNING_PASSPHRASE": "pass phrase"}
    (tmp_path / "ws" / "signing").mkdir(parents=True)
    (tmp_path / "ws" / "signing" / "minisign.key").write_text("existing")
    assert "exists" in _fails("publish", "keys", "new", "--dir", str(tmp_path / "ws"), env=env)
    assert (tmp_path / "ws" / "signing" / "minisign.key").read_text() == "existing"
    assert "neither a URL nor a directory" in _fails("publish", "verify", str(tmp_path / "nope"))
    (tmp_path / "empty").mkdir()
    assert "nothing to trust" in _fails("publish", "verify", str(tmp_path / "empty"))
    assert "give exactly one" in _fails("publish", "export", str(tmp_path / "out"))


def test_withdraw_refuses_an_unknown_bulletin(tmp_path: Path) -> None:
    ws = str(tmp_path / "ws")
    assert "no bulletin" in _fails("desk", "bulletin", "withdraw", "--dir", ws, "ffffffffffffffff")
