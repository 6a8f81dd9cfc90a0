"""`quietwire desk ...`: the editor's side, on the editor's own machine."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

from quietwire.cli._common import err_console, failing_cleanly

if TYPE_CHECKING:
    from quietwire.desk import Workspace

app = typer.Typer(help="The desk commands.", no_args_is_help=True)
console = Console(highlight=False)
WsOpt = Annotated[Path, typer.Option("--dir", help="The desk workspace directory.")]
PASSPHRASE_ENV = "QUIETWIRE_DESK_PASSPHRASE"  # noqa: S105 - a variable name, not a secret


def _passphrase() -> str:
    """The identity passphrase: from QUIETWIRE_DESK_PASSPHRASE, else asked (never echoed)."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value is not None:
        return value
    answer: str = typer.prompt("Passphrase for the identity file", hide_input=True)
    return answer


@app.command()
def init(
    directory: WsOpt,
    server: Annotated[str, typer.Option(help="The desk API URL, e.g. http://xyz.onion")],
    token: Annotated[str, typer.Option(help="Your token from `quietwire editors add`.")],
    identity: Annotated[
        Path, typer.Option(help="Your age identity file (may be passphrase-protected).")
    ],
) -> None:
    """Create a workspace (0700): its own database, folders and a copy of the identity."""
    from quietwire.desk import Workspace

    with failing_cleanly():
        Workspace.init(directory, server, token, identity, _passphrase).close()
    console.print(
        f"Workspace ready in {escape(str(directory))}. Next: quietwire desk pull --dir ..."
    )


@app.command()
def pull(directory: WsOpt) -> None:
    """Download, verify, decrypt, scrub and import new submissions; then acknowledge them.

    Ctrl-C stops at any point: what was imported stays (and is acknowledged), nothing
    decrypted is left behind, and the next pull carries on where this one stopped.
    """
    from quietwire.desk import PullInterrupted, Workspace

    interrupted: PullInterrupted | None = None
    with failing_cleanly(), Workspace.open(directory, _passphrase) as ws:
        ws.identities()  # ask for the passphrase before the progress bar takes the screen
        try:
            with Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                console=err_console,
                transient=True,
            ) as progress:
                task = progress.add_task("pulling", total=None)
                report = ws.pull(
                    on_total=lambda n: progress.update(task, total=n),
                    on_bytes=lambda n: progress.advance(task, n),
                )
        except PullInterrupted as exc:
            interrupted, report = exc, exc.report
        unscrubbed = _not_scrubbed(ws, report.imported)
    console.print(f"Imported {len(report.imported)} submission(s).")
    if report.resumed_bytes:
        console.print(f"Resumed {report.resumed_bytes} bytes of an interrupted download.")
    for line in unscrubbed:
        err_console.print(f"[bold yellow]NOT SCRUBBED[/] {escape(line)}")
    for sub_id, reason in report.rejected.items():
        err_console.print(f"[bold red]rejected[/] {sub_id}: {escape(reason)} (not imported)")
    if interrupted is not None:
        err_console.print(f"[bold]stopped[/]: {escape(str(interrupted))}")
        raise typer.Exit(130)
    if report.rejected:
        raise typer.Exit(1)


def _not_scrubbed(ws: Workspace, imported: list[str]) -> list[str]:
    """One line per imported file the scrubber could not clean: id, position, name, why."""
    lines = []
    for sub_id in imported:
        for f in ws.submission(sub_id).files:
            if not f.scrubbed:
                lines.append(f"{sub_id[:8]} file {f.position} {f.name}: {f.note}")
    return lines


@app.command("list")
def list_(
    directory: WsOpt,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of sources.")] = False,
) -> None:
    """Sources by designation, their submissions and unread counts."""
    from quietwire.desk import Workspace

    with failing_cleanly(), Workspace.open(directory) as ws:
        sources = ws.sources()
        subs = {s.designation: ws.submissions(s.designation) for s in sources}
    if as_json:
        out = [
            {
                "designation": s.designation,
                "unread": s.unread,
                "submissions": [
                    {
                        "id": m.id,
                        "received": m.received,
                        "read": m.read,
                        "starred": m.starred,
                        "text": m.text,
                        "answers": m.answers,
                        "files": [
                            {
                                "name": f.name,
                                "size": f.size,
                                "scrubbed": f.scrubbed,
                                "note": f.note,
                                "sha256": f.sha256,
                            }
                            for f in m.files
                        ],
                    }
                    for m in subs[s.designation]
                ],
            }
            for s in sources
        ]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not sources:
        console.print("No submissions yet. Run `quietwire desk pull`.")
    for s in sources:
        console.print(f"[bold]{s.designation}[/]  {s.submissions} submission(s), {s.unread} unread")
        for m in subs[s.designation]:
            mark = " " if m.read else "*"
            first = escape(m.text.splitlines()[0][:60]) if m.text.strip() else "(no text)"
            bad = sum(not f.scrubbed for f in m.files)
            files = f"{len(m.files)} file(s)" + (f", {bad} NOT SCRUBBED" if bad else "")
            console.print(f"  {mark} {m.id}  {m.received[:13]}  {files}  {first}")


@app.command()
def show(
    directory: WsOpt,
    submission_id: Annotated[
        str, typer.Argument(metavar="ID", help="The id, or enough of its start to be unique.")
    ],
    lang: Annotated[str, typer.Option(help="Language of the report's labels: en or ar.")] = "en",
) -> None:
    """Show one submission (and mark it read)."""
    from quietwire.desk import Workspace
    from quietwire.desk._views import report_rows

    with failing_cleanly(), Workspace.open(directory) as ws:
        m = ws.submission(ws.resolve(submission_id))
        ws.mark_read(m.id)
    console.print(f"[bold]{m.id}[/] from {m.designation}, received {m.received} ({m.lang})")
    console.print(escape(m.text) or "(no text)")
    for _, label, value in report_rows(m.answers, lang):
        console.print(f"  {label}: {escape(value)}")
    for f in m.files:
        state = "scrubbed" if f.scrubbed else "NOT SCRUBBED"
        where = escape(str(f.scrubbed_path)) if f.scrubbed and f.scrubbed_path else "-"
        console.print(
            f"  file {f.position}: {escape(f.name)} ({f.size} bytes) "
            f"{state}: {escape(f.note)} {where}"
        )
        console.print(f"    SHA-256 {f.sha256 or 'not computed (too large to scrub)'}")


@app.command()
def reply(
    directory: WsOpt,
    source: Annotated[str, typer.Option(help="The source's designation.")],
    text: Annotated[str, typer.Option(help="The reply.")],
) -> None:
    """Encrypt a reply on this desk to the source's reply key, and upload it."""
    from quietwire.desk import Workspace

    with failing_cleanly(), Workspace.open(directory) as ws:
        reply_id = ws.reply(source, text)
    console.print(f"Reply {reply_id} sent to {escape(source)}.")


@app.command()
def delete(
    directory: WsOpt,
    submission: Annotated[
        str | None,
        typer.Option(help="Delete this submission (id or a unique start of it) locally."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(help="Delete this source (designation) here AND on the server."),
    ] = None,
) -> None:
    """Delete a submission from the workspace, or a source everywhere."""
    from quietwire.desk import Workspace

    if (submission is None) == (source is None):
        err_console.print("give exactly one of --submission or --source")
        raise typer.Exit(2)
    with failing_cleanly(), Workspace.open(directory) as ws:
        if submission is not None:
            full = ws.resolve(submission)
            ws.delete_submission(full)
            console.print(f"Submission {full} deleted from the workspace.")
        elif source is not None:
            waiting = ws.delete_source(source)
            if waiting:
                console.print(
                    f"Source {escape(source)} deleted here. The server deletes it once the "
                    f"{waiting} other editor(s) who have not fetched it do so or delete it "
                    "too; in an emergency, `quietwire sources delete` on the server."
                )
            else:
                console.print(f"Source {escape(source)} deleted here and on the server.")


@app.command()
def ui(
    directory: WsOpt,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1; 0 picks a free one.")] = 0,
) -> None:
    """Open the local web UI on 127.0.0.1, behind a per-run token in the printed URL."""
    from quietwire.desk import Workspace
    from quietwire.desk.ui import run

    with failing_cleanly(), Workspace.open(directory, _passphrase) as ws:
        ws.identities()  # ask for the passphrase now, not in the middle of a download
        run(ws, port, lambda url: console.print(f"Desk UI (Ctrl+C to stop): {url}", soft_wrap=True))


from quietwire.cli._bulletin import app as _bulletin_app  # noqa: E402 - after `app` exists

app.add_typer(_bulletin_app, name="bulletin")
