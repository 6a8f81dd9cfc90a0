"""`quietwire editors ...`: desk API accounts on the server."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from quietwire.cli._common import with_instance

if TYPE_CHECKING:
    from quietwire.instance import Instance

app = typer.Typer(
    help="Manage editors: a name, an age key and a desk API token.", no_args_is_help=True
)
console = Console(highlight=False)
DirOpt = Annotated[Path, typer.Option("--dir", help="The instance directory.")]


RecipientOpt = Annotated[
    str,
    typer.Option(
        "--recipient",
        help="The editor's age public key (age1...), from `quietwire keys new` on their machine.",
    ),
]


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="Editor name: a-z, 0-9, - and _.")],
    directory: DirOpt,
    recipient: RecipientOpt,
) -> None:
    """Create an editor with their age key; print its token ONCE, alone on the last line.

    New submissions are encrypted to the key at once (no restart), and what is already
    waiting sealed to it is delivered to the new editor."""
    from quietwire.deskapi import add_editor

    token = with_instance(directory, lambda inst: add_editor(inst, name, recipient))
    console.print(
        f"Editor {name!r} created; new submissions are encrypted to their key. Its token is "
        "shown once, below; the server keeps only a hash. Give it to the editor over a "
        "secure channel for `quietwire desk init --token`."
    )
    typer.echo(token)


@app.command("set-recipient")
def set_recipient(name: str, directory: DirOpt, recipient: RecipientOpt) -> None:
    """Give an editor their age key (an account from before editors had keys, or a new key).

    Submissions already waiting sealed to that key are delivered to them."""
    from quietwire.deskapi import set_recipient as set_key

    delivered = with_instance(directory, lambda inst: set_key(inst, name, recipient))
    console.print(
        f"Editor {name!r} now holds that key; {delivered} waiting submission(s) delivered."
    )


@app.command("list")
def list_(directory: DirOpt) -> None:
    """List editors (name, created, active or revoked, age recipient)."""
    from quietwire.deskapi import list_editors

    editors = with_instance(directory, list_editors)
    if not editors:
        console.print("No editors yet: `quietwire editors add NAME --recipient age1... --dir DIR`.")
    for e in editors:
        state = f"revoked {e.revoked:%Y-%m-%d %H:00}" if e.revoked else "active"
        key = e.recipient or "NO RECIPIENT: editors set-recipient"
        console.print(f"{e.name}\tcreated {e.created:%Y-%m-%d %H:00}\t{state}\t{key}")


@app.command()
def revoke(name: str, directory: DirOpt) -> None:
    """Revoke an editor's token at once (the name stays taken)."""
    from quietwire.deskapi import revoke_editor

    with_instance(directory, lambda inst: revoke_editor(inst, name))
    console.print(
        f"Editor {name!r} revoked: the token is refused and new submissions are no longer "
        "encrypted to their key. To give the same person a new token, add them again "
        "under a new name with the same --recipient."
    )


sources_app = typer.Typer(
    help="Sources on the server: list them, or delete one at once in an emergency.",
    no_args_is_help=True,
)


@sources_app.command("list")
def sources_list(directory: DirOpt) -> None:
    """List sources (opaque id, created) and the deletions editors asked for."""
    from quietwire.deskapi import list_sources, pending_requests

    sources, asked = with_instance(
        directory, lambda inst: (list_sources(inst), pending_requests(inst))
    )
    for source in sources:
        note = f"\tdeletion asked by {asked[source.id]} editor(s)" if source.id in asked else ""
        typer.echo(f"{source.id}\tcreated {source.created:%Y-%m-%d %H:00}{note}")


@sources_app.command("delete")
def sources_delete(
    source_id: Annotated[str, typer.Argument(help="The source's id (`sources list`).")],
    directory: DirOpt,
) -> None:
    """EMERGENCY: delete a source and all it sent NOW, fetched by the editors or not.

    From the desk, a deletion waits until the other editors have the source's submissions
    (one stolen token must not empty every inbox); this needs the server itself."""
    from quietwire.deskapi import delete_source_now
    from quietwire.errors import Error

    def delete(inst: Instance) -> None:
        if not delete_source_now(inst, source_id):
            raise Error("no such source")

    with_instance(directory, delete)
    console.print("Source deleted with its submissions and replies, for every editor.")
