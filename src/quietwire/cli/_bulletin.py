"""`quietwire desk bulletin ...`: compose and publish signed bulletins."""

from __future__ import annotations

import typer

app = typer.Typer(help="Compose, check and publish bulletins.", no_args_is_help=True)
