"""What every command shares: turning our errors into a message and exit status 1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.console import Console

from quietwire.errors import Error

if TYPE_CHECKING:
    from quietwire.instance import Instance

err_console = Console(stderr=True)
_T = TypeVar("_T")


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


def with_instance(directory: Path, job: Callable[[Instance], _T]) -> _T:
    """Run `job` on the instance in `directory`, its schema upgraded first (which moves an
    older config's recipients into the database); errors become clean messages."""
    from quietwire import instance

    with failing_cleanly():
        inst = instance.open_instance(directory)
        try:
            instance.migrate(inst)
            return job(inst)
        finally:
            inst.close()
    raise AssertionError("unreachable: failing_cleanly exits on every error")
