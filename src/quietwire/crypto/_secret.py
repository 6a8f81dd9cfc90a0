"""Wrappers that keep secrets out of reprs, logs and tracebacks.

Python cannot promise that a secret leaves no copy in memory (immutable str and bytes
objects are copied freely and freed without being cleared). What we can do: hold raw key
bytes in a `bytearray` we zero when done, and make sure a stray `repr()` in a log line or
a traceback never prints them.
"""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class Secret(Generic[T]):
    """A value whose repr and str are masked. Call `reveal()` at the point of use."""

    __slots__ = ("_value",)

    def __init__(self, value: T) -> None:
        self._value = value

    def reveal(self) -> T:
        return self._value

    def __repr__(self) -> str:
        return f"{type(self).__name__}('**********')"

    __str__ = __repr__


class SecretBytes:
    """Key bytes in a mutable buffer that `wipe()` overwrites with zeros."""

    __slots__ = ("_buf",)

    def __init__(self, data: bytes | bytearray) -> None:
        self._buf = bytearray(data)

    def reveal(self) -> bytes:
        """A copy of the bytes; prefer short-lived use."""
        return bytes(self._buf)

    def wipe(self) -> None:
        for i in range(len(self._buf)):
            self._buf[i] = 0

    @property
    def wiped(self) -> bool:
        return not any(self._buf)

    def __len__(self) -> int:
        return len(self._buf)

    def __repr__(self) -> str:
        return "SecretBytes('**********')"

    __str__ = __repr__
