"""`quietwire serve`: the source app, the desk API and the public site in one process,
each on its own loopback listener so each can sit behind its own onion service."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import uvicorn
import uvloop
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from quietwire.errors import ConfigError
from quietwire.http_limits import HeadLimits, protocol_for
from quietwire.instance import Instance, referenced_blob_keys, sweep_orphans
from quietwire.store import LeaseKeeper, PgBlobStore

log = logging.getLogger("quietwire.server")


@dataclass(frozen=True, slots=True)
class Listener:
    name: str
    app: ASGIApp
    sock: socket.socket

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"http://{host}:{port}/"


class _Server(uvicorn.Server):
    # One process runs three servers: signals are handled once, below, for all of them.
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class _QuietErrors:
    """The outermost layer of each app. Starlette answers an unhandled exception with its
    500 page and then raises it again for the server to log, and uvicorn logs it with its
    traceback and message, which could quote what a source sent. Here it is logged by its
    type alone. A client that goes away mid-request (routine over Tor) is not an error:
    the route has already dropped what it had received."""

    def __init__(self, app: ASGIApp, name: str) -> None:
        self.app = app
        self.name = name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)  # lifespan: uvicorn reports its failures
            return
        try:
            await self.app(scope, receive, send)
        except ClientDisconnect:
            pass
        except Exception as exc:
            log.error("unexpected error in the %s app: %s", self.name, type(exc).__name__)


def build_apps(instance: Instance) -> dict[str, ASGIApp]:
    from quietwire.deskapi import create_app as create_desk_app
    from quietwire.intake import create_app as create_source_app
    from quietwire.publish import create_public_app

    apps: dict[str, ASGIApp] = {
        "source": create_source_app(instance),
        "desk-api": create_desk_app(instance),
        "public": create_public_app(instance.settings.dir / "public"),
    }
    return {name: _QuietErrors(app, name) for name, app in apps.items()}


_PORT_SETTING = {"source": "source_port", "desk-api": "desk_port", "public": "public_port"}


def bind(host: str, port: int, name: str = "source") -> socket.socket:
    """A listening socket on `host:port`; ConfigError naming the setting if it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say so, and
    # without it small responses wait on Nagle and delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        key = _PORT_SETTING.get(name, "source_port")
        flag = "--" + key.replace("_", "-")
        raise ConfigError(
            f"cannot listen on {host}:{port} for the {name} app: {exc.strerror}. Choose "
            f"another port with {flag} PORT, {key} in quietwire.toml or "
            f"QUIETWIRE_{key.upper()}; for the demo, `make run {key.upper()}=PORT`."
        ) from None
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def serve(
    instance: Instance, ports: dict[str, int], announce: Callable[[list[Listener]], None]
) -> None:
    """Take this node's lease, sweep half-written blobs, bind the three listeners,
    announce their URLs, serve."""
    lease = _lease_keeper(instance)
    if lease is not None:
        lease.start()  # before any upload: a blob of this node is never taken for dead
    sweep_orphans(instance)
    apps = build_apps(instance)
    host = instance.settings.host
    listeners: list[Listener] = []
    try:
        for name in apps:
            listeners.append(Listener(name, apps[name], bind(host, ports[name], name)))
    except ConfigError:
        for listener in listeners:
            listener.sock.close()
        instance.close()
        raise
    announce(listeners)
    protocol = protocol_for(HeadLimits.of(instance.settings))
    servers = [
        _Server(
            uvicorn.Config(
                listener.app,
                log_level="warning",
                lifespan="on",
                # No access log: it would record client addresses and request times.
                access_log=False,
                server_header=False,
                date_header=False,
                timeout_graceful_shutdown=5,
                http=protocol,
                ws="none",
            )
        )
        for listener in listeners
    ]

    async def main() -> None:
        loop = asyncio.get_running_loop()

        def stop_all() -> None:
            for each in servers:
                each.should_exit = True

        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop_all)

        async def purge_hourly() -> None:
            # Retention must not depend on an editor pulling: an instance nobody reads from
            # still drops submissions past `envelope_retention_days`.
            from quietwire.deskapi import purge_expired

            while True:
                await asyncio.to_thread(purge_expired, instance)
                await asyncio.sleep(3600)

        purger = asyncio.create_task(purge_hourly())
        try:
            await asyncio.gather(
                *(
                    server.serve(sockets=[lst.sock])
                    for server, lst in zip(servers, listeners, strict=True)
                )
            )
        finally:
            purger.cancel()

    try:
        # uvloop: the event loop in C, which matters when one loop parses every upload.
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(main())
    finally:
        if lease is not None:
            lease.stop()
        instance.close()


def _lease_keeper(instance: Instance) -> LeaseKeeper | None:
    """On the PostgreSQL blob store, the node's lease and the sweep of dead nodes' blobs."""
    node = instance.blobs.node if isinstance(instance.blobs, PgBlobStore) else None
    if node is None:
        return None
    s = instance.settings
    return LeaseKeeper(
        instance.db,
        node,
        lambda: referenced_blob_keys(instance),
        s.lease_seconds,
        s.lease_renew_seconds,
    )
