"""The generator against the test database (SQLite or PostgreSQL): the rows go in, and the
marketplace's own search loaders see every record as a public document."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bench.corpus import Corpus, split
from bench.generate import fill, manifest_path, postgres_url, searchable_counts, sqlite_url
from marketplace.core.module import Modules
from marketplace.db import session_maker
from marketplace.modules import ALL

KINDS = {kind.name: kind for kind in Modules(ALL).search_kinds}

NOW = datetime(2026, 11, 29, tzinfo=UTC)


class TestFill:
    async def test_inserts_the_split_and_the_loaders_publish_all_of_it(
        self, engine: AsyncEngine
    ) -> None:
        counts = await fill(engine, Corpus(11, NOW), 40)
        assert await searchable_counts(engine) == split(40)
        assert counts["listings"] == 24 and counts["tender_lots"] >= 10
        async with session_maker(engine)() as session:
            for kind, expected in split(40).items():
                documents = await KINDS[kind].load(session, None)
                assert len(documents) == expected, kind
                assert all(d.title and d.body and d.themes for d in documents)

    async def test_progress_is_reported_per_kind(self, engine: AsyncEngine) -> None:
        seen: dict[str, tuple[int, int]] = {}
        await fill(engine, Corpus(12, NOW), 10, lambda k, done, n: seen.__setitem__(k, (done, n)))
        assert seen == {k: (n, n) for k, n in split(10).items()}


class TestNames:
    def test_cached_files_are_keyed_by_seed_and_size(self) -> None:
        assert sqlite_url(42, 10_000).endswith("var/bench/bench-s42-n10000.db")
        assert manifest_path(sqlite_url(42, 10)) != manifest_path(sqlite_url(43, 10))

    def test_postgres_gets_its_own_database(self) -> None:
        url = postgres_url("postgresql+asyncpg://postgres@127.0.0.1:5432/marketplace", 1, 10)
        assert url == "postgresql+asyncpg://postgres@127.0.0.1:5432/marketplace_bench_s1_n10"
