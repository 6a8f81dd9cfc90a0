"""`desk pull`: download, verify, decrypt, scrub, record, acknowledge.

For each waiting submission:

1. the envelopes arrive and must have exactly the size the server listed. Small
   submissions (every envelope at most SMALL_ENVELOPE) come many to a request
   (`POST /api/v1/envelopes/batch`) and are checked in memory; larger ones are written to
   `incoming/<envelope>.age` as they arrive, and a partial file is resumed with an HTTP
   Range request;
2. the manifest is decrypted in memory and must name this submission, this source and
   exactly the file envelopes listed;
3. each file envelope must carry the header the manifest names (`header_digest`: only
   that header opens that payload) and decrypt whole (a large one by the age command
   while it downloads) to the size the manifest gives. The scrubber, in a child process
   under limits on time, memory and output (see `_scrub_child`), makes a viewing copy
   from a private temporary file, deleted at once, and the desk records that plaintext's
   SHA-256; a file that makes the scrubber exceed its limits is imported "not scrubbed"
   with the reason, its original kept encrypted; a file too large for any scrubber is
   verified without its plaintext ever reaching the disk (and without a SHA-256);
4. only when everything checks out are the envelopes (still encrypted, to the editor) and
   the scrubbed copies moved into place and the rows written in one transaction; then the
   submission is acknowledged.

Any failure in 1-3 rejects the whole submission (nothing recorded, staged files removed,
not acknowledged); a network failure stops the pull and keeps partial downloads to resume.
So does Ctrl-C, at any point: the scrubbing child is killed, the plaintext and staged
files are removed, and what was imported before is acknowledged (`PullInterrupted`).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from pyrage import x25519

from quietwire.crypto import EnvelopeError, FileEntry, Manifest, decrypt_bytes, header_digest
from quietwire.desk._client import DeskClient, check
from quietwire.desk._designation import unique_designation
from quietwire.desk._errors import DeskError, Unreachable
from quietwire.desk._pull_stream import fetch_decrypt
from quietwire.desk._scrub_child import Scrubber
from quietwire.desk._scrub_types import Limits

MAX_MANIFEST_BYTES = 16 * 1024 * 1024
# By default no scrubber reads a file above this (the workspace may set other limits): such
# a file is verified as it is decrypted and its plaintext never reaches the disk at all.
SCRUB_CAP = Limits().largest_cap()
# Submissions whose envelopes are all at most this large are fetched many to a request and
# checked in memory; larger ones stream through a child process (see `_pull_stream`).
SMALL_ENVELOPE = 1024 * 1024
# A batch request carries at most this much (the server allows 500 envelopes and 8 MiB).
BATCH_ENVELOPES = 400
BATCH_BYTES = 4 * 1024 * 1024
Progress = Callable[[int], None]


@dataclass(frozen=True)
class FileResult:
    """One file checked against its manifest entry, ready for `record`."""

    entry: FileEntry
    copy: str  # the scrubbed copy's name in the stage, or ""
    scrubbed: bool
    note: str
    sha256: str | None  # of the plaintext, when the desk had it on disk


@dataclass
class PullReport:
    """What one pull did. `rejected` maps submission ids to the reason."""

    imported: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)
    resumed_bytes: int = 0
    downloaded_bytes: int = 0


class Rejected(DeskError):
    """One submission failed verification; it is not imported."""


class PullInterrupted(DeskError):
    """The editor stopped the pull (Ctrl-C). What `report` lists as imported is in the
    workspace and acknowledged (unless the server could not be told: the next pull does);
    nothing else was kept but partial downloads, which the next pull resumes."""

    def __init__(self, report: PullReport) -> None:
        super().__init__(
            f"interrupted after importing {len(report.imported)} submission(s);"
            " run `quietwire desk pull` again to continue"
        )
        self.report = report


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


def _check_header(entry: FileEntry, envelope: bytes) -> None:
    try:
        digest = header_digest(envelope)
    except EnvelopeError as exc:
        raise Rejected(f"file {entry.position}: {exc}") from None
    if digest != entry.header_sha256:
        raise Rejected(f"file {entry.position}: not the envelope the manifest names")


def _check_size(entry: FileEntry, got: int) -> None:
    if got != entry.size:
        raise Rejected(f"file {entry.position}: the size differs from the manifest")


def fetch_checked(
    client: DeskClient | None,
    env: dict[str, Any],
    dest: Path,
    keys: Sequence[str],
    plain: Path | None,
    entry: FileEntry,
    progress: Progress,
    counts: dict[str, int],
) -> None:
    """Bring one file envelope into `dest` while the age command decrypts it into `plain`
    (or into nothing, for files too large to scrub), then check it against its manifest
    entry. Raises Rejected, removing `plain`; see `fetch_decrypt` for the rest.
    """
    try:
        got = fetch_decrypt(client, env, dest, keys, plain, entry.header_sha256, progress, counts)
        _check_size(entry, got)
    except EnvelopeError as exc:
        if plain is not None:
            plain.unlink(missing_ok=True)
        raise Rejected(f"file {entry.position}: {exc}") from None
    except Rejected:
        if plain is not None:
            plain.unlink(missing_ok=True)
        raise


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


def fetch_batch(client: DeskClient, envs: list[dict[str, Any]]) -> dict[str, bytes]:
    """Several small envelopes in one request: id -> bytes, for those the server still has
    (a missing one makes its submission fail the size check). Raises Unreachable or a
    DeskError from the server's answer. Safe to run in another thread."""
    answer = client.json(
        "POST", "/api/v1/envelopes/batch", json={"envelopes": [str(e["id"]) for e in envs]}
    )
    got: dict[str, bytes] = {}
    for item in answer["envelopes"]:
        with contextlib.suppress(binascii.Error, ValueError, TypeError):
            got[str(item["id"])] = base64.b64decode(item["data"], validate=True)
    return got


def _envelopes(sub: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The manifest envelope and the file envelopes, in position order."""
    envs = sorted(sub["envelopes"], key=lambda e: int(e["position"]))
    manifests = [e for e in envs if e["kind"] == "manifest"]
    if len(manifests) != 1 or int(manifests[0]["size"]) > MAX_MANIFEST_BYTES:
        raise Rejected("the submission has no usable manifest")
    return manifests[0], [e for e in envs if e["kind"] == "file"]


def open_manifest(
    sub: dict[str, Any], sealed: bytes, identities: list[x25519.Identity]
) -> Manifest:
    """Decrypt the manifest and check it names this submission, source and envelopes."""
    _, files = _envelopes(sub)
    try:
        manifest = Manifest.from_bytes(decrypt_bytes(sealed, identities))
    except EnvelopeError as exc:
        raise Rejected(f"manifest: {exc}") from None
    if manifest.submission != sub["id"] or manifest.source != sub["source"]:
        raise Rejected("the manifest belongs to another submission (swapped by the server?)")
    listed = {e["id"] for e in files}
    if {f.envelope for f in manifest.files} != listed or len(manifest.files) != len(listed):
        raise Rejected("the server's file envelopes do not match the manifest")
    return manifest


def _scrub_plain(entry: FileEntry, plain: Path, stage: Path, scrubber: Scrubber) -> FileResult:
    try:
        with plain.open("rb") as fh:
            sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
        outcome = scrubber.scrub(entry.name, entry.type, plain, stage)
    finally:
        plain.unlink(missing_ok=True)
    name = outcome.path.name if outcome.path is not None else ""
    return FileResult(entry, name, outcome.scrubbed, outcome.note, sha256)


def _too_large(entry: FileEntry, cap: int) -> FileResult:
    note = f"too large to scrub ({entry.size} bytes, limit {cap})"
    return FileResult(entry, "", False, note, None)


def is_small(sub: dict[str, Any]) -> bool:
    """Whether `sub` is small enough to be fetched in a batch and checked in memory."""
    sizes = [int(e["size"]) for e in sub["envelopes"]]
    return (
        max(sizes, default=0) <= SMALL_ENVELOPE
        and sum(sizes) <= BATCH_BYTES
        and len(sizes) <= BATCH_ENVELOPES
    )


def verify_small(
    sub: dict[str, Any],
    blobs: dict[str, bytes],
    paths: Paths,
    identities: list[x25519.Identity],
    stage: Path,
    scrubber: Scrubber,
) -> tuple[Manifest, list[FileResult]]:
    """Check a submission fetched in a batch (`blobs`), decrypting in memory; write its
    envelopes to `incoming/` and scrubbed copies into `stage` for `record`.

    Raises Rejected with a reason the editor can act on.
    """
    for env in sub["envelopes"]:
        data = blobs.get(str(env["id"]))
        if data is None or len(data) != int(env["size"]):
            raise Rejected("an envelope did not have the size the server listed")
    manifest_env, _ = _envelopes(sub)
    manifest = open_manifest(sub, blobs[str(manifest_env["id"])], identities)
    results: list[FileResult] = []
    for entry in manifest.files:
        _check_header(entry, blobs[entry.envelope])
        try:
            data = decrypt_bytes(blobs[entry.envelope], identities)
        except EnvelopeError as exc:
            raise Rejected(f"file {entry.position}: {exc}") from None
        _check_size(entry, len(data))
        plain = paths.tmp / f"{secrets.token_hex(8)}.plain"
        try:
            fd = os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
        except BaseException:
            plain.unlink(missing_ok=True)
            raise
        del data
        results.append(_scrub_plain(entry, plain, stage, scrubber))
    for env in sub["envelopes"]:
        _write_new(paths.incoming / f"{env['id']}.age", blobs[str(env["id"])])
    return manifest, results


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def verify_streaming(
    client: DeskClient,
    sub: dict[str, Any],
    paths: Paths,
    identities: list[x25519.Identity],
    stage: Path,
    progress: Progress,
    report: PullReport,
    scrubber: Scrubber,
) -> tuple[Manifest, list[FileResult]]:
    """Download and check a submission with large envelopes: the manifest first, then
    each file decrypted in a child process while it downloads (see `_pull_stream`).

    Raises Rejected, Unreachable (partial downloads kept for the next pull) or DeskError.
    """
    manifest_env, files = _envelopes(sub)
    manifest_path = paths.incoming / f"{manifest_env['id']}.age"
    download(client, manifest_env, manifest_path, progress, report)
    manifest = open_manifest(sub, manifest_path.read_bytes(), identities)
    by_id = {str(e["id"]): e for e in files}
    keys = [str(i) for i in identities]
    counts = {"downloaded": 0, "resumed": 0}
    results: list[FileResult] = []
    try:
        for entry in manifest.files:
            plain = None
            if entry.size <= scrubber.limits.largest_cap():
                plain = paths.tmp / f"{secrets.token_hex(8)}.plain"
            dest = paths.incoming / f"{entry.envelope}.age"
            fetch_checked(client, by_id[entry.envelope], dest, keys, plain, entry, progress, counts)
            if plain is None:
                results.append(_too_large(entry, scrubber.limits.largest_cap()))
            else:
                results.append(_scrub_plain(entry, plain, stage, scrubber))
    finally:
        report.downloaded_bytes += counts["downloaded"]
        report.resumed_bytes += counts["resumed"]
    return manifest, results


def record(
    conn: sqlite3.Connection,
    paths: Paths,
    sub: dict[str, Any],
    recipient: str,
    manifest: Manifest,
    files: list[FileResult],
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
    for f in files:
        if f.copy:
            os.replace(stage / f.copy, scrubbed / f.copy)
    now = datetime.now(UTC).isoformat(timespec="seconds")
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
        for f in files:
            conn.execute(
                "INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    sub_id,
                    f.entry.position,
                    f.entry.name,
                    f.entry.type,
                    f.entry.size,
                    f.sha256,
                    f"{f.entry.envelope}.age",
                    f.copy or None,
                    int(f.scrubbed),
                    f.note,
                ),
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        shutil.rmtree(originals, ignore_errors=True)
        shutil.rmtree(scrubbed, ignore_errors=True)
        raise


def sweep_tmp(paths: Paths) -> None:
    """Empty tmp/: plaintext, staged copies and scrubbing scratch folders left by a pull
    that was killed (kill -9, a crash, a power cut). Only call it holding the pull lock."""
    for entry in paths.tmp.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def discard(paths: Paths, sub: dict[str, Any]) -> None:
    """Remove a rejected submission's downloads so the next pull fetches them afresh."""
    for env in sub["envelopes"]:
        (paths.incoming / f"{env['id']}.age").unlink(missing_ok=True)
