"""The work behind `quietwire verify extract`: JSON lines in, JSON lines out."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from quietwire.verify._document_io import document_from_json
from quietwire.verify._extract import extract, to_json
from quietwire.verify._places import default_gazetteer
from quietwire.verify._types import VerifyError


def run_extract(in_path: Path, out_path: Path, *, quiet: bool = False) -> tuple[int, int]:
    """Extract every good line of `in_path` into `out_path`; returns (written, skipped).

    A bad line goes to stderr with its line number and is skipped. Raises VerifyError
    only when a file cannot be read or written.
    """
    err = Console(stderr=True)
    try:
        # JSON Lines ends a line at "\n" only: splitlines() would also cut at U+2028, U+0085
        # and the like, which a JSON string may hold raw (and `cluster` reads them so).
        lines = in_path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise VerifyError(f"cannot read {in_path}: {type(exc).__name__}") from None
    gaz = default_gazetteer()
    written = skipped = 0
    try:
        with (
            out_path.open("w", encoding="utf-8") as out,
            Progress(console=err, disable=quiet or len(lines) < 50, transient=True) as progress,
        ):
            task = progress.add_task("extracting", total=len(lines))
            for number, line in enumerate(lines, start=1):
                progress.advance(task)
                if not line.strip():
                    continue
                try:
                    doc = document_from_json(line)
                except VerifyError as exc:
                    err.print(f"line {number}: skipped: {exc}", highlight=False, markup=False)
                    skipped += 1
                    continue
                record = to_json(extract(doc, gaz))
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
    except OSError as exc:
        raise VerifyError(f"cannot write {out_path}: {type(exc).__name__}") from None
    if not quiet:
        err.print(f"{written} extracted, {skipped} skipped", highlight=False, markup=False)
    return written, skipped
