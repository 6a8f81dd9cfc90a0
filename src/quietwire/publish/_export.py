"""Static export: a complete copy of a signed site, for mirrors on any static host."""

from __future__ import annotations

import json
from pathlib import Path

from quietwire.publish._errors import SiteError
from quietwire.publish._site import MANIFEST, check_site_path, iter_tree, write_atomic


def export_site(origin: str, target: Path) -> int:
    """Copy the site at `origin` (a directory or a URL) into the new directory `target`.

    From a URL, the files are those the signed manifest lists (plus the manifest, its
    signature and `minisign.pub`). Refuses a non-empty `target` (`SiteError`); every path
    is validated before it is written. Returns the number of files written. Verification
    is the caller's next step (`verify_site`), so a tampered origin is reported.
    """
    if target.exists() and any(target.iterdir()):
        raise SiteError(f"{target} is not empty: export into a new directory")
    target.mkdir(parents=True, exist_ok=True)
    if origin.startswith(("http://", "https://")):
        import httpx

        base = origin.rstrip("/") + "/"
        with httpx.Client(timeout=60, follow_redirects=False) as client:

            def get(path: str) -> bytes:
                answer = client.get(base + check_site_path(path))
                if answer.status_code != 200:
                    raise SiteError(f"{path}: HTTP {answer.status_code} from {origin}")
                return answer.content

            manifest = get(MANIFEST)
            try:
                paths = list(json.loads(manifest)["files"])
            except (ValueError, KeyError, TypeError):
                raise SiteError(f"{MANIFEST} of {origin} is malformed") from None
            names = [*paths, f"{MANIFEST}.minisig", "minisign.pub"]
            for path in dict.fromkeys(names):
                write_atomic(target, path, get(path))
            write_atomic(target, MANIFEST, manifest)
            return len(set(names)) + 1
    root = Path(origin)
    if not (root / MANIFEST).is_file():
        raise SiteError(f"{origin}: no {MANIFEST}: nothing has been published from there yet")
    count = 0
    for path in iter_tree(root):
        write_atomic(target, path, (root / path).read_bytes())
        count += 1
    return count
