"""Scrubbing in a child process, killed when it exceeds its limits (the desk's side).

The scrubbers parse a hostile source's file with C libraries (qpdf, libjpeg, zlib) that
cannot be interrupted and do not bound their own work. In the desk's own process a 70 KB
PDF whose streams are chains of FlateDecode (decoding to 50 GiB) spun for hours, ignored
Ctrl-C, and stopped every later pull at the same file; a PDF of millions of tiny objects
took gigabytes before its object cap was checked. So every scrub runs in a child forked
by the scrubbing server (_scrub_server) under limits on processor time, memory and the
size of what it writes, and `Scrubber.scrub`:

- kills the child's whole process group (mat2 included) when it runs past
  `wall_seconds`, and on any exception, Ctrl-C's KeyboardInterrupt included;
- gives it an empty scratch folder of its own, moves the one copy it names into place,
  and removes the folder whatever happened, so nothing half-written stays behind;
- reads its answer as a few bytes of JSON, checked field by field, never a pickle: a
  child taken over by a hostile file must not be able to run code in the desk. (The
  limits are not a sandbox: such a child still has the editor's rights on this machine;
  they bound the work a file can cause.)

A file that makes the child exceed a limit gives "not scrubbed: <which limit>"; the
original stays encrypted in the workspace as for any file not scrubbed.

The server dies with the thread that started it (PR_SET_PDEATHSIG is per thread), so a
Scrubber is used from the thread that made it, for as long as it lives: `desk pull` runs
it in its main thread, for one pull.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from quietwire.desk._errors import WorkspaceError
from quietwire.desk._scrub_types import (
    ANSWER,
    Limits,
    ScrubResult,
    limit_note,
    link_free_name,
    sniff,
    wall_note,
)

__all__ = ["Scrubber"]

_ANSWER_BYTES = 64 * 1024
_NOTE_CHARS = 500
_KINDS = {"image", "pdf", "office", "text", "other"}
_START_SECONDS = 60.0  # the server's start (an interpreter and the scrubbers' imports)
# Each child starts with the server's small heap. With glibc's default, every decoded
# image above its (adaptive) mmap threshold is a fresh mapping, faulted in page by page
# and unmapped again: a 40-page PDF with photos then took 1.85 times the processor time
# it takes in a long-running process. A fixed threshold keeps such buffers in the heap,
# reused from one image to the next (RLIMIT_AS still counts them).
_MALLOC = {
    "MALLOC_MMAP_THRESHOLD_": str(32 * 1024 * 1024),
    "MALLOC_TRIM_THRESHOLD_": str(256 * 1024 * 1024),
}


class Scrubber:
    """Scrubs files one at a time in children of one scrubbing server, started on first
    use and stopped by `close` (or when this process ends). Not thread-safe."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._server: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self.cpu_seconds = 0.0  # processor time of the last scrub's child (for bench/)

    def __enter__(self) -> Scrubber:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop the server (its stdin ends); kill it if it does not go at once."""
        server, self._server = self._server, None
        if server is None:
            return
        with contextlib.suppress(OSError):
            if server.stdin is not None:
                server.stdin.close()  # the end of its input ends the server
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stdout is not None:
            server.stdout.close()

    def scrub(self, name: str, content_type: str, data_path: Path, out_dir: Path) -> ScrubResult:
        """`desk._scrub.scrub` in a child under `self.limits`, with the same contract; a
        file that makes the child exceed a limit gives scrubbed=False, no copy and a
        note saying which limit. Raises WorkspaceError if the server cannot run."""
        scratch = Path(tempfile.mkdtemp(prefix=".scrub-job-", dir=out_dir)).resolve()
        try:
            status, note = self._run(
                {
                    "name": name,
                    "type": content_type,
                    "data": str(data_path.resolve()),
                    "scratch": str(scratch),
                    "limits": dataclasses.asdict(self.limits),
                }
            )
            answer = _answer(scratch) if status == 0 else None
            if answer is None:
                with data_path.open("rb") as fh:
                    kind = sniff(fh.read(64), name, content_type)
                return ScrubResult(None, False, kind, note or limit_note(status, self.limits))
            copy = _plain_file(scratch, answer["copy"])
            path = link_free_name(copy, out_dir, copy.name) if copy is not None else None
            scrubbed = path is not None and answer["scrubbed"]
            return ScrubResult(path, scrubbed, answer["kind"], answer["note"])
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _run(self, job: dict[str, Any]) -> tuple[int, str]:
        """Run one job: (the child's exit status, "" or the note when it was killed)."""
        pipe = self._start().stdin
        pid: int | None = None
        done = False
        try:
            if pipe is None:
                raise OSError("the scrubbing server has no input")
            pipe.write(json.dumps(job).encode() + b"\n")
            pipe.flush()
            pid = int(self._read(time.monotonic() + _START_SECONDS)["pid"])
            note = ""
            try:
                ended = self._read(time.monotonic() + self.limits.wall_seconds)
            except TimeoutError:
                _kill_group(pid)
                ended = self._read(time.monotonic() + _START_SECONDS)
                note = wall_note(self.limits)
            self.cpu_seconds = float(ended.get("cpu", 0.0))
            done = True
            return int(ended["status"]), note
        except (OSError, ValueError, KeyError, TimeoutError) as exc:
            raise WorkspaceError(f"the scrubbing process failed: {exc}") from None
        finally:
            if not done:  # interrupted (Ctrl-C) or broken: no child may outlive this call
                if pid is not None:
                    _kill_group(pid)
                self.close()

    def _start(self) -> subprocess.Popen[bytes]:
        if self._server is None or self._server.poll() is not None:
            self._buffer = b""
            self._server = subprocess.Popen(
                [sys.executable, "-m", "quietwire.desk._scrub_server"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                start_new_session=True,  # Ctrl-C at the terminal is the desk's to handle
                env={**os.environ, **_MALLOC},
            )
        return self._server

    def _read(self, deadline: float) -> dict[str, Any]:
        """The server's next line. Raises TimeoutError, or OSError if it has gone."""
        if self._server is None or self._server.stdout is None:
            raise OSError("the scrubbing server has stopped")
        fd = self._server.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError("no answer in time")
            chunk = os.read(fd, 4096)
            if not chunk:
                raise OSError("the scrubbing server has stopped")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        message = json.loads(line)
        if not isinstance(message, dict):
            raise ValueError("unexpected answer")
        return message


def _kill_group(pid: int) -> None:
    """SIGKILL the child's process group (its own session: mat2 too), else the child."""
    for kill in (os.killpg, os.kill):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)
            return


def _answer(scratch: Path) -> dict[str, Any] | None:
    """The child's answer if it has the expected shape, else None."""
    try:
        with (scratch / ANSWER).open("rb") as fh:
            answer = json.loads(fh.read(_ANSWER_BYTES))
    except (OSError, ValueError):
        return None
    if not isinstance(answer, dict):
        return None
    copy, note = answer.get("copy"), answer.get("note")
    if not (copy is None or isinstance(copy, str)) or not isinstance(note, str):
        return None
    if not isinstance(answer.get("scrubbed"), bool) or answer.get("kind") not in _KINDS:
        return None
    return {
        "copy": copy,
        "scrubbed": answer["scrubbed"],
        "kind": answer["kind"],
        "note": note[:_NOTE_CHARS],
    }


def _plain_file(scratch: Path, name: str | None) -> Path | None:
    """The copy the child named, if it is a regular file directly in its scratch folder."""
    if not name or "/" in name or name in (".", "..", ANSWER):
        return None
    path = scratch / name
    try:
        mode = path.lstat().st_mode
    except OSError:
        return None
    return path if stat.S_ISREG(mode) else None
