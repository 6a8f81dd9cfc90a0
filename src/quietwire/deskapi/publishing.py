"""Desk API routes through which the desk uploads the signed public site.

The server never renders or signs: it stores the files the desk sends under
`<instance dir>/public/` and the public app serves them. Each upload is checked against the
same path and file-type rules the public app applies, capped in size, and written
atomically (temporary name, fsync, rename). The first `minisign.pub` uploaded is pinned: a
stolen editor token cannot swap the site's key (a new key needs the operator to remove
the old one by hand).

Routes (all need an editor, via `quietwire.deskapi.auth.require_editor`):
    GET    /publish/manifest        {"files": {path: sha256}} of what the public dir holds
    PUT    /publish/files/{path}    store one file (raw body)
    DELETE /publish/files/{path}    remove one file (a withdrawn bulletin's); 204 whether or
                                    not it was there, so a retry is harmless

An upload and a delete pass the same check (`_checked`: a site path whose folder stays
inside the public tree, symlinks followed) before anything else; a delete never touches
the pinned `minisign.pub`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from quietwire.deskapi.auth import require_editor
from quietwire.publish import (
    SiteError,
    delete_site_file,
    site_target,
    tree_hashes,
    write_atomic,
)

MAX_UPLOAD_BYTES = 256 * 1024 * 1024
NO_BODY_BYTES = 4 * 1024  # the cap of the routes that take no body
PUBLIC_KEY_FILE = "minisign.pub"


router = APIRouter(
    prefix="/publish", dependencies=[Depends(require_editor)], max_body_size=NO_BODY_BYTES
)


def public_dir(request: Request) -> Path:
    """`app.state.public_dir` if the app sets it, else `<instance dir>/public`."""
    state = request.app.state
    explicit = getattr(state, "public_dir", None)
    if explicit is not None:
        return Path(explicit)
    instance = getattr(state, "instance", None)
    if instance is None:
        raise HTTPException(status_code=500, detail="the desk API has no instance")
    return Path(instance.settings.dir) / "public"


def _checked(request: Request, path: str) -> Path:
    """The public dir, once `path` is known to be a site path that stays inside it (422)."""
    root = public_dir(request)
    try:
        site_target(root, path)
    except SiteError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    return root


@router.get("/manifest")
def manifest(request: Request) -> dict[str, dict[str, str]]:
    return {"files": tree_hashes(public_dir(request))}


@router.put("/files/{path:path}", status_code=204, max_body_size=MAX_UPLOAD_BYTES)
async def put_file(path: str, request: Request) -> Response:
    root = _checked(request, path)
    body = await request.body()  # at most MAX_UPLOAD_BYTES: the route's max_body_size
    pinned = root / PUBLIC_KEY_FILE
    if path == PUBLIC_KEY_FILE and pinned.is_file() and pinned.read_bytes() != body:
        raise HTTPException(
            status_code=409,
            detail="the site already has a different signing key; the operator must "
            "remove public/minisign.pub by hand to change it",
        )
    root.mkdir(mode=0o755, parents=True, exist_ok=True)
    try:
        write_atomic(root, path, body)  # checks again: a folder may have changed
    except SiteError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    return Response(status_code=204, headers={"X-SHA256": hashlib.sha256(body).hexdigest()})


@router.delete("/files/{path:path}", status_code=204)
def delete_file(path: str, request: Request) -> Response:
    root = _checked(request, path)
    if path == PUBLIC_KEY_FILE:
        raise HTTPException(
            status_code=409,
            detail="the site's signing key is pinned; only the operator can remove it",
        )
    if root.is_dir():
        try:
            delete_site_file(root, path)
        except SiteError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None
    return Response(status_code=204)
