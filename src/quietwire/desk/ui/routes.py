"""Pages of the desk UI. Every POST checks the CSRF token and answers 303 to a GET page;
files are served inline only when they are scrubbed images, and otherwise as downloads."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response, StreamingResponse

from quietwire.desk._scrub import safe_filename
from quietwire.desk.ui import _i18n
from quietwire.desk.ui._data import DeskData
from quietwire.desk.ui._model import DeskUIError, FileItem
from quietwire.desk.ui.app import LANG_COOKIE, UIState, render

router = APIRouter()
MAX_FORM_BYTES = 256 * 1024
MAX_REPLY_CHARS = 20_000


def _state(request: Request) -> UIState:
    state: UIState = request.app.state.desk_ui
    return state


def _data(request: Request) -> DeskData:
    return _state(request).data


async def _form(request: Request) -> dict[str, str]:
    """A small url-encoded form, size-capped while reading, with its CSRF token checked."""
    if request.headers.get("content-type", "").split(";")[0] != (
        "application/x-www-form-urlencoded"
    ):
        raise HTTPException(400)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise HTTPException(413)
    try:
        fields = dict(parse_qsl(body.decode("utf-8"), max_num_fields=10, strict_parsing=False))
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(400) from None
    if not _state(request).guard.csrf_ok(fields.get("csrf")):
        raise HTTPException(403)
    return fields


def _source_url(designation: str, **query: str) -> str:
    suffix = "?" + "&".join(f"{k}={quote(v)}" for k, v in query.items()) if query else ""
    return f"/source/{quote(designation, safe='')}{suffix}"


@router.get("/")
def inbox(request: Request) -> Response:
    return render(request, "inbox.html", sources=_data(request).sources())


@router.get("/source/{designation}")
def source(request: Request, designation: str, sent: str = "", error: str = "") -> Response:
    view = _data(request).source(designation)
    if view is None:
        raise HTTPException(404)
    why, draft = _state(request).flash.pop(designation, ("", ""))
    message = error if error in ("empty_reply", "reply_failed") else ""
    return render(
        request,
        "source.html",
        source=view,
        sent=sent == "1",
        error=message,
        why=why,
        draft=draft,
    )


@router.post("/source/{designation}/reply")
async def reply(request: Request, designation: str) -> Response:
    fields = await _form(request)
    text = fields.get("text", "").strip()
    data = _data(request)
    if await run_in_threadpool(data.source, designation) is None:
        raise HTTPException(404)
    if not text:
        return RedirectResponse(_source_url(designation, error="empty_reply"), status_code=303)
    if len(text) > MAX_REPLY_CHARS:
        raise HTTPException(413)
    try:
        await run_in_threadpool(data.reply, designation, text)
    except DeskUIError as exc:
        # The diagnostic is the editor's to see, but not in a URL (history keeps URLs):
        # it waits in memory, with the unsent text, for the page the redirect leads to.
        _state(request).flash[designation] = (str(exc)[:300], text)
        return RedirectResponse(_source_url(designation, error="reply_failed"), status_code=303)
    return RedirectResponse(_source_url(designation, sent="1") + "#reply", status_code=303)


@router.post("/submission/{submission_id}/star")
async def star(request: Request, submission_id: str) -> Response:
    fields = await _form(request)
    return await _mark(request, submission_id, "starred", fields)


@router.post("/submission/{submission_id}/read")
async def mark_read(request: Request, submission_id: str) -> Response:
    fields = await _form(request)
    return await _mark(request, submission_id, "read", fields)


async def _mark(
    request: Request, submission_id: str, what: str, fields: dict[str, str]
) -> Response:
    data = _data(request)
    designation = await run_in_threadpool(data.owner, submission_id)
    if designation is None:
        raise HTTPException(404)
    setter = data.set_starred if what == "starred" else data.set_read
    await run_in_threadpool(setter, submission_id, fields.get(what) == "1")
    if fields.get("back") == "inbox":
        return RedirectResponse("/", status_code=303)
    return RedirectResponse(_source_url(designation) + f"#s-{submission_id}", status_code=303)


@router.post("/lang")
async def choose_language(request: Request) -> Response:
    fields = await _form(request)
    lang = _i18n.language(fields.get("code"))
    target = fields.get("next", "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"  # never an open redirect
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LANG_COOKIE, lang.code, httponly=True, samesite="strict", path="/")
    return response


def _file(request: Request, submission_id: str, position: int) -> FileItem:
    found = _data(request).file(submission_id, position)
    if found is None:
        raise HTTPException(404)
    return found


@router.get("/file/{submission_id}/{position}/image")
def image(request: Request, submission_id: str, position: int) -> Response:
    found = _file(request, submission_id, position)
    if not found.inline_image or found.copy is None or found.image_type is None:
        raise HTTPException(404)  # only scrubbed images are ever shown inline
    return FileResponse(found.copy, media_type=found.image_type, content_disposition_type="inline")


@router.get("/file/{submission_id}/{position}/scrubbed")
def download_scrubbed(request: Request, submission_id: str, position: int) -> Response:
    found = _file(request, submission_id, position)
    if found.copy is None:
        raise HTTPException(404)
    return FileResponse(
        found.copy,
        media_type="application/octet-stream",
        headers={"Content-Disposition": _attachment(found.copy.name)},
    )


@router.get("/file/{submission_id}/{position}/original")
def download_original(request: Request, submission_id: str, position: int) -> Response:
    try:
        found, chunks = _data(request).original(submission_id, position)
    except DeskUIError:
        raise HTTPException(404) from None
    return StreamingResponse(
        chunks,
        media_type="application/octet-stream",
        headers={"Content-Disposition": _attachment(found.name), "Content-Length": str(found.size)},
    )


def _attachment(name: str) -> str:
    """Content-Disposition for a download: never rendered by the browser, name sanitised."""
    safe = safe_filename(name)
    ascii_name = safe.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(safe)}"
