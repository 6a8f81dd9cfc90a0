"""What every quality measure shares: where the corpora are, how to read them, a figure."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: ../shared/corpora beside the checkout; `--corpora DIR` overrides it.
DEFAULT_CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
#: Our own labelled development sets, written in our own words (never corpus text), kept
#: apart from the regression tests' data so tuning on them does not also pass the tests.
DEVSETS = Path(__file__).resolve().parent / "devsets"


@dataclass(frozen=True)
class Figure:
    """One measured figure, its baseline from the same run, and what it means."""

    corpus: str
    name: str
    value: float
    baseline: float | None
    #: How it is counted, in words: the reader must be able to redo it.
    definition: str
    #: Items scored (texts, quantities, pairs, ...).
    n: int = 0


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The objects of a JSON Lines file; a missing file is a clear error, not an empty set."""
    if not path.is_file():
        raise SystemExit(f"corpus file not found: {path} (see ../shared/corpora/README.md)")
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)
