"""Limits on request heads that httptools, the HTTP parser under uvicorn, does not have.

Every listener of `quietwire serve` uses `protocol_for(HeadLimits.of(settings))` as its
uvicorn protocol. See docs/security.md for what a header flood can and cannot do.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from quietwire.config import Settings


@dataclass(frozen=True, slots=True)
class HeadLimits:
    """What one request's head (request line and header fields) may take."""

    max_bytes: int
    max_fields: int
    timeout_s: float

    @classmethod
    def of(cls, settings: Settings) -> HeadLimits:
        return cls(
            settings.header_max_kb * 1024,
            settings.header_max_count,
            float(settings.header_timeout_seconds),
        )


class _TooManyFields(Exception):
    pass


class GuardedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol with the limits httptools lacks. httptools keeps
    growing a header field as its bytes arrive and has no cap: a 256 MB header was answered
    200, one connection streaming a 192 MB header slowed every other source's page from
    56 ms to 5-8 s, eight took the process from 148 MB to 1.1 GB. Here a head larger than
    `max_bytes` (counted as it arrives, before it is complete) or with more than
    `max_fields` fields is answered 431 and the connection closed; a head not complete
    within `timeout_s` of the connection or of its first byte (a slowloris, or a
    connection that never speaks) is answered 408 and closed, and so is a connection whose
    request was answered before its body ended, if the rest takes as long. Memory per
    connection is bounded by `max_bytes` plus one read (256 KiB under uvloop): the read
    that starts a head is not counted, since it may end the body before it."""

    limits = HeadLimits(32 * 1024, 100, 30.0)  # replaced per server by `protocol_for`

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._head_bytes = self._head_fields = 0
        self._in_head = True
        self._crossed = False  # a head began or ended within the current read
        self._head_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.limits.timeout_s, self._too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _too_slow(self) -> None:
        self._head_timer = None
        if self.cycle is not None and not self.cycle.response_complete:
            # A response is still being made (a large upload being stored): bytes sent
            # meanwhile are not late yet; the clock restarts.
            self._arm()
        elif self._answered_early():
            self.transport.close()  # the answer is out; the rest of the body never came
        else:
            self._refuse(b"408 Request Timeout", b"request headers too slow")

    def _answered_early(self) -> bool:
        return self.cycle is not None and self.cycle.response_complete and self.cycle.more_body

    def _refuse(self, status: bytes, reason: bytes) -> None:
        self._disarm()
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete:
            # Between responses: a short answer, then close. Mid-response, only close.
            self.transport.write(
                b"HTTP/1.1 " + status + b"\r\ncontent-type: text/plain; charset=utf-8\r\n"
                b"connection: close\r\ncontent-length: "
                + str(len(reason)).encode()
                + b"\r\n\r\n"
                + reason
            )
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        if self._in_head:
            self._arm()
        self._crossed = False
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            if isinstance(exc.__context__, _TooManyFields):
                self._refuse(b"431 Request Header Fields Too Large", b"too many header fields")
            else:
                self.send_400_response("Invalid HTTP request received.")
            return
        except httptools.HttpParserError:
            # Not logged (uvicorn logs each one): a flood of junk would fill the log.
            self.send_400_response("Invalid HTTP request received.")
            return
        except httptools.HttpParserUpgrade:
            pass  # no upgrades are served (ws="none"): the request was handled as plain HTTP
        if self._in_head and not self._crossed:
            self._head_bytes += len(data)
            if self._head_bytes > self.limits.max_bytes:
                self._refuse(b"431 Request Header Fields Too Large", b"request headers too large")

    def on_message_begin(self) -> None:
        self._head_bytes = self._head_fields = 0
        self._in_head = self._crossed = True
        super().on_message_begin()

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_fields += 1
        if self._head_fields > self.limits.max_fields:
            raise _TooManyFields
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head, self._crossed = False, True
        self._disarm()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        if self._answered_early():
            self._disarm()  # the leftover body ended in time
        self._in_head = self._crossed = True  # the next request's head may follow
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._answered_early() and not self.transport.is_closing():
            # Answered before its body ended (a refused or stalled upload): the parser reads
            # and drops the rest, which must end within the head timeout, so a trickle
            # cannot keep the connection once it has its answer.
            self._arm()


def protocol_for(limits: HeadLimits) -> type[GuardedHttpTools]:
    """The protocol class uvicorn instantiates per connection, with these limits."""
    return type("GuardedHttpTools", (GuardedHttpTools,), {"limits": limits})
