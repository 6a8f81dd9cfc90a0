"""Headless Chromium with JavaScript off, driven by Playwright, with a profile we can inspect.

We use Debian's Chromium (never `playwright install`, which downloads a browser) and a fresh
persistent profile per test, because the café-forensics tests read what the profile keeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, sync_playwright

CHROMIUM = Path("/usr/lib/chromium/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@contextmanager
def chromium(profile: Path, locale: str = "en-US") -> Iterator[BrowserContext]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install the Debian package `chromium` (make test does)")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            java_script_enabled=False,
            locale=locale,
            args=ARGS,
            extra_http_headers={"Accept-Language": f"{locale},{locale.split('-')[0]};q=0.9"},
        )
        try:
            yield context
        finally:
            context.close()


def screenshot(page: object, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def find_bytes(root: Path, needles: list[bytes]) -> list[str]:
    """Every file under `root` holding any needle (raw, or as UTF-16 as some stores keep text)."""
    variants = needles + [n.decode().encode("utf-16-le") for n in needles]
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            try:
                data = path.read_bytes()
            except OSError:
                continue
            hits.extend(f"{path}: {v[:20]!r}" for v in variants if v in data)
    return hits
