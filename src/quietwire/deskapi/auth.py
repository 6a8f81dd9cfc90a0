"""Bearer-token authentication for the desk API, throttled per editor name.

`require_editor` is the FastAPI dependency every desk route uses; it returns the `Editor`
row. Tokens read `NAME.SECRET` (see `_editors`). After `FAILURES_ALLOWED` failures for one
name within `WINDOW_SECONDS`, every request for that name is answered 429 until the window
passes. Failures are logged with the (validated) name only: never the token.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict

from fastapi import HTTPException, Request
from sqlalchemy import select

from quietwire.deskapi._editors import split_token, token_matches
from quietwire.instance import Instance
from quietwire.store import Editor

log = logging.getLogger("quietwire.deskapi")

FAILURES_ALLOWED = 5
WINDOW_SECONDS = 60.0
_MAX_TRACKED = 10_000


class Throttle:
    """Counts failed attempts per key in a sliding window; bounded memory (LRU)."""

    def __init__(self, allowed: int = FAILURES_ALLOWED, window: float = WINDOW_SECONDS) -> None:
        self.allowed = allowed
        self.window = window
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(key, []) if now - t < self.window]
        if times:
            self._failures[key] = times
            self._failures.move_to_end(key)
        else:
            self._failures.pop(key, None)
        return times

    def blocked(self, key: str) -> bool:
        """Whether `key` has used up its failures for the current window."""
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.allowed

    def fail(self, key: str) -> None:
        """Record one failure for `key`."""
        with self._lock:
            now = time.monotonic()
            self._failures[key] = [*self._recent(key, now), now]
            self._failures.move_to_end(key)
            while len(self._failures) > _MAX_TRACKED:
                self._failures.popitem(last=False)


def _unauthorized() -> HTTPException:
    return HTTPException(
        status_code=401,
        detail="a valid editor token is required",
        headers={"WWW-Authenticate": "Bearer"},
    )


def require_editor(request: Request) -> Editor:
    """FastAPI dependency: the authenticated, unrevoked `Editor`, else 401 (or 429)."""
    instance: Instance = request.app.state.instance
    throttle: Throttle = request.app.state.auth_throttle
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    parts = split_token(token.strip()) if scheme.lower() == "bearer" else None
    if parts is None:
        # No name to throttle by: count it against one shared key.
        if throttle.blocked("<malformed>"):
            raise HTTPException(status_code=429, detail="too many failed attempts")
        throttle.fail("<malformed>")
        log.warning("desk API: request without a well-formed editor token")
        raise _unauthorized()
    name = parts[0]
    if throttle.blocked(name):
        raise HTTPException(
            status_code=429,
            detail="too many failed attempts for this editor; wait a minute",
            headers={"Retry-After": str(int(throttle.window))},
        )
    with instance.db.session() as s:
        editor = s.scalar(select(Editor).where(Editor.name == name))
    if (
        editor is None
        or editor.revoked is not None
        or not token_matches(token.strip(), editor.token_hash)
    ):
        throttle.fail(name)
        reason = "revoked" if editor is not None and editor.revoked is not None else "invalid"
        log.warning("desk API: %s token for editor %r refused", reason, name)
        raise _unauthorized()
    return editor
