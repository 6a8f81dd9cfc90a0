"""Instance settings: one frozen object, built once at start, passed in everywhere.

Read from `<dir>/quietwire.toml`, then overridden by `QUIETWIRE_<KEY>` environment
variables (KEY as in `Settings`, upper-case, e.g. QUIETWIRE_DATABASE_URL,
QUIETWIRE_MAX_SUBMISSION_MB). Anything missing, malformed or unsafe raises ConfigError
with a message that says which key and why; the server does not start half-configured.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from quietwire.errors import ConfigError

CONFIG_NAME = "quietwire.toml"
MIN_KDF_MEMORY_KIB = 19 * 1024
MIN_KDF_TIME_COST = 2
MAX_NAME_CHARS = 80
MAX_DESCRIPTION_CHARS = 300
MAX_EXIT_URL_CHARS = 500
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
# Bidi embeddings, overrides and isolates: pasted into a name they would reorder the rest
# of the page around it (a description could make "Log out" read as something else).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True, slots=True)
class Settings:
    dir: Path
    pepper: bytes
    # Only an older config's list, moved into the database by `instance.migrate`; the
    # recipients in use are the editors' (`instance.current_recipients`).
    recipients: tuple[str, ...]
    database_url: str
    blob_store: str = "file"  # "file" or "postgres"
    demo: bool = False
    host: str = "127.0.0.1"
    source_port: int = 8080
    desk_port: int = 8081
    public_port: int = 8082
    max_submission_mb: int = 500
    max_text_kb: int = 512
    max_files: int = 50
    max_parts: int = 100
    session_idle_minutes: int = 30
    kdf_memory_kib: int = MIN_KDF_MEMORY_KIB
    kdf_time_cost: int = MIN_KDF_TIME_COST
    kdf_workers: int = 2
    kdf_queue: int = 32
    new_sources_per_minute: int = 600
    logins_per_minute: int = 1200
    throttle_burst: int = 100
    envelope_retention_days: int = 30
    # What a source sees (see _page_problems): the language every source starts in ("" =
    # the browser's preference; Tor Browser always asks for English), the tip line's name
    # and a one-line description on every page, and where Quick exit goes ("" = a neutral
    # page of this site in the source's language).
    default_language: str = ""
    tip_line_name: str = ""
    tip_line_description: str = ""
    quick_exit_url: str = ""
    # What one client can hold (docs/security.md): a request head's size, fields and time;
    # an upload that brings less than upload_stall_min_kb in upload_stall_seconds is dropped.
    header_max_kb: int = 32
    header_max_count: int = 100
    header_timeout_seconds: int = 30
    upload_stall_seconds: int = 60
    upload_stall_min_kb: int = 16
    # Several nodes on one database (blob_store "postgres"): a node renews its lease this
    # often, and is taken for dead, its uploads swept, this long after its last renewal.
    lease_renew_seconds: int = 20
    lease_seconds: int = 120

    @property
    def blob_dir(self) -> Path:
        return self.dir / "blobs"

    @property
    def config_path(self) -> Path:
        return self.dir / CONFIG_NAME

    @property
    def max_submission_bytes(self) -> int:
        return self.max_submission_mb * 1024 * 1024

    def __repr__(self) -> str:  # the pepper must not reach a log or traceback
        return f"Settings(dir={str(self.dir)!r}, database_url=<hidden>, ...)"


_INT_KEYS = {f.name for f in fields(Settings) if f.type == "int"}


def default_database_url(directory: Path) -> str:
    return f"sqlite:///{directory.resolve() / 'quietwire.db'}"


def load(directory: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """Load and validate an instance's settings. Raises ConfigError."""
    env = os.environ if environ is None else environ
    path = directory / CONFIG_NAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"no {CONFIG_NAME} in {directory}: run `quietwire init` first") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    values: dict[str, Any] = dict(raw)
    for f in fields(Settings):
        key = f"QUIETWIRE_{f.name.upper()}"
        if key in env and f.name not in {"dir", "pepper", "recipients"}:
            values[f.name] = env[key]
    return _build(directory, values)


def from_values(directory: Path, values: dict[str, Any]) -> Settings:
    """Validate settings given as a mapping (what `init` is about to write)."""
    return _build(directory, dict(values))


def _build(directory: Path, values: dict[str, Any]) -> Settings:
    known = {f.name for f in fields(Settings)} - {"dir"}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    try:
        pepper = bytes.fromhex(str(values.pop("pepper")))
    except KeyError:
        raise ConfigError("missing setting: pepper") from None
    except ValueError:
        raise ConfigError("pepper must be hexadecimal") from None
    recipients = values.pop("recipients", [])
    if not isinstance(recipients, list) or not all(isinstance(r, str) for r in recipients):
        raise ConfigError("recipients must be a list of age1... strings")
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if key in _INT_KEYS:
            try:
                kwargs[key] = int(value)
            except (TypeError, ValueError):
                raise ConfigError(f"{key} must be a whole number, not {value!r}") from None
        elif key == "demo":
            kwargs[key] = value if isinstance(value, bool) else str(value).lower() == "true"
        else:
            kwargs[key] = str(value)
    kwargs.setdefault("database_url", default_database_url(directory))
    settings = Settings(dir=directory, pepper=pepper, recipients=tuple(recipients), **kwargs)
    validate(settings)
    return settings


def validate(settings: Settings) -> None:
    """Refuse settings that would lose or expose data. Raises ConfigError."""
    problems = []
    if len(settings.pepper) < 32:
        problems.append("pepper must be at least 32 random bytes")
    for r in settings.recipients:
        if r.strip().upper().startswith("AGE-SECRET-KEY-"):
            problems.append(
                "a recipient is a SECRET key: remove it and give the server the public key"
            )
    if settings.blob_store not in {"file", "postgres"}:
        problems.append("blob_store must be 'file' or 'postgres'")
    if settings.blob_store == "postgres" and not settings.database_url.startswith("postgresql"):
        problems.append("blob_store 'postgres' needs a postgresql:// database_url")
    if not settings.database_url.startswith(("sqlite:///", "postgresql")):
        problems.append("database_url must be sqlite:///PATH or postgresql+psycopg://...")
    if settings.kdf_memory_kib < MIN_KDF_MEMORY_KIB or settings.kdf_time_cost < MIN_KDF_TIME_COST:
        problems.append("kdf parameters below the floor (19 MiB, t=2)")
    for key in (
        "max_submission_mb",
        "max_text_kb",
        "max_files",
        "max_parts",
        "session_idle_minutes",
        "kdf_workers",
        "kdf_queue",
        "new_sources_per_minute",
        "logins_per_minute",
        "throttle_burst",
        "header_max_kb",
        "header_max_count",
        "header_timeout_seconds",
        "upload_stall_seconds",
        "upload_stall_min_kb",
        "lease_renew_seconds",
    ):
        if getattr(settings, key) < 1:
            problems.append(f"{key} must be at least 1")
    if settings.lease_seconds < 3 * settings.lease_renew_seconds:
        # A node must miss several renewals in a row before its uploads are swept.
        problems.append("lease_seconds must be at least 3 times lease_renew_seconds")
    for key in ("source_port", "desk_port", "public_port"):
        if not 0 <= getattr(settings, key) <= 65535:
            problems.append(f"{key} must be a port number")
    problems.extend(_page_problems(settings))
    if problems:
        raise ConfigError("; ".join(problems))


def _page_problems(settings: Settings) -> list[str]:
    """What the source pages show. Whether the language has a catalogue is checked where
    the catalogues are, when the source app starts (quietwire.intake.create_app)."""
    problems = []
    if settings.default_language and not _LANGUAGE_CODE.fullmatch(settings.default_language):
        problems.append("default_language must be a language code such as 'ar', or empty")
    for key, limit in (
        ("tip_line_name", MAX_NAME_CHARS),
        ("tip_line_description", MAX_DESCRIPTION_CHARS),
    ):
        text: str = getattr(settings, key)
        if len(text) > limit:
            problems.append(f"{key} must be at most {limit} characters")
        if any(unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS for ch in text):
            problems.append(f"{key} must be one line of plain text (no control characters)")
    url = settings.quick_exit_url
    if url and not _is_web_address(url):
        problems.append(
            "quick_exit_url must be an http:// or https:// address (or empty, for the neutral page)"
        )
    return problems


def _is_web_address(url: str) -> bool:
    if len(url) > MAX_EXIT_URL_CHARS or any(
        ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url
    ):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme in {"http", "https"} and bool(parts.hostname)
    except ValueError:  # a malformed [IPv6] host or port
        return False


def with_overrides(settings: Settings, **changes: Any) -> Settings:
    """A validated copy with some values changed (command-line flags)."""
    updated = replace(settings, **changes)
    validate(updated)
    return updated


def insecure_permissions(settings: Settings) -> list[str]:
    """Paths in the instance that others on the machine could read or change."""
    found = []
    db_file = Path(settings.database_url.removeprefix("sqlite:///"))
    candidates = [settings.dir, settings.config_path, settings.blob_dir]
    if settings.database_url.startswith("sqlite:///"):
        candidates.append(db_file)
    for path in candidates:
        if path.exists() and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            found.append(f"{path} is accessible to other users (chmod go-rwx)")
    return found
