"""The file work behind `quietwire verify cluster`: read lines, cluster, write events.

Kept apart from `_verify.py` so that importing the CLI loads no verify code: everything
heavy is imported when the command runs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from quietwire.cli._common import err_console

if TYPE_CHECKING:
    from quietwire.verify import Report
    from quietwire.verify._types import Document, Extraction


def _extractor() -> Callable[[Document], Extraction] | None:
    try:
        from quietwire.verify import extract  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    found: Callable[[Document], Extraction] = extract
    return found


class _Extractions:
    """`verify extract` output read alongside the input: same order, matched by id.

    Streaming rather than a dict of a million objects; an id missing here (a line the
    extractor skipped) falls back to extracting that text.
    """

    def __init__(self, path: Path) -> None:
        self._fh = path.open("rb")
        self._number = 0
        self._next: dict[str, Any] | None = None
        self._advance()

    def _advance(self) -> None:
        from quietwire.verify import VerifyError, decode_line

        self._next = None
        for raw in self._fh:
            self._number += 1
            if not raw.strip():
                continue
            try:
                obj = decode_line(raw)
            except VerifyError as exc:
                err_console.print(f"extractions line {self._number}: skipped: {exc}", markup=False)
                continue
            if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                self._next = obj
                return
            err_console.print(f"extractions line {self._number}: skipped: no id", markup=False)

    def take(self, doc_id: Any) -> dict[str, Any] | None:
        if self._next is not None and self._next.get("id") == doc_id:
            found = self._next
            self._advance()
            return found
        return None

    def close(self) -> None:
        self._fh.close()


def read_reports(
    path: Path, progress: Progress | None, extractions: Path | None = None
) -> Iterator[Report]:
    """Reports from a JSONL file; a bad line is reported with its number and skipped."""
    from quietwire.verify import VerifyError, decode_line, report_from_json

    extract = _extractor()
    side = _Extractions(extractions) if extractions is not None else None
    size = path.stat().st_size
    task = progress.add_task("read", total=size) if progress else None
    done = 0
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            done += len(raw)
            if progress is not None and task is not None and number % 2000 == 0:
                progress.update(task, completed=done)
            if not raw.strip():
                continue
            try:
                obj: Any = decode_line(raw)
                given = side.take(obj.get("id")) if side and isinstance(obj, dict) else None
                yield report_from_json(obj, extract, given)
            except (ValueError, VerifyError) as exc:
                err_console.print(f"line {number}: skipped: {exc}", highlight=False, markup=False)
    if side is not None:
        side.close()
    if progress is not None and task is not None:
        progress.update(task, completed=size)


def run_cluster(
    in_path: Path,
    out_path: Path,
    *,
    track_record: Path | None,
    extractions: Path | None = None,
    window_days: int,
    publish_lag_days: int,
    own_names: tuple[str, ...],
    own_bulletins: frozenset[str],
    quiet: bool,
) -> None:
    """Read `in_path`, cluster, write one event per line to `out_path` (atomically)."""
    from quietwire.verify import (
        ClusterError,
        ClusterSettings,
        cluster,
        event_to_json,
        track_record_from_json,
    )

    defaults = ClusterSettings()
    settings = ClusterSettings(
        window_days=window_days,
        publish_lag_days=publish_lag_days,
        own_names=defaults.own_names + own_names,
        own_bulletin_ids=own_bulletins,
    )
    records = {}
    if track_record is not None:
        try:
            records = track_record_from_json(json.loads(track_record.read_text("utf-8")))
        except (OSError, ValueError) as exc:
            raise ClusterError(f"cannot read the track record {track_record}: {exc}") from None
    if not in_path.is_file():
        raise ClusterError(f"no such input file: {in_path}")
    columns = (
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, disable=quiet, transient=False) as bar:
        reports = list(read_reports(in_path, bar, extractions))
        tasks: dict[str, Any] = {}

        def advance(stage: str, n: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=len(reports))
            bar.advance(tasks[stage], n)

        events = cluster(reports, settings, records, advance)
        tmp = out_path.with_name(out_path.name + ".part")
        with tmp.open("w", encoding="utf-8") as out:
            for ev in events:
                out.write(json.dumps(event_to_json(ev), ensure_ascii=False) + "\n")
        os.replace(tmp, out_path)
    corroborated = sum(1 for ev in events if ev.independent_sources >= 2)
    err_console.print(
        f"{len(reports)} reports -> {len(events)} events "
        f"({corroborated} with two or more independent sources)",
        highlight=False,
    )
