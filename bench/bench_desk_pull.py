"""Benchmark: `quietwire desk pull` against the stock `age` CLI decrypting the same envelopes.

Two cases, each in the same run as its baseline:
  small  N small submissions (text + one 2 KiB file: 2 envelopes each)
  large  one submission with one file of SIZE_MB MiB

The desk API runs in its own process (uvicorn on loopback); `quietwire desk pull` runs as a
child process, so its wall time and peak RSS (from GNU time) are its own. The baseline runs
`age -d -i IDENTITY -o OUT FILE` once per envelope, sequentially, on the same blobs.

The machine is shared, so each case runs ROUNDS rounds, each the baseline and then a pull
into a fresh workspace, and reports the medians. The submissions are also encrypted to a
second editor who never pulls, so they stay on the server from one round to the next (the
bench clears the pulling editor's acknowledgements in between).

    .venv/bin/python bench/bench_desk_pull.py [--small N] [--size-mb MB] [--rounds R]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, update

from quietwire import instance as instance_mod
from quietwire.crypto import KdfParams, derive_source_keys, generate_codename, new_identity
from quietwire.deskapi import add_editor
from quietwire.intake.services import SubmissionWriter, register_source
from quietwire.store import Delivery, Submission

FAST = KdfParams(memory_kib=256, time_cost=1, parallelism=1)
CLI = [sys.executable, "-m", "quietwire.cli"]
TIME = "/usr/bin/time"


class RandomReader:
    """`size` bytes of random data, produced chunk by chunk (constant memory)."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.block = os.urandom(1024 * 1024)

    def readinto(self, buffer: bytearray | memoryview) -> int:
        n = min(len(buffer), self.left, len(self.block))
        memoryview(buffer)[:n] = self.block[:n]
        self.left -= n
        if n:
            self.block = self.block[1:] + self.block[:1]  # not one repeated block
        return n


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """(wall seconds, peak RSS in MiB) of one child process; raises if it fails.

    Peak RSS comes from GNU time (`/usr/bin/time -f %M`), which forks from a small
    process: a child forked from this Python would count our own resident size too."""
    with tempfile.NamedTemporaryFile("r") as rss:
        start = time.perf_counter()
        subprocess.run(
            [TIME, "-f", "%M", "-o", rss.name, *cmd],
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            check=True,
        )
        wall = time.perf_counter() - start
        return wall, int(rss.read().split()[-1]) // 1024


def age_baseline(identity: Path, blobs: list[Path], out_dir: Path) -> tuple[float, int]:
    start = time.perf_counter()
    peak = 0
    for i, blob in enumerate(blobs):
        _, rss = run_measured(
            ["age", "-d", "-i", str(identity), "-o", str(out_dir / f"{i}.out"), str(blob)]
        )
        peak = max(peak, rss)
    return time.perf_counter() - start, peak


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(instance_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    code = (
        "import uvicorn; from pathlib import Path;"
        "from quietwire.instance import open_instance; from quietwire.deskapi import create_app;"
        f"uvicorn.run(create_app(open_instance(Path({str(instance_dir)!r}))), host='127.0.0.1',"
        f" port={port}, log_level='warning', access_log=False)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the desk API did not start")


def one_pull(root: Path, url: str, token: str, identity: Path, expected: int) -> tuple[float, int]:
    ws = root / "ws"
    shutil.rmtree(ws, ignore_errors=True)
    subprocess.run(
        [
            *CLI,
            "desk",
            "init",
            "--dir",
            str(ws),
            "--server",
            url,
            "--token",
            token,
            "--identity",
            str(identity),
        ],
        check=True,
        capture_output=True,
    )
    result = run_measured([*CLI, "desk", "pull", "--dir", str(ws)])
    with contextlib.closing(sqlite3.connect(ws / "desk.db")) as db:
        imported = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    if imported != expected:
        raise SystemExit(f"the pull imported {imported} submissions, not {expected}")
    shutil.rmtree(ws)
    return result


def forget_acks(root: Path) -> None:
    """Make every submission wait for the pulling editor again (the keeper never pulls)."""
    inst = instance_mod.open_instance(root / "instance")
    try:
        with inst.db.session() as s:
            s.execute(update(Delivery).values(acknowledged=None))
    finally:
        inst.close()


def case(root: Path, label: str, fill: object, rounds: int) -> None:
    pair, keeper = new_identity(), new_identity()
    identity = root / "identity.txt"
    identity.write_text(pair.secret.reveal() + "\n")
    # Room for the large case: the default per-submission cap is 500 MiB.
    inst = instance_mod.create(
        root / "instance", [pair.recipient, keeper.recipient], extra={"max_submission_mb": 4096}
    )
    token = add_editor(inst, "bench", pair.recipient)
    add_editor(inst, "keeper", keeper.recipient)
    t0 = time.perf_counter()
    fill(inst)  # type: ignore[operator]
    made = time.perf_counter() - t0
    with inst.db.session() as s:
        expected = len(list(s.scalars(select(Submission.id))))
    blob_paths = sorted((root / "instance" / "blobs").glob("*.age"))
    total = sum(p.stat().st_size for p in blob_paths)
    inst.close()
    print(
        f"[{label}] {len(blob_paths)} envelopes, {total / 2**20:.1f} MiB ciphertext "
        f"(made in {made:.1f} s)"
    )
    server, url = start_server(root / "instance")
    pulls: list[float] = []
    ages: list[float] = []
    rss = [0, 0]
    try:
        for n in range(rounds):
            out = root / "age-out"
            out.mkdir()
            age_wall, age_rss = age_baseline(identity, blob_paths, out)
            shutil.rmtree(out)
            forget_acks(root)
            pull_wall, pull_rss = one_pull(root, url, token, identity, expected)
            print(
                f"[{label}] round {n + 1}: desk pull {pull_wall:6.2f} s, age -d {age_wall:6.2f} s,"
                f" ratio {pull_wall / age_wall:.2f}x"
            )
            pulls.append(pull_wall)
            ages.append(age_wall)
            rss = [max(rss[0], pull_rss), max(rss[1], age_rss)]
    finally:
        server.terminate()
        server.wait()
    pull_med, age_med = statistics.median(pulls), statistics.median(ages)
    print(f"[{label}] desk pull : {pull_med:7.2f} s (median)  peak RSS {rss[0]:5d} MiB")
    print(
        f"[{label}] age -d    : {age_med:7.2f} s (median)  peak RSS {rss[1]:5d} MiB (per process)"
    )
    print(f"[{label}] ratio desk/age wall time (medians): {pull_med / age_med:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--cases", default="small,large", help="comma-separated: small, large")
    parser.add_argument("--rounds", type=int, default=3, help="baseline + pull rounds per case")
    args = parser.parse_args()
    if shutil.which("age") is None or not Path(TIME).exists():
        raise SystemExit("needs the stock `age` CLI and GNU time: apt-get install age time")
    os.umask(0o077)

    def small(inst: instance_mod.Instance) -> None:
        for _ in range(args.small):
            keys = derive_source_keys(generate_codename("en"), inst.settings.pepper, FAST)
            register_source(inst, keys)
            w = SubmissionWriter(inst, keys.source_id, "en")
            w.add_file(
                "note.bin", "application/octet-stream", io.BytesIO(secrets.token_bytes(2048))
            )
            w.commit("a short report " * 10, {"what": "bench"})

    def large(inst: instance_mod.Instance) -> None:
        keys = derive_source_keys(generate_codename("en"), inst.settings.pepper, FAST)
        register_source(inst, keys)
        w = SubmissionWriter(inst, keys.source_id, "en")
        w.add_file("big.bin", "application/octet-stream", RandomReader(args.size_mb * 2**20))
        w.commit("one big file", {})

    cases = args.cases.split(",")
    if "small" in cases:
        with tempfile.TemporaryDirectory(prefix="qw-bench-") as tmp:
            (Path(tmp) / "small").mkdir()
            case(Path(tmp) / "small", f"{args.small} small", small, args.rounds)
    if "large" in cases:
        with tempfile.TemporaryDirectory(prefix="qw-bench-") as tmp:
            (Path(tmp) / "large").mkdir()
            case(Path(tmp) / "large", f"1 x {args.size_mb} MiB", large, args.rounds)
    print(
        f"(bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB)"
    )


if __name__ == "__main__":
    main()
