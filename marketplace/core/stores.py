"""Where sessions and rate-limit counters live: Litestar stores, chosen from settings.

- Embedded default (no `MARKETPLACE_REDIS_URL`): rate-limit counters in this process's
  memory; sessions in files under `var/sessions`, so a restart or a second server process on
  the same machine keeps everyone signed in.
- `MARKETPLACE_REDIS_URL` set: both in Redis, shared by every worker on every machine.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore

from marketplace.clock import Clock
from marketplace.errors import RateLimited
from marketplace.settings import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis

SESSIONS = "sessions"
RATE_LIMITS = "rate_limits"


def build_stores(settings: Settings) -> dict[str, Store]:
    if settings.redis_url:
        root = RedisStore.with_client(settings.redis_url, namespace="marketplace")
        return {
            SESSIONS: root.with_namespace(SESSIONS),
            RATE_LIMITS: root.with_namespace(RATE_LIMITS),
        }
    return {
        SESSIONS: FileStore(settings.var_dir / "sessions", create_directories=True),
        RATE_LIMITS: MemoryStore(),
    }


@dataclass(frozen=True)
class Window:
    """A fixed window: at most `limit` events per `seconds`."""

    limit: int
    seconds: int


class RateLimiter:
    """Counters over a Litestar store, one per (bucket, identity, window).

    Fixed windows keyed by the clock's time, so tests move through them with a frozen
    clock. On Redis a count is one atomic INCR (workers never lose a hit to a race); other
    stores have no increment, so this process serialises its read-modify-write, which is
    exact for the in-memory store it is used with."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._lock = asyncio.Lock()

    def _key(self, bucket: str, identity: str, window: Window) -> tuple[str, int]:
        now = self.clock.now().timestamp()
        index = math.floor(now / window.seconds)
        retry_after = max(1, math.ceil((index + 1) * window.seconds - now))
        return f"{bucket}:{window.seconds}:{index}:{identity}", retry_after

    async def count(self, bucket: str, identity: str, window: Window) -> int:
        key, _ = self._key(bucket, identity, window)
        raw = await self.store.get(key)
        return int(raw) if raw else 0

    async def add(self, bucket: str, identity: str, window: Window) -> tuple[int, int]:
        """Count one event; the new count and the seconds until the window ends."""
        key, retry_after = self._key(bucket, identity, window)
        # Kept a little past its window, so a slow clock between workers cannot recount.
        ttl = window.seconds + 60
        redis = _redis_of(self.store)
        if redis is not None:
            full = self.store._make_key(key)  # type: ignore[attr-defined]
            async with redis.pipeline(transaction=True) as pipe:
                pipe.incr(full)
                pipe.expire(full, ttl)
                count, _ = await pipe.execute()
            return int(count), retry_after
        async with self._lock:
            raw = await self.store.get(key)
            count = (int(raw) if raw else 0) + 1
            await self.store.set(key, str(count), expires_in=ttl)
        return count, retry_after

    async def hit(self, bucket: str, identity: str, window: Window, what: str) -> None:
        """Count a request and refuse it (429) once the window's limit is passed."""
        count, retry_after = await self.add(bucket, identity, window)
        if count > window.limit:
            raise RateLimited(
                f"Too many {what}. Try again in {retry_after} seconds.", retry_after=retry_after
            )

    async def check(self, bucket: str, identity: str, window: Window, what: str) -> None:
        """Refuse (429) when the limit is already reached, without counting."""
        if await self.count(bucket, identity, window) >= window.limit:
            _, retry_after = self._key(bucket, identity, window)
            raise RateLimited(
                f"Too many {what}. Try again in {retry_after} seconds.", retry_after=retry_after
            )

    async def reset(self, bucket: str, identity: str, window: Window) -> None:
        key, _ = self._key(bucket, identity, window)
        await self.store.delete(key)


def _redis_of(store: Store) -> Redis | None:
    # RedisStore keeps its client private; the atomic INCR needs it.
    return store._redis if isinstance(store, RedisStore) else None
