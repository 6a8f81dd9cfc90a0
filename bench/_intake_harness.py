"""Shared pieces of the intake benchmarks: a throwaway instance, a real `quietwire serve`
process, a reader of its memory and CPU figures, and the source's walk through the forms.

Nothing here is mocked: the server is the installed `quietwire` command in its own process,
and the forms are read from the HTML it serves (stdlib html.parser)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUIETWIRE = ROOT / ".venv" / "bin" / "quietwire"
AGE = "/usr/bin/age"
CLK_TCK = os.sysconf("SC_CLK_TCK")


class _FormScan(HTMLParser):
    """Collects hidden inputs per form id, and the text of the element with id="codename"."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._form: str | None = None
        self._in_codename = False
        self.codename = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = a.get("id") or a.get("action", "")
            self.forms.setdefault(self._form, {})
        elif tag == "input" and self._form is not None and a.get("type") == "hidden":
            self.forms[self._form][a.get("name", "")] = a.get("value", "")
        if a.get("id") == "codename":
            self._in_codename = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        if tag == "bdi":
            self._in_codename = False

    def handle_data(self, data: str) -> None:
        if self._in_codename:
            self.codename += data


def scan(html: str) -> _FormScan:
    s = _FormScan()
    s.feed(html)
    return s


def form_csrf(html: str, form_id: str) -> str:
    forms = scan(html).forms
    if form_id not in forms or "csrf" not in forms[form_id]:
        raise RuntimeError(f"no csrf field in form {form_id!r}")
    return forms[form_id]["csrf"]


def make_instance(base: Path | None = None) -> Path:
    """A fresh demo instance (its editor identity in demo-editor-identity.txt)."""
    parent = Path(tempfile.mkdtemp(prefix="qw-bench-", dir=base))
    inst = parent / "inst"
    subprocess.run(
        [str(QUIETWIRE), "init", "--dir", str(inst), "--demo"],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return inst


def recipients(inst: Path) -> list[str]:
    """The keys the instance encrypts to: its editors' (kept in the database)."""
    from quietwire import instance

    opened = instance.open_instance(inst)
    try:
        return list(instance.current_recipients(opened))
    finally:
        opened.close()


@dataclass
class Server:
    proc: subprocess.Popen[str]
    source: str

    @property
    def pid(self) -> int:
        return self.proc.pid

    def status(self, key: str) -> int:
        """A /proc/PID/status figure in KiB (VmHWM, VmRSS)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
        raise RuntimeError(f"no {key} in /proc/{self.pid}/status")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process (all its threads)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_server(inst: Path, env: dict[str, str] | None = None) -> Server:
    """Run `quietwire serve` on free loopback ports; return once it prints its URLs."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    cmd = [str(QUIETWIRE), "serve", "--dir", str(inst)]
    cmd += ["--source-port", "0", "--desk-port", "0", "--public-port", "0"]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=full_env,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    source = ""
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if line.startswith("source:"):
            source = line.split(None, 1)[1].strip().rstrip("/")
        if line.startswith("public:") and source:
            break
    if not source:
        proc.kill()
        sys.exit("quietwire serve did not start:\n" + "".join(seen))
    # Keep draining its output so a chatty server never blocks on a full pipe.
    import threading

    threading.Thread(target=lambda: [None for _ in proc.stdout or []], daemon=True).start()
    return Server(proc, source)


def new_source_sync(client: Any, base: str) -> tuple[str, str]:
    """Create a source with a sync httpx client; return (codename, submit csrf)."""
    r = client.get(base + "/new")
    r.raise_for_status()
    s = scan(r.text)
    csrf = s.forms["create-form"]["csrf"]
    r = client.post(base + "/new", data={"csrf": csrf})
    if r.status_code != 303 or r.headers["location"] != "/home":
        raise RuntimeError(f"POST /new answered {r.status_code}")
    r = client.get(base + "/home")
    r.raise_for_status()
    return s.codename.strip(), form_csrf(r.text, "submit-form")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class RawHttp:
    """One kept-alive HTTP/1.1 connection sending prepared requests: a load generator that
    costs the shared CPU far less per request than httpx, so the server gets the cores.

    It still checks every answer: the status and the Location header are parsed, and the
    body is read to its Content-Length."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self._reader: Any = None
        self._writer: Any = None
        self.cookie = ""

    async def request(self, raw: bytes) -> tuple[int, str]:
        """Send one prepared request; return (status, Location)."""
        status, headers, _ = await self.exchange(raw)
        return status, headers.get("location", "")

    async def exchange(self, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        """Send one prepared request; return (status, headers, body). The session cookie
        the server sets, if any, is kept in `self.cookie`."""
        import asyncio

        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        self._writer.write(raw)
        head = await self._reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie" and value.startswith("qw_session="):
                self.cookie = value.split(";", 1)[0]
            if name:
                headers[name] = value
        length = int(headers.get("content-length", "0"))
        body = await self._reader.readexactly(length) if length else b""
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, body

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def raw_request(
    method: str,
    path: str,
    base: str,
    cookie: str = "",
    fields: list[tuple[str, str]] | None = None,
    form: dict[str, str] | None = None,
) -> bytes:
    """A complete HTTP/1.1 request; `fields` go as multipart/form-data, in order, and
    `form` as application/x-www-form-urlencoded."""
    from urllib.parse import urlencode

    host = base.removeprefix("http://")
    body = b""
    extra = ""
    if form is not None:
        body = urlencode(form).encode()
        extra = "Content-Type: application/x-www-form-urlencoded\r\n"
    if fields is not None:
        boundary = "qwbench" + os.urandom(8).hex()
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields
        ]
        body = ("".join(parts) + f"--{boundary}--\r\n").encode()
        extra = f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n"
    if cookie:
        head += f"Cookie: {cookie}\r\n"
    head += extra + f"Content-Length: {len(body)}\r\n\r\n"
    return head.encode() + body
