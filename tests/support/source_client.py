"""A scripted source over HTTP (no browser): for bad-input, crash and load tests."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import httpx


class SourceClient:
    def __init__(self, base_url: str, accept_language: str = "en") -> None:
        self.http = httpx.Client(
            base_url=base_url,
            follow_redirects=False,
            timeout=60,
            headers={"Accept-Language": accept_language},
        )
        self.codename = ""
        self.csrf = ""

    def close(self) -> None:
        self.http.close()

    def _csrf_from(self, response: httpx.Response) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', response.text)
        if not found:
            raise AssertionError(f"no csrf on {response.url}: {response.status_code}")
        return found.group(1)

    def new_source(self) -> str:
        page = self.http.get("/new")
        self.codename = re.search(r'id="codename"[^>]*>([^<]+)<', page.text).group(1)  # type: ignore[union-attr]
        created = self.http.post("/new", data={"csrf": self._csrf_from(page)})
        if created.status_code != 303:
            raise AssertionError(f"create failed: {created.status_code}")
        self.csrf = self._csrf_from(self.http.get("/home"))
        return self.codename

    def login(self, codename: str) -> httpx.Response:
        page = self.http.get("/login")
        response = self.http.post(
            "/login", data={"csrf": self._csrf_from(page), "codename": codename}
        )
        if response.status_code == 303 and response.headers["location"] == "/home":
            self.csrf = self._csrf_from(self.http.get("/home"))
        return response

    def submit(
        self,
        text: str = "",
        files: Iterable[tuple[str, bytes, str]] = (),
        csrf: str | None = None,
        **report: str,
    ) -> httpx.Response:
        data = {"csrf": self.csrf if csrf is None else csrf, "text": text, **report}
        # Like a browser: always multipart, with an empty file part when no file is chosen.
        parts = [("files", (n, c, t)) for n, c, t in files] or [
            ("files", ("", b"", "application/octet-stream"))
        ]
        return self.http.post("/submit", data=data, files=parts)

    def follow(self, response: httpx.Response) -> httpx.Response:
        """The GET page a POST's 303 leads to (where a refused POST shows its error)."""
        if response.status_code != 303:
            raise AssertionError(f"a POST answered {response.status_code}, not 303")
        return self.http.get(response.headers["location"])

    def submit_raw(self, body: bytes | Iterator[bytes], boundary: str = "XyZ") -> httpx.Response:
        return self.http.post(
            "/submit",
            content=body,
            headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        )


def streamed_upload(csrf: str, pieces: Iterable[bytes], boundary: str) -> Iterator[bytes]:
    """A submission of one file whose bytes come as `pieces` do: a slow upload."""
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="x.bin"'
        "\r\n\r\n"
    ).encode()
    yield from pieces
    yield f"\r\n--{boundary}--\r\n".encode()


def multipart(parts: list[tuple[str, bytes, str | None]], boundary: str = "XyZ") -> bytes:
    """Build a multipart body by hand, to send what no browser would."""
    out = b""
    for name, value, filename in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        out += value + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()
