"""The `quietwire` command.

Thin by design: each sub-module parses arguments, calls one service and turns our
`Error` into a message and exit status 1. Sub-modules import the packages they drive
inside their command functions, so `quietwire serve` never loads the desk, verify or
publish code into the server process.
"""

from __future__ import annotations

import os

import typer

from quietwire.cli import _desk, _editors, _instance, _publish, _verify

app = typer.Typer(
    name="quietwire",
    help="Secure intake, verification and publishing for reporters at risk.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_instance.register(app)
app.add_typer(_editors.app, name="editors")
app.add_typer(_editors.sources_app, name="sources")
app.add_typer(_desk.app, name="desk")
app.add_typer(_verify.app, name="verify")
app.add_typer(_publish.app, name="publish")


def main() -> None:
    # Everything QuietWire writes (config, database, blobs, workspaces, keys) is for the
    # owner alone, whatever umask the shell had.
    os.umask(0o077)
    app()
