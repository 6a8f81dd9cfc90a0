"""`quietwire editors ...`: desk API accounts on the server."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from quietwire.cli._common import failing_cleanly

app = typer.Typer(help="Manage editors' desk API tokens.", no_args_is_help=True)
console = Console(highlight=False)
DirOpt = Annotated[Path, typer.Option("--dir", help="The instance directory.")]


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="Editor name: a-z, 0-9, - and _.")], directory: DirOpt
) -> None:
    """Create an editor and print its token ONCE, alone on the last line."""
    from quietwire.deskapi import add_editor
    from quietwire.instance import open_instance

    with failing_cleanly():
        instance = open_instance(directory)
        try:
            token = add_editor(instance, name)
        finally:
            instance.close()
    console.print(
        f"Editor {name!r} created. Its token is shown once, below; the server keeps only a "
        "hash. Give it to the editor over a secure channel for `quietwire desk init --token`."
    )
    typer.echo(token)


@app.command("list")
def list_(directory: DirOpt) -> None:
    """List editors (name, created, revoked)."""
    from quietwire.deskapi import list_editors
    from quietwire.instance import open_instance

    with failing_cleanly():
        instance = open_instance(directory)
        try:
            editors = list_editors(instance)
        finally:
            instance.close()
    if not editors:
        console.print("No editors yet: `quietwire editors add NAME --dir DIR`.")
    for e in editors:
        state = f"revoked {e.revoked:%Y-%m-%d %H:00}" if e.revoked else "active"
        console.print(f"{e.name}\tcreated {e.created:%Y-%m-%d %H:00}\t{state}")


@app.command()
def revoke(name: str, directory: DirOpt) -> None:
    """Revoke an editor's token at once (the name stays taken)."""
    from quietwire.deskapi import revoke_editor
    from quietwire.instance import open_instance

    with failing_cleanly():
        instance = open_instance(directory)
        try:
            revoke_editor(instance, name)
        finally:
            instance.close()
    console.print(
        f"Editor {name!r} revoked. Also remove their age key with `quietwire recipients` so "
        "new submissions are no longer encrypted to it."
    )
