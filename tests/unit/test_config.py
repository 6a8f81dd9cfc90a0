"""Settings: every path to a value is tested, and unsafe settings stop the start."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from quietwire import config, instance
from quietwire.crypto import new_identity
from quietwire.errors import ConfigError

RECIPIENT = new_identity().recipient


def make(tmp_path: Path, database_url: str | None = None, **extra: object) -> Path:
    """A real instance. The config-parsing tests use the default SQLite only: config.load
    never opens the database; the tests below that do open it take `database_url`."""
    inst = instance.create(tmp_path / "i", [RECIPIENT], database_url, extra=extra or None)
    inst.close()
    return tmp_path / "i"


def test_defaults_from_a_fresh_instance(tmp_path: Path) -> None:
    s = config.load(make(tmp_path), environ={})
    assert s.recipients == ()  # kept in the database, with the editors
    assert s.max_submission_bytes == 500 * 1024 * 1024
    assert s.session_idle_minutes == 30
    assert s.host == "127.0.0.1"
    assert s.database_url.startswith("sqlite:///") and len(s.pepper) == 32
    assert s.kdf_memory_kib >= 19 * 1024 and s.kdf_time_cost >= 2


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    d = make(tmp_path)
    s = config.load(
        d,
        environ={
            "QUIETWIRE_MAX_SUBMISSION_MB": "7",
            "QUIETWIRE_SESSION_IDLE_MINUTES": "5",
            "QUIETWIRE_SOURCE_PORT": "9999",
        },
    )
    assert (s.max_submission_mb, s.session_idle_minutes, s.source_port) == (7, 5, 9999)


def test_file_values_are_used(tmp_path: Path) -> None:
    s = config.load(make(tmp_path, max_submission_mb=3, logins_per_minute=9), environ={})
    assert (s.max_submission_mb, s.logins_per_minute) == (3, 9)


def test_page_settings_default_to_empty_and_come_from_file_or_environment(
    tmp_path: Path,
) -> None:
    # Given a fresh instance: the browser's language, the built-in name, the neutral page
    d = make(tmp_path)
    s = config.load(d, environ={})
    assert (s.default_language, s.tip_line_name, s.tip_line_description) == ("", "", "")
    assert s.quick_exit_url == ""
    # When they are set in the file, and one of them again in the environment
    d2 = make(
        tmp_path / "2",
        default_language="ar",
        tip_line_name="خط المعلومات",
        tip_line_description="أرسل إلينا ما رأيت، بأمان.",
        quick_exit_url="https://www.example.org/weather",
    )
    s2 = config.load(d2, environ={"QUIETWIRE_TIP_LINE_NAME": "Tips"})
    # Then each value is used
    assert s2.default_language == "ar"
    assert s2.tip_line_name == "Tips"
    assert s2.tip_line_description == "أرسل إلينا ما رأيت، بأمان."
    assert s2.quick_exit_url == "https://www.example.org/weather"


def test_pepper_and_recipients_cannot_come_from_the_environment(tmp_path: Path) -> None:
    d = make(tmp_path)
    s = config.load(d, environ={"QUIETWIRE_PEPPER": "00" * 32, "QUIETWIRE_RECIPIENTS": "x"})
    assert s.pepper != bytes(32) and s.recipients == ()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"recipients": [new_identity().secret.reveal()]}, "SECRET key"),
        ({"kdf_memory_kib": 1024}, "kdf parameters below the floor"),
        ({"kdf_time_cost": 1}, "kdf parameters below the floor"),
        ({"max_submission_mb": 0}, "max_submission_mb must be at least 1"),
        ({"max_submission_mb": "lots"}, "whole number"),
        ({"blob_store": "s3"}, "blob_store"),
        ({"blob_store": "postgres"}, "needs a postgresql"),
        ({"database_url": "mysql://x"}, "database_url"),
        ({"pepper": "zz"}, "hexadecimal"),
        ({"pepper": "00"}, "at least 32"),
        ({"colour": "blue"}, "unknown setting"),
        ({"default_language": "Arabic"}, "default_language must be a language code"),
        ({"tip_line_name": "x" * 81}, "tip_line_name must be at most 80"),
        ({"tip_line_name": "Tips\u202eemoh"}, "tip_line_name must be one line"),
        ({"tip_line_description": "one\ntwo"}, "tip_line_description must be one line"),
        ({"tip_line_description": "x" * 301}, "at most 300"),
        ({"quick_exit_url": "javascript:alert(1)"}, "quick_exit_url must be an http"),
        ({"quick_exit_url": "/bye"}, "quick_exit_url must be an http"),
        ({"quick_exit_url": "https://[::1/"}, "quick_exit_url must be an http"),
        ({"quick_exit_url": "https://example.org/a b"}, "quick_exit_url must be an http"),
        ({"lease_renew_seconds": 0}, "lease_renew_seconds must be at least 1"),
        ({"lease_seconds": 50}, "at least 3 times lease_renew_seconds"),
    ],
)
def test_unsafe_or_malformed_settings_are_refused(
    tmp_path: Path, extra: dict[str, object], message: str
) -> None:
    d = make(tmp_path)
    values = instance.read_config_values(d)
    values.update(extra)
    instance.write_config(d / config.CONFIG_NAME, values)
    with pytest.raises(ConfigError, match=message):
        config.load(d, environ={})


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="quietwire init"):
        config.load(tmp_path, environ={})
    (tmp_path / config.CONFIG_NAME).write_text("this is [not toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.load(tmp_path, environ={})


def test_config_is_private_and_repr_hides_the_pepper(tmp_path: Path, database_url: str) -> None:
    d = make(tmp_path, database_url)
    s = config.load(d, environ={})
    assert s.database_url == database_url
    assert (d / config.CONFIG_NAME).stat().st_mode & 0o777 == 0o600
    assert s.pepper.hex() not in repr(s) and database_url not in repr(s)
    assert config.insecure_permissions(s) == []
    os.chmod(d, 0o755)
    assert any("accessible to other users" in p for p in config.insecure_permissions(s))
    if database_url.startswith("sqlite:///"):
        os.chmod(d, 0o700)
        db_file = Path(database_url.removeprefix("sqlite:///"))
        db_file.chmod(0o644)
        assert config.insecure_permissions(s) == [
            f"{db_file} is accessible to other users (chmod go-rwx)"
        ]


def test_init_refuses_to_overwrite(tmp_path: Path, database_url: str) -> None:
    d = make(tmp_path, database_url)
    with pytest.raises(ConfigError, match="exists already"):
        instance.create(d, [RECIPIENT], database_url)
    inst = instance.open_instance(d)  # the first instance and its schema are untouched
    try:
        assert inst.settings.database_url == database_url and inst.db.is_migrated()
    finally:
        inst.close()


LIMITS = {
    "header_max_kb": 32,
    "header_max_count": 100,
    "header_timeout_seconds": 30,
    "upload_stall_seconds": 60,
    "upload_stall_min_kb": 16,
}


def test_client_limits_have_defaults_come_from_file_or_environment_and_stay_positive(
    tmp_path: Path,
) -> None:
    # Defaults
    s = config.load(make(tmp_path / "a"), environ={})
    assert {key: getattr(s, key) for key in LIMITS} == LIMITS
    # From the file, then overridden by the environment, each one
    from_file = config.load(make(tmp_path / "b", **{k: v + 1 for k, v in LIMITS.items()}), {})
    assert {key: getattr(from_file, key) for key in LIMITS} == {k: v + 1 for k, v in LIMITS.items()}
    env = {f"QUIETWIRE_{key.upper()}": str(v + 2) for key, v in LIMITS.items()}
    from_env = config.load(tmp_path / "b" / "i", environ=env)
    assert {key: getattr(from_env, key) for key in LIMITS} == {k: v + 2 for k, v in LIMITS.items()}
    # Zero would switch a limit off: refused
    for key in LIMITS:
        with pytest.raises(ConfigError, match=f"{key} must be at least 1"):
            config.load(tmp_path / "b" / "i", environ={f"QUIETWIRE_{key.upper()}": "0"})
