"""The desk UI as an ASGI app: templates, language, security headers, the token gate."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from fastapi import FastAPI
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from quietwire.desk import Workspace
from quietwire.desk.ui import _i18n, _notes
from quietwire.desk.ui._auth import Guard, TokenGate
from quietwire.desk.ui._data import DeskData
from quietwire.web import SecurityHeaders, security_headers

log = logging.getLogger("quietwire.desk.ui")
LANG_COOKIE = "qw_desk_lang"
_PACKAGE = files("quietwire.desk.ui")


@dataclass(frozen=True)
class UIState:
    data: DeskData
    guard: Guard
    env: Environment
    # designation -> (why the last reply failed, its unsent text); memory only
    flash: dict[str, tuple[str, str]] = field(default_factory=dict)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page in the editor's chosen language."""
    state: UIState = request.app.state.desk_ui
    lang = _i18n.language(request.cookies.get(LANG_COOKIE))

    def t(key: str, **values: object) -> str:
        return _i18n.translate(lang, key, **values)

    html = state.env.get_template(name).render(
        lang=lang,
        languages=list(_i18n.LANGUAGES.values()),
        t=t,
        note=lambda text: _notes.note_in(lang, text),
        csrf=state.guard.csrf(),
        here=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=status)


def create_app(workspace: Workspace, token: str) -> FastAPI:
    """The desk UI over an open `workspace`.

    token: the per-run secret (at least 16 characters) that the first URL carries; every
        request without it or the session cookie it is traded for gets 403.
    The app binds nowhere itself: serve it on 127.0.0.1 only (`quietwire desk ui` does).
    Raises ValueError for a short token.
    """
    if len(token) < 16:
        raise ValueError("the desk UI token must be at least 16 characters")
    env = Environment(
        loader=FileSystemLoader(str(_PACKAGE / "templates")),
        autoescape=select_autoescape(default=True),
        auto_reload=False,
    )
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.desk_ui = UIState(data=DeskData(workspace), guard=Guard(token), env=env)

    from quietwire.desk.ui.routes import router

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(_PACKAGE / "static")), name="static")
    # Outermost last: the headers wrap everything, including the gate's 403 and redirects.
    app.add_middleware(TokenGate, guard=app.state.desk_ui.guard)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        key = {404: "not_found", 403: "forbidden"}.get(exc.status_code, "bad_request")
        return render(request, "error.html", exc.status_code, message_key=key)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # The type only: a message could quote a report.
        log.error("unexpected error in the desk UI: %s", type(exc).__name__)
        response = render(request, "error.html", 500, message_key="bad_request")
        response.headers.update(security_headers())
        return response

    return app
