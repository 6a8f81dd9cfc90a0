"""Publication-time jitter: a bulletin waits a random delay and shows its release time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quietwire.crypto import Secret
from quietwire.crypto._signing import FAST_SIGNING_KDF, new_signing_key
from quietwire.desk import _bulletins as store
from quietwire.desk._bulletins_publish import (
    Draft,
    jitter,
    new_bulletin,
    publish_bulletin,
    release_due,
)
from quietwire.publish import PublishError


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    files = new_signing_key(Secret("pw"), FAST_SIGNING_KDF)
    (ws / "signing").mkdir(parents=True)
    (ws / "signing" / "minisign.key").write_bytes(files.secret_key_file)
    (ws / "signing" / "minisign.pub").write_bytes(files.public_key_file)
    store.load_config(ws)  # writes the default
    config = store.area(ws) / "config.toml"
    config.write_text(config.read_text().replace("jitter_minutes = 0", "jitter_minutes = 180"))
    return ws


def test_jitter_is_random_and_bounded() -> None:
    draws = {jitter(180) for _ in range(200)}
    assert all(timedelta(0) <= d <= timedelta(minutes=180) for d in draws)
    assert len(draws) > 150  # to the second, from secrets: hardly ever repeats


def test_a_jittered_bulletin_is_held_back_then_released_with_its_release_time(
    workspace: Path,
) -> None:
    bid = new_bulletin(workspace, Draft(title="Protest in the old town", body="Hundreds marched."))
    approved = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    # When the editor publishes, the bulletin is scheduled, not signed or uploaded
    outcome = publish_bulletin(workspace, bid, lambda: Secret("pw"), now=approved)
    assert outcome.status == "scheduled" and outcome.uploaded == 0
    assert approved <= outcome.release_at <= approved + timedelta(minutes=180)
    assert not (store.site_dir(workspace) / "bulletins" / f"{bid}.json").exists()
    # Before the release time nothing happens (no key is even unlocked)
    assert (
        release_due(
            workspace, lambda: Secret("wrong"), now=outcome.release_at - timedelta(seconds=1)
        )
        == 0
    )
    # At the release time it is signed; the upload needs a server, which is reported clearly
    with pytest.raises(PublishError, match="no server or token"):
        release_due(workspace, lambda: Secret("pw"), now=outcome.release_at)
    signed = json.loads((store.site_dir(workspace) / "bulletins" / f"{bid}.json").read_bytes())
    assert signed["published"] == outcome.release_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_withdrawn_scheduled_bulletin_is_never_released(workspace: Path) -> None:
    from quietwire.desk._bulletins_publish import withdraw_bulletin
    from quietwire.publish import BulletinError

    bid = new_bulletin(workspace, Draft(title="Roadblock on the east road", body="Cars waited."))
    draft = new_bulletin(workspace, Draft(title="Not ready", body="Still a draft."))
    approved = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    outcome = publish_bulletin(workspace, bid, lambda: Secret("pw"), now=approved)
    assert outcome.status == "scheduled"
    # When both are withdrawn before the release (no key or server needed)
    for each in (bid, draft):
        done = withdraw_bulletin(
            workspace, each, lambda: Secret("wrong"), now=approved + timedelta(minutes=37)
        )
        assert not done.went_out and done.uploaded == 0
    # Then `release` never signs or uploads it, even long after its release time
    later = approved + timedelta(days=2)
    assert release_due(workspace, lambda: Secret("wrong"), now=later) == 0
    assert not (store.site_dir(workspace) / "bulletins" / f"{bid}.json").exists()
    # And publish refuses both, clearly; the withdrawal is kept to the hour
    for each in (bid, draft):
        with pytest.raises(BulletinError, match="was withdrawn and cannot be published again"):
            publish_bulletin(workspace, each, lambda: Secret("pw"), now=later)
    with store.connect(workspace) as conn:
        assert store.get(conn, bid).status == "withdrawn"
        (when,) = conn.execute("SELECT withdrawn FROM bulletins WHERE id = ?", (bid,)).fetchone()
    assert datetime.fromisoformat(when) == approved
