"""What every command shares: turning our errors into a message and exit status 1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from quietwire.errors import Error

err_console = Console(stderr=True)


@contextmanager
def failing_cleanly() -> Iterator[None]:
    """Print a deliberate failure as one line on stderr and exit 1, never a traceback."""
    try:
        yield
    except Error as exc:
        # The message is printed as plain text: brackets in it are not rich markup.
        err_console.print("[bold red]error:[/]", end=" ", highlight=False)
        err_console.print(str(exc), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
