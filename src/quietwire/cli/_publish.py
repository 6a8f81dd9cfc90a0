"""`quietwire publish ...` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="The publish commands.", no_args_is_help=True)
