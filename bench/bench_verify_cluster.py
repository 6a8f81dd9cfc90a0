"""Benchmark `quietwire verify cluster` at 10k and 100k reports (and 1M with --million).

    .venv/bin/python bench/bench_verify_cluster.py [--million] [--raw] [--dir DIR]

For each size: generate reports with bench/gen_reports.py (not timed), run the real
command in a child process, and measure its wall time and peak RSS (os.wait4 gives the
child's own rusage). Quality against the generator's ground truth: B-cubed F1 of the
clusters, and the share of true events whose independent-source count was right.
Prints the CPU-time ratios 100k/10k and 1M/100k: 10 and 10 mean linear growth (CPU
time, because wall time on a shared machine measures the neighbours too).

--raw makes reports without a pre-computed extraction, so the command runs `extract`
on every text (the full path); the default measures clustering on pre-extracted lines.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def run(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one child process.

    CPU time is the steadier figure on a shared machine: wall time grows with the load
    of other processes, CPU time hardly does. Raises SystemExit if the child fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def quality(reports: Path, events: Path) -> tuple[float, float, float, float]:
    """B-cubed precision, recall, F1, and accuracy of independent-source counts."""
    sys.path.insert(0, str(ROOT / "src"))
    from quietwire.verify import bcubed

    gold: dict[str, str] = {}
    origins: dict[str, set[str]] = defaultdict(set)
    with reports.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            gold[r["id"]] = r["gold_event"]
            if r["gold_origin"] is not None:
                origins[r["gold_event"]].add(r["gold_origin"])
    predicted: dict[str, str] = {}
    counts: dict[str, int] = {}
    with events.open(encoding="utf-8") as fh:
        for line in fh:
            ev = json.loads(line)
            counts[ev["event"]] = ev["independent_sources"]
            for m in ev["members"]:
                predicted[m] = ev["event"]
    score = bcubed(predicted, gold)
    members: dict[str, list[str]] = defaultdict(list)
    for rid, g in gold.items():
        members[g].append(rid)
    right = 0
    for g, ids in members.items():
        best = Counter(predicted[i] for i in ids).most_common(1)[0][0]
        right += counts[best] == len(origins[g])
    return score.precision, score.recall, score.f1, right / len(members)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--million", action="store_true", help="also run 1,000,000 reports")
    parser.add_argument("--raw", action="store_true", help="run extract on every text")
    parser.add_argument("--dir", type=Path, default=None, help="where to keep the files")
    args = parser.parse_args()
    sizes = [10_000, 100_000] + ([1_000_000] if args.million else [])
    work = args.dir or Path(tempfile.mkdtemp(prefix="qw-bench-cluster-"))
    work.mkdir(parents=True, exist_ok=True)
    times: dict[int, float] = {}
    print(
        f"{'reports':>9} {'gen s':>7} {'wall s':>8} {'cpu s':>8} {'cpu/1k':>7} {'peak MB':>8} "
        f"{'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'indep ok':>8}"
    )
    for n in sizes:
        src = work / f"reports-{n}.jsonl"
        out = work / f"events-{n}.jsonl"
        gen = [PY, "bench/gen_reports.py", str(n), str(src)] + (["--raw"] if args.raw else [])
        gen_s, _, _ = run(gen)
        wall, cpu, rss = run(
            [PY, "-m", "quietwire.cli", "verify", "cluster", str(src), str(out), "--quiet"]
        )
        times[n] = cpu
        p, r, f1, acc = quality(src, out)
        print(
            f"{n:>9} {gen_s:>7.1f} {wall:>8.1f} {cpu:>8.1f} {cpu / n * 1000:>7.3f} {rss:>8.0f} "
            f"{p:>6.3f} {r:>6.3f} {f1:>6.3f} {acc:>8.3f}",
            flush=True,
        )
    for small, big in itertools.pairwise(sizes):
        print(
            f"cpu ratio {big // 1000}k/{small // 1000}k: {times[big] / times[small]:.2f} "
            f"(linear = {big / small:.0f})"
        )
    print(f"files in {work}")


if __name__ == "__main__":
    main()
