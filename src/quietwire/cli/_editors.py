"""`quietwire editors ...`: desk API accounts on the server."""

from __future__ import annotations

import typer

app = typer.Typer(help="Manage editors' desk API tokens.", no_args_is_help=True)
