"""What the server log says when a source goes away mid-upload: nothing of the upload."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

from tests.support.server import RunningServer
from tests.support.source_client import SourceClient, multipart
from tests.support.store import counts

MARKER = "QUIETLOGMARKER-7f3a"


def test_a_source_dropping_mid_upload_leaves_no_traceback_and_nothing_stored(
    running: RunningServer,
) -> None:
    client = SourceClient(running.source)
    client.new_source()
    cookie = "; ".join(f"{k}={v}" for k, v in client.http.cookies.items())
    body = multipart(
        [("csrf", client.csrf.encode(), None), ("text", MARKER.encode(), None)]
    ).removesuffix(b"--XyZ--\r\n")
    body += b'--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.bin"\r\n\r\n'
    body += MARKER.encode() * 1000
    url = urlsplit(running.source)
    head = (
        f"POST /submit HTTP/1.1\r\nHost: {url.netloc}\r\nCookie: {cookie}\r\n"
        f"Content-Type: multipart/form-data; boundary=XyZ\r\n"
        f"Content-Length: {len(body) + 10_000_000}\r\n\r\n"
    ).encode()
    with socket.create_connection((url.hostname, url.port)) as conn:
        conn.sendall(head + body)
        time.sleep(0.5)  # the server is now waiting for the rest, which never comes
    time.sleep(1.0)
    # The source app still answers, and kept nothing of the half upload.
    assert client.http.get("/").status_code == 200
    client.close()
    c = counts(running.dir)
    assert (c["submissions"], c["envelopes"], c["blobs"]) == (0, 0, 0), c
    log = running.output()
    assert "Traceback" not in log and "Exception in ASGI" not in log, log
    assert MARKER not in log
