"""The desk's HTTP client for the desk API: errors turned into DeskErrors, never tokens."""

from __future__ import annotations

from typing import Any

import httpx

from quietwire.desk._errors import NotFound, ServerError, Unreachable

TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class DeskClient:
    """A thin, synchronous client bound to one server and token."""

    def __init__(self, server: str, token: str) -> None:
        self.server = server.rstrip("/")
        self.http = httpx.Client(
            base_url=self.server,
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
            follow_redirects=False,
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> DeskClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send a request; raise Unreachable, NotFound or ServerError unless it is 2xx."""
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise Unreachable(f"the desk server did not answer ({type(exc).__name__})") from None
        check(response)
        return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.request(method, path, **kwargs).json()


def check(response: httpx.Response) -> None:
    """Raise the DeskError matching a non-2xx response."""
    status = response.status_code
    if 200 <= status < 300:
        return
    if status == 401:
        raise ServerError("the server refused the token (wrong or revoked)")
    if status == 429:
        raise ServerError("too many failed attempts: the server is throttling this editor")
    if status == 404:
        raise NotFound("the server has no such item")
    try:
        detail = str(response.json().get("detail", ""))[:200]
    except ValueError:
        detail = ""
    raise ServerError(f"the server answered {status}" + (f": {detail}" if detail else ""))
