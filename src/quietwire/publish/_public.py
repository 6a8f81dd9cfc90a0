"""The public app: a read-only static-file server over the signed site tree.

It renders nothing and holds no key, no database handle and no settings object: its only
input is a directory the desk fills through the desk API. So a compromise of the public
listener yields published material and nothing else, and the app is the same whether the
tree came from the server or a static export.

Headers: a CSP that allows only the stylesheet and images from 'self' (no script at all),
frame-ancestors 'none', nosniff, no referrer, no cookies. Public pages may be cached.
"""

from __future__ import annotations

import re
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from quietwire.publish._errors import SiteError
from quietwire.publish._site import check_site_path, content_type
from quietwire.web import SecurityHeaders

PUBLIC_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'none'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
_PAGE = re.compile(r"bulletins/[0-9a-f]{16}")


def _not_found() -> Response:
    return PlainTextResponse("not found\n", status_code=404)


# Before the first bulletin there is no index.html: a visitor gets a plain page saying so,
# not an error that looks like a broken or seized site.
_NOTHING_YET = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
    "<title>No bulletins yet</title></head>\n"
    "<body><h1>No bulletins yet</h1><p>Nothing has been published here yet.</p>"
    '<p dir="rtl" lang="ar">لم يُنشر هنا شيء بعد.</p></body></html>\n'
)


def create_public_app(public_dir: Path) -> ASGIApp:
    """An ASGI app serving the site tree in `public_dir` (which may not exist yet).

    Contract: GET/HEAD only; `/` is `index.html`, `/bulletins/ID` is `bulletins/ID.html`,
    every other path must be an acceptable site path (see `check_site_path`) naming a
    regular file inside `public_dir`; anything else is 404. No cookies, no JavaScript.
    """
    root = public_dir.resolve()

    async def serve(request: Request) -> Response:
        path = request.path_params.get("path", "") or "index.html"
        if _PAGE.fullmatch(path):
            path += ".html"
        try:
            check_site_path(path)
        except SiteError:
            return _not_found()
        full = (root / path).resolve()
        # Symlinks out of the tree (a misconfigured volume) must not expose other files.
        if not full.is_relative_to(root) or not full.is_file():
            if path == "index.html":
                return HTMLResponse(_NOTHING_YET)
            return _not_found()
        response = FileResponse(full, media_type=content_type(path), stat_result=full.stat())
        # Both would give the second the file was uploaded (the ETag is built from its
        # mtime): finer than any time the site shows, and, with jitter, when it really ran.
        del response.headers["last-modified"]
        del response.headers["etag"]
        return response

    app = Starlette(
        routes=[
            Route("/", serve, methods=["GET", "HEAD"]),
            Route("/{path:path}", serve, methods=["GET", "HEAD"]),
        ]
    )
    return SecurityHeaders(app, PUBLIC_CSP, cacheable=True)
