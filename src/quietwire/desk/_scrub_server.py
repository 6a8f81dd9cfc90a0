"""The scrubbing fork server: `python -m quietwire.desk._scrub_server`, run by the desk.

It imports the scrubbers once, then forks one child per file, so a scrub costs a fork and
not an interpreter start (about a second, most of it importing the desk). It is single
threaded, which makes the fork safe; the desk's own process has download threads and is
never forked.

Protocol, one JSON object per line. The desk writes a job on stdin:
    {"name", "type", "data": plaintext path, "scratch": empty folder, "limits": {...}}
and the server answers on stdout `{"pid": N}` once the child runs, then `{"status": S,
"cpu": T}` when it has ended (S: its exit status, or minus the signal that ended it; T:
the processor time it used, in seconds). The child
writes its result to `scratch/answer.json`; the desk reads it only after the status, and
trusts nothing in it (see _scrub_child). End of stdin ends the server.

The child, before it reads a byte of the file: starts its own session (the desk kills
the whole group, mat2 included; the terminal's Ctrl-C reaches only the desk), asks the
kernel to kill it if the server dies (PR_SET_PDEATHSIG; the server asks the same about
the desk, so kill -9 of the desk leaves nothing running), and sets its limits: RLIMIT_CPU,
RLIMIT_AS, RLIMIT_FSIZE, and RLIMIT_CORE 0 (a core dump would hold the plaintext).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import signal
import sys
from pathlib import Path
from typing import Any

from quietwire.desk._scrub import scrub
from quietwire.desk._scrub_types import ANSWER, Limits, memory_note, sniff

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Have the kernel SIGKILL this process when the process that started it goes."""
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it went before the request took hold
        os._exit(1)


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the desk decides when children stop
    die_with_parent()
    _warm()
    with contextlib.suppress(BrokenPipeError):  # the desk has gone: so do we
        for line in sys.stdin:
            job = json.loads(line)
            pid = os.fork()
            if pid == 0:
                _child(job)  # never returns
            _tell({"pid": pid})
            _, status, usage = os.wait4(pid, 0)
            cpu = usage.ru_utime + usage.ru_stime
            _tell({"status": os.waitstatus_to_exitcode(status), "cpu": cpu})


def _warm() -> None:
    """Load now what every child would otherwise load again after its fork: Pillow's
    format plugins (imported on the first open) and pikepdf's first document."""
    import pikepdf
    from PIL import Image

    Image.init()
    pikepdf.new().close()


def _tell(message: dict[str, float]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _child(job: dict[str, Any]) -> None:
    code = 70
    try:
        # stdin and stdout are the server's lines to the desk: nothing here may touch them;
        # and what the libraries print about a hostile file is not the editor's business
        # (the exit status and the answer say what happened).
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.setsid()
        die_with_parent()
        limits = Limits(**job["limits"])
        _limit(limits)
        scratch = Path(job["scratch"])
        data = Path(job["data"])
        try:
            result = scrub(job["name"], job["type"], data, scratch, limits=limits)
            answer = {
                "copy": result.path.name if result.path is not None else None,
                "scrubbed": result.scrubbed,
                "kind": result.kind,
                "note": result.note,
            }
        except MemoryError:
            with data.open("rb") as fh:
                kind = sniff(fh.read(64), job["name"], job["type"])
            answer = {"copy": None, "scrubbed": False, "kind": kind, "note": memory_note(limits)}
        fd = os.open(scratch / ANSWER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(answer, out)
        code = 0
    finally:
        os._exit(code)  # never run the server's own clean-up in the child


def _limit(limits: Limits) -> None:
    from PIL import Image

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
    # Python ignores SIGXFSZ (a write then fails with EFBIG and looks like a broken file);
    # by default it ends the process, which the desk reports as the output limit.
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    Image.MAX_IMAGE_PIXELS = limits.max_pixels


if __name__ == "__main__":
    main()
