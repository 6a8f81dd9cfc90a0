from __future__ import annotations

import time

from tests.conftest import FAST_KDF

from quietwire.crypto import SourceKeys, derive_source_keys, generate_codename
from quietwire.intake._sessions import SessionStore


def keys() -> SourceKeys:
    return derive_source_keys(generate_codename("en"), bytes(32), FAST_KDF)


def test_idle_sessions_expire_and_their_keys_are_wiped() -> None:
    store = SessionStore(idle_s=0.05)
    session = store.new(keys())
    assert session is not None
    secret = session.keys.reply_secret
    time.sleep(0.1)
    assert store.get(session.id) is None
    assert secret.wiped


def test_an_upload_in_progress_keeps_a_slow_session_alive() -> None:
    # Tor uploads can take longer than the idle limit: they must not be cut off midway.
    store = SessionStore(idle_s=0.05)
    session = store.new(keys())
    assert session is not None
    session.uploads = 1
    time.sleep(0.1)
    assert store.expire() == 0
    assert store.get(session.id) is session


def test_every_session_gets_a_new_random_id() -> None:
    # Against session fixation: the id is the store's own, never one a browser offered.
    store = SessionStore(idle_s=60)
    ids = set()
    for _ in range(50):
        session = store.new(keys())
        assert session is not None
        ids.add(session.id)
    assert len(ids) == 50 and all(len(i) >= 43 for i in ids)
    assert store.get("an-id-the-browser-made-up-itself") is None


def test_end_and_wipe_all() -> None:
    store = SessionStore(idle_s=60)
    a, b = store.new(keys()), store.new(keys())
    assert a is not None and b is not None
    secret = a.keys.reply_secret
    store.end(a)
    assert store.get(a.id) is None and secret.wiped
    store.wipe_all()
    assert len(store) == 0 and b.keys.reply_secret.wiped


def test_a_full_store_never_pushes_out_an_active_source() -> None:
    store = SessionStore(idle_s=60, limit=2, protect_s=0.2)
    first, second = store.new(keys()), store.new(keys())
    assert first is not None and second is not None
    assert store.new(keys()) is None  # "busy" for the newcomer
    assert store.get(first.id) is first and store.get(second.id) is second
    # Sessions left alone for protect_s make room, least recently used first, but never
    # one with an upload in progress.
    first.uploads = 1
    time.sleep(0.3)
    assert store.get(second.id) is second
    time.sleep(0.3)
    third = store.new(keys())
    assert third is not None
    assert store.get(first.id) is first and store.get(second.id) is None
    assert store.new(keys()) is None  # one uploading, one just made: nobody to let go


def test_a_full_store_of_idle_sources_makes_room_at_once() -> None:
    # The sweeper runs every 30 s; a store full of sessions gone idle must not wait for it.
    store = SessionStore(idle_s=0.05, limit=2)
    for _ in range(2):
        assert store.new(keys()) is not None
    time.sleep(0.1)
    assert store.new(keys()) is not None and len(store) == 1
