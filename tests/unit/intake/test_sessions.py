from __future__ import annotations

import time

from tests.conftest import FAST_KDF

from quietwire.crypto import derive_source_keys, generate_codename
from quietwire.intake._sessions import SessionStore


def test_idle_sessions_expire_and_their_keys_are_wiped() -> None:
    store = SessionStore(idle_s=0.05)
    session = store.new()
    assert session is not None
    session.keys = derive_source_keys(generate_codename("en"), bytes(32), FAST_KDF)
    secret = session.keys.reply_secret
    time.sleep(0.1)
    assert store.get(session.id) is None
    assert secret.wiped


def test_an_upload_in_progress_keeps_a_slow_session_alive() -> None:
    # Tor uploads can take longer than the idle limit: they must not be cut off midway.
    store = SessionStore(idle_s=0.05)
    session = store.new()
    assert session is not None
    session.uploads = 1
    time.sleep(0.1)
    assert store.expire() == 0
    assert store.get(session.id) is session


def test_rotate_changes_id_and_csrf_and_forgets_the_old_id() -> None:
    store = SessionStore(idle_s=60)
    session = store.new()
    assert session is not None
    old_id, old_csrf = session.id, session.csrf
    store.rotate(session)
    assert session.id != old_id and session.csrf != old_csrf
    assert store.get(old_id) is None and store.get(session.id) is session


def test_end_and_wipe_all() -> None:
    store = SessionStore(idle_s=60)
    a, b = store.new(), store.new()
    assert a is not None and b is not None
    a.keys = derive_source_keys(generate_codename("en"), bytes(32), FAST_KDF)
    secret = a.keys.reply_secret
    store.end(a)
    assert store.get(a.id) is None and secret.wiped
    store.wipe_all()
    assert len(store) == 0


def test_a_flood_cannot_push_out_a_source_on_a_form_or_a_logged_in_one() -> None:
    store = SessionStore(idle_s=60, limit=3, protect_s=0.2)
    reading = store.new()  # a source with the login form open, not logged in yet
    source = store.new()
    assert reading is not None and source is not None
    source.keys = derive_source_keys(generate_codename("en"), bytes(32), FAST_KDF)
    flood = [store.new() for _ in range(100)]
    # One free slot for the flood; then "busy", and nobody recent is pushed out.
    assert sum(s is not None for s in flood) == 1 and len(store) == 3
    assert store.get(reading.id) is reading and store.get(source.id) is source
    time.sleep(0.3)
    # Anonymous sessions left alone for protect_s make room, least recently used first.
    assert store.get(source.id) is source
    first, second = store.new(), store.new()
    assert first is not None and second is not None
    assert store.get(reading.id) is None  # the flood's session went first, then this one
    assert store.get(source.id) is source
    # Only logged-in and recent sessions are left: the store refuses.
    assert store.new() is None


def test_a_full_store_of_idle_sources_makes_room_at_once() -> None:
    # The sweeper runs every 30 s; a store full of sessions gone idle must not wait for it.
    store = SessionStore(idle_s=0.05, limit=2)
    for _ in range(2):
        held = store.new()
        assert held is not None
        held.keys = derive_source_keys(generate_codename("en"), bytes(32), FAST_KDF)
    time.sleep(0.1)
    assert store.new() is not None and len(store) == 1


def test_csrf_comparison() -> None:
    session = SessionStore(idle_s=60).new()
    assert session is not None
    assert session.check_csrf(session.csrf)
    assert not session.check_csrf(session.csrf[:-1] + "x")
    assert not session.check_csrf("")
    assert not session.check_csrf("\udcff")
