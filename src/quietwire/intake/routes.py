"""Routes of the source app. Every POST answers 303 to a GET page (nothing for the
browser to replay or keep in its session history), and no URL carries anything secret."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from quietwire.crypto import (
    WORDLISTS,
    EnvelopeError,
    Secret,
    SourceKeys,
    decrypt_bytes,
    derive_source_keys,
    generate_codename,
    login_forms,
    normalize_codename,
)
from quietwire.crypto._kdf import KdfParams
from quietwire.intake import _i18n
from quietwire.intake._sessions import SourceSession
from quietwire.intake._upload import Limits, StaleForm, receive
from quietwire.intake.app import (
    LANG_COOKIE,
    SESSION_COOKIE,
    IntakeState,
    neutral_page,
    page_language,
    render,
)
from quietwire.intake.errors import (
    BadSubmission,
    Busy,
    EmptySubmission,
    NotLoggedIn,
    SubmissionTooLarge,
)
from quietwire.intake.forms import read_small_form, report_from_fields
from quietwire.intake.services import SubmissionWriter, register_source, source_exists
from quietwire.store import Reply, StoreError

router = APIRouter()
MAX_REPLY_BYTES = 256 * 1024
_DRAIN_LIMIT = 64 * 1024 * 1024


def _state(request: Request) -> IntakeState:
    state: IntakeState = request.app.state.intake
    return state


def _session(request: Request) -> SourceSession | None:
    return _state(request).sessions.get(request.cookies.get(SESSION_COOKIE))


def _session_or_new(request: Request) -> SourceSession:
    session = _session(request) or _state(request).sessions.new()
    if session is None:
        raise Busy(60)
    return session


def _logged_in(request: Request) -> SourceSession:
    session = _session(request)
    if session is None or session.keys is None:
        raise NotLoggedIn("no session")
    return session


def _with_cookie(response: Response, request: Request, session: SourceSession) -> Response:
    host = request.headers.get("host", "").split(":")[0]
    response.set_cookie(
        SESSION_COOKIE,
        session.id,
        httponly=True,
        samesite="strict",
        path="/",
        secure=request.url.scheme == "https" or host.endswith(".onion"),
    )  # no max-age: a browser-session cookie, gone when the browser closes
    return response


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _kdf_params(state: IntakeState) -> KdfParams:
    s = state.instance.settings
    return KdfParams(memory_kib=s.kdf_memory_kib, time_cost=s.kdf_time_cost)


async def _checked_form(request: Request, session: SourceSession) -> dict[str, str]:
    form = await read_small_form(request)
    if not session.check_csrf(form.get("csrf", "")):
        raise StaleForm("stale or missing CSRF token")
    return form


@router.get("/")
async def index(request: Request) -> Response:
    return render(request, "index.html")


@router.get("/new")
async def new(
    request: Request, words: Annotated[str | None, Query(max_length=8)] = None
) -> Response:
    session = _session_or_new(request)
    ui_lang = page_language(request).code
    chosen = words if words is not None and words in WORDLISTS else ui_lang
    if chosen not in WORDLISTS:
        chosen = "en"
    session.pending_codename = generate_codename(chosen)
    labels = [("ar", "العربية"), ("en", "English")]
    response = render(
        request,
        "new.html",
        codename=session.pending_codename,
        words_lang=chosen,
        wordlists=labels,
        csrf=session.csrf,
    )
    return _with_cookie(response, request, session)


@router.post("/new")
async def create(request: Request) -> Response:
    state = _state(request)
    session = _session(request)
    if session is None:
        raise StaleForm("no session")
    await _checked_form(request, session)
    codename = session.pending_codename
    if codename is None:
        return _see_other("/new")
    state.new_sources.take()
    pepper = state.instance.settings.pepper
    normal = normalize_codename(codename)  # shown in standard spelling, derived from this
    keys = await state.kdf.run(lambda: derive_source_keys(normal, pepper, _kdf_params(state)))
    await asyncio.to_thread(register_source, state.instance, keys)
    session.pending_codename = None
    session = state.sessions.rotate(session)
    session.keys = keys
    session.notices.append("created")
    return _with_cookie(_see_other("/home"), request, session)


@router.get("/login")
async def login_page(request: Request) -> Response:
    session = _session_or_new(request)
    return _with_cookie(render(request, "login.html", csrf=session.csrf), request, session)


@router.post("/login")
async def login(request: Request) -> Response:
    state = _state(request)
    session = _session(request)
    if session is None:
        raise StaleForm("no session")
    form = await _checked_form(request, session)
    typed = Secret(form.get("codename", ""))
    del form
    state.logins.take()
    pepper = state.instance.settings.pepper

    def derive() -> list[SourceKeys]:
        # Every form login_forms gives (today's, and the older one codenames drawn before
        # 2026-12 were derived from), whichever exists: the work depends on what was typed.
        return [
            derive_source_keys(form, pepper, _kdf_params(state))
            for form in login_forms(typed.reveal())
        ]

    # The same work and the same answer for every wrong codename, whatever its shape.
    derived = await state.kdf.run(derive)
    keys = await asyncio.to_thread(_existing, state, derived)
    if keys is None:
        return _with_cookie(
            render(request, "login.html", 200, csrf=session.csrf, failed=True), request, session
        )
    session.wipe()
    session = state.sessions.rotate(session)
    session.keys = keys
    return _with_cookie(_see_other("/home"), request, session)


def _existing(state: IntakeState, derived: list[SourceKeys]) -> SourceKeys | None:
    """The first derived keys whose source exists; every other one is wiped."""
    found = None
    for keys in derived:
        if found is None and source_exists(state.instance, keys.source_id):
            found = keys
        else:
            keys.wipe()
    return found


@router.get("/home")
async def home(request: Request) -> Response:
    state = _state(request)
    session = _logged_in(request)
    replies = await asyncio.to_thread(_read_replies, state, session)
    created = "created" in session.notices
    session.notices.clear()
    return render(request, "home.html", csrf=session.csrf, replies=replies, created=created)


def _read_replies(state: IntakeState, session: SourceSession) -> list[dict[str, object]]:
    if session.keys is None:
        return []
    identity = session.keys.reply_identity()
    with state.instance.db.session() as s:
        rows = list(
            s.scalars(
                select(Reply)
                .where(Reply.source_id == session.keys.source_id)
                .order_by(Reply.created)
            )
        )
    shown = []
    for row in rows:
        try:
            with state.instance.blobs.open(row.blob_key) as fh:
                data = fh.read(MAX_REPLY_BYTES + 1)
            text = decrypt_bytes(data, [identity]).decode("utf-8", "replace")
        except (EnvelopeError, StoreError):
            continue  # not readable with this codename's key: never shown, never fatal
        shown.append({"id": row.id, "when": row.created.date(), "text": text})
    return shown


@router.post("/submit")
async def submit(request: Request) -> Response:
    state = _state(request)
    session = _logged_in(request)
    settings = state.instance.settings
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data") or "boundary=" not in ctype:
        raise BadSubmission("not a multipart form")
    boundary = ctype.split("boundary=", 1)[1].split(";")[0].strip().strip('"')
    if not boundary or len(boundary) > 200:
        raise BadSubmission("bad multipart boundary")
    limits = Limits(
        max_body=settings.max_submission_bytes + settings.max_text_kb * 1024 * 8 + 1024 * 1024,
        max_field=settings.max_text_kb * 1024,
        max_parts=settings.max_parts,
        max_files=settings.max_files,
    )
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limits.max_body:
        raise SubmissionTooLarge("declared body over the limit")
    keys = session.keys
    if keys is None:
        raise NotLoggedIn("no session")
    ui_lang = page_language(request)
    writer = SubmissionWriter(state.instance, keys.source_id, ui_lang.code)
    stream = request.stream()
    session.uploads += 1
    try:
        async with state.upload_slots:
            fields = await receive(
                boundary.encode("latin-1"),
                stream,
                writer,
                limits,
                session.check_csrf,
                state.uploads,
            )
            text = fields.pop("text", "").strip()
            report = report_from_fields(fields)
            if not text and not report and not writer.files:
                raise EmptySubmission("nothing to send")
            await asyncio.get_running_loop().run_in_executor(
                state.uploads, writer.commit, text, report
            )
    except BaseException:
        await asyncio.to_thread(writer.abort)
        await _drain(stream)
        raise
    finally:
        session.uploads -= 1
    return _see_other("/submitted")


async def _drain(stream: object) -> None:
    """Read what is left of a refused upload (up to a bound) so the browser shows our page
    instead of a reset connection. The bytes are discarded unread."""
    seen = 0
    try:
        async for chunk in stream:  # type: ignore[attr-defined]
            seen += len(chunk)
            if seen > _DRAIN_LIMIT:
                break
    except Exception:
        return


@router.get("/submitted")
async def submitted(request: Request) -> Response:
    session = _logged_in(request)
    return render(request, "submitted.html", csrf=session.csrf)


@router.post("/replies/{reply_id}/delete")
async def delete_reply(request: Request, reply_id: str) -> Response:
    state = _state(request)
    session = _logged_in(request)
    await _checked_form(request, session)
    if session.keys is not None:
        await asyncio.to_thread(_delete_reply, state, session.keys.source_id, reply_id)
    return _see_other("/home")


def _delete_reply(state: IntakeState, source_id: str, reply_id: str) -> None:
    with state.instance.db.session() as s:
        row = s.get(Reply, reply_id)
        if row is None or row.source_id != source_id:
            return  # another source's reply, or gone already: say nothing
        key = row.blob_key
        s.delete(row)
    state.instance.blobs.delete(key)


@router.post("/logout")
async def logout(request: Request) -> Response:
    session = _session(request)
    if session is not None:
        await _checked_form(request, session)
        _state(request).sessions.end(session)
    response = _see_other("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/exit")
async def quick_exit(request: Request) -> Response:
    state = _state(request)
    session = _session(request)
    if session is not None:
        state.sessions.end(session)
    lang = page_language(request)  # read before its cookie goes
    response = _see_other(state.instance.settings.quick_exit_url or f"/bye?l={lang.code}")
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(LANG_COOKIE, path="/")
    # The browser drops this site's cookies and cache, its back/forward cache included, so
    # Back asks the server again and gets the neutral page (app.intake_error), never a
    # copy of the page the source left.
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@router.get("/bye")
async def neutral(
    request: Request, lang: Annotated[str, Query(alias="l", max_length=8)] = ""
) -> Response:
    return neutral_page(request, _i18n.languages().get(lang))


_LOCAL_PAGES = {"/", "/new", "/login", "/home", "/submitted"}


@router.get("/lang/{code}")
async def switch_language(
    request: Request, code: str, next: Annotated[str, Query(max_length=40)] = "/"
) -> Response:
    if code not in _i18n.languages():
        code = _i18n.DEFAULT
    response = _see_other(next if next in _LOCAL_PAGES else "/")
    response.set_cookie(LANG_COOKIE, code, httponly=True, samesite="strict", path="/")
    return response
