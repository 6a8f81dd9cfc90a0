"""`quietwire desk ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="The desk commands.", no_args_is_help=True)

from quietwire.cli._bulletin import app as _bulletin_app  # noqa: E402 - after `app` exists

app.add_typer(_bulletin_app, name="bulletin")
