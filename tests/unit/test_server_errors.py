"""The outermost layer of every app: an unexpected error is logged by its type alone."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from quietwire.server import _QuietErrors


async def leaky(request: Request) -> Response:
    raise ValueError("what the source wrote: SECRET-PLACE")


def test_an_unexpected_error_is_logged_by_its_type_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = _QuietErrors(Starlette(routes=[Route("/", leaky)]), "source")

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get("/")

    with caplog.at_level(logging.DEBUG):
        response = asyncio.run(get())
    assert response.status_code == 500
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "unexpected error in the source app: ValueError" in text
    assert "SECRET-PLACE" not in caplog.text and not any(r.exc_info for r in caplog.records)
