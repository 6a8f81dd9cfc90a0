"""Streaming a multipart submission straight into envelopes, without a byte on disk.

Starlette's `request.form()` (and python-multipart's FormParser) spool file parts larger
than 1 MB to a temporary file: plaintext on the server's disk, recoverable after deletion.
We drive python-multipart's low-level `MultipartParser` ourselves: small text fields are
collected in memory under strict caps, and each file part is written chunk by chunk into
the pipe of a child process running age encryption (`quietwire.crypto.CipherJob`), while a
worker thread stores what comes out (`SubmissionWriter.add_encrypted`): only ciphertext.
The pipe is the bound that keeps memory flat whatever the file size: when encryption falls
behind, the pipe fills and the upload simply stops being read. In a child, encryption runs
on its own core instead of taking turns with parsing (pyrage holds the GIL while it works).

A body that trickles in (a byte every 2 s held an `age` child, a `.part` file and one of
the 256 upload slots for as long as the client liked) is dropped by `_paced` once it
brings less than `upload_stall_min_kb` within `upload_stall_seconds` of waiting for it:
the child is killed, the blob removed, nothing stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import unicodedata
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from quietwire.crypto import CipherJob, FileEntry
from quietwire.intake.errors import BadSubmission, SubmissionTooLarge
from quietwire.intake.services import SubmissionWriter

TEXT_FIELDS = frozenset({"csrf", "text", "what", "where", "when", "how_many", "how_known", "other"})
FILE_FIELD = "files"
# Controls, format characters (bidi overrides that disguise extensions), line and paragraph
# separators, surrogates, private-use and unassigned code points.
# Unicode category Cc is exactly C0, DEL and C1; tab, LF and CR stay.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class StaleForm(BadSubmission):
    """The form's CSRF token is missing or does not belong to this session."""

    status = 403
    page = "stale_form"


class UploadStalled(BadSubmission):
    """The upload brought too little for too long: a slow-body attack or a dead link."""

    status = 408


@dataclass(frozen=True, slots=True)
class Limits:
    max_body: int  # total request body, bytes
    max_field: int  # one text field, bytes
    max_parts: int
    max_files: int


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    content_type: str = "application/octet-stream"
    text: bytearray = field(default_factory=bytearray)
    job: CipherJob | None = None
    pipe: _PipeWriter | None = None
    worker: asyncio.Future[FileEntry] | None = None
    size: int = 0


class _PipeWriter:
    """Writes to a pipe from the event loop, waiting (not blocking) while the pipe is full."""

    def __init__(self, fd: int, loop: asyncio.AbstractEventLoop) -> None:
        os.set_blocking(fd, False)
        self._fd = fd
        self._loop = loop

    async def write(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self._fd, view) :]
            except BlockingIOError:
                await self._writable()

    async def _writable(self) -> None:
        ready = self._loop.create_future()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        self._loop.add_writer(self._fd, wake)
        try:
            await ready
        finally:
            self._loop.remove_writer(self._fd)


async def _paced(
    body: AsyncIterator[bytes], seconds: float, min_bytes: int
) -> AsyncGenerator[bytes]:
    """`body`, raising UploadStalled when fewer than `min_bytes` arrive in `seconds` spent
    waiting for the client. Only the waiting counts: while a chunk is being encrypted the
    clock stops, so a server that falls behind never drops a fast source's upload."""
    loop = asyncio.get_running_loop()
    left, got = seconds, 0
    while True:
        started = loop.time()
        try:
            async with asyncio.timeout(left):
                chunk = await anext(body)
        except StopAsyncIteration:
            return
        except TimeoutError:
            # The wait was cancelled inside `body`, which is thereby closed: whoever reads
            # it next (the route's drain) stops at once instead of waiting again.
            raise UploadStalled(f"under {min_bytes} bytes in {seconds:g} s") from None
        left -= loop.time() - started
        got += len(chunk)
        if got >= min_bytes:
            left, got = seconds, 0
        yield chunk


def clean_filename(raw: str, position: int) -> str:
    """A display name with no path, control or bidi-override characters, at most 200 chars.

    It only ever travels inside the envelope, but the desk will show and save it: a name
    like `../../.bashrc` or one hiding its extension with U+202E must arrive harmless.
    """
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        " " if unicodedata.category(ch) == "Zs" else ch
        for ch in unicodedata.normalize("NFC", base)
        if unicodedata.category(ch) not in _UNSAFE_CATEGORIES
    ).strip(" .")
    return kept[:200] or f"file-{position}"


async def receive(
    boundary: bytes,
    body: AsyncIterator[bytes],
    writer: SubmissionWriter,
    limits: Limits,
    check_csrf: Callable[[str], bool],
    executor: ThreadPoolExecutor,
) -> dict[str, str]:
    """Parse and encrypt one submission; return its text fields (without `csrf`).

    Raises StaleForm unless the first part is a valid `csrf` field, so nothing of a forged
    or stale form is processed; SubmissionTooLarge past the limits; BadSubmission for
    malformed bodies, UploadStalled for one that trickles (the instance's upload_stall_*
    settings). On any error the worker is stopped; the caller aborts the writer.
    """
    loop = asyncio.get_running_loop()
    settings = writer.instance.settings
    paced = _paced(body, settings.upload_stall_seconds, settings.upload_stall_min_kb * 1024)
    events: list[tuple[str, Any]] = []
    parser = MultipartParser(
        boundary,
        callbacks={
            "on_part_begin": lambda: events.append(("begin", None)),
            "on_header_field": lambda d, s, e: events.append(("hfield", bytes(d[s:e]))),
            "on_header_value": lambda d, s, e: events.append(("hvalue", bytes(d[s:e]))),
            "on_headers_finished": lambda: events.append(("headers", None)),
            # A view, not a copy: events are handled before the next chunk arrives.
            "on_part_data": lambda d, s, e: events.append(("data", memoryview(d)[s:e])),
            "on_part_end": lambda: events.append(("end", None)),
            "on_end": lambda: events.append(("done", None)),
        },
    )
    fields: dict[str, str] = {}
    part = _Part()
    headers: list[list[bytes]] = []
    parts = files = received = 0
    finished = csrf_ok = False

    async def start_worker() -> None:
        job = await loop.run_in_executor(executor, writer.start_encryption)
        part.job, part.pipe = job, _PipeWriter(job.stdin.fileno(), loop)
        name = clean_filename(part.filename or "", files)
        this = part  # `part` moves on to the next part; the count is this one's
        part.worker = loop.run_in_executor(
            executor, writer.add_encrypted, name, part.content_type, job, lambda: this.size
        )

    async def feed(data: memoryview) -> None:
        if part.pipe is None or part.worker is None:
            return
        part.size += len(data)
        if part.size > writer.remaining_budget:
            raise SubmissionTooLarge("the files are over the limit")
        try:
            await part.pipe.write(data)
        except OSError:
            # The child or the storing thread stopped: its own error says why.
            await asyncio.wait({part.worker})
            part.worker.result()
            raise

    async def finish_file() -> None:
        if part.worker is None:
            await start_worker()
        if part.job is not None:
            part.job.stdin.close()
        worker, part.worker = part.worker, None
        if worker is not None:
            await worker

    try:
        async for chunk in paced:
            received += len(chunk)
            if received > limits.max_body:
                raise SubmissionTooLarge("request body over the limit")
            try:
                parser.write(chunk)
            except MultipartParseError:
                raise BadSubmission("malformed multipart body") from None
            for kind, value in events:
                if kind == "begin":
                    parts += 1
                    if parts > limits.max_parts:
                        raise BadSubmission("too many form fields")
                    part, headers = _Part(), []
                elif kind == "hfield":
                    headers.append([value, b""])
                elif kind == "hvalue" and headers:
                    headers[-1][1] += value
                elif kind == "headers":
                    _apply_headers(part, headers)
                    if not csrf_ok and part.name != "csrf":
                        raise StaleForm("the form has no CSRF token")
                    if part.filename is not None:
                        if part.name != FILE_FIELD:
                            raise BadSubmission("unexpected file field")
                        files += 1
                        if files > limits.max_files:
                            raise BadSubmission("too many files")
                elif kind == "data":
                    if part.filename is None:
                        if len(part.text) + len(value) > limits.max_field:
                            raise SubmissionTooLarge("a text field is over the limit")
                        part.text += value
                    else:
                        if part.worker is None:
                            await start_worker()
                        await feed(value)
                elif kind == "end":
                    if part.filename is None:
                        value_text = _decode(part.text)
                        if part.name == "csrf" and not csrf_ok:
                            if not check_csrf(value_text):
                                raise StaleForm("stale or foreign CSRF token")
                            csrf_ok = True
                        elif part.name in TEXT_FIELDS and part.name != "csrf":
                            fields[part.name] = value_text
                    elif part.worker is not None or part.filename:
                        # An empty, unnamed file part is a file input left blank: skip it.
                        await finish_file()
                elif kind == "done":
                    finished = True
            events.clear()
        if not finished:
            raise BadSubmission("the upload ended early")
    except BaseException:
        if part.worker is not None and part.job is not None:
            # Stop the child, then wait for the storing thread to drop its blob, so none is
            # being written when the caller aborts the submission.
            await _stop(part.job, part.worker)
        raise
    finally:
        await paced.aclose()
    if not csrf_ok:
        raise StaleForm("the form has no CSRF token")
    return fields


async def _stop(job: CipherJob, worker: asyncio.Future[FileEntry]) -> None:
    job.kill()
    await asyncio.wait({worker})
    if not worker.cancelled():
        with contextlib.suppress(Exception):
            worker.result()  # retrieved, so asyncio does not log "never retrieved"


def _apply_headers(part: _Part, headers: list[list[bytes]]) -> None:
    for raw_name, raw_value in headers:
        name = raw_name.decode("latin-1").strip().lower()
        if name == "content-disposition":
            _, options = parse_options_header(raw_value)
            part.name = options.get(b"name", b"").decode("utf-8", "replace")
            if b"filename" in options:
                try:
                    part.filename = options[b"filename"].decode("utf-8")
                except UnicodeDecodeError:
                    raise BadSubmission("a file name is not valid UTF-8") from None
        elif name == "content-type":
            ctype = raw_value.decode("latin-1").strip()[:100]
            if ctype.isprintable():
                part.content_type = ctype


def _decode(raw: bytearray) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadSubmission("text is not valid UTF-8") from None
    # Keep line breaks and tabs; drop other control characters a browser would never send.
    return _CONTROLS.sub("", text)
