"""Office documents: Debian's mat2 in a subprocess, its result checked.

Word processors write the author, the last editor, the company, revision counts,
printer names and edit times into docProps/ and meta.xml, and zip timestamps betray
the author's clock. mat2 (a maintained tool, Debian package `mat2`; the PyPI build needs
PyGObject and cairo, see FINDINGS.md) rewrites these documents without them and refuses
archives with members it does not understand.

mat2 parses hostile input, so it runs as a separate process: with a fixed argument list
(no shell), a minimal environment, a private temporary directory, a timeout, and the
scrub's limits on processor time, memory and file size (inherited from the scrubbing
child, and set again through util-linux `prlimit` when present). Success is not taken on
mat2's word: the copy is read back with `mat2 --show` and must report no metadata.

A zip bomb (a 2 MB .docx whose member unzips to gigabytes) is refused before mat2 sees
it: mat2 unzips every member to its temporary directory, and Python's zipfile, which it
uses, never writes more of a member than the central directory declares, so the declared
sizes bound the disk mat2 can fill.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from quietwire.desk._scrub_types import MB, Limits, Outcome, limit_note, memory_note, wall_note

OFFICE_EXTENSIONS = {".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".odg", ".epub"}
MAX_MEMBERS = 10_000


def mat2_path() -> str | None:
    """The mat2 executable, or None when it is not installed."""
    return shutil.which("mat2", path="/usr/bin:/usr/local/bin:/bin")


def scrub_office(src: Path, dst: Path, limits: Limits, suffix: str) -> Outcome:
    """Write a copy of the document at `src` (a `suffix` file) cleaned by mat2 to `dst`."""
    if suffix not in OFFICE_EXTENSIONS:
        return Outcome(False, False, "", f"{suffix or 'this'} archive is not a known document")
    mat2 = mat2_path()
    if mat2 is None:
        return Outcome(False, False, "", "mat2 is not installed: not scrubbed")
    refused = _refuse_bomb(src, limits)
    if refused:
        return Outcome(False, False, "", refused)
    # mat2 runs inside its private directory (its cwd, HOME and TMPDIR), so every path it
    # is given must be absolute. With a relative workspace (`desk pull --dir ws`) it was
    # once handed `ws/.../.mat2-x/document.docx` from inside `.mat2-x` itself, found
    # nothing, and every office document stayed unscrubbed.
    with tempfile.TemporaryDirectory(dir=dst.parent.resolve(), prefix=".mat2-") as tmp:
        work = Path(tmp)
        # The file gets a name we chose: mat2 picks its parser from the extension.
        doc = work / f"document{suffix}"
        shutil.copyfile(src, doc)
        cleaned = work / f"document.cleaned{suffix}"
        ok, failed = _run([mat2, "--", str(doc)], work, limits)
        if not ok:
            note = failed or "mat2 could not clean this document: not scrubbed"
            return Outcome(False, False, "", note)
        if not cleaned.is_file():
            # mat2 exits 0 after some failures ("doesn't exist", an unsupported file):
            # only the cleaned copy on disk shows that it did its work.
            return Outcome(False, False, "", "mat2 wrote no cleaned copy: not scrubbed")
        ok, shown = _run([mat2, "--show", "--", str(cleaned)], work, limits)
        if not ok and shown.startswith("not scrubbed: "):
            return Outcome(False, False, "", shown)
        if not ok or "No metadata found" not in shown:
            return Outcome(False, False, "", "mat2 left metadata in this document: not scrubbed")
        fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out, cleaned.open("rb") as inp:
            shutil.copyfileobj(inp, out)
    return Outcome(True, True, suffix, "document metadata removed with mat2")


def _refuse_bomb(src: Path, limits: Limits) -> str:
    """Why the archive must not be unzipped at all, or "" when it may."""
    try:
        with zipfile.ZipFile(src) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "the document is not a readable zip archive: not scrubbed"
    if len(members) > MAX_MEMBERS:
        return f"the document has {len(members)} parts (limit {MAX_MEMBERS}): not scrubbed"
    expanded = sum(m.file_size for m in members)
    if expanded > limits.output_bytes:
        return (
            f"not scrubbed: the document unzips to {expanded // MB} MiB"
            f" (limit {limits.output_bytes // MB} MiB)"
        )
    return ""


def _run(argv: list[str], work: Path, limits: Limits) -> tuple[bool, str]:
    """Run mat2; (True, its output) on success, else (False, a note when a limit stopped
    it or "" when it simply failed)."""
    prlimit = shutil.which("prlimit", path="/usr/bin:/bin")
    if prlimit is not None:
        argv = [
            prlimit,
            f"--as={limits.memory_bytes}",
            f"--fsize={limits.output_bytes}",
            f"--cpu={limits.cpu_seconds}",
            "--core=0",  # a core dump of mat2 would hold the document's plaintext
            "--",
            *argv,
        ]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8", "TMPDIR": str(work)}
    try:
        done = subprocess.run(  # noqa: S603 - fixed argument list, no shell, our own file names
            argv,
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=limits.wall_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False, wall_note(limits)
    if done.returncode < 0:
        return False, limit_note(done.returncode, limits)
    if done.returncode != 0 and b"MemoryError" in done.stderr:
        return False, memory_note(limits)
    return done.returncode == 0, done.stdout.decode("utf-8", "replace")
