"""Bearer-token authentication for the desk API, done before a byte of the body is read.

`DeskGate` is the ASGI layer in front of the whole desk API: every route, the OpenAPI
spec and unknown paths alike. It checks the token before the application reads anything
of the body; each route then caps its body (`max_body_size`). FastAPI reads and parses a JSON body
before it runs any dependency, so a token check in a dependency came too late: a
stranger's 256 MB JSON body took the process from 197 to 1,174 MB before its 401.
`require_editor` is the FastAPI dependency the routes use; it returns the `Editor` the
gate found.

Tokens read `NAME.SECRET` (see `_editors`). The token is compared first, in constant
time, and a correct, unrevoked token is let in whatever came before it: a stranger who
sends bad tokens under an editor's (public) name can never lock that editor out. Only
failures are counted, per editor name (per one shared key for names that are no editor,
so the throttle's memory is bounded by the number of editors, not by what strangers
send). Past `FAILURES_ALLOWED` failures within `WINDOW_SECONDS`, failures are answered
429 with Retry-After and logged once per window instead of once each. The throttle does
not, and need not, slow a guesser: a token carries 256 random bits. Failures are logged
with the (validated) name only: never the token.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections import OrderedDict, deque

import anyio
from fastapi import HTTPException, Request
from sqlalchemy import select
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from quietwire.deskapi._editors import hash_token, split_token
from quietwire.instance import Instance
from quietwire.store import Editor

log = logging.getLogger("quietwire.deskapi")

FAILURES_ALLOWED = 5
WINDOW_SECONDS = 60.0
_MAX_TRACKED = 10_000
_NO_EDITOR = "<no editor>"  # the one key for malformed tokens and names of no editor
# Compared against when the name is no editor, so both cases take the same time.
_DUMMY_HASH = hash_token("no-editor.0")


class Throttle:
    """Counts failed attempts per key in a sliding window. Memory: at most `allowed`
    timestamps per key and `_MAX_TRACKED` keys (least recently failed dropped first)."""

    def __init__(self, allowed: int = FAILURES_ALLOWED, window: float = WINDOW_SECONDS) -> None:
        self.allowed = allowed
        self.window = window
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def fail(self, key: str) -> bool:
        """Record one failure for `key`; return True the first time in a window that `key`
        goes over its allowance, so the caller logs once rather than at every failure."""
        with self._lock:
            now = time.monotonic()
            times = self._failures.pop(key, None) or deque(maxlen=self.allowed + 1)
            while times and now - times[0] >= self.window:
                times.popleft()
            was_over = len(times) > self.allowed
            times.append(now)
            self._failures[key] = times
            while len(self._failures) > _MAX_TRACKED:
                self._failures.popitem(last=False)
            return len(times) > self.allowed and not was_over

    def over(self, key: str) -> bool:
        """Whether `key` has failed more than `allowed` times within the window."""
        with self._lock:
            times = self._failures.get(key)
            now = time.monotonic()
            return times is not None and sum(now - t < self.window for t in times) > self.allowed


class Refusal(Exception):
    """The gate's answer to a request it does not let through."""

    def __init__(self, status: int, detail: str, headers: dict[str, str]) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers

    def response(self) -> JSONResponse:
        return JSONResponse({"detail": self.detail}, self.status, headers=self.headers)


def authenticate(instance: Instance, throttle: Throttle, header: str) -> Editor:
    """The unrevoked `Editor` whose token the Authorization `header` carries, else
    `Refusal` (401, or 429 once that name has failed too often). Blocking: one query."""
    scheme, _, token = header.partition(" ")
    token = token.strip()
    parts = split_token(token) if scheme.lower() == "bearer" else None
    editor = None
    if parts is not None:
        with instance.db.session() as s:
            editor = s.scalar(select(Editor).where(Editor.name == parts[0]))
    matches = hmac.compare_digest(
        hash_token(token), editor.token_hash if editor is not None else _DUMMY_HASH
    )
    if editor is not None and matches and editor.revoked is None:
        return editor
    key = editor.name if editor is not None else _NO_EDITOR
    first_over = throttle.fail(key)
    if throttle.over(key):
        if first_over:
            log.warning("desk API: too many failed tokens for %r; answering 429", key)
        raise Refusal(
            429,
            "too many failed attempts for this editor; wait a minute",
            {"Retry-After": str(int(throttle.window))},
        )
    reason = "revoked" if editor is not None and matches else "invalid"
    log.warning("desk API: %s token for %r refused", reason, key)
    raise Refusal(401, "a valid editor token is required", {"WWW-Authenticate": "Bearer"})


class DeskGate:
    """ASGI: authenticate before the application sees the request (and so before anything
    reads its body); the editor is left in the request's state for `require_editor`. Body
    sizes are capped per route by the routes themselves (`max_body_size`), once the token
    has passed here."""

    def __init__(self, app: ASGIApp, instance: Instance, throttle: Throttle) -> None:
        self.app = app
        self.instance = instance
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = Headers(scope=scope).get("authorization", "")
        try:
            editor = await anyio.to_thread.run_sync(
                authenticate, self.instance, self.throttle, header
            )
        except Refusal as refusal:
            await refusal.response()(scope, receive, send)
            return
        scope.setdefault("state", {})["editor"] = editor
        await self.app(scope, receive, send)


def require_editor(request: Request) -> Editor:
    """FastAPI dependency: the `Editor` that `DeskGate` authenticated. Fails closed (401)
    on an app mounted without the gate."""
    editor = getattr(request.state, "editor", None)
    if not isinstance(editor, Editor):
        raise HTTPException(status_code=401, detail="a valid editor token is required")
    return editor
