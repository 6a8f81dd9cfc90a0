"""Boundaries that matter for safety, checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_source_app_loads_no_desk_verify_or_publish_code() -> None:
    loaded = _modules_after("import quietwire.intake")
    for forbidden in ("quietwire.desk", "quietwire.verify", "quietwire.publish"):
        assert not any(m == forbidden or m.startswith(forbidden + ".") for m in loaded), forbidden


def test_verify_is_pure() -> None:
    loaded = _modules_after("import quietwire.verify")
    for forbidden in (
        "sqlalchemy",
        "fastapi",
        "starlette",
        "httpx",
        "quietwire.store",
        "quietwire.intake",
        "quietwire.desk",
    ):
        assert not any(m == forbidden or m.startswith(forbidden + ".") for m in loaded), forbidden


def test_crypto_knows_nothing_of_http_or_the_database() -> None:
    loaded = _modules_after("import quietwire.crypto")
    for forbidden in ("sqlalchemy", "fastapi", "starlette", "httpx"):
        assert not any(m == forbidden or m.startswith(forbidden + ".") for m in loaded), forbidden


def test_the_cli_defers_heavy_imports() -> None:
    # `quietwire serve` must not drag editor-side code into the server process.
    loaded = _modules_after("import quietwire.cli")
    for forbidden in ("quietwire.desk", "quietwire.verify", "quietwire.intake"):
        assert not any(m == forbidden or m.startswith(forbidden + ".") for m in loaded), forbidden
