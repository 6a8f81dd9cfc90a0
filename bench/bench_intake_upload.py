"""One large upload through the source app, end to end, beside the stock `age` CLI.

    .venv/bin/python bench/bench_intake_upload.py            # 200 MB
    .venv/bin/python bench/bench_intake_upload.py --size-mb 2048   # opt-in 2 GB

Creates a demo instance, starts `quietwire serve` (a fresh process per run, so its VmHWM
is this upload's peak), walks a new source through /new -> /home with httpx, then sends
the file with `curl -F` (a streaming client: csrf part first, then the file) and times it.
Baseline, same run, same file, same recipients: `age -r ... -o OUT FILE`. Then the stored
envelope is decrypted with `age -d -i` and its sha256 compared with the original's.
For sizes over the default 500 MB cap the server gets QUIETWIRE_MAX_SUBMISSION_MB.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _intake_harness as h

CHUNK = 4 * 1024 * 1024


def write_file(path: Path, size: int) -> str:
    digest = hashlib.sha256()
    block = os.urandom(CHUNK)  # incompressible; one random block, varied per chunk below
    with path.open("wb") as fh:
        left, i = size, 0
        while left > 0:
            piece = (i.to_bytes(8, "big") + block)[: min(CHUNK, left)]
            fh.write(piece)
            digest.update(piece)
            left -= len(piece)
            i += 1
    return digest.hexdigest()


def children_rss(pid: int) -> int:
    """VmRSS (KiB) of the process's children, summed (0 if none at this instant)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                status = Path(f"/proc/{child}/status").read_text()
            except FileNotFoundError:
                continue  # it just ended
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


def sha256_of_decryption(blob: Path, identity: Path) -> str:
    digest = hashlib.sha256()
    proc = subprocess.Popen([h.AGE, "-d", "-i", str(identity), str(blob)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    for piece in iter(lambda: proc.stdout.read(CHUNK), b""):  # type: ignore[union-attr]
        digest.update(piece)
    if proc.wait() != 0:
        raise RuntimeError("age -d failed on the stored envelope")
    return digest.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=int, default=200)
    ap.add_argument("--keep", action="store_true", help="keep the instance directory")
    args = ap.parse_args()
    size = args.size_mb * 1024 * 1024

    inst = h.make_instance()
    work = inst.parent
    src = work / "upload.bin"
    print(f"writing a {args.size_mb} MB random file ...", flush=True)
    want = write_file(src, size)
    recips = h.recipients(inst)

    # Baseline: the stock age CLI, same file, same recipients.
    out = work / "cli.age"
    cmd = [h.AGE] + [x for r in recips for x in ("-r", r)] + ["-o", str(out), str(src)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    cli_s = time.perf_counter() - t0
    out.unlink()
    cli_mbs = args.size_mb / cli_s
    # A second reference, not the target's: the same, then an fsync of the output, the
    # durability the server gives every blob before it answers.
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    fd = os.open(out, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
    cli_sync_s = time.perf_counter() - t0
    out.unlink()

    env = {}
    if args.size_mb > 450:
        env["QUIETWIRE_MAX_SUBMISSION_MB"] = str(args.size_mb + 64)
    server = h.start_server(inst, env)
    try:
        idle_hwm = server.status("VmHWM")
        print(f"server: quietwire serve, pid {server.pid}", flush=True)
        with httpx.Client(follow_redirects=False, timeout=60) as client:
            _, csrf = h.new_source_sync(client, server.source)
            cookie = client.cookies["qw_session"]
        after_login_hwm = server.status("VmHWM")

        rss_samples: list[int] = []
        child_samples: list[int] = [0]
        done = threading.Event()

        def sample() -> None:
            # The server, and apart from it the encrypting child it starts per file.
            while not done.is_set():
                rss_samples.append(server.status("VmRSS"))
                child_samples.append(children_rss(server.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        cpu0 = server.cpu_seconds()
        t0 = time.perf_counter()
        res = subprocess.run(
            [
                "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                "-H", "Expect:",
                "-b", f"qw_session={cookie}",
                "-F", f"csrf={csrf}",
                "-F", f"files=@{src};type=application/octet-stream",
                server.source + "/submit",
            ],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        up_s = time.perf_counter() - t0
        cpu_used = server.cpu_seconds() - cpu0
        done.set()
        sampler.join()
        peak_hwm = server.status("VmHWM")
        if not res.stdout.startswith("303"):
            sys.exit(f"upload refused: {res.stdout} {res.stderr}")
    finally:
        server.stop()

    con = sqlite3.connect(inst / "quietwire.db")
    rows = con.execute("select blob_key, size from envelopes where kind = 'file'").fetchall()
    con.close()
    if len(rows) != 1:
        sys.exit(f"expected one stored file envelope, found {len(rows)}")
    blob = inst / "blobs" / rows[0][0]
    t0 = time.perf_counter()
    got = sha256_of_decryption(blob, inst / "demo-editor-identity.txt")
    dec_s = time.perf_counter() - t0
    ok = got == want

    up_mbs = args.size_mb / up_s
    print()
    print(f"file: {args.size_mb} MB ({size:,} bytes), random")
    print(f"age CLI encrypt (baseline):   {cli_s:7.2f} s  {cli_mbs:8.1f} MB/s")
    print(f"upload end to end (curl -F):  {up_s:7.2f} s  {up_mbs:8.1f} MB/s  -> {res.stdout}")
    print(f"ratio upload / age CLI:       {up_mbs / cli_mbs:.2f}   (target >= 0.50)")
    print(
        f"age CLI + fsync of its output: {cli_sync_s:6.2f} s  "
        f"(ratio upload / that: {cli_sync_s / up_s:.2f}; for reference only)"
    )
    print(f"server CPU during upload:     {cpu_used:.2f} s ({cpu_used / up_s:.2f} cores)")
    print(f"server VmHWM idle:            {idle_hwm / 1024:7.1f} MB")
    print(f"server VmHWM after new source:{after_login_hwm / 1024:7.1f} MB")
    print(
        f"server VmHWM after upload:    {peak_hwm / 1024:7.1f} MB   (target < 150 MB); "
        f"sampled VmRSS max {max(rss_samples) / 1024:.1f} MB"
    )
    print(
        f"encrypting child VmRSS max:   {max(child_samples) / 1024:7.1f} MB   "
        f"(server + child peak under {(peak_hwm + max(child_samples)) / 1024:.0f} MB)"
    )
    print(f"stored envelope: {rows[0][1]:,} bytes; age -d took {dec_s:.2f} s")
    print(f"sha256 of age -d output {'MATCHES' if ok else 'DIFFERS FROM'} the original: {got}")
    if not args.keep:
        import shutil

        shutil.rmtree(work)
    else:
        print(f"kept {work}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
