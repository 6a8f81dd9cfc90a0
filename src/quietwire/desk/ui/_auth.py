"""Who may use the desk UI: the person who started it, from this computer.

Threats, and what stops each:
- another user or program on the machine, or a web page in the editor's browser, sending
  requests to 127.0.0.1: every request needs the per-run token, given once in the URL
  printed by `quietwire desk ui` and then carried by a cookie; anything else gets 403;
- the token lingering in browser history: the first request trades it for a session
  cookie and redirects to a URL without it, and the token dies with the process;
- DNS rebinding (a hostile site's name resolving to 127.0.0.1): the Host header must
  name the loopback address, and the cookie is never sent to that other name anyway;
- cross-site request forgery: the cookie is SameSite=Strict, POSTs carry a CSRF token
  derived from the session secret, and a foreign Origin or Sec-Fetch-Site is refused;
- another local web app on a different port reading or clobbering our cookie (cookies
  ignore ports): the cookie name carries the port and holds a per-run random value.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]"}


@dataclass(frozen=True)
class Guard:
    """The run's secrets: the URL token and the session value the cookie carries."""

    token: str = field(repr=False)
    session: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)

    def csrf(self) -> str:
        """The value every form must send back; unguessable without the session secret."""
        return hmac.new(self.session.encode(), b"desk-ui csrf", hashlib.sha256).hexdigest()

    def csrf_ok(self, sent: str | None) -> bool:
        return sent is not None and hmac.compare_digest(sent.encode(), self.csrf().encode())


def cookie_name(headers: Headers) -> str:
    port = headers.get("host", "").rpartition(":")[2]
    return f"qw_desk_{port}" if port.isdigit() else "qw_desk"


def host_ok(headers: Headers) -> bool:
    host = headers.get("host", "")
    name = host[: host.find("]") + 1] if host.startswith("[") else host.partition(":")[0]
    return name in LOOPBACK_NAMES


def origin_ok(headers: Headers) -> bool:
    """False for a request a browser marks as coming from another site or origin.

    Sec-Fetch-Site is "same-site" for another port on 127.0.0.1, which is exactly the
    other local web app we do not trust. With `Referrer-Policy: no-referrer` Chromium
    sends `Origin: null` on our own form posts, so "null" is left to the CSRF token.
    """
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None or origin == "null":
        return True
    return origin.removeprefix("http://") == headers.get("host", "")


class TokenGate:
    """ASGI middleware: 403 unless the request proves it comes from the editor's session."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if not host_ok(headers) or not origin_ok(headers):
            await _forbidden(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        offered = [value for key, value in query if key == "token"]
        if offered:
            if len(offered) != 1 or not hmac.compare_digest(
                offered[0].encode(), self.guard.token.encode()
            ):
                await _forbidden(scope, receive, send)
                return
            # Trade the token for a cookie, and leave the token out of the next URL.
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            target = scope["path"] + (f"?{rest}" if rest else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(
                cookie_name(headers),
                self.guard.session,
                httponly=True,
                samesite="strict",
                path="/",
            )
            await response(scope, receive, send)
            return
        cookie = _cookie(headers, cookie_name(headers))
        if cookie is None or not hmac.compare_digest(cookie.encode(), self.guard.session.encode()):
            await _forbidden(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _cookie(headers: Headers, name: str) -> str | None:
    for header in headers.getlist("cookie"):
        value = cookie_parser(header).get(name)
        if value is not None:
            return value
    return None


async def _forbidden(scope: Scope, receive: Receive, send: Send) -> None:
    body = "Forbidden: open the address printed by `quietwire desk ui`.\n"
    await PlainTextResponse(body, status_code=403)(scope, receive, send)
