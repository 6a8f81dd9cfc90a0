"""`quietwire desk ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="The desk commands.", no_args_is_help=True)
