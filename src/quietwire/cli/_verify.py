"""`quietwire verify ...` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from quietwire.cli._common import failing_cleanly

app = typer.Typer(help="The verify commands.", no_args_is_help=True)


@app.command("cluster")
def cluster_command(
    in_path: Annotated[Path, typer.Argument(help="Reports, one JSON object per line.")],
    out_path: Annotated[Path, typer.Argument(help="Where to write one event per line.")],
    track_record: Annotated[
        Path | None,
        typer.Option(help="JSON: source -> {confirmed: n, refuted: m}; unknown sources grade F."),
    ] = None,
    extractions: Annotated[
        Path | None,
        typer.Option(help="`verify extract` output for IN (same order): skips extracting."),
    ] = None,
    window_days: Annotated[
        int, typer.Option(help="How far apart the dates two reports of one event may lie.")
    ] = 1,
    publish_lag_days: Annotated[
        int, typer.Option(help="How long after an event an undated report may be about it.")
    ] = 2,
    own_name: Annotated[
        list[str] | None,
        typer.Option(help="A name or URL of our own bulletins (repeatable; adds to defaults)."),
    ] = None,
    own_bulletin: Annotated[
        list[str] | None, typer.Option(help="An id of one of our bulletins (repeatable).")
    ] = None,
    quiet: Annotated[bool, typer.Option(help="No progress bars.")] = False,
) -> None:
    """Group reports into events, count independent sources and grade each event.

    The extraction of a line comes from --extractions (the output of `verify extract` on
    the same file), else from an `extraction` object on the line, else from running the
    extractor. A bad line is reported with its number on stderr and skipped.
    """
    from quietwire.cli._verify_cluster import run_cluster

    with failing_cleanly():
        run_cluster(
            in_path,
            out_path,
            track_record=track_record,
            extractions=extractions,
            window_days=window_days,
            publish_lag_days=publish_lag_days,
            own_names=tuple(own_name or ()),
            own_bulletins=frozenset(own_bulletin or ()),
            quiet=quiet,
        )


@app.command("extract")
def extract(
    in_path: Annotated[Path, typer.Argument(help="Texts, one JSON object per line (id, text).")],
    out_path: Annotated[Path, typer.Argument(help="Where to write one extraction per line.")],
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
) -> None:
    """Read attributions, hedged numbers, places, dates, actors and the event type off texts.

    A bad line is reported with its number on stderr and skipped; the exit status is
    non-zero only when the input cannot be read or the output cannot be written.
    """
    from quietwire.verify._extract_cli import run_extract

    with failing_cleanly():
        run_extract(in_path, out_path, quiet=quiet)
