"""Quality of the verify engine on real reporting, per corpus, beside a naive baseline.

Runs every measure module in bench/verify_quality/ (or those named with --only) against
the development corpora (../shared/corpora by default) and our own development sets, and
prints one row per figure with its definition. Usage:

    .venv/bin/python bench/bench_verify_quality.py [--corpora DIR] [--only events,places]
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from verify_quality import _common


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpora", type=Path, default=_common.DEFAULT_CORPORA)
    ap.add_argument("--only", default="", help="comma-separated measure modules")
    args = ap.parse_args()
    import verify_quality

    names = sorted(
        m.name for m in pkgutil.iter_modules(verify_quality.__path__) if not m.name.startswith("_")
    )
    wanted = [n for n in args.only.split(",") if n]
    unknown = sorted(set(wanted) - set(names))
    if unknown:
        raise SystemExit(f"unknown measure(s): {', '.join(unknown)}; known: {', '.join(names)}")
    for name in wanted or names:
        module = importlib.import_module(f"verify_quality.{name}")
        t0 = time.perf_counter()
        figures = module.measure(args.corpora)
        took = time.perf_counter() - t0
        print(f"\n## {name} ({took:.1f} s)")
        for f in figures:
            base = "-" if f.baseline is None else f"{f.baseline:.3f}"
            ratio = "" if not f.baseline else f"  ratio {f.value / f.baseline:.2f}"
            print(f"{f.corpus:<22} {f.name:<40} {f.value:.3f}  baseline {base}{ratio}  n={f.n}")
            print(f"{'':<22}   {f.definition}")


if __name__ == "__main__":
    main()
