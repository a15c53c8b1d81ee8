"""The Redis path for real: two app instances (two workers) on one Redis share sessions
and rate-limit counters. Skipped with a reason when no Redis answers, except in CI, where
.ci/run starts one."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.stores.redis import RedisStore
from litestar.testing import AsyncTestClient

from marketplace.app import create_app
from marketplace.clock import FrozenClock
from marketplace.core.stores import RATE_LIMITS, SESSIONS, build_stores
from marketplace.settings import Settings
from tests.edge.test_sessions import sign_in, signed_in
from tests.factories import Api, csrf

REDIS_URL = os.environ.get("MARKETPLACE_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


def _redis_answers() -> bool:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except RedisError:
        return False


if not _redis_answers():
    if os.environ.get("CI"):
        raise RuntimeError(f"Redis is required in CI but did not answer at {REDIS_URL}")
    pytest.skip(f"no Redis answered at {REDIS_URL}", allow_module_level=True)


@pytest.fixture
def on_redis(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"redis_url": REDIS_URL, "rate_limits": True, "rate_limit_search_per_minute": 5}
    )


@pytest.fixture
async def _clean_redis(on_redis: Settings) -> AsyncIterator[None]:
    stores = build_stores(on_redis)
    for name in (SESSIONS, RATE_LIMITS):
        await stores[name].delete_all()
    yield
    for name in (SESSIONS, RATE_LIMITS):
        await stores[name].delete_all()
    await stores[SESSIONS].__aexit__(None, None, None)


@pytest.fixture
async def workers(
    on_redis: Settings, clock: FrozenClock, _clean_redis: None
) -> AsyncIterator[tuple[AsyncTestClient[Litestar], AsyncTestClient[Litestar]]]:
    a, b = create_app(on_redis, clock=clock), create_app(on_redis, clock=clock)
    async with AsyncTestClient(app=a) as one, AsyncTestClient(app=b) as two:
        yield one, two


def test_the_stores_are_redis(on_redis: Settings) -> None:
    stores = build_stores(on_redis)
    assert all(isinstance(stores[name], RedisStore) for name in (SESSIONS, RATE_LIMITS))


async def test_a_session_started_on_one_worker_is_known_to_the_other_and_ends_on_both(
    workers: tuple[AsyncTestClient[Litestar], AsyncTestClient[Litestar]], api: Api
) -> None:
    one, two = workers
    person = await api.person("Mia")  # the database is shared as well
    await sign_in(one, person)
    two.cookies.set("icc_session", one.cookies["icc_session"], domain="testserver.local")
    assert await signed_in(two)
    page = await two.get("/account")
    r = await two.post("/sign-out", data={"_csrf_token": csrf(page)}, follow_redirects=False)
    assert r.status_code in (302, 303)
    assert not await signed_in(one)


async def test_rate_limits_count_across_workers(
    workers: tuple[AsyncTestClient[Litestar], AsyncTestClient[Litestar]],
) -> None:
    one, two = workers
    statuses = []
    for n in range(6):
        client = one if n % 2 else two
        statuses.append((await client.get("/api/v1/search?q=lights")).status_code)
    assert statuses == [200] * 5 + [429]
    r = await one.get("/api/v1/search?q=lights")
    assert r.status_code == 429 and int(r.headers["retry-after"]) <= 60


async def test_concurrent_hits_are_all_counted(on_redis: Settings, _clean_redis: None) -> None:
    """INCR is atomic: 50 hits at once from several tasks count 50, none lost to a race."""
    from marketplace.clock import Clock
    from marketplace.core.stores import RateLimiter, Window

    stores = build_stores(on_redis)
    limiter = RateLimiter(stores[RATE_LIMITS], Clock())
    window = Window(1000, 60)
    await asyncio.gather(*(limiter.add("race", "client", window) for _ in range(50)))
    assert await limiter.count("race", "client", window) == 50
    await stores[SESSIONS].__aexit__(None, None, None)
