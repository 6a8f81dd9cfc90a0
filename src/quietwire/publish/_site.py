"""The public site as a tree of files, rendered and signed on the desk.

Layout (every path relative to the site root; the server's `<instance>/public/`, a static
export and a mirror all hold the same tree):

    index.html, archive-N.html, about-en.html, about-ar.html, style.css,
    chart.svg(.minisig), minisign.pub
    bulletins/ID.html, bulletins/ID.json, bulletins/ID.json.minisig
    media/ID/NAME, media/ID/NAME.minisig
    feed.atom(.minisig), feed.json(.minisig), events.geojson(.minisig)
    manifest.json(.minisig): the SHA-256 of every other file, so pages and the stylesheet
    are covered by a signature too.

Only paths matching `SITE_PATH` with a known suffix ever get written or served: an upload
cannot plant a script, a dotfile or anything outside the tree. Files are written
atomically (temporary name, fsync, rename) so a reader or a crash never sees half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from quietwire.crypto._signing import SigningKey
from quietwire.publish._chart import chart_svg, weekly_counts
from quietwire.publish._errors import SiteError
from quietwire.publish._feeds import atom_feed, events_geojson, json_feed
from quietwire.publish._model import MEDIA_TYPES, Bulletin, to_canonical_json
from quietwire.publish._render import (
    TYPE_COLOURS,
    SiteInfo,
    render_about_pages,
    render_bulletin_page,
    render_index_pages,
    stylesheet,
)

# Every text type names its charset: a feed reader or browser that guesses reads the Arabic
# of a feed served as bare application/atom+xml as mojibake.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".minisig": "text/plain; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".geojson": "application/geo+json; charset=utf-8",
    ".pub": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    **MEDIA_TYPES,
}
_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*"
SITE_PATH = re.compile(rf"(?:{_SEGMENT}/){{0,2}}{_SEGMENT}")
MANIFEST = "manifest.json"
#: Files signed directly (besides the manifest that covers everything).
SIGNED_SUFFIXES = (".json", ".atom", ".geojson", ".png", ".svg", *MEDIA_TYPES)
MAX_PATH = 200
#: Aggregate files that exist only while there is something to put in them: when a
#: withdrawal shrinks the site, the ones left over would still list what was withdrawn.
#: (A site signed before the chart became SVG still has a chart.png: it goes the same way.)
_SHRINKING_AGGREGATES = re.compile(r"archive-[0-9]+\.html|chart\.(?:png|svg)(?:\.minisig)?")


def check_site_path(path: str) -> str:
    """Return `path` if it is an acceptable site path, else raise `SiteError`.

    Acceptable: at most three segments of letters, digits, `_`, `-` and inner dots (no
    `..`, no leading dot, no empty segment, no backslash) ending in a known suffix.
    """
    if len(path) > MAX_PATH or not SITE_PATH.fullmatch(path) or ".." in path:
        raise SiteError(f"not an acceptable site path: {path[:60]!r}")
    if content_type(path) is None:
        raise SiteError(f"not a file type the public site serves: {path[:60]!r}")
    return path


def content_type(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return CONTENT_TYPES.get(name[dot:].lower()) if dot > 0 else None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def site_target(root: Path, path: str) -> Path:
    """`root/path` for a validated site path whose folder stays inside `root`, else
    `SiteError`. The one check for every write and delete in a site tree: a symlinked
    folder inside `public/` (a misconfigured volume, a careless operator) must not let an
    editor token write or delete files elsewhere on the server. The file itself may be a
    symlink: a rename or an unlink replaces the link, never its target."""
    check_site_path(path)
    target = root / path
    # resolve() follows every symlink of the folders that exist; the missing rest is kept
    # as written, so a link anywhere on the way out of the tree is seen before mkdir.
    if not target.parent.resolve().is_relative_to(root.resolve()):
        raise SiteError(f"not inside the site tree: {path[:60]!r}")
    return target


def write_atomic(root: Path, path: str, data: bytes) -> None:
    """Write `root/path` via a temporary file, fsync and rename. Checks `path` with
    `site_target` first (SiteError)."""
    target = site_target(root, path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        # Published files are public by nature: readable by a static web server's user
        # whatever the umask (the desk's own folders stay 0700).
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def is_shrinking_aggregate(path: str) -> bool:
    """Whether `path` is an aggregate a smaller site may no longer have (archive, chart)."""
    return _SHRINKING_AGGREGATES.fullmatch(path) is not None


def delete_site_file(root: Path, path: str) -> bool:
    """Remove `root/path` (a validated site path); return whether a file was there.

    Idempotent. Refuses (`SiteError`) a path that is not a site path or that leads out of
    `root` through a symlinked folder; a symlink itself is removed, never its target.
    Folders left empty below `root` (a withdrawn bulletin's `media/ID/`) go too.
    """
    target = site_target(root, path)
    base = root.resolve()
    if not (target.is_file() or target.is_symlink()):
        return False
    target.unlink()
    folder = target.parent
    while folder.resolve() != base and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
    return True


def signed(path: str, data: bytes, key: SigningKey) -> dict[str, bytes]:
    """`{path: data, path.minisig: signature}`."""
    return {path: data, f"{path}.minisig": key.sign(data, file_name=path.rsplit("/", 1)[-1])}


def bulletin_files(
    b: Bulletin, media: Mapping[str, bytes], key: SigningKey, site: SiteInfo
) -> dict[str, bytes]:
    """Everything one bulletin adds to the site: page, signed JSON, signed media.

    `media` maps each `b.media` name to its bytes; their size and SHA-256 must match the
    bulletin (the JSON commits to them), else `SiteError`.
    """
    files = signed(f"bulletins/{b.id}.json", to_canonical_json(b), key)
    files[f"bulletins/{b.id}.html"] = render_bulletin_page(b, site)
    for m in b.media:
        data = media.get(m.name)
        if data is None or len(data) != m.size or sha256_hex(data) != m.sha256:
            raise SiteError(f"media {m.name!r} does not match what the bulletin records")
        files.update(signed(f"media/{b.id}/{m.name}", data, key))
    return files


def aggregate_files(
    bulletins: Sequence[Bulletin],
    key: SigningKey,
    site: SiteInfo,
    public_key_file: bytes,
    base_url: str = "",
) -> dict[str, bytes]:
    """Index, archive and About pages, feeds, GeoJSON, chart, stylesheet and public key."""
    newest = sorted(bulletins, key=lambda b: (b.published, b.id), reverse=True)
    rows, types = weekly_counts(newest)
    files = render_index_pages(newest, site, rows, types)
    files.update(render_about_pages(site))
    files["style.css"] = stylesheet(site)
    files["minisign.pub"] = public_key_file
    files.update(signed("feed.atom", atom_feed(newest, site, base_url), key))
    files.update(signed("feed.json", json_feed(newest, site, base_url), key))
    files.update(signed("events.geojson", events_geojson(newest, base_url), key))
    if rows:
        chart = chart_svg(rows, types, TYPE_COLOURS, site.lang, site.digits)
        files.update(signed("chart.svg", chart, key))
    return files


def manifest_files(hashes: Mapping[str, str], key: SigningKey) -> dict[str, bytes]:
    """The signed manifest over `{path: sha256}` of every other file of the site."""
    listed = {p: h for p, h in hashes.items() if p not in (MANIFEST, f"{MANIFEST}.minisig")}
    doc = {"format": 1, "files": dict(sorted(listed.items()))}
    data = json.dumps(doc, separators=(",", ":")).encode() + b"\n"
    return signed(MANIFEST, data, key)


def tree_hashes(root: Path) -> dict[str, str]:
    """`{path: sha256}` of every site file under `root` (temporary files excluded)."""
    out: dict[str, str] = {}
    for path in iter_tree(root):
        out[path] = sha256_hex((root / path).read_bytes())
    return out


def iter_tree(root: Path) -> Iterable[str]:
    """Relative paths of the regular files under `root`, sorted, skipping temporaries."""
    if not root.is_dir():
        return []
    found = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            if name.startswith("."):
                continue
            full = Path(dirpath) / name
            if full.is_file() and not full.is_symlink():
                found.append(full.relative_to(root).as_posix())
    return sorted(found)


def write_site(
    root: Path,
    bulletins: Sequence[Bulletin],
    media: Mapping[str, Mapping[str, bytes]],
    key: SigningKey,
    site: SiteInfo,
    public_key_file: bytes,
    base_url: str = "",
) -> int:
    """Render and sign a whole site into `root` (per-bulletin files, aggregates, manifest).

    `media` maps a bulletin id to its media bytes by name. Returns the number of files
    written. This is what a fresh export and the benchmark do; the desk's incremental
    publish calls the same pieces one by one.
    """
    count = 0
    for b in bulletins:
        for path, data in bulletin_files(b, media.get(b.id, {}), key, site).items():
            write_atomic(root, path, data)
            count += 1
    count += refresh_aggregates(root, bulletins, key, site, public_key_file, base_url)
    return count


def refresh_aggregates(
    root: Path,
    bulletins: Sequence[Bulletin],
    key: SigningKey,
    site: SiteInfo,
    public_key_file: bytes,
    base_url: str = "",
) -> int:
    """Rewrite the aggregate files and the manifest of the tree at `root`.

    Archive pages and the chart the new set no longer needs are removed, so a site that
    shrank (a withdrawal) keeps no page listing what left it.
    """
    files = aggregate_files(bulletins, key, site, public_key_file, base_url)
    for path, data in files.items():
        write_atomic(root, path, data)
    for path in iter_tree(root):
        if is_shrinking_aggregate(path) and path not in files:
            delete_site_file(root, path)
    for path, data in manifest_files(tree_hashes(root), key).items():
        write_atomic(root, path, data)
    return len(files) + 2
