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
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            await conn.execute(text(f"TRUNCATE {names} CASCADE"))
        else:
            for table in tables:
                await conn.execute(table.delete())
    async with session_maker(engine)() as session, session.begin():
        await load_reference_data(session)


@pytest.fixture
async def db(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session for arranging and checking data directly; commit what you arrange."""
    async with session_maker(engine)() as session:
        yield session


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def app(settings: Settings, clock: FrozenClock) -> Litestar:
    return create_app(settings, clock=clock)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as client:
        yield client


@pytest.fixture
def api(client: AsyncTestClient[Litestar], engine: AsyncEngine) -> Api:
    return Api(client, engine)


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    yield "asyncio"
