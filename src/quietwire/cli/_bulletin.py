"""`quietwire desk bulletin ...`: compose and publish signed bulletins."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from quietwire.cli._common import failing_cleanly

app = typer.Typer(help="Compose, check and publish bulletins.", no_args_is_help=True)

WorkspaceOpt = Annotated[Path, typer.Option("--dir", help="The desk workspace.")]
ServerOpt = Annotated[
    str | None,
    typer.Option(help="Desk API URL (default: bulletins/config.toml, else `desk init`'s)."),
]
TokenOpt = Annotated[
    str | None,
    typer.Option(
        help="Editor token (default: bulletins/config.toml, else `desk init`'s).",
        envvar="QUIETWIRE_DESK_TOKEN",
    ),
]


def _endpoint(workspace: Path, server: str | None, token: str | None) -> tuple[str, str]:
    """--server/--token, else bulletins/config.toml, else what `quietwire desk init` stored
    for this workspace: an editor who set up the desk need not give them again."""
    from quietwire.desk import Workspace, WorkspaceError
    from quietwire.desk import _bulletins as store

    config = store.load_config(workspace)
    server, token = server or config.server, token or config.token
    if not server or not token:
        try:
            with Workspace.open(workspace) as ws:
                desk_server, desk_token = ws.endpoint()
        except WorkspaceError:
            return server or "", token or ""  # a publishing-only folder: upload says what's missing
        server, token = server or desk_server, token or desk_token
    return server, token


def _passphrase() -> object:
    from quietwire.cli._publish import read_passphrase
    from quietwire.crypto import Secret

    def ask() -> Secret[str]:
        return Secret(read_passphrase())

    return ask


@contextmanager
def _refusals_as_plain_lines(kind: type[Exception]) -> Iterator[None]:
    # One finding per line, unwrapped and free of console markup, so an editor (or a
    # script) can copy the finding id into --override exactly.
    try:
        yield
    except kind as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


@app.command("new")
def new(
    workspace: WorkspaceOpt,
    title: Annotated[str, typer.Option(help="Headline.")],
    body_file: Annotated[Path, typer.Option(help="UTF-8 text; blank lines separate paragraphs.")],
    lang: Annotated[str, typer.Option(help="ar or en.")] = "en",
    event: Annotated[
        list[str] | None, typer.Option(help="A verified event id (repeatable).")
    ] = None,
    place: Annotated[str | None, typer.Option(help="Place name (a town).")] = None,
    lat: Annotated[float | None, typer.Option(help="Latitude; coarsened to the grid.")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude; coarsened to the grid.")] = None,
    event_type: Annotated[str | None, typer.Option(help="Event taxonomy name.")] = None,
    event_date: Annotated[str | None, typer.Option(help="YYYY-MM-DD of the events.")] = None,
    grade: Annotated[str | None, typer.Option(help="Grade such as C3.")] = None,
    sources: Annotated[int, typer.Option(help="Independent sources supporting it.")] = 0,
    media: Annotated[
        list[Path] | None, typer.Option(help="A scrubbed media file (repeatable).")
    ] = None,
) -> None:
    """Store a draft bulletin; print its id alone on the last line."""
    from quietwire.desk._bulletins_publish import Draft, new_bulletin
    from quietwire.publish import BulletinError

    with failing_cleanly():
        try:
            when = date.fromisoformat(event_date) if event_date else None
            text = body_file.read_text(encoding="utf-8")
        except (ValueError, OSError) as exc:
            raise BulletinError(f"cannot read the bulletin input: {exc}") from None
        draft = Draft(
            title=title,
            body=text,
            lang=lang,
            events=tuple(event or ()),
            place=place,
            lat=lat,
            lon=lon,
            event_type=event_type,
            event_date=when,
            grade=grade,
            sources=sources,
            media=tuple(media or ()),
        )
        typer.echo(new_bulletin(workspace, draft))


@app.command("list")
def list_(workspace: WorkspaceOpt) -> None:
    """One line per bulletin: id, status, language, title."""
    from quietwire.desk import _bulletins as store

    with failing_cleanly(), store.connect(workspace) as conn:
        for s in store.all_bulletins(conn):
            typer.echo(f"{s.bulletin.id}  {s.status:9}  {s.bulletin.lang}  {s.bulletin.title}")


@app.command("check")
def check(workspace: WorkspaceOpt, bulletin_id: str) -> None:
    """Run the redaction guard only; exit 1 when it finds anything."""
    from quietwire.desk._bulletins_publish import check as run_check

    with failing_cleanly():
        findings = run_check(workspace, bulletin_id)
        for finding_id, message in findings:
            typer.echo(f"{finding_id}: {message}")
        if findings:
            raise typer.Exit(1)
        typer.echo("clean: nothing found")


@app.command("publish")
def publish(
    workspace: WorkspaceOpt,
    bulletin_id: str,
    override: Annotated[
        list[str] | None, typer.Option(help="A finding id to override (repeatable).")
    ] = None,
    reason: Annotated[
        list[str] | None, typer.Option(help="Why, one per --override, in the same order.")
    ] = None,
    server: ServerOpt = None,
    token: TokenOpt = None,
) -> None:
    """Guard, sign and upload a bulletin (or schedule it when a jitter is configured)."""
    from quietwire.desk._bulletins_publish import publish_bulletin
    from quietwire.publish import BulletinError, RedactionRefused

    with failing_cleanly(), _refusals_as_plain_lines(RedactionRefused):
        overrides, reasons = override or [], reason or []
        if len(overrides) != len(reasons):
            raise BulletinError("give exactly one --reason for each --override")
        server, token = _endpoint(workspace, server, token)
        outcome = publish_bulletin(
            workspace,
            bulletin_id,
            _passphrase(),  # type: ignore[arg-type]
            dict(zip(overrides, reasons, strict=True)),
            server,
            token,
        )
        for finding_id in outcome.overrides:
            typer.echo(f"override recorded: {finding_id}")
        if outcome.status == "scheduled":
            typer.echo(
                f"scheduled: release after {outcome.release_at:%Y-%m-%d %H:%M} UTC; run "
                "`quietwire desk bulletin release` then (or keep it running from cron)"
            )
        else:
            typer.echo(f"published: {outcome.uploaded} file(s) uploaded")
        typer.echo(outcome.bulletin_id)


@app.command("release")
def release(workspace: WorkspaceOpt, server: ServerOpt = None, token: TokenOpt = None) -> None:
    """Sign and upload scheduled bulletins whose random delay has passed."""
    from quietwire.desk._bulletins_publish import release_due

    with failing_cleanly():
        server, token = _endpoint(workspace, server, token)
        count = release_due(workspace, _passphrase(), server, token)  # type: ignore[arg-type]
        typer.echo(f"{count} file(s) uploaded" if count else "nothing due")


@app.command("withdraw")
def withdraw(
    workspace: WorkspaceOpt, bulletin_id: str, server: ServerOpt = None, token: TokenOpt = None
) -> None:
    """Withdraw a bulletin for good: off the site, the feeds and the manifest, here and on
    the server; never published or released again. Safe to run again after a failure."""
    from quietwire.desk._bulletins_publish import withdraw_bulletin

    with failing_cleanly():
        server, token = _endpoint(workspace, server, token)
        outcome = withdraw_bulletin(
            workspace,
            bulletin_id,
            _passphrase(),  # type: ignore[arg-type]
            server,
            token,
        )
        if not outcome.went_out:
            typer.echo("withdrawn: it had not been released, so nothing was uploaded")
        else:
            typer.echo(
                f"withdrawn: {outcome.removed} file(s) removed, site signed again, "
                f"{outcome.uploaded} file(s) uploaded, its files deleted from the server"
            )
        typer.echo(outcome.bulletin_id)


@app.command("upload")
def upload(workspace: WorkspaceOpt, server: ServerOpt = None, token: TokenOpt = None) -> None:
    """Upload the signed site built on this desk (what the server lacks); no key needed.

    Files of withdrawn bulletins still on the server are deleted there."""
    from quietwire.desk import _bulletins as store
    from quietwire.desk._bulletins_publish import upload_site

    with failing_cleanly():
        server, token = _endpoint(workspace, server, token)
        with store.connect(workspace) as conn:
            withdrawn = store.withdrawn_ids(conn)
        count = upload_site(store.site_dir(workspace), server, token, withdrawn)
        typer.echo(f"{count} file(s) uploaded")


@app.command("protect")
def protect(
    workspace: WorkspaceOpt,
    source: Annotated[str, typer.Option(help="The source's designation on this desk.")],
    term: Annotated[list[str], typer.Argument(help="Terms that must never be published.")],
) -> None:
    """Add terms to a source's protected list (names, streets, relatives, employers...)."""
    from quietwire.desk import _bulletins as store

    with failing_cleanly(), store.connect(workspace) as conn:
        for each in term:
            store.add_protected_term(conn, source, each)
        typer.echo(f"{len(term)} term(s) protected for {source}")


@app.command("source-text")
def source_text(
    workspace: WorkspaceOpt,
    source: Annotated[str, typer.Option(help="The source's designation on this desk.")],
    text_file: Annotated[Path, typer.Option(help="A report of that source (UTF-8).")],
) -> None:
    """Register a source's report so the guard refuses text copied from it verbatim."""
    from quietwire.desk import _bulletins as store

    with failing_cleanly(), store.connect(workspace) as conn:
        store.add_source_text(conn, source, text_file.read_text(encoding="utf-8"))
        typer.echo(f"report registered for {source}")
