"""Routes of the source app. Every POST answers 303 to a GET page (nothing for the
browser to replay or keep in its session history), and no URL carries anything secret."""

from __future__ import annotations

import asyncio
import secrets
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from quietwire.crypto import (
    WORDLISTS,
    Codename,
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
from quietwire.intake._held import aliases_of, attach_held
from quietwire.intake._sessions import SourceSession
from quietwire.intake._upload import Limits, StaleForm, receive
from quietwire.intake.app import (
    LANG_COOKIE,
    NOTE_COOKIE,
    SESSION_COOKIE,
    IntakeState,
    error_page,
    neutral_page,
    page_language,
    render,
    see_other,
    set_cookie,
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
from quietwire.store import Reply, Source, StoreError

router = APIRouter()
MAX_REPLY_BYTES = 256 * 1024
_DRAIN_LIMIT = 64 * 1024 * 1024


# A login or codename form is good for an hour; a form of a logged-in session for a day,
# so a report typed slowly is still received when the session has ended meanwhile.
FORM_MAX_AGE_S = 3600
SESSION_FORM_MAX_AGE_S = 24 * 3600
# How long a report sent on an ended session waits for its codename (_held.py).
HELD_COOKIE = "qw_held"
HELD_MAX_AGE_S = 3600


def _state(request: Request) -> IntakeState:
    state: IntakeState = request.app.state.intake
    return state


def _session(request: Request) -> SourceSession | None:
    return _state(request).sessions.get(request.cookies.get(SESSION_COOKIE))


def _cookie_id(request: Request) -> str | None:
    """The browser's random cookie id, which form tokens are bound to (a session's id once
    logged in; before that an id the server keeps nothing for)."""
    value = request.cookies.get(SESSION_COOKIE, "")
    return value if 20 <= len(value) <= 64 and value.isascii() else None


def _visitor(request: Request) -> str:
    return _cookie_id(request) or secrets.token_urlsafe(32)


def _logged_in(request: Request) -> SourceSession:
    session = _session(request)
    if session is None:
        raise NotLoggedIn("no session")
    return session


def _csrf(request: Request, bound: str) -> str:
    return _state(request).tokens.sign("form", bound)


def _kdf_params(state: IntakeState) -> KdfParams:
    s = state.instance.settings
    return KdfParams(memory_kib=s.kdf_memory_kib, time_cost=s.kdf_time_cost)


async def _checked_form(request: Request, bound: str | None, max_age_s: int) -> dict[str, str]:
    form = await read_small_form(request)
    if not _state(request).tokens.check(form.get("csrf", ""), "form", bound, max_age_s):
        raise StaleForm("stale or missing CSRF token")
    return form


def _held_claim(request: Request) -> str | None:
    """The placeholder source of the reports this browser sent on an ended session."""
    token = request.cookies.get(HELD_COOKIE, "")
    return _state(request).tokens.open(token, "held", _cookie_id(request), HELD_MAX_AGE_S)


async def _start_session(request: Request, keys: SourceKeys, notice: str = "") -> Response:
    """Log in with `keys`: a new session, the held reports attached, on to /home."""
    state = _state(request)
    previous = _session(request)
    if previous is not None:  # a source already logged in: that session ends, keys wiped
        state.sessions.end(previous)
    session = state.sessions.new(keys)
    if session is None:
        keys.wipe()
        raise Busy(60)
    if notice:
        session.notices.append(notice)
    response = see_other("/home")
    placeholder = _held_claim(request)
    if placeholder is not None:
        if await asyncio.to_thread(attach_held, state.instance, placeholder, keys.reply_recipient):
            session.notices.append("attached")
        response.delete_cookie(HELD_COOKIE, path="/")
    return set_cookie(response, request, SESSION_COOKIE, session.id)


@router.get("/")
async def index(request: Request) -> Response:
    return render(request, "index.html")


@router.get("/new")
async def new(
    request: Request, words: Annotated[str | None, Query(max_length=8)] = None
) -> Response:
    # Nothing kept on the server: the codename goes back sealed in the form (_tokens.py).
    state = _state(request)
    visitor = _visitor(request)
    ui_lang = page_language(request).code
    chosen = words if words is not None and words in WORDLISTS else ui_lang
    if chosen not in WORDLISTS:
        chosen = "en"
    codename = generate_codename(chosen)
    labels = [("ar", "العربية"), ("en", "English")]
    response = render(
        request,
        "new.html",
        codename=codename,
        words_lang=chosen,
        wordlists=labels,
        csrf=state.tokens.seal(codename, "new", visitor),
    )
    return set_cookie(response, request, SESSION_COOKIE, visitor)


@router.post("/new")
async def create(request: Request) -> Response:
    state = _state(request)
    form = await read_small_form(request)
    sealed = state.tokens.open(form.get("csrf", ""), "new", _cookie_id(request), FORM_MAX_AGE_S)
    if sealed is None:
        raise StaleForm("stale, foreign or missing codename form")
    codename = Codename(sealed)
    state.new_sources.take()
    pepper = state.instance.settings.pepper
    normal = normalize_codename(codename)  # shown in standard spelling, derived from this
    keys = await state.kdf.run(lambda: derive_source_keys(normal, pepper, _kdf_params(state)))
    await asyncio.to_thread(register_source, state.instance, keys)
    return await _start_session(request, keys, "created")


@router.get("/login")
async def login_page(request: Request) -> Response:
    visitor = _visitor(request)
    failed = request.cookies.get(NOTE_COOKIE) == "login_failed"
    held = _held_claim(request) is not None
    response = render(request, "login.html", csrf=_csrf(request, visitor), failed=failed, held=held)
    response.delete_cookie(NOTE_COOKIE, path="/")
    return set_cookie(response, request, SESSION_COOKIE, visitor)


@router.post("/login")
async def login(request: Request) -> Response:
    state = _state(request)
    form = await _checked_form(request, _cookie_id(request), FORM_MAX_AGE_S)
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

    # The same work and the same answer for every wrong codename, whatever its shape; the
    # answer is a redirect, so the browser keeps no POST body with the codename in it.
    derived = await state.kdf.run(derive)
    keys = await asyncio.to_thread(_existing, state, derived)
    if keys is None:
        return see_other("/login", request, "login_failed")
    return await _start_session(request, keys)


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
    replies = await asyncio.to_thread(_read_replies, state, session.keys)
    notices = set(session.notices)
    session.notices.clear()
    return render(
        request,
        "home.html",
        csrf=_csrf(request, session.id),
        replies=replies,
        created="created" in notices,
        attached="attached" in notices,
    )


def _read_replies(state: IntakeState, keys: SourceKeys) -> list[dict[str, object]]:
    identity = keys.reply_identity()
    # The codename's own replies, and those to the reports it attached (_held.py).
    sources = aliases_of(state.instance, keys.reply_recipient)
    with state.instance.db.session() as s:
        rows = list(
            s.scalars(select(Reply).where(Reply.source_id.in_(sources)).order_by(Reply.created))
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
    session = _session(request)
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
    ui_lang = page_language(request)
    bound = _cookie_id(request)
    claim = None
    if session is not None:
        writer = SubmissionWriter(state.instance, session.keys.source_id, ui_lang.code)
        session.uploads += 1
    elif bound is None:
        raise NotLoggedIn("no session and no form of ours")
    else:
        # The session ended while the source wrote: receive the report all the same, held
        # for the codename (_held.py). Throttled like a new codename, since it costs one.
        state.new_sources.take()
        claim = _held_claim(request)
        writer = SubmissionWriter(
            state.instance,
            claim or secrets.token_hex(32),
            ui_lang.code,
            held=True,
            new_placeholder=claim is None,
        )

    def check_csrf(token: str) -> bool:
        return state.tokens.check(token, "form", bound, SESSION_FORM_MAX_AGE_S)

    stream = request.stream()
    try:
        async with state.upload_slots:
            fields = await receive(
                boundary.encode("latin-1"), stream, writer, limits, check_csrf, state.uploads
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
        if session is not None:
            session.uploads -= 1
    if session is not None:
        return see_other("/submitted")
    response = see_other("/login", request, "held")
    if claim is None and bound is not None:  # a second report joins the first claim
        held = state.tokens.seal(writer.source_id, "held", bound)
        set_cookie(response, request, HELD_COOKIE, held)
    return response


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
    return render(request, "submitted.html", csrf=_csrf(request, session.id))


@router.get("/problem")
async def problem(request: Request) -> Response:
    """Where a failed POST is sent on to: its error page, by the note it left."""
    response = error_page(request, request.cookies.get(NOTE_COOKIE, ""))
    response.delete_cookie(NOTE_COOKIE, path="/")
    return response


@router.post("/replies/{reply_id}/delete")
async def delete_reply(request: Request, reply_id: str) -> Response:
    state = _state(request)
    session = _logged_in(request)
    await _checked_form(request, session.id, SESSION_FORM_MAX_AGE_S)
    await asyncio.to_thread(_delete_reply, state, session.keys.reply_recipient, reply_id)
    return see_other("/home")


def _delete_reply(state: IntakeState, reply_recipient: str, reply_id: str) -> None:
    with state.instance.db.session() as s:
        row = s.get(Reply, reply_id)
        source = None if row is None else s.get(Source, row.source_id)
        if row is None or source is None or source.reply_recipient != reply_recipient:
            return  # another source's reply, or gone already: say nothing
        key = row.blob_key
        s.delete(row)
    state.instance.blobs.delete(key)


@router.post("/logout")
async def logout(request: Request) -> Response:
    session = _session(request)
    if session is not None:
        await _checked_form(request, session.id, SESSION_FORM_MAX_AGE_S)
        _state(request).sessions.end(session)
    response = see_other("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/exit")
async def quick_exit(request: Request) -> Response:
    state = _state(request)
    session = _session(request)
    if session is not None:
        state.sessions.end(session)
    lang = page_language(request)  # read before its cookie goes
    response = see_other(state.instance.settings.quick_exit_url or f"/bye?l={lang.code}")
    for name in (SESSION_COOKIE, LANG_COOKIE, HELD_COOKIE, NOTE_COOKIE):
        response.delete_cookie(name, path="/")
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
    response = see_other(next if next in _LOCAL_PAGES else "/")
    response.set_cookie(LANG_COOKIE, code, httponly=True, samesite="strict", path="/")
    return response
