"""Render and sign N bulletins into a whole public site, then export it; time and memory.

Baseline, measured in the same run: the stock `minisign -S` CLI signing a sample of the same
files one process per file (what a shell script around minisign would do), extrapolated to
every file we sign. Run:

    .venv/bin/python bench/bench_publish.py [N]      (default 10000)
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from quietwire.crypto import Secret
from quietwire.crypto._signing import FAST_SIGNING_KDF, load_signing_key, new_signing_key
from quietwire.publish import Bulletin, Place, SiteInfo, verify_site, write_site
from quietwire.publish._export import export_site

TYPES = ["battles", "protests", "riots", "explosions_remote_violence", "violence_against_civilians"]
SAMPLE = 100


def bulletins(n: int) -> list[Bulletin]:
    body_en = " ".join(["Shells struck the market and damaged shops near the square."] * 6)
    body_ar = " ".join(["سقطت قذائف على السوق وألحقت أضرارا بالمتاجر قرب الساحة."] * 6)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        Bulletin(
            id=f"{i:016x}",
            lang="ar" if i % 2 else "en",
            title=(f"قصف على السوق {i}" if i % 2 else f"Market shelled {i}"),
            body=(body_ar if i % 2 else body_en) + "\n\n" + (body_ar if i % 2 else body_en),
            published=start + timedelta(minutes=53 * i),
            event_date=date(2025, 1, 1) + timedelta(days=i // 14),
            place=Place("Idlib", 35.95 + (i % 7) * 0.05, 36.65),
            event_type=TYPES[i % 5],
            grade="B2",
            sources=1 + i % 4,
        )
        for i in range(n)
    ]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    minisign = shutil.which("minisign")
    if minisign is None:
        raise SystemExit("the stock minisign tool is needed for the baseline")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        files = new_signing_key(Secret("bench"), FAST_SIGNING_KDF)
        key = load_signing_key(files.secret_key_file, Secret("bench"))
        site = SiteInfo("QuietWire bench", key.public_key)
        items = bulletins(n)
        rss_before = peak_rss_mb()

        t0 = time.perf_counter()
        written = write_site(tmp / "site", items, {}, key, site, files.public_key_file)
        render_sign = time.perf_counter() - t0

        t0 = time.perf_counter()
        exported = export_site(str(tmp / "site"), tmp / "export")
        export = time.perf_counter() - t0

        t0 = time.perf_counter()
        report = verify_site(tmp / "export")
        verify = time.perf_counter() - t0
        rss = peak_rss_mb()

        # Baseline: the stock CLI, one process per file, on a sample of the bulletin JSONs.
        (tmp / "sk").write_bytes(files.secret_key_file)
        sample = sorted((tmp / "site" / "bulletins").glob("*.json"))[:SAMPLE]
        t0 = time.perf_counter()
        for path in sample:
            subprocess.run(
                [
                    minisign,
                    "-S",
                    "-s",
                    str(tmp / "sk"),
                    "-x",
                    str(tmp / "x.minisig"),
                    "-m",
                    str(path),
                ],
                input=b"bench\n",
                capture_output=True,
                check=True,
            )
        per_file = (time.perf_counter() - t0) / len(sample)
        signed_files = report.signatures
        baseline = per_file * signed_files
        size_mb = sum(p.stat().st_size for p in (tmp / "export").rglob("*") if p.is_file()) / 1e6

    print(
        f"bulletins: {n}, files written: {written}, exported: {exported}, "
        f"site size: {size_mb:.1f} MB"
    )
    print(f"render + sign whole site: {render_sign:.1f} s ({n / render_sign:.0f} bulletins/s)")
    print(f"export (copy, atomic writes): {export:.1f} s")
    print(f"verify export (all {signed_files} signatures + manifest): {verify:.1f} s")
    print(f"peak RSS: {rss:.0f} MB (before building: {rss_before:.0f} MB)")
    print(
        f"baseline: stock minisign CLI {per_file * 1000:.1f} ms/file on {SAMPLE} files, "
        f"x {signed_files} signed files = {baseline:.1f} s for signing alone"
    )
    print(
        "ratio (our render+sign+export / baseline signing only): "
        f"{(render_sign + export) / baseline:.2f}"
    )


if __name__ == "__main__":
    main()
