"""Security headers for every app QuietWire serves (source app, desk API, desk UI, public site).

A pure ASGI middleware, so it also covers error responses and static files. The CSP allows
nothing by default; each app names the few things its pages need from 'self'. No Server
header: uvicorn's is switched off where the server starts.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STRICT_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def security_headers(csp: str = STRICT_CSP, *, cacheable: bool = False) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": csp,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    }
    if not cacheable:
        # Nothing a source sees may stay in the café computer's cache.
        headers["Cache-Control"] = "no-store, max-age=0"
        headers["Pragma"] = "no-cache"
    return headers


class SecurityHeaders:
    def __init__(self, app: ASGIApp, csp: str = STRICT_CSP, *, cacheable: bool = False) -> None:
        self.app = app
        self.headers = security_headers(csp, cacheable=cacheable)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers[name] = value
                if "server" in headers:
                    del headers["server"]
            await send(message)

        await self.app(scope, receive, send_with_headers)
