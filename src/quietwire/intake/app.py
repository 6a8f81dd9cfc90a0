"""The source app: an ASGI application with its state, templates and error pages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from importlib.resources import files
from typing import Any

from babel.dates import format_date
from babel.units import format_unit
from fastapi import FastAPI
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from quietwire.errors import ConfigError
from quietwire.instance import Instance
from quietwire.intake import _i18n
from quietwire.intake._held import deliver_held
from quietwire.intake._sessions import SessionStore
from quietwire.intake._throttle import KdfPool, TokenBucket
from quietwire.intake._tokens import FormTokens
from quietwire.intake.errors import Busy, IntakeError
from quietwire.store import now_hour
from quietwire.web import SecurityHeaders, security_headers

LANG_COOKIE = "qw_lang"
SESSION_COOKIE = "qw_session"
# What the page after a redirect must say ("login_failed", an error page's name): a POST
# never answers in place, since Chromium keeps the body of a POST it showed the answer of
# (the codename, the message) in the profile's Sessions/ folder. Never anything secret.
NOTE_COOKIE = "qw_note"
# Error pages and their status, for the GET page a failed POST is sent on to.
ERROR_STATUS = {
    "too_large": 413,
    "bad_request": 400,
    "empty": 400,
    "error": 400,
    "busy": 503,
    "expired": 401,
    "stale_form": 403,
    "not_found": 404,
    "server_error": 500,
}
_TEMPLATES = str(files("quietwire.intake") / "templates")
_log = logging.getLogger("quietwire.intake")


@dataclass
class IntakeState:
    instance: Instance
    sessions: SessionStore
    kdf: KdfPool
    new_sources: TokenBucket
    logins: TokenBucket
    uploads: ThreadPoolExecutor
    upload_slots: asyncio.Semaphore
    envs: dict[str, Environment]
    tokens: FormTokens


def _environment(lang: _i18n.Language) -> Environment:
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,
    )
    env.install_gettext_translations(lang.translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["day"] = lambda when: format_date(when, "medium", locale=lang.code)
    return env


def human_size(n: int, locale: str) -> str:
    """A size limit as a source reads it in their language ("500 ميغابايت", "500 megabytes")."""
    mib = 1024 * 1024
    unit, value = ("digital-megabyte", n // mib) if n >= mib else ("digital-kilobyte", n // 1024)
    return format_unit(value, unit, length="long", locale=locale)


def page_language(request: Request) -> _i18n.Language:
    """The language of the page: the source's choice, the instance's, the browser's."""
    state: IntakeState = request.app.state.intake
    return _i18n.negotiate(
        request.headers.get("accept-language"),
        request.cookies.get(LANG_COOKIE),
        state.instance.settings.default_language,
    )


def render(
    request: Request,
    name: str,
    status: int = 200,
    language: _i18n.Language | None = None,
    **context: Any,
) -> HTMLResponse:
    state: IntakeState = request.app.state.intake
    settings = state.instance.settings
    lang = language or page_language(request)
    template = state.envs[lang.code].get_template(name)
    html = template.render(
        lang=lang,
        all_languages=list(_i18n.languages().values()),
        here=request.url.path,
        max_size=human_size(settings.max_submission_bytes, lang.code),
        tip_line_name=settings.tip_line_name,
        tip_line_description=settings.tip_line_description,
        **context,
    )
    return HTMLResponse(html, status_code=status)


def neutral_page(request: Request, language: _i18n.Language | None = None) -> HTMLResponse:
    """A page that says nothing about this site: where Quick exit lands, and what a visitor
    with no session cookie gets at a page that needs one (what Back after Quick exit shows)."""
    return render(request, "neutral.html", language=language)


def language_problem(code: str) -> str | None:
    """Why `code` cannot be an instance's default_language, or None if it can."""
    if not code or code in _i18n.languages():
        return None
    known = ", ".join(sorted(_i18n.languages()))
    return f"default_language {code!r} has no translation of the source pages (have: {known})"


def set_cookie(response: Response, request: Request, name: str, value: str) -> Response:
    """A browser-session cookie (no max-age: gone when the browser closes), never sent
    cross-site, out of reach of page scripts, and Secure over HTTPS and onion services."""
    host = request.headers.get("host", "").split(":")[0]
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="strict",
        path="/",
        secure=request.url.scheme == "https" or host.endswith(".onion"),
    )
    return response


def see_other(url: str, request: Request | None = None, note: str = "") -> RedirectResponse:
    """A 303 to the GET page `url`, carrying `note` for it to show (see NOTE_COOKIE)."""
    response = RedirectResponse(url, status_code=303)
    if note and request is not None:
        set_cookie(response, request, NOTE_COOKIE, note)
    return response


def _error_redirect(request: Request, page: str, minutes: int = 0) -> RedirectResponse:
    note = f"{page}.{minutes}" if minutes else page
    return see_other("/problem", request, note)


def render_error(
    request: Request, page: str, minutes: int = 0, back: str = "", status: int = 0
) -> Response:
    if page not in ERROR_STATUS:
        page = "error"
    back = back or ("/login" if page == "expired" else "/" if page == "busy" else "/home")
    status = status or ERROR_STATUS[page]
    return render(request, "error.html", status, page=page, minutes=minutes, back=back)


def error_page(request: Request, note: str) -> Response:
    """The error page a failed POST was sent on to, with that error's status."""
    page, _, minutes = note.partition(".")
    # The note is a cookie, so anything: only a few ASCII digits count as minutes.
    ok = minutes.isascii() and minutes.isdigit() and len(minutes) < 4
    return render_error(request, page, int(minutes) if ok else 0)


def create_app(instance: Instance) -> FastAPI:
    """Build the source app for `instance`. Nothing here logs IPs, user agents or codenames."""
    settings = instance.settings
    problem = language_problem(settings.default_language)
    if problem:
        raise ConfigError(problem)
    sessions = SessionStore(idle_s=settings.session_idle_minutes * 60)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async def expire_sessions() -> None:
            while True:
                await asyncio.sleep(30)
                sessions.expire()

        async def deliver_unattached() -> None:
            while True:
                await asyncio.sleep(30)
                # Held at least an hour, past every claim on them (routes.HELD_MAX_AGE_S):
                # times are cut to the hour, so two hours back from this hour.
                received_by = now_hour() - timedelta(hours=2)
                try:
                    await asyncio.to_thread(deliver_held, instance, received_by)
                except Exception as exc:  # the database away: tried again in 30 s
                    _log.warning("held reports not delivered yet: %s", type(exc).__name__)

        sweepers = [
            asyncio.create_task(expire_sessions()),
            asyncio.create_task(deliver_unattached()),
        ]
        try:
            yield
        finally:
            for sweeper in sweepers:
                sweeper.cancel()
            sessions.wipe_all()
            state.kdf.shutdown()
            state.uploads.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=lifespan)
    max_uploads = 256
    state = IntakeState(
        instance=instance,
        sessions=sessions,
        kdf=KdfPool(settings.kdf_workers, settings.kdf_queue),
        new_sources=TokenBucket(settings.new_sources_per_minute, settings.throttle_burst),
        logins=TokenBucket(settings.logins_per_minute, settings.throttle_burst),
        uploads=ThreadPoolExecutor(max_workers=max_uploads, thread_name_prefix="upload"),
        upload_slots=asyncio.Semaphore(max_uploads),
        envs={code: _environment(lang) for code, lang in _i18n.languages().items()},
        tokens=FormTokens(settings.pepper),
    )
    app.state.intake = state

    from quietwire.intake.routes import router

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(files("quietwire.intake") / "static")))
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(IntakeError)
    async def intake_error(request: Request, exc: IntakeError) -> Response:
        minutes = max(1, (exc.retry_after_s + 59) // 60) if isinstance(exc, Busy) else 0
        if request.method == "POST":
            response: Response = _error_redirect(request, exc.page, minutes)
        elif exc.page == "expired" and SESSION_COOKIE not in request.cookies:
            # No session cookie at all: Quick exit deleted it, or the browser was closed.
            # Whoever presses Back, or opens this page from the history, must not learn
            # what this site is: the same neutral page Quick exit showed.
            return neutral_page(request)
        else:
            response = render_error(request, exc.page, minutes)
        if isinstance(exc, Busy):
            response.headers["Retry-After"] = str(exc.retry_after_s)
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        page = "not_found" if exc.status_code == 404 else "bad_request"
        if request.method == "POST":
            return _error_redirect(request, page)
        return render_error(request, page, back="/", status=exc.status_code)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # Only the page: Starlette raises `exc` again after this, and the outermost layer
        # of `quietwire serve` (server._QuietErrors) logs it, by its type alone.
        if request.method == "POST":
            response: Response = _error_redirect(request, "server_error")
        else:
            response = render_error(request, "server_error", back="/")
        # This handler runs outside the middleware stack: add the headers here too.
        response.headers.update(security_headers())
        return response

    return app
