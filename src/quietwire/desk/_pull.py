"""`desk pull`: download, verify, decrypt, scrub, record, acknowledge.

For each waiting submission:

1. every envelope is downloaded to `incoming/<envelope>.age`, resuming a partial file
   with an HTTP Range request, and must have exactly the size the server listed;
2. the manifest is decrypted in memory and must name this submission, this source and
   exactly the file envelopes listed;
3. each file envelope is decrypted to a temporary file while its SHA-256 and size are
   computed; both must match the manifest. The scrubber makes a viewing copy from it and
   the temporary plaintext is deleted at once;
4. only when everything checks out are the envelopes (still encrypted, to the editor) and
   the scrubbed copies moved into place and the rows written in one transaction; then the
   submission is acknowledged.

Any failure in 2-3 rejects the whole submission (nothing recorded, staged files removed,
not acknowledged); a network failure stops the pull and keeps partial downloads to resume.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import httpx
from pyrage import x25519

from quietwire.crypto import EnvelopeError, Manifest, decrypt_bytes, decrypt_stream
from quietwire.desk._client import DeskClient, check
from quietwire.desk._designation import unique_designation
from quietwire.desk._errors import DeskError, Unreachable
from quietwire.desk._scrub import DEFAULT_LIMITS, scrub

CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
# Above this no scrubber reads a file (see desk._scrub_types.Limits): the plaintext of such a
# file is then verified in memory, chunk by chunk, and never written to the disk at all.
SCRUB_CAP = max(DEFAULT_LIMITS.cap(kind) for kind in ("image", "pdf", "office", "text"))
Progress = Callable[[int], None]


@dataclass
class PullReport:
    """What one pull did. `rejected` maps submission ids to the reason."""

    imported: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)
    resumed_bytes: int = 0
    downloaded_bytes: int = 0


class Rejected(DeskError):
    """One submission failed verification; it is not imported."""


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def incoming(self) -> Path:
        return self.root / "incoming"

    @property
    def originals(self) -> Path:
        return self.root / "originals"

    @property
    def scrubbed(self) -> Path:
        return self.root / "scrubbed"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"


class _HashingWriter:
    """A writer for pyrage that hashes and counts plaintext on its way to a file."""

    def __init__(self, fh: BinaryIO | None) -> None:
        self._fh = fh
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return len(data) if self._fh is None else self._fh.write(data)

    def flush(self) -> None:
        if self._fh is not None:
            self._fh.flush()


def _check(position: int, writer: _HashingWriter, size: int, sha256: str) -> None:
    if writer.size != size or writer.sha256.hexdigest() != sha256:
        raise Rejected(f"file {position}: size or SHA-256 differs from the manifest")


def _verify_only(
    envelope: Path, position: int, size: int, sha256: str, identities: list[x25519.Identity]
) -> None:
    """Decrypt into a hash only: authenticate the envelope and match the manifest."""
    writer = _HashingWriter(None)
    try:
        with envelope.open("rb") as src:
            decrypt_stream(src, writer, identities)  # type: ignore[arg-type]
    except EnvelopeError as exc:
        raise Rejected(f"file {position}: {exc}") from None
    _check(position, writer, size, sha256)


def download(
    client: DeskClient, env: dict[str, Any], dest: Path, progress: Progress, report: PullReport
) -> None:
    """Fetch one envelope into `dest`, resuming from what is there. Raises Unreachable or
    Rejected (the server sent a different size than it listed)."""
    size = int(env["size"])
    have = dest.stat().st_size if dest.exists() else 0
    if have > size:
        dest.unlink()
        have = 0
    if have == size:
        progress(size)
        return
    headers = {"Range": f"bytes={have}-"} if have else {}
    try:
        with client.http.stream("GET", f"/api/v1/envelopes/{env['id']}", headers=headers) as r:
            check(r)
            if r.status_code == 200:
                have = 0
            else:
                report.resumed_bytes += have
            progress(have)
            fd = os.open(
                dest, os.O_WRONLY | os.O_CREAT | (os.O_APPEND if have else os.O_TRUNC), 0o600
            )
            with os.fdopen(fd, "ab" if have else "wb") as out:
                for chunk in r.iter_raw():
                    out.write(chunk)
                    report.downloaded_bytes += len(chunk)
                    progress(len(chunk))
                out.flush()
    except httpx.TransportError as exc:
        raise Unreachable(
            f"the download stopped ({type(exc).__name__}); run `desk pull` again to resume"
        ) from None
    if dest.stat().st_size != size:
        dest.unlink()
        raise Rejected("an envelope did not have the size the server listed")


def verify_and_stage(
    sub: dict[str, Any], paths: Paths, identities: list[x25519.Identity], stage: Path
) -> tuple[Manifest, list[tuple[int, str, str, bool, str]]]:
    """Decrypt and check a downloaded submission; write scrubbed copies into `stage`.

    Returns the manifest and, per file, (position, envelope id, scrubbed copy name or "",
    scrubbed, note). Raises Rejected with a reason the editor can act on.
    """

    envs = sorted(sub["envelopes"], key=lambda e: int(e["position"]))
    manifests = [e for e in envs if e["kind"] == "manifest"]
    if len(manifests) != 1 or int(manifests[0]["size"]) > MAX_MANIFEST_BYTES:
        raise Rejected("the submission has no usable manifest")
    try:
        data = decrypt_bytes(
            (paths.incoming / f"{manifests[0]['id']}.age").read_bytes(), identities
        )
        manifest = Manifest.from_bytes(data)
    except EnvelopeError as exc:
        raise Rejected(f"manifest: {exc}") from None
    if manifest.submission != sub["id"] or manifest.source != sub["source"]:
        raise Rejected("the manifest belongs to another submission (swapped by the server?)")
    listed = {e["id"] for e in envs if e["kind"] == "file"}
    if {f.envelope for f in manifest.files} != listed or len(manifest.files) != len(listed):
        raise Rejected("the server's file envelopes do not match the manifest")
    results: list[tuple[int, str, str, bool, str]] = []
    for entry in manifest.files:
        src_path = paths.incoming / f"{entry.envelope}.age"
        if entry.size > SCRUB_CAP:
            # Too large for any scrubber: check it without ever writing its plaintext.
            _verify_only(src_path, entry.position, entry.size, entry.sha256, identities)
            note = f"too large to scrub ({entry.size} bytes, limit {SCRUB_CAP})"
            results.append((entry.position, entry.envelope, "", False, note))
            continue
        plain = paths.tmp / f"{secrets.token_hex(8)}.plain"
        try:
            fd = os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb", buffering=CHUNK) as out, src_path.open("rb") as src:
                writer = _HashingWriter(out)
                # One pass: decrypt (pyrage, chunk by chunk), hash and count on the way out.
                decrypt_stream(src, writer, identities)  # type: ignore[arg-type]
            _check(entry.position, writer, entry.size, entry.sha256)
            outcome = scrub(entry.name, entry.type, plain, stage)
            name = outcome.path.name if outcome.path is not None else ""
            results.append((entry.position, entry.envelope, name, outcome.scrubbed, outcome.note))
        except EnvelopeError as exc:
            raise Rejected(f"file {entry.position}: {exc}") from None
        finally:
            plain.unlink(missing_ok=True)
    return manifest, results


def record(
    conn: sqlite3.Connection,
    paths: Paths,
    sub: dict[str, Any],
    recipient: str,
    manifest: Manifest,
    files: list[tuple[int, str, str, bool, str]],
    stage: Path,
) -> None:
    """Move staged envelopes and copies into place, then write the rows in one transaction."""
    sub_id = sub["id"]
    originals = paths.originals / sub_id
    scrubbed = paths.scrubbed / sub_id
    originals.mkdir(mode=0o700, exist_ok=True)
    scrubbed.mkdir(mode=0o700, exist_ok=True)
    for env in sub["envelopes"]:
        os.replace(paths.incoming / f"{env['id']}.age", originals / f"{env['id']}.age")
    for _, _, name, _, _ in files:
        if name:
            os.replace(stage / name, scrubbed / name)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    by_env = {f.envelope: f for f in manifest.files}
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT 1 FROM sources WHERE id=?", (sub["source"],)).fetchone() is None:
            taken = {r[0] for r in conn.execute("SELECT designation FROM sources")}
            conn.execute(
                "INSERT INTO sources VALUES (?,?,?,?)",
                (sub["source"], unique_designation(sub["source"], taken), recipient, now),
            )
        conn.execute(
            "INSERT INTO submissions (id, source_id, received, lang, text, answers, imported)"
            " VALUES (?,?,?,?,?,?,?)",
            (
                sub_id,
                sub["source"],
                manifest.received,
                manifest.lang,
                manifest.text,
                json.dumps(manifest.report, ensure_ascii=False),
                now,
            ),
        )
        for position, env_id, name, ok, note in files:
            entry = by_env[env_id]
            conn.execute(
                "INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    sub_id,
                    position,
                    entry.name,
                    entry.type,
                    entry.size,
                    entry.sha256,
                    f"{env_id}.age",
                    name or None,
                    int(ok),
                    note,
                ),
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        shutil.rmtree(originals, ignore_errors=True)
        shutil.rmtree(scrubbed, ignore_errors=True)
        raise


def discard(paths: Paths, sub: dict[str, Any]) -> None:
    """Remove a rejected submission's downloads so the next pull fetches them afresh."""
    for env in sub["envelopes"]:
        (paths.incoming / f"{env['id']}.age").unlink(missing_ok=True)
