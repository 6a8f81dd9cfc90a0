"""Decrypt an encrypted original chunk by chunk, for a download that never touches disk.

pyrage pulls from a reader and pushes into a writer in one blocking call. The call runs
in its own thread with a writer that hands each chunk to a bounded queue; the HTTP
response takes chunks from the other end. Memory stays at a few chunks whatever the file
size, and no plaintext is written anywhere.

age authenticates every 64 KiB chunk and the end of the stream, so everything yielded
was authentic; if the envelope turns out truncated or tampered with, the iterator raises
and the server aborts the response, so the browser marks the download failed instead of
saving a silently shortened file.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from quietwire.crypto import CryptoError, decrypt_stream
from quietwire.desk.ui._model import DeskUIError

_DONE = object()


class _QueueWriter:
    """A file-like sink for pyrage: each write becomes one queue item (copied)."""

    def __init__(self, q: queue.Queue[object], stop: threading.Event) -> None:
        self.q = q
        self.stop = stop

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self.stop.is_set():
            raise BrokenPipeError("download cancelled")
        chunk = bytes(data)
        while True:
            try:
                self.q.put(chunk, timeout=0.5)
                return len(chunk)
            except queue.Full:
                if self.stop.is_set():
                    raise BrokenPipeError("download cancelled") from None

    def flush(self) -> None:
        return None


def decrypt_chunks(envelope: Path, identities: Sequence[Any]) -> Iterator[bytes]:
    """Yield the plaintext of the age file at `envelope`; raise DeskUIError if it is damaged.

    Closing the iterator early (the browser went away) stops the decrypting thread.
    """
    q: queue.Queue[object] = queue.Queue(maxsize=8)
    stop = threading.Event()
    failure: list[str] = []

    def work() -> None:
        try:
            with envelope.open("rb") as reader:
                decrypt_stream(reader, _QueueWriter(q, stop), identities)  # type: ignore[arg-type]
        except CryptoError as exc:
            failure.append(str(exc))
        except OSError as exc:
            failure.append(f"cannot read the encrypted original: {exc.strerror or 'I/O error'}")
        finally:
            while not stop.is_set():
                try:
                    q.put(_DONE, timeout=0.5)
                    break
                except queue.Full:
                    continue

    thread = threading.Thread(target=work, name="desk-ui-decrypt", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is _DONE:
                break
            if isinstance(item, bytes):
                yield item
        if failure:
            raise DeskUIError(failure[0])
    finally:
        stop.set()
        thread.join(timeout=5)
