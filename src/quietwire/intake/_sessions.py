"""Server-side source sessions, held in memory only.

The cookie carries a random 256-bit session id and nothing else: never the codename
(SecureDrop kept the codename-derived value in its session cookie for years, issue #204).
The reply key lives here, in this process's memory, from login until logout or idle
expiry, when it is overwritten. Sessions are deliberately not persisted: a restart logs
every source out rather than writing key material to disk. Several server nodes therefore
need sticky routing for the source app (see README). Only a codename created or used makes
a session: the login and codename pages keep nothing here (see _tokens.py), so a flood of
them fills nothing.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from quietwire.crypto import SourceKeys


@dataclass
class SourceSession:
    id: str
    keys: SourceKeys
    last_active: float
    uploads: int = 0  # an upload in progress keeps the session alive
    notices: list[str] = field(default_factory=list)

    def wipe(self) -> None:
        self.keys.wipe()


class SessionStore:
    """At most `limit` logged-in sessions; each expires `idle_s` seconds after its last request.

    Kept in order of last use, so expiry looks only at the oldest end and a full store
    costs a newcomer no scan of every session. A session exists only once someone has
    created or typed a codename, each behind the throttles and an Argon2id derivation, so
    filling the store takes `limit` codename uses within `idle_s` (docs/security.md).
    """

    def __init__(self, idle_s: float, limit: int = 20_000, protect_s: float = 600.0) -> None:
        self.idle_s = idle_s
        self.limit = limit
        self.protect_s = min(protect_s, idle_s)
        self._sessions: OrderedDict[str, SourceSession] = OrderedDict()  # least recent first
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sessions)

    def new(self, keys: SourceKeys) -> SourceSession | None:
        """A fresh session holding `keys`, under a new random id (never one the browser
        offered: no session fixation), or None (the caller shows "busy") when the store
        is full of sessions used in the last `protect_s`.

        When full, idle sessions go first, then the least recently used one left alone for
        `protect_s` (10 minutes), never one uploading. Whoever fills the store with
        codenames must then keep every session busy to keep it full; a source pushed out
        while writing loses nothing: their Send is held for the codename (_held.py).
        """
        with self._lock:
            now = time.monotonic()
            if len(self._sessions) >= self.limit:
                self._expire_locked(now)
            if len(self._sessions) >= self.limit:
                victim = self._evictable(now)
                if victim is None:
                    return None
                self._drop(victim)
            session = SourceSession(id=secrets.token_urlsafe(32), keys=keys, last_active=now)
            self._sessions[session.id] = session
            return session

    def get(self, session_id: str | None) -> SourceSession | None:
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            now = time.monotonic()
            if session.uploads == 0 and now - session.last_active > self.idle_s:
                self._drop(session)
                return None
            session.last_active = now
            self._sessions.move_to_end(session_id)
            return session

    def end(self, session: SourceSession) -> None:
        with self._lock:
            self._drop(session)

    def expire(self) -> int:
        """Wipe and drop idle sessions; returns how many went."""
        with self._lock:
            return self._expire_locked(time.monotonic())

    def _expire_locked(self, now: float) -> int:
        stale = []
        for session in self._sessions.values():  # least recent first
            if now - session.last_active <= self.idle_s:
                break  # every later one was used more recently
            if session.uploads == 0:
                stale.append(session)
        for session in stale:
            self._drop(session)
        return len(stale)

    def _evictable(self, now: float) -> SourceSession | None:
        for session in self._sessions.values():  # least recent first
            if now - session.last_active <= self.protect_s:
                return None
            if not session.uploads:
                return session
        return None

    def wipe_all(self) -> None:
        with self._lock:
            for session in list(self._sessions.values()):
                self._drop(session)

    def _drop(self, session: SourceSession) -> None:
        session.wipe()
        self._sessions.pop(session.id, None)
