"""Test fixtures: one migrated database per run (SQLite or PostgreSQL), emptied after each test.

`MARKETPLACE_TEST_DATABASE=sqlite` (default) or a PostgreSQL URL selects the database.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from marketplace.app import create_app
from marketplace.cli import upgrade_database
from marketplace.clock import FrozenClock
from marketplace.db import create_engine, session_maker
from marketplace.models import Base
from marketplace.reference.services import load_reference_data
from marketplace.settings import Settings
from marketplace.standards.services import CATALOGUE
from tests.factories import Api

REFERENCE_TABLES = {"cpv_codes", "nuts_regions", "themes"}
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _database_url(tmp: Path) -> str:
    chosen = os.environ.get("MARKETPLACE_TEST_DATABASE", "sqlite")
    if chosen == "sqlite":
        return f"sqlite+aiosqlite:///{tmp / 'test.db'}"
    return chosen


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("marketplace")
    settings = Settings(
        env="test",
        var_dir=tmp,
        database_url=_database_url(tmp),
        secret_key="test-secret-key-not-for-production",  # type: ignore[arg-type]
        search_backend="auto",
        meili_url=None,
        # Tests build many accounts from one address within one frozen minute; the request
        # limits have their own tests (tests/edge/test_rate_limits.py).
        rate_limits=False,
        redis_url=None,
        # Argon2's real cost is a third of a second per hash here, and nearly every test
        # registers accounts; tests/accounts/test_passwords.py checks the real profile.
        password_hash_profile="CHEAPEST",
    )
    if not settings.is_sqlite:
        _reset_postgres(settings.database_url)
    upgrade_database(settings)
    return settings


def _reset_postgres(url: str) -> None:
    import asyncio

    async def reset() -> None:
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
            # A test database holds nothing worth an fsync per commit: new connections (the
            # app's pools included) commit without waiting for the disk.
            await conn.execute(text(
                "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off',"
                " current_database()); END $$"
            ))  # fmt: skip
        await engine.dispose()

    asyncio.run(reset())


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings.database_url)
    yield engine
    await engine.dispose()


@pytest.fixture(autouse=True)
async def _empty_database(engine: AsyncEngine) -> AsyncIterator[None]:
    """Each test starts from the migrated schema with reference data and nothing else."""
    yield
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    # DELETE, children first, on both databases: a test leaves a few rows, and PostgreSQL's
    # TRUNCATE of every table (new files for each) took 2-3 s per test where this takes ms.
    async with engine.begin() as conn:
        for table in tables:
            await conn.execute(table.delete())
    async with session_maker(engine)() as session, session.begin():
        await load_reference_data(session, also=(CATALOGUE,))


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session for arranging and checking data directly; commit what you arrange."""
    async with session_maker(engine)() as session:
        yield session


@pytest.fixture(scope="session")
def shared_clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def clock(shared_clock: FrozenClock) -> FrozenClock:
    """Every test starts at START; the suite's one app reads this clock."""
    shared_clock.set(START)
    return shared_clock


@pytest.fixture(scope="session")
def shared_app(settings: Settings, shared_clock: FrozenClock) -> Litestar:
    """One app for the suite: building one (routes, signatures, templates) costs about a
    second, which per test was a third of the suite's time. What an app keeps between
    requests (sessions, counters) is emptied for each test by `client`; a test package that
    changes the app's services builds its own by overriding `app`."""
    return create_app(settings, clock=shared_clock)


@pytest.fixture(scope="session")
async def shared_client(shared_app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=shared_app) as client:
        yield client


@pytest.fixture
def app(shared_app: Litestar, clock: FrozenClock) -> Litestar:
    return shared_app


@pytest.fixture
async def client(
    app: Litestar, shared_client: AsyncTestClient[Litestar]
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    if app is not shared_client.app:
        async with AsyncTestClient(app=app) as own:
            yield own
        return
    shared = shared_client
    _forget(shared)
    yield shared
    _forget(shared)


def _forget(client: AsyncTestClient[Litestar]) -> None:
    """What one test's visitor left behind: cookies, and the app's stores (sessions,
    sign-in failures, request counters)."""
    client.cookies.clear()
    client.headers.pop("Authorization", None)
    for store in client.app.stores._stores.values():
        client.blocking_portal.call(store.delete_all)


@pytest.fixture
def api(client: AsyncTestClient[Litestar], engine: AsyncEngine) -> Api:
    return Api(client, engine)


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    yield "asyncio"


# --- S3: moto's emulation of S3 (not AWS), as a real HTTP server ---------------------------


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[str]:
    """The endpoint URL of moto's S3 emulation, served over HTTP on a free loopback port
    (`moto.server.ThreadedMotoServer`): boto3 talks to it as to any S3-compatible service,
    requests signed with the fake credentials set here (no real AWS account is involved,
    and no credentials file is read)."""
    from moto.server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as env:
        for name, value in {
            "AWS_ACCESS_KEY_ID": "moto-testing", "AWS_SECRET_ACCESS_KEY": "moto-testing",
            "AWS_SESSION_TOKEN": "moto-testing", "AWS_DEFAULT_REGION": "eu-west-1",
            "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }.items():  # fmt: skip
            env.setenv(name, value)
        env.delenv("AWS_PROFILE", raising=False)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture
def s3_bucket(moto_s3: str) -> str:
    """A new, empty bucket on the moto server."""
    import uuid

    import boto3

    name = f"documents-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=moto_s3, region_name="eu-west-1").create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    return name
