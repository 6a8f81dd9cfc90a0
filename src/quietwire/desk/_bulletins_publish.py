"""Compose, guard, sign and upload bulletins from the desk.

`new_bulletin` stores a draft (place coarsened to the grid at once, media copied in);
`publish_bulletin` runs the redaction guard, records explicit overrides, draws the random
release delay, and, when the bulletin is due, renders and signs the whole site into the
workspace and uploads what the server does not have yet (`upload_site`). The signing key is
unlocked only for the length of one publication. `withdraw_bulletin` takes one back for
good: marked withdrawn on the desk, its files gone from the site here and on the server,
and the index, feeds, GeoJSON, chart, archive pages and manifest signed again without it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from quietwire.crypto import Secret
from quietwire.crypto._signing import SigningKey, load_signing_key
from quietwire.desk import _bulletins as store
from quietwire.publish import (
    Bulletin,
    BulletinError,
    GuardContext,
    GuardPolicy,
    Media,
    Place,
    PublishError,
    SiteInfo,
    SourceRecord,
    bulletin_files,
    check_bulletin,
    coarsen,
    delete_site_file,
    enforce,
    is_shrinking_aggregate,
    iter_tree,
    refresh_aggregates,
    tree_hashes,
    write_atomic,
)
from quietwire.publish._model import MEDIA_TYPES

#: A placeholder publication time for drafts; the real one is set when it is released.
_DRAFT_TIME = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Draft:
    title: str
    body: str
    lang: str = "en"
    events: tuple[str, ...] = ()
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    event_type: str | None = None
    event_date: date | None = None
    grade: str | None = None
    sources: int = 0
    media: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class PublishOutcome:
    bulletin_id: str
    status: str  # "published" or "scheduled"
    release_at: datetime
    uploaded: int
    overrides: tuple[str, ...]


def new_bulletin(workspace: Path, draft: Draft) -> str:
    """Store a draft bulletin and return its id (16 hex digits from `secrets`)."""
    config = store.load_config(workspace)
    bulletin_id = secrets.token_hex(8)
    place = None
    if draft.place is not None:
        if draft.lat is None or draft.lon is None:
            raise BulletinError("a place needs --lat and --lon")
        lat, lon = coarsen(draft.lat, draft.lon, config.precision)
        place = Place(draft.place, lat, lon)
    target = store.media_dir(workspace, bulletin_id)
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        media = [_rebuilt_media(path, target) for path in draft.media]
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    bulletin = Bulletin(
        id=bulletin_id,
        lang=draft.lang,
        title=draft.title.strip(),
        body=draft.body.strip(),
        published=_DRAFT_TIME,
        event_date=draft.event_date,
        place=place,
        event_type=draft.event_type,
        grade=draft.grade,
        sources=draft.sources,
        media=tuple(media),
    )
    with store.connect(workspace) as conn:
        store.save(
            conn, store.StoredBulletin(bulletin, "draft", None, draft.events), datetime.now(UTC)
        )
    return bulletin_id


def _rebuilt_media(path: Path, target: Path) -> Media:
    """Publish a fresh copy of `path`, never the file itself, under a name of its own.

    Whatever the editor points at (a scrubbed copy, or a file from anywhere) goes through
    the scrubber again: images are rebuilt from their pixels and PDFs from their objects,
    so no metadata segment, private chunk or trailing data the guard cannot see comes
    along. The name is the copy's SHA-256, not the file's: a camera's or a source's file
    name can date or identify it. What the scrubber cannot rebuild (video, say) is refused.
    """
    from quietwire.desk._scrub import scrub

    suffix = path.suffix.lower()
    if suffix not in MEDIA_TYPES or suffix == ".mp4":
        raise BulletinError(
            f"{path.name[:40]!r}: media must be an image (JPEG, PNG, WebP) or a PDF; "
            "video cannot be scrubbed here"
        )
    work = Path(tempfile.mkdtemp(prefix=".media-", dir=target))
    try:
        try:
            result = scrub(f"media{suffix}", "", path, work)
        except OSError as exc:
            raise BulletinError(f"{path.name[:40]!r}: cannot read it ({exc.strerror})") from None
        if result.path is None or not result.scrubbed or result.kind not in ("image", "pdf"):
            raise BulletinError(f"{path.name[:40]!r}: not published: {result.note}")
        data = result.path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        name = f"{digest[:16]}{result.path.suffix.lower()}"
        os.replace(result.path, target / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Media(name, digest, len(data))


def guard_context(workspace: Path) -> GuardContext:
    """What the guard must keep out, from this workspace: sources' designations, texts,
    protected terms, and the ids the desk holds (submissions, sources, replies)."""
    with store.connect(workspace) as conn:
        terms: dict[str, list[str]] = {}
        for designation, term in conn.execute("SELECT designation, term FROM protected_terms"):
            terms.setdefault(designation, []).append(term)
        texts: dict[str, list[str]] = {}
        for designation, text in conn.execute("SELECT designation, text FROM source_texts"):
            texts.setdefault(designation, []).append(text)
    # Every report pulled into this desk counts too, with no step for the editor to forget:
    # each source's designation, its texts and structured answers, and the ids.
    reported, ids = _pulled_reports(workspace)
    for designation, report in reported.items():
        texts.setdefault(designation, []).extend(report)
    sources = tuple(
        SourceRecord(d, tuple(texts.get(d, ())), tuple(terms.get(d, ())))
        for d in sorted(set(terms) | set(texts))
    )
    return GuardContext(sources=sources, internal_ids=ids)


def _pulled_reports(workspace: Path) -> tuple[dict[str, list[str]], frozenset[str]]:
    """Designation -> texts and answers of the submissions pulled into this workspace, and
    every submission, source and reply id it holds."""
    from quietwire.desk._workspace import CONFIG, Workspace

    if not (workspace / CONFIG).exists():
        return {}, frozenset()  # a publishing-only workspace: no pulled reports
    # Anything else wrong with the workspace stops the check: a guard that quietly ran
    # without the reports would pass what it exists to catch.
    with Workspace.open(workspace) as ws:
        reported: dict[str, list[str]] = {}
        for sub in ws.submissions():
            parts = [sub.text, *sub.answers.values()]
            reported.setdefault(sub.designation, []).extend(p for p in parts if p.strip())
        ids = frozenset(
            row[0]
            for table in ("submissions", "sources", "replies")
            for row in ws.db.execute(f"SELECT id FROM {table}")  # noqa: S608 - fixed names
        )
    return reported, ids


def _media_bytes(workspace: Path, b: Bulletin) -> dict[str, bytes]:
    folder = store.media_dir(workspace, b.id)
    return {m.name: (folder / m.name).read_bytes() for m in b.media if (folder / m.name).is_file()}


def check(workspace: Path, bulletin_id: str) -> list[tuple[str, str]]:
    """(finding id, message) of everything the guard finds in a stored bulletin."""
    config = store.load_config(workspace)
    with store.connect(workspace) as conn:
        b = store.get(conn, bulletin_id).bulletin
    policy = GuardPolicy(verbatim_words=config.verbatim_words, precision=config.precision)
    found = check_bulletin(b, guard_context(workspace), policy, _media_bytes(workspace, b))
    return [(f.id, f.message) for f in found]


def jitter(minutes: int) -> timedelta:
    """A uniformly random delay in [0, minutes] minutes, to the second, from `secrets`."""
    if minutes < 0:
        raise BulletinError("jitter cannot be negative")
    return timedelta(seconds=secrets.randbelow(minutes * 60 + 1))


def publish_bulletin(
    workspace: Path,
    bulletin_id: str,
    passphrase: Callable[[], Secret[str]],
    overrides: Mapping[str, str] | None = None,
    server: str | None = None,
    token: str | None = None,
    now: datetime | None = None,
) -> PublishOutcome:
    """Guard, then schedule or release one bulletin (see module docstring).

    Raises `RedactionRefused` (nothing recorded, nothing signed) when a finding is not
    overridden; overrides are recorded before anything is signed.
    """
    config = store.load_config(workspace)
    now = now or datetime.now(UTC)
    with store.connect(workspace) as conn:
        stored = store.get(conn, bulletin_id)
        if stored.status == "withdrawn":
            raise BulletinError(
                f"bulletin {bulletin_id} was withdrawn and cannot be published again; "
                "compose a new bulletin if it must go out"
            )
        if stored.status != "draft":
            raise BulletinError(f"bulletin {bulletin_id} is already {stored.status}")
        b = stored.bulletin
        policy = GuardPolicy(verbatim_words=config.verbatim_words, precision=config.precision)
        findings = check_bulletin(b, guard_context(workspace), policy, _media_bytes(workspace, b))
        used = enforce(findings, overrides or {})
        for finding, reason in used:
            store.record_override(conn, b.id, finding.id, finding.kind, finding.message, reason)
        release_at = (now + jitter(config.jitter_minutes)).replace(microsecond=0)
        store.save(conn, replace(stored, status="scheduled", release_at=release_at), now)
    uploaded = 0
    status = "scheduled"
    if release_at <= now:
        uploaded = release_due(workspace, passphrase, server, token, now)
        status = "published"
    return PublishOutcome(b.id, status, release_at, uploaded, tuple(f.id for f, _ in used))


def release_due(
    workspace: Path,
    passphrase: Callable[[], Secret[str]],
    server: str | None = None,
    token: str | None = None,
    now: datetime | None = None,
) -> int:
    """Sign and upload every scheduled bulletin whose release time has come.

    Returns the number of files uploaded (0 when nothing is due). The publication time
    shown is the release time, never the time the bulletin was written or approved.
    """
    config = store.load_config(workspace)
    now = now or datetime.now(UTC)
    with store.connect(workspace) as conn:
        due = [
            s
            for s in store.all_bulletins(conn, "scheduled")
            if s.release_at is not None and s.release_at <= now
        ]
    if not due:
        return 0
    key, public_key_file = _unlock(workspace, passphrase)
    site = site_info(config, key.public_key)
    root = store.site_dir(workspace)
    with store.connect(workspace) as conn:
        for s in due:
            if store.get(conn, s.bulletin.id).status != "scheduled":
                continue  # withdrawn meanwhile
            release_at = s.release_at or now
            b = replace(s.bulletin, published=release_at)
            for path, data in bulletin_files(b, _media_bytes(workspace, b), key, site).items():
                write_atomic(root, path, data)
            store.save(conn, replace(s, bulletin=b, status="published"), now)
        published = [s.bulletin for s in store.all_bulletins(conn, "published")]
        withdrawn = store.withdrawn_ids(conn)
    refresh_aggregates(root, published, key, site, public_key_file, config.base_url)
    return _upload_or_explain(root, server or config.server, token or config.token, withdrawn)


def site_info(config: store.DeskPublishConfig, public_key: str) -> SiteInfo:
    """How the site describes itself, from the workspace's publishing settings."""
    return SiteInfo(
        title=config.site_title,
        public_key=public_key,
        lang=config.site_lang,
        description=config.site_description,
        accent=config.site_accent,
        digits=config.site_digits,
    )


def _unlock(workspace: Path, passphrase: Callable[[], Secret[str]]) -> tuple[SigningKey, bytes]:
    key_file = store.signing_dir(workspace) / "minisign.key"
    if not key_file.is_file():
        raise PublishError("no signing key: run `quietwire publish keys new --dir WS` first")
    key = load_signing_key(key_file.read_bytes(), passphrase())
    return key, (store.signing_dir(workspace) / "minisign.pub").read_bytes()


def _upload_or_explain(root: Path, server: str, token: str, withdrawn: Sequence[str]) -> int:
    try:
        return upload_site(root, server, token, withdrawn)
    except PublishError as exc:
        raise PublishError(
            f"{exc}\nthe site is signed on the desk; finish with "
            "`quietwire desk bulletin upload` (it also removes withdrawn files from the server)"
        ) from None


@dataclass(frozen=True, slots=True)
class WithdrawOutcome:
    bulletin_id: str
    was: str  # the status before: draft, scheduled, published or withdrawn (a retry)
    went_out: bool  # whether it had been released (and so had files to take back)
    uploaded: int
    removed: int  # files removed from the desk's site tree


def _own_prefixes(bulletin_ids: Sequence[str]) -> tuple[str, ...]:
    """Site-path prefixes of these bulletins' files: page, JSON, signatures, media."""
    return tuple(p for b in bulletin_ids for p in (f"bulletins/{b}.", f"media/{b}/"))


def _bulletin_paths(root: Path, bulletin_id: str) -> list[str]:
    """Every file of one bulletin in a site tree."""
    own = _own_prefixes([bulletin_id])
    return [p for p in iter_tree(root) if p.startswith(own)]


def withdraw_bulletin(
    workspace: Path,
    bulletin_id: str,
    passphrase: Callable[[], Secret[str]],
    server: str | None = None,
    token: str | None = None,
    now: datetime | None = None,
) -> WithdrawOutcome:
    """Withdraw one bulletin for good (see module docstring); safe to run again.

    The status is recorded first, so whatever fails later, neither `publish` nor `release`
    will ever send it again. A draft or a scheduled bulletin was never uploaded: marking
    it is all there is to do. For one that went out, the desk's site is rebuilt and signed
    without it, and the server is sent the new aggregates, then asked to delete its files.
    """
    config = store.load_config(workspace)
    with store.connect(workspace) as conn:
        stored = store.get(conn, bulletin_id)
        store.mark_withdrawn(conn, bulletin_id, now or datetime.now(UTC))
        published = [s.bulletin for s in store.all_bulletins(conn, "published")]
        withdrawn = store.withdrawn_ids(conn)
    root = store.site_dir(workspace)
    went_out = stored.bulletin.published != _DRAFT_TIME or bool(_bulletin_paths(root, bulletin_id))
    if not went_out:
        return WithdrawOutcome(bulletin_id, stored.status, False, 0, 0)
    key, public_key_file = _unlock(workspace, passphrase)
    removed = 0
    for path in _bulletin_paths(root, bulletin_id):
        removed += delete_site_file(root, path)
    site = site_info(config, key.public_key)
    refresh_aggregates(root, published, key, site, public_key_file, config.base_url)
    uploaded = _upload_or_explain(root, server or config.server, token or config.token, withdrawn)
    return WithdrawOutcome(bulletin_id, stored.status, True, uploaded, removed)


def upload_site(root: Path, server: str, token: str, withdrawn: Sequence[str] = ()) -> int:
    """Upload every file of `root` the server lacks or holds differently; manifest last.

    Then ask the server to delete what it holds and `root` does not, when that is a file of
    a `withdrawn` bulletin or an archive page or chart the site no longer has (the new
    manifest, already up, no longer lists them). Returns the number of files sent. Raises
    `PublishError` on any refusal.
    """
    if not server or not token:
        raise PublishError(
            "no server or token: pass --server and --token, or set them in "
            "bulletins/config.toml of the workspace"
        )
    import httpx

    headers = {"Authorization": f"Bearer {token}"}
    base = server.rstrip("/")
    with httpx.Client(timeout=60, headers=headers) as client:
        try:
            answer = client.get(f"{base}/publish/manifest")
            _raise_for(answer, "manifest")
            remote: dict[str, str] = answer.json()["files"]
            local = tree_hashes(root)
            changed = [p for p, h in local.items() if remote.get(p) != h]
            last = [p for p in ("manifest.json.minisig", "manifest.json") if p in changed]
            order: Sequence[str] = [*(p for p in changed if p not in last), *last]
            for path in order:
                answer = client.put(
                    f"{base}/publish/files/{path}", content=(root / path).read_bytes()
                )
                _raise_for(answer, path)
            own = _own_prefixes(withdrawn)
            for path in sorted(set(remote) - set(local)):
                if path.startswith(own) or is_shrinking_aggregate(path):
                    answer = client.delete(f"{base}/publish/files/{path}")
                    if answer.status_code != 404:  # already gone is what we want
                        _raise_for(answer, f"deleting {path}")
        except httpx.HTTPError as exc:
            raise PublishError(f"upload to {base} failed: {type(exc).__name__}") from None
    return len(order)


def _raise_for(answer: object, what: str) -> None:
    import httpx

    if isinstance(answer, httpx.Response) and answer.status_code >= 400:
        detail = answer.text[:200].replace("\n", " ")
        raise PublishError(f"the server refused {what}: HTTP {answer.status_code} {detail}")
