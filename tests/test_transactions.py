"""Read requests never write or wait for the write lock; writers queue instead of failing;
a request that cannot get the database in time is a 503 with Retry-After, never a 500.

These reproduce what was measured on the embedded default (issue 13): parallel Bearer reads
answered 500 "database is locked" because each wrote the token's last use, and writers
failed at once because transactions opened with a deferred BEGIN.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import timedelta

import httpx
import pytest
from litestar import Litestar, get, post
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from marketplace.accounts.models import ApiToken
from marketplace.app import create_app
from marketplace.clock import FrozenClock
from marketplace.db import intent, session_maker
from marketplace.reference.models import Theme
from marketplace.settings import Settings
from tests.factories import Api


def _sqlite_path(settings: Settings) -> str:
    if not settings.is_sqlite:
        pytest.skip("the write lock of a database file is SQLite's")
    return settings.database_url.split(":///", 1)[1]


@contextmanager
def write_lock_held(path: str, seconds: float) -> Iterator[threading.Event]:
    """Another process's writer (a plain sqlite3 connection) holding the write lock for
    `seconds`, then committing a row of its own."""
    taken = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE themes SET label = label WHERE 0")
        taken.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(5)
    try:
        yield taken
    finally:
        thread.join()


async def _app_client(settings: Settings, clock: FrozenClock, **changes: object) -> Litestar:
    return create_app(settings.model_copy(update=changes), clock=clock)


@pytest.fixture
async def busy_client(
    settings: Settings, clock: FrozenClock
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """The app with a short busy timeout."""
    app = await _app_client(settings, clock, db_busy_timeout_seconds=0.5)
    async with AsyncTestClient(app=app) as client:
        yield client


class TestReadsNeverWrite:
    async def test_parallel_bearer_reads_all_answer(self, api: Api) -> None:
        """8 parallel loops of GET /api/v1/me: 61 of 80 were 500 "database is locked"."""
        person = await api.person("Reader")

        async def loop() -> list[int]:
            return [
                (await api.client.get("/api/v1/me", headers=person.headers)).status_code
                for _ in range(10)
            ]

        statuses = [s for batch in await asyncio.gather(*(loop() for _ in range(8))) for s in batch]
        assert statuses == [200] * 80

    async def test_a_read_answers_while_another_process_holds_the_write_lock(
        self, api: Api, settings: Settings
    ) -> None:
        path = _sqlite_path(settings)
        person = await api.person("Reader")
        # The token's first use is written (after the response); the next minute's are not.
        assert (await api.client.get("/api/v1/me", headers=person.headers)).status_code == 200
        with write_lock_held(path, 3):
            started = time.monotonic()
            r = await api.client.get("/api/v1/me", headers=person.headers)
            waited = time.monotonic() - started
        assert r.status_code == 200, r.text
        assert waited < 2, "a read must not queue for the write lock"

    async def test_a_read_transaction_refuses_to_write(self, engine: AsyncEngine) -> None:
        with intent("read"):
            async with session_maker(engine)() as session:
                with pytest.raises(DBAPIError, match=r"(?i)read.?only"):
                    await session.execute(text("UPDATE themes SET label = label"))


@get("/api/test-only/get-that-writes")
async def get_that_writes(db_session: AsyncSession) -> dict[str, str]:
    """A handler with the bug a GET may have: it changes a row in its read transaction."""
    theme = (await db_session.scalars(select(Theme).order_by(Theme.code).limit(1))).one()
    theme.label = "Changed by a GET"
    return {"answer": "looks fine"}


@post("/api/test-only/commit-that-fails", status_code=201)
async def commit_that_fails(db_session: AsyncSession) -> dict[str, str]:
    """A write whose only failure comes at commit (a duplicate key flushed by the commit)."""
    first = (await db_session.scalars(select(Theme).order_by(Theme.code).limit(1))).one()
    db_session.add(Theme(code=first.code, label="A duplicate"))
    return {"answer": "saved"}


@pytest.fixture
async def buggy_client(
    settings: Settings, clock: FrozenClock
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = create_app(settings, clock=clock)
    app.register(get_that_writes)
    app.register(commit_that_fails)
    async with AsyncTestClient(app=app, raise_server_exceptions=False) as client:
        yield client


class TestNothingIsLostSilently:
    """Measured before: the GET answered 200 and its change vanished (its read-only
    transaction refused it at commit, which the plugin only logs); a commit that failed
    after a POST's handler returned answered 201 and the write was lost."""

    async def test_a_get_that_changes_a_row_is_refused_loudly_and_changes_nothing(
        self, buggy_client: AsyncTestClient[Litestar], engine: AsyncEngine
    ) -> None:
        r = await buggy_client.get("/api/test-only/get-that-writes")
        assert r.status_code == 500
        assert r.headers["content-type"].startswith("application/problem+json")
        async with engine.connect() as conn:
            labels = (await conn.execute(select(Theme.label))).scalars().all()
        assert "Changed by a GET" not in labels

    async def test_a_commit_that_fails_is_not_answered_as_a_success(
        self, buggy_client: AsyncTestClient[Litestar], engine: AsyncEngine
    ) -> None:
        r = await buggy_client.post("/api/test-only/commit-that-fails")
        assert r.status_code == 500, r.text
        assert "answer" not in r.json() and "nothing was saved" in r.json()["detail"]
        async with engine.connect() as conn:
            labels = (await conn.execute(select(Theme.label))).scalars().all()
        assert "A duplicate" not in labels

    async def test_reads_and_writes_that_commit_answer_as_before(self, api: Api) -> None:
        person = await api.person("Writer")
        r = await api.client.patch("/api/v1/me", json={"locale": "de"}, headers=person.headers)
        assert r.status_code == 200
        me = await api.client.get("/api/v1/me", headers=person.headers)
        assert me.status_code == 200 and me.json()["locale"] == "de"


class TestTokenLastUse:
    async def test_recorded_after_the_request_at_most_once_per_interval(
        self, api: Api, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        person = await api.person("User")

        async def last_used() -> object:
            async with session_maker(engine)() as session:
                return await session.scalar(select(ApiToken.last_used_at))

        assert await last_used() is None
        assert (await api.client.get("/api/v1/me", headers=person.headers)).status_code == 200
        first = await last_used()
        assert first == clock.now()

        clock.advance(timedelta(seconds=30))  # within the interval: not written again
        assert (await api.client.get("/api/v1/me", headers=person.headers)).status_code == 200
        assert await last_used() == first

        clock.advance(timedelta(seconds=31))
        assert (await api.client.get("/api/v1/me", headers=person.headers)).status_code == 200
        assert await last_used() == clock.now()

    async def test_shown_on_the_token_list(self, api: Api) -> None:
        person = await api.person("User")
        await api.client.get("/api/v1/me", headers=person.headers)
        tokens = (await api.client.get("/api/v1/auth/tokens", headers=person.headers)).json()
        assert tokens[0]["last_used_at"] is not None


class TestWritersQueue:
    async def test_a_write_waits_for_another_process_writer_then_succeeds(
        self, api: Api, settings: Settings
    ) -> None:
        path = _sqlite_path(settings)
        owner = await api.person("Owner")
        body = {"name": "Queued City", "kind": "city", "country": "FI", "nuts_code": "FI1B1"}
        with write_lock_held(path, 1.0):
            r = await api.client.post("/api/v1/organisations", json=body, headers=owner.headers)
        assert r.status_code == 201, r.text

    async def test_parallel_writes_in_one_process_all_succeed(self, api: Api) -> None:
        owner = await api.person("Owner")

        async def create(n: int) -> int:
            body = {"name": f"City {n}", "kind": "city", "country": "FI", "nuts_code": "FI1B1"}
            r = await api.client.post("/api/v1/organisations", json=body, headers=owner.headers)
            return r.status_code

        assert await asyncio.gather(*(create(n) for n in range(24))) == [201] * 24
        r = await api.client.get("/api/v1/organisations?per_page=100")
        assert r.json()["total"] == 24


class TestBusyIs503:
    async def test_past_the_busy_timeout_a_write_is_503_with_retry_after(
        self, busy_client: AsyncTestClient[Litestar], engine: AsyncEngine, settings: Settings
    ) -> None:
        path = _sqlite_path(settings)
        owner = await Api(busy_client, engine).person("Owner")
        body = {"name": "Late City", "kind": "city", "country": "FI", "nuts_code": "FI1B1"}
        create = "/api/v1/organisations"
        with write_lock_held(path, 2.0):
            r = await busy_client.post(create, json=body, headers=owner.headers)
        assert r.status_code == 503, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert int(r.headers["retry-after"]) > 0
        assert r.json()["status"] == 503
        # nothing was changed, and the same request later succeeds
        assert (await busy_client.get(create)).json()["total"] == 0
        r = await busy_client.post(create, json=body, headers=owner.headers)
        assert r.status_code == 201, r.text

    async def test_no_free_connection_is_503_not_a_hang(
        self, settings: Settings, clock: FrozenClock
    ) -> None:
        app = await _app_client(
            settings, clock, db_pool_size=1, db_max_overflow=0, db_pool_timeout_seconds=0.5
        )
        # In this test's event loop (the test client would serve from a loop of its own).
        transport = httpx.ASGITransport(app=app)
        async with (
            app.lifespan(),
            httpx.AsyncClient(transport=transport, base_url="http://test") as client,
        ):
            async with app.state.engine.connect() as held:  # the pool's only connection
                await held.execute(text("SELECT 1"))
                started = time.monotonic()
                r = await client.get("/api/v1/organisations")
                waited = time.monotonic() - started
            assert r.status_code == 503, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
            assert "retry-after" in r.headers
            assert waited < 5
            assert (await client.get("/api/v1/organisations")).status_code == 200
