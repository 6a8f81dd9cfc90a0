"""Running the desk UI: loopback only, a fresh token per run, printed once."""

from __future__ import annotations

import secrets
import socket
from collections.abc import Callable

import uvicorn

from quietwire.desk import Workspace
from quietwire.desk.ui.app import create_app

HOST = "127.0.0.1"


def run(workspace: Workspace, port: int, announce: Callable[[str], None]) -> None:
    """Serve the UI for `workspace` on 127.0.0.1:`port` (0: a free port) until interrupted.

    `announce` receives the one URL that opens the UI; it carries the run's token, which
    is never written anywhere else (no access log) and dies with the process.
    """
    token = secrets.token_urlsafe(32)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, port))  # loopback only: never reachable from the network
    sock.listen(64)
    bound = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(workspace, token),
            log_level="warning",
            # The first request's URL carries the token: an access log would keep it.
            access_log=False,
            server_header=False,
            date_header=False,
            timeout_graceful_shutdown=3,
        )
    )
    announce(f"http://{HOST}:{bound}/?token={token}")
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
