"""Check every signature of a published site, live (URL) or exported (directory).

What is checked, in order:
1. the public key: the one pinned by the caller, else the site's own `minisign.pub` (which
   only proves consistency; pin the key you got from the editors to prove authenticity);
2. `manifest.json` against its `.minisig`;
3. every file the manifest lists: its SHA-256, and, for the kinds we sign one by one
   (bulletin JSON, feeds, GeoJSON, chart, media), its own `.minisig`;
4. for a directory, that no file sits there unlisted (a planted page would be unsigned).

Any failure raises `BulletinSignatureError` naming every file that failed and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quietwire.crypto import SignatureError
from quietwire.crypto._signing import parse_public_key, verify_signature
from quietwire.publish._errors import BulletinSignatureError
from quietwire.publish._site import (
    MANIFEST,
    SIGNED_SUFFIXES,
    check_site_path,
    iter_tree,
    sha256_hex,
)

Fetch = Callable[[str], bytes | None]


@dataclass(frozen=True, slots=True)
class SiteReport:
    """What `verify_site` checked: the key used and how many files and signatures."""

    public_key: str
    files: int
    signatures: int


def verify_file(public_key: str, path: str, data: bytes, signature_file: bytes | None) -> str:
    """Verify one published file against its `.minisig`; return the trusted comment.

    Raises `BulletinSignatureError` ("<path>: <reason>") when the signature is missing,
    malformed, by another key, does not match the bytes, or names another file.
    """
    if signature_file is None:
        raise BulletinSignatureError(f"{path}: no signature ({path}.minisig missing)")
    try:
        comment = verify_signature(public_key, data, signature_file)
    except SignatureError as exc:
        raise BulletinSignatureError(f"{path}: {exc}") from None
    expected = f"file:{path.rsplit('/', 1)[-1]}"
    # minisign's own CLI writes "timestamp:...<TAB>file:NAME"; ours writes "file:NAME".
    if expected not in comment.split("\t"):
        # A valid signature of another file, swapped in: still a forgery of this one.
        raise BulletinSignatureError(f"{path}: signature is for another file ({comment[:80]})")
    return comment


def _fetcher(source: str | Path) -> tuple[Fetch, Callable[[], list[str]] | None]:
    text = str(source)
    if text.startswith(("http://", "https://")):
        import httpx

        base = text.rstrip("/") + "/"
        client = httpx.Client(timeout=30, follow_redirects=False)

        def fetch_url(path: str) -> bytes | None:
            try:
                response = client.get(base + path)
            except httpx.HTTPError as exc:
                raise BulletinSignatureError(f"cannot fetch {path}: {type(exc).__name__}") from None
            if response.status_code == 404:
                return None
            if response.status_code != 200:
                raise BulletinSignatureError(f"{path}: HTTP {response.status_code}")
            return response.content

        return fetch_url, None
    root = Path(source)
    if not root.is_dir():
        raise BulletinSignatureError(f"{source}: neither a URL nor a directory")

    def fetch_file(path: str) -> bytes | None:
        full = root / path
        return full.read_bytes() if full.is_file() else None

    return fetch_file, lambda: list(iter_tree(root))


def verify_site(source: str | Path, public_key: str | None = None) -> SiteReport:
    """Verify a site at a URL or a directory (see module docstring for what is checked).

    Contract: returns only when every file is covered by a good signature; otherwise
    raises `BulletinSignatureError` listing each failure on its own line.
    """
    fetch, listing = _fetcher(source)
    published_key = fetch("minisign.pub")
    try:
        site_key = parse_public_key(published_key.decode()) if published_key else None
        key = parse_public_key(public_key) if public_key else site_key
    except (SignatureError, UnicodeDecodeError):
        raise BulletinSignatureError("minisign.pub: not a minisign public key") from None
    if key is None:
        raise BulletinSignatureError("minisign.pub missing and no key given: nothing to trust")
    failures: list[str] = []
    if site_key is not None and site_key != key:
        failures.append("minisign.pub: the site shows a different key than the pinned one")
    manifest = fetch(MANIFEST)
    if manifest is None:
        raise BulletinSignatureError(f"{MANIFEST} missing: the site cannot be verified")
    verify_file(key, MANIFEST, manifest, fetch(f"{MANIFEST}.minisig"))
    import json

    try:
        listed: dict[str, str] = json.loads(manifest)["files"]
        for path in listed:
            check_site_path(path)
    except (ValueError, KeyError, TypeError) as exc:
        raise BulletinSignatureError(f"{MANIFEST}: malformed ({exc})") from None
    signatures = 1
    for path, digest in listed.items():
        data = fetch(path)
        if data is None:
            failures.append(f"{path}: listed in the manifest but missing")
            continue
        if sha256_hex(data) != digest:
            failures.append(f"{path}: content differs from the signed manifest (altered)")
        if path.endswith(SIGNED_SUFFIXES) and path != MANIFEST:
            sig_path = f"{path}.minisig"
            try:
                verify_file(key, path, data, fetch(sig_path) if sig_path in listed else None)
                signatures += 1
            except BulletinSignatureError as exc:
                failures.append(str(exc))
    if listing is not None:
        extra = set(listing()) - set(listed) - {MANIFEST, f"{MANIFEST}.minisig"}
        failures.extend(f"{path}: not covered by any signature" for path in sorted(extra))
    if failures:
        raise BulletinSignatureError(
            f"{len(failures)} problem(s) in {source}:\n" + "\n".join(failures)
        )
    return SiteReport(public_key=key, files=len(listed) + 2, signatures=signatures)
