from __future__ import annotations

import asyncio
import threading

import pytest

from quietwire.intake._throttle import KdfPool, TokenBucket
from quietwire.intake.errors import Busy


def test_bucket_allows_a_burst_then_says_how_long_to_wait() -> None:
    bucket = TokenBucket(per_minute=6, burst=3)
    for _ in range(3):
        bucket.take()
    with pytest.raises(Busy) as caught:
        bucket.take()
    assert 1 <= caught.value.retry_after_s <= 10


def test_kdf_pool_refuses_past_its_queue_instead_of_piling_up() -> None:
    pool = KdfPool(workers=1, queue=1)
    release = threading.Event()

    async def scenario() -> list[str]:
        first = asyncio.ensure_future(pool.run(release.wait))
        second = asyncio.ensure_future(pool.run(release.wait))
        await asyncio.sleep(0.05)
        outcome = []
        try:
            await pool.run(lambda: True)
        except Busy:
            outcome.append("busy")
        release.set()
        await asyncio.gather(first, second)
        outcome.append(str(await pool.run(lambda: "free again")))
        return outcome

    try:
        assert asyncio.run(scenario()) == ["busy", "free again"]
    finally:
        pool.shutdown()
