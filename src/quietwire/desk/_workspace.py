"""The editor's workspace: a private directory with its own database, envelopes and copies.

    WS/                 0700
      desk.toml         server URL and token (0600)
      identity.txt      the editor's age identity as given (passphrase-protected or not), 0600
      desk.db           sources, submissions, files, replies, read/star marks (SQLite)
      originals/<sub>/  the downloaded age envelopes, still encrypted to the editors
      scrubbed/<sub>/   scrubbed viewing copies
      incoming/         downloads in progress (resumed by the next pull)
      rejected.json     submissions that failed verification, not fetched again while the
                        server lists the same envelopes (delete it to try them afresh)
      tmp/              decrypted plaintext while it is checked and scrubbed (deleted at once;
                        what a killed pull left is removed when the workspace is next opened)

desk.toml may carry a `[scrub]` table of limits for the scrubbing child (see
desk._scrub_types.CONFIG_KEYS and docs/desk.md); absent keys keep safe defaults.

The identity is decrypted only when needed (pull, opening an original) and kept in memory.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sqlite3
import stat
import time
import tomllib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import tomli_w
from pyrage import x25519

from quietwire.crypto import decrypt_stream, encrypt_bytes, parse_recipient
from quietwire.desk import _pull
from quietwire.desk._client import DeskClient
from quietwire.desk._errors import DeskError, IdentityError, NotFound, WorkspaceError
from quietwire.desk._identity import PassphraseSource, load_identities
from quietwire.desk._localdb import connect
from quietwire.desk._scrub_child import Scrubber
from quietwire.desk._scrub_types import Limits, limits_from_config
from quietwire.desk._views import FileView, ReplyView, SourceView, SubmissionView, file_view

CONFIG = "desk.toml"
IDENTITY = "identity.txt"
DATABASE = "desk.db"
REJECTED = "rejected.json"
ACK_BATCH = 100
PULL_LOCK = ".pull.lock"


def _fingerprint(sub: dict[str, Any]) -> str:
    """The envelopes the server lists for a submission, as one comparable string."""
    return ",".join(sorted(f"{e['id']}:{e['size']}" for e in sub["envelopes"]))


def _groups(subs: list[dict[str, Any]]) -> list[tuple[bool, list[dict[str, Any]]]]:
    """Split submissions, in order, into batches of small ones (True) and single large ones."""
    groups: list[tuple[bool, list[dict[str, Any]]]] = []
    count = size = 0
    for sub in subs:
        if not _pull.is_small(sub):
            groups.append((False, [sub]))
            continue
        n = len(sub["envelopes"])
        bytes_ = sum(int(e["size"]) for e in sub["envelopes"])
        if (
            not groups
            or not groups[-1][0]
            or count + n > _pull.BATCH_ENVELOPES
            or size + bytes_ > _pull.BATCH_BYTES
        ):
            groups.append((True, []))
            count = size = 0
        groups[-1][1].append(sub)
        count += n
        size += bytes_
    return groups


def _check_private(root: Path) -> None:
    """Refuse a workspace that other users of this computer could read or change.

    Its folder holds decrypted submissions and its files the editor's token and identity;
    `init` makes them the owner's alone. Finding them opened up later (a copy, a restore,
    a stray chmod) is a reason to stop, as ssh stops at a private key others can read.
    """
    for path in (root, root / CONFIG, root / IDENTITY):
        try:
            st = path.stat()
        except FileNotFoundError:
            continue  # a missing identity is reported where it is needed
        if st.st_uid != os.getuid() or st.st_mode & 0o077:
            raise WorkspaceError(
                f"{path} can be read or changed by other users (mode "
                f"{stat.filemode(st.st_mode)}, owner uid {st.st_uid}): the workspace holds "
                f"decrypted submissions and your token. Check who could have read it, then "
                f"run `chmod -R go-rwx {root}` as its owner"
            )


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _lock_briefly_held(lock_fd: int) -> None:
    """Take the pull lock, waiting out the moment another command holds it to sweep tmp/.
    Raises WorkspaceError while another pull holds it."""
    for _ in range(40):
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            time.sleep(0.05)
            continue
        return
    raise WorkspaceError("another `desk pull` is running on this workspace")


class Workspace:
    """An opened workspace. Not thread-safe across writers; one per process is the norm."""

    def __init__(
        self,
        root: Path,
        server: str,
        token: str,
        passphrase: PassphraseSource | None,
        limits: Limits | None = None,
    ):
        self.root = root
        self.server = server
        self.limits = limits or Limits()
        self._token = token
        self._passphrase = passphrase
        self._identities: list[x25519.Identity] | None = None
        self.paths = _pull.Paths(root)
        self.db: sqlite3.Connection = connect(root / DATABASE)

    # -- creating and opening ------------------------------------------------------------

    @classmethod
    def init(
        cls,
        root: Path,
        server: str,
        token: str,
        identity_file: Path,
        passphrase: PassphraseSource | None = None,
        *,
        check_server: bool = True,
    ) -> Workspace:
        """Create a workspace at `root` (must not hold one). Checks the identity loads (asking
        for the passphrase if protected) and, unless told not to, that the server accepts
        the token. Nothing is left behind on failure."""
        if (root / CONFIG).exists():
            raise WorkspaceError(f"{root} holds a workspace already")
        try:
            identity = identity_file.read_bytes()
        except OSError as exc:
            raise IdentityError(f"cannot read the identity file: {exc.strerror}") from None
        load_identities(identity, passphrase)
        if check_server:
            with DeskClient(server, token) as client:
                client.json("GET", "/api/v1/me")
        existed = root.exists()
        try:
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(root, 0o700)
            for sub in ("originals", "scrubbed", "incoming", "tmp"):
                (root / sub).mkdir(mode=0o700, exist_ok=True)
            _write_private(root / IDENTITY, identity)
            _write_private(
                root / CONFIG, tomli_w.dumps({"server": server, "token": token}).encode()
            )
            ws = cls(root, server, token, passphrase)
        except BaseException:
            for name in (CONFIG, IDENTITY, DATABASE):
                (root / name).unlink(missing_ok=True)
            if not existed:
                shutil.rmtree(root, ignore_errors=True)
            raise
        return ws

    @classmethod
    def open(cls, root: Path, passphrase: PassphraseSource | None = None) -> Workspace:
        """Open an existing workspace. `passphrase` is asked only if a protected identity is
        needed. Raises WorkspaceError if `root` is not a workspace."""
        try:
            raw = tomllib.loads((root / CONFIG).read_text(encoding="utf-8"))
            server, token = str(raw["server"]), str(raw["token"])
        except FileNotFoundError:
            raise WorkspaceError(f"no workspace in {root}: run `quietwire desk init`") from None
        except (tomllib.TOMLDecodeError, KeyError):
            raise WorkspaceError(f"{root / CONFIG} is damaged") from None
        try:
            scrub = raw.get("scrub", {})
            if not isinstance(scrub, dict):
                raise ValueError("[scrub] must be a table")
            limits = limits_from_config(scrub)
        except ValueError as exc:
            raise WorkspaceError(f"{root / CONFIG}: {exc}") from None
        _check_private(root)
        ws = cls(root, server, token, passphrase, limits)
        ws._sweep_if_idle()
        return ws

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def client(self) -> DeskClient:
        """A client for the desk API with this workspace's token (close it after use)."""
        return DeskClient(self.server, self._token)

    def endpoint(self) -> tuple[str, str]:
        """The desk API URL and token `desk init` stored (the bulletin commands' default)."""
        return self.server, self._token

    def identities(self) -> list[x25519.Identity]:
        """The editor's identities, decrypting the identity file on first use."""
        if self._identities is None:
            self._identities = load_identities(
                (self.root / IDENTITY).read_bytes(), self._passphrase
            )
        return self._identities

    # -- pulling ----------------------------------------------------------------------------

    def pull(
        self,
        on_total: Callable[[int], None] = lambda n: None,
        on_bytes: Callable[[int], None] = lambda n: None,
    ) -> _pull.PullReport:
        """Fetch, verify, import and acknowledge every waiting submission.

        Returns a PullReport; rejected submissions are listed there with the reason and
        left on the server; later pulls list them again without fetching them while the
        server offers the same envelopes. A file that makes the scrubbing child exceed
        its limits (self.limits) is imported "not scrubbed: <why>", its original kept
        encrypted, and the pull goes on. Raises Unreachable if the server goes away (what
        was fully imported stays; partial downloads resume next time), ServerError on a
        refused token, IdentityError if the identity cannot be loaded, PullInterrupted on
        Ctrl-C (with the report so far; what it imported is acknowledged).
        """
        identities = self.identities()
        report = _pull.PullReport()
        lock_fd = os.open(self.root / PULL_LOCK, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            _lock_briefly_held(lock_fd)
            self._pull_locked(identities, report, on_total, on_bytes)
        except KeyboardInterrupt:
            # Everything below has cleaned up on its way out (the scrubbing child killed,
            # plaintext and staged files removed) and acknowledged what was imported.
            raise _pull.PullInterrupted(report) from None
        finally:
            os.close(lock_fd)  # releases the lock
        return report

    def _sweep_if_idle(self) -> None:
        """Empty tmp/ unless a pull is running: a desk killed with kill -9 in the middle of
        a scrub leaves plaintext there, which must not wait for the next pull."""
        try:
            lock_fd = os.open(self.root / PULL_LOCK, os.O_WRONLY | os.O_CREAT, 0o600)
        except OSError:
            return  # a read-only workspace: nothing could have been written there either
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if self.paths.tmp.is_dir():
                _pull.sweep_tmp(self.paths)
        except BlockingIOError:
            pass  # the running pull owns tmp/
        finally:
            os.close(lock_fd)

    def _pull_locked(
        self,
        identities: list[x25519.Identity],
        report: _pull.PullReport,
        on_total: Callable[[int], None],
        on_bytes: Callable[[int], None],
    ) -> None:
        self._sweep()
        with (
            self.client() as client,
            ThreadPoolExecutor(1, "pull-prefetch") as prefetch,
            Scrubber(self.limits) as scrubber,
        ):
            recipients = {
                s["id"]: s["reply_recipient"] for s in client.json("GET", "/api/v1/sources")
            }
            waiting: list[dict[str, Any]] = []
            after = "0"
            while True:
                page = client.json(
                    "GET", "/api/v1/submissions", params={"after": after, "limit": 200}
                )
                waiting.extend(page["submissions"])
                if page["next"] is None:
                    break
                after = page["next"]
            known = {r[0] for r in self.db.execute("SELECT id FROM submissions")}
            earlier = self._rejected_earlier()
            to_ack: list[str] = []
            todo: list[dict[str, Any]] = []
            for sub in waiting:
                sub_id = str(sub["id"])
                if sub_id in known:  # imported before, its acknowledgement did not arrive
                    report.imported.append(sub_id)
                    to_ack.append(sub_id)
                elif _fingerprint(sub) == earlier.get(sub_id, {}).get("envelopes"):
                    reason = earlier[sub_id].get("reason", "")
                    report.rejected[sub_id] = f"{reason} (at an earlier pull; not fetched again)"
                else:
                    todo.append(sub)
            on_total(sum(int(e["size"]) for s in todo for e in s["envelopes"]))
            groups = _groups(todo)
            ahead: dict[int, Future[dict[str, bytes]]] = {}

            def fetch(index: int) -> None:
                if index < len(groups) and groups[index][0] and index not in ahead:
                    envs = [e for sub in groups[index][1] for e in sub["envelopes"]]
                    ahead[index] = prefetch.submit(_pull.fetch_batch, client, envs)

            try:
                for index, (batched, subs) in enumerate(groups):
                    fetch(index)
                    fetch(index + 1)  # the next batch arrives while this one is checked
                    blobs = ahead.pop(index).result() if batched else {}
                    for data in blobs.values():
                        report.downloaded_bytes += len(data)
                        on_bytes(len(data))
                    for sub in subs:
                        if self._import_one(
                            client, sub, blobs, identities, recipients, report, on_bytes, scrubber
                        ):
                            to_ack.append(str(sub["id"]))
                        if len(to_ack) >= ACK_BATCH:
                            self._acknowledge(client, to_ack)
            finally:
                with contextlib.suppress(OSError):  # only saves work: the next pull re-checks
                    self._remember_rejected(waiting, earlier, report)
                if to_ack:
                    with contextlib.suppress(DeskError):  # acknowledged next time instead
                        self._acknowledge(client, to_ack)

    def _acknowledge(self, client: DeskClient, ids: list[str]) -> None:
        """Make the imports durable, then tell the server (which may delete them)."""
        # One checkpoint and one sync for the whole batch instead of an fsync per file:
        # nothing is acknowledged (and so deleted on the server) before it is on disk here.
        self.db.execute("PRAGMA wal_checkpoint(FULL)")
        os.sync()
        client.json("POST", "/api/v1/acks", json={"submissions": ids})
        ids.clear()

    def _import_one(
        self,
        client: DeskClient,
        sub: dict[str, Any],
        blobs: dict[str, bytes],
        identities: list[x25519.Identity],
        recipients: dict[str, str],
        report: _pull.PullReport,
        on_bytes: Callable[[int], None],
        scrubber: Scrubber,
    ) -> bool:
        """Verify and record one submission; True if it is now in the workspace.

        A small one comes from `blobs` (fetched in a batch), a large one streams here.
        """
        sub_id = str(sub["id"])
        stage = self.paths.tmp / f"stage-{sub_id}"
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir(mode=0o700)
        try:
            if _pull.is_small(sub):
                manifest, files = _pull.verify_small(
                    sub, blobs, self.paths, identities, stage, scrubber
                )
            else:
                manifest, files = _pull.verify_streaming(
                    client, sub, self.paths, identities, stage, on_bytes, report, scrubber
                )
            recipient = recipients.get(str(sub["source"]))
            if recipient is None:
                raise _pull.Rejected("the server lists no such source")
            _pull.record(self.db, self.paths, sub, recipient, manifest, files, stage)
        except _pull.Rejected as exc:
            report.rejected[sub_id] = str(exc)
            _pull.discard(self.paths, sub)
            return False
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        report.imported.append(sub_id)
        return True

    def _rejected_earlier(self) -> dict[str, dict[str, str]]:
        """Submissions an earlier pull rejected: id -> {"envelopes": ..., "reason": ...}."""
        try:
            raw = json.loads((self.root / REJECTED).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict):
            return {}
        return {
            str(k): {str(a): str(b) for a, b in v.items()}
            for k, v in raw.items()
            if isinstance(v, dict)
        }

    def _remember_rejected(
        self,
        waiting: list[dict[str, Any]],
        earlier: dict[str, dict[str, str]],
        report: _pull.PullReport,
    ) -> None:
        """Keep the rejections that the server still lists, so the next pull does not fetch
        the same bad envelopes again (deleting `rejected.json` makes it try them afresh)."""
        keep: dict[str, dict[str, str]] = {}
        for sub in waiting:
            sub_id = str(sub["id"])
            if sub_id not in report.rejected:
                continue
            if earlier.get(sub_id, {}).get("envelopes") == _fingerprint(sub):
                keep[sub_id] = earlier[sub_id]  # skipped this time: keep the first reason
            else:
                keep[sub_id] = {"envelopes": _fingerprint(sub), "reason": report.rejected[sub_id]}
        path = self.root / REJECTED
        if not keep:
            path.unlink(missing_ok=True)
            return
        part = self.root / f"{REJECTED}.part"
        part.unlink(missing_ok=True)
        _write_private(part, json.dumps(keep, ensure_ascii=False).encode("utf-8"))
        os.replace(part, path)

    def _sweep(self) -> None:
        """Remove leftovers of an interrupted import: staged copies, stray plaintext, and
        envelope folders no row points at. Partial downloads in incoming/ are kept."""
        _pull.sweep_tmp(self.paths)
        known = {r[0] for r in self.db.execute("SELECT id FROM submissions")}
        for folder in (self.paths.originals, self.paths.scrubbed):
            for entry in folder.iterdir():
                if entry.name not in known:
                    shutil.rmtree(entry, ignore_errors=True)

    # -- reading ------------------------------------------------------------------------------

    def sources(self) -> list[SourceView]:
        """Every source, newest activity first, with submission and unread counts."""
        rows = self.db.execute(
            "SELECT s.id, s.designation, COUNT(m.id) AS n, COALESCE(SUM(m.read = 0), 0) AS unread,"
            " MAX(m.received) AS last FROM sources s LEFT JOIN submissions m ON m.source_id = s.id"
            " GROUP BY s.id ORDER BY last DESC, s.designation"
        ).fetchall()
        return [
            SourceView(
                id=r["id"],
                designation=r["designation"],
                submissions=r["n"],
                unread=r["unread"],
                last_received=r["last"],
            )
            for r in rows
        ]

    def source(self, designation: str) -> SourceView:
        """The source with this designation. Raises NotFound."""
        for s in self.sources():
            if s.designation == designation:
                return s
        raise NotFound(f"no source designated {designation!r}")

    def submissions(self, designation: str | None = None) -> list[SubmissionView]:
        """Submissions (all, or one source's), oldest first, with their files."""
        query = "SELECT id FROM submissions"
        args: tuple[str, ...] = ()
        if designation is not None:
            query += " WHERE source_id = ?"
            args = (self.source(designation).id,)
        ids = [r[0] for r in self.db.execute(query + " ORDER BY received, imported, id", args)]
        return [self.submission(i) for i in ids]

    def submission(self, submission_id: str) -> SubmissionView:
        """One submission with its text, structured answers and files. Raises NotFound."""
        row = self.db.execute(
            "SELECT m.*, s.designation FROM submissions m JOIN sources s ON s.id = m.source_id"
            " WHERE m.id = ?",
            (submission_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no submission {submission_id!r} in this workspace")
        files = self.db.execute(
            "SELECT * FROM files WHERE submission_id = ? ORDER BY position", (submission_id,)
        ).fetchall()
        return SubmissionView(
            id=row["id"],
            source_id=row["source_id"],
            designation=row["designation"],
            received=row["received"],
            lang=row["lang"],
            text=row["text"],
            answers=dict(json.loads(row["answers"])),
            read=bool(row["read"]),
            starred=bool(row["starred"]),
            files=tuple(file_view(f, self.paths.scrubbed / submission_id) for f in files),
        )

    def resolve(self, prefix: str) -> str:
        """The full id of the one submission whose id starts with `prefix` (the UI and
        `desk list` show 8 characters). Raises NotFound for none, DeskError for several."""
        wanted = prefix.strip().lower()
        if not wanted:
            raise NotFound("give a submission id (or its first characters)")
        ids = [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM submissions WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 6",
                (len(wanted), wanted),
            )
        ]
        if not ids:
            raise NotFound(f"no submission starting with {prefix!r} in this workspace")
        if len(ids) > 1:
            shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
            raise DeskError(f"{prefix!r} starts several submissions ({shown}): give more of it")
        return str(ids[0])

    def replies(self, designation: str) -> list[ReplyView]:
        """Replies sent to a source from this desk, oldest first."""
        source_id = self.source(designation).id
        rows = self.db.execute(
            "SELECT id, text, sent FROM replies WHERE source_id = ? ORDER BY sent, id", (source_id,)
        )
        return [ReplyView(id=r["id"], text=r["text"], sent=r["sent"]) for r in rows]

    def decrypt_original(self, submission_id: str, position: int, out: BinaryIO) -> FileView:
        """Decrypt an original file (exact bytes the source sent) into `out`. Raises NotFound."""
        sub = self.submission(submission_id)
        match = [f for f in sub.files if f.position == position]
        if not match:
            raise NotFound(f"submission {submission_id!r} has no file {position}")
        with (self.paths.originals / submission_id / match[0].original).open("rb") as src:
            decrypt_stream(src, out, self.identities())
        return match[0]

    # -- marking, replying, deleting -------------------------------------------------------

    def mark_read(self, submission_id: str, read: bool = True) -> None:
        """Mark a submission read (or unread). Raises NotFound."""
        self._set(submission_id, "read", read)

    def star(self, submission_id: str, starred: bool = True) -> None:
        """Star (or unstar) a submission. Raises NotFound."""
        self._set(submission_id, "starred", starred)

    def _set(self, submission_id: str, column: str, value: bool) -> None:
        cur = self.db.execute(
            f"UPDATE submissions SET {column} = ? WHERE id = ?",  # noqa: S608 - fixed column names
            (int(value), submission_id),
        )
        if cur.rowcount == 0:
            raise NotFound(f"no submission {submission_id!r} in this workspace")

    def reply(self, designation: str, text: str) -> str:
        """Encrypt `text` on this desk to the source's reply key and upload it.

        Returns the server's reply id. Raises NotFound, ServerError or Unreachable; the
        reply is recorded locally only once the server has stored it.
        """
        if not text.strip():
            raise DeskError("an empty reply is not sent")
        source = self.source(designation)
        recipient = self.db.execute(
            "SELECT reply_recipient FROM sources WHERE id = ?", (source.id,)
        ).fetchone()[0]
        sealed = encrypt_bytes(text.encode("utf-8"), [parse_recipient(recipient)])
        with self.client() as client:
            answer = client.json(
                "POST",
                f"/api/v1/sources/{source.id}/replies",
                content=sealed,
                headers={"Content-Type": "application/octet-stream"},
            )
        reply_id = str(answer["id"])
        # Here, not at the top: quietwire.store brings SQLAlchemy and Alembic (a third of
        # a second), which every `desk pull` would otherwise load for nothing.
        from quietwire.store import new_id

        self.db.execute(
            "INSERT INTO replies VALUES (?,?,?,?)",
            (
                reply_id or new_id(),
                source.id,
                text,
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )
        return reply_id

    def delete_submission(self, submission_id: str) -> None:
        """Delete a submission from this workspace: rows, envelopes and scrubbed copies."""
        self.submission(submission_id)
        self.db.execute("DELETE FROM submissions WHERE id = ?", (submission_id,))
        shutil.rmtree(self.paths.originals / submission_id, ignore_errors=True)
        shutil.rmtree(self.paths.scrubbed / submission_id, ignore_errors=True)

    def delete_source(self, designation: str, *, on_server: bool = True) -> int:
        """Delete a source here and (by default) on the server, with everything it sent.

        Returns how many other editors the server waits for before it deletes its copy
        (0: deleted there too); this editor's copies there are withdrawn either way."""
        source = self.source(designation)
        waiting = 0
        if on_server:
            with self.client() as client, contextlib.suppress(NotFound):  # gone there already
                answer = client.request("DELETE", f"/api/v1/sources/{source.id}")
                if answer.status_code == 202:
                    waiting = int(answer.json().get("waiting_for", 0))
        ids = [
            r[0]
            for r in self.db.execute("SELECT id FROM submissions WHERE source_id = ?", (source.id,))
        ]
        for sub_id in ids:
            self.delete_submission(sub_id)
        self.db.execute("DELETE FROM sources WHERE id = ?", (source.id,))
        return waiting
