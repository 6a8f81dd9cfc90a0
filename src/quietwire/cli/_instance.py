"""Instance commands: init, serve, keys, recipients, doctor, editors."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach the instance commands to the top-level app."""
