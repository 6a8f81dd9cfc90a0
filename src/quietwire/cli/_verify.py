"""`quietwire verify ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="The verify commands.", no_args_is_help=True)
