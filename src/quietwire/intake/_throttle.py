"""Throttling that never looks at IP addresses.

Sources share café connections and Tor exits, so per-IP limits lock out whole groups of
them (GlobaLeaks issue #4403) while a determined attacker just rotates circuits. Instead:
global token buckets on the expensive, abusable actions (new codenames, logins), and the
Argon2id work in a bounded pool with a bounded queue, so a flood of logins is refused
with a "busy" page rather than starving uploads, which never wait on that pool.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from quietwire.intake.errors import Busy

T = TypeVar("T")


class TokenBucket:
    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(burst)
        self._tokens = float(burst)
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def take(self) -> None:
        """Take one token or raise Busy with the wait until the next one."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            if self._tokens >= 1:
                self._tokens -= 1
                return
            wait = (1 - self._tokens) / self.rate
        raise Busy(max(1, math.ceil(wait)))


class KdfPool:
    """Runs key derivations on `workers` threads with at most `queue` waiting."""

    def __init__(self, workers: int, queue: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kdf")
        self._slots = threading.BoundedSemaphore(workers + queue)

    async def run(self, fn: Callable[[], T]) -> T:
        if not self._slots.acquire(blocking=False):
            raise Busy(5)
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, fn)
        finally:
            self._slots.release()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
