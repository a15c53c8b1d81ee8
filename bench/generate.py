"""`python -m bench.generate`: a fresh, migrated database filled with a seeded corpus.

The schema comes from the project's own Alembic migrations and reference data loader
(`marketplace.cli.upgrade_database`, what `marketplace db upgrade` runs), so the benchmark
measures the tables and indexes production has. Rows go in with SQLAlchemy Core bulk
inserts in batches — the ORM would spend minutes on 100k records and their children — and
records skip the services on purpose: the services' rules are tested elsewhere, and the
corpus only has to be what published records look like in the database.

A generated database is described by a manifest next to the cached files
(`var/bench/*.json`); `ensure_corpus` reuses a database whose manifest matches the seed,
the size and the generator version, so repeated benchmark runs skip the generation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

import marketplace.models  # noqa: F401  (every table in the metadata)
from bench.corpus import Bundle, Corpus, Row, split
from marketplace.cli import upgrade_database
from marketplace.db import Base, create_engine
from marketplace.settings import Settings

# Bump when the corpus changes, so cached databases are regenerated.
GENERATOR_VERSION = 1
BENCH_DIR = Path("var/bench")
BATCH = 1000  # records per transaction
# Generated deadlines lie 20+ days ahead of the generation date; a cached corpus older
# than this would start to hold tenders past their deadline, so it is regenerated.
MAX_AGE = timedelta(days=14)
KIND_TABLES = {
    "listing": ("listings", "listing_standards"),
    "tender": ("tenders", "tender_lots", "tender_buyers"),
    "funding_call": (
        "funding_calls", "funding_call_themes", "funding_call_instruments",
        "funding_call_standards", "funding_call_partners",
    ),
}  # fmt: skip
Advance = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Manifest:
    version: int
    seed: int
    size: int
    now: str  # ISO 8601: the generation moment every timestamp is relative to
    database_url: str
    counts: dict[str, int]
    seconds: float

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.now)


def today() -> datetime:
    """Midnight UTC today: one day's generations are identical (same seed and size)."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def sqlite_url(seed: int, size: int, directory: Path = BENCH_DIR) -> str:
    return f"sqlite+aiosqlite:///{directory / f'bench-s{seed}-n{size}.db'}"


def postgres_url(base: str, seed: int, size: int) -> str:
    """The benchmark's own database on the server of `base` (never the one `base` names)."""
    return (
        make_url(base)
        .set(database=f"marketplace_bench_s{seed}_n{size}")
        .render_as_string(hide_password=False)
    )


def manifest_path(database_url: str, directory: Path = BENCH_DIR) -> Path:
    url = make_url(database_url)
    name = Path(url.database or "db").stem if url.get_backend_name() == "sqlite" else url.database
    return directory / f"{url.get_backend_name()}-{name}.json"


def bench_settings(database_url: str, directory: Path = BENCH_DIR) -> Settings:
    """The corpus's settings; its tantivy index has a directory of its own."""
    url = make_url(database_url)
    name = Path(url.database or "db").stem if url.get_backend_name() == "sqlite" else url.database
    return Settings(
        env="development",
        var_dir=directory,
        database_url=database_url,
        event_worker="off",
        search_index_dir=directory / f"search-{name}",
    )


def reset_database(database_url: str, *, force: bool = False) -> None:
    """Start from nothing: delete the SQLite file, or empty (creating if needed) the PostgreSQL
    database. Refuses a database whose name does not say `bench`, unless forced, so a typo
    cannot wipe someone's data."""
    url = make_url(database_url)
    name = url.database or ""
    if not force and "bench" not in name:
        raise SystemExit(f"refusing to reset {name!r}: its name does not contain 'bench'")
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        return
    asyncio.run(_reset_postgres(database_url))


async def _reset_postgres(database_url: str) -> None:
    url = make_url(database_url)
    server = create_engine(
        url.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        async with server.connect() as conn:
            exists = await conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            )
            if not exists:
                await conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    finally:
        await server.dispose()
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


async def fill(
    engine: AsyncEngine, corpus: Corpus, size: int, advance: Advance | None = None
) -> dict[str, int]:
    """Insert `size` searchable records of `corpus` and their organisations; rows per table."""
    tables = Base.metadata.tables
    counts: dict[str, int] = {}

    async def insert(rows_by_table: dict[str, list[Row]]) -> None:
        async with engine.begin() as conn:
            for name, rows in rows_by_table.items():
                if rows:
                    await conn.execute(tables[name].insert(), rows)
                    counts[name] = counts.get(name, 0) + len(rows)

    now = corpus.now
    await insert({
        "organisations": [o.row(now) for o in corpus.network.all],
        "city_standards": corpus.city_commitments(),
    })  # fmt: skip
    for kind, count in split(size).items():
        batch: list[Bundle] = []
        done = 0
        for bundle in corpus.bundles(kind, count):
            batch.append(bundle)
            if len(batch) == BATCH:
                await insert(_by_table(kind, batch))
                done += len(batch)
                batch = []
                if advance:
                    advance(kind, done, count)
        await insert(_by_table(kind, batch))
        if advance:
            advance(kind, count, count)
    await analyze(engine)
    return counts


async def analyze(engine: AsyncEngine) -> None:
    """Refresh the planner's statistics after the bulk load, as an operator's import (or
    autovacuum, in time) does: without them PostgreSQL read every claim of every listing
    to find those of 60 (a sequential scan instead of the primary key), and matching's
    reads were 2-4 times slower than a live database's. SQLite plans by its indexes."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("ANALYZE"))


def _by_table(kind: str, bundles: list[Bundle]) -> dict[str, list[Row]]:
    """Parents before children, so foreign keys hold inside the transaction."""
    return {
        table: [r for b in bundles for r in b.rows.get(table, ())] for table in KIND_TABLES[kind]
    }


async def searchable_counts(engine: AsyncEngine) -> dict[str, int]:
    """Records per kind in a database, to check that a cached corpus is complete."""
    tables = Base.metadata.tables
    result = {}
    async with engine.connect() as conn:
        for kind, names in KIND_TABLES.items():
            result[kind] = int(
                await conn.scalar(select(func.count()).select_from(tables[names[0]])) or 0
            )
    return result


def generate(
    database_url: str, size: int, seed: int, now: datetime, console: Console,
    *, force: bool = False, directory: Path = BENCH_DIR,
) -> Manifest:  # fmt: skip
    """Reset, migrate and fill one database; writes and returns its manifest."""
    started = datetime.now(UTC)
    reset_database(database_url, force=force)
    console.print(f"Migrating {make_url(database_url).render_as_string()} …")
    upgrade_database(bench_settings(database_url, directory))
    corpus = Corpus(seed, now)
    with _progress(console) as bar:
        tasks: dict[str, Any] = {}

        def advance(kind: str, done: int, total: int) -> None:
            if kind not in tasks:
                tasks[kind] = bar.add_task(f"generating {kind}", total=total)
            bar.update(tasks[kind], completed=done)

        async def work() -> dict[str, int]:
            engine = create_engine(database_url)
            try:
                return await fill(engine, corpus, size, advance)
            finally:
                await engine.dispose()

        counts = asyncio.run(work())
    manifest = Manifest(
        GENERATOR_VERSION, seed, size, now.isoformat(), database_url, counts,
        round((datetime.now(UTC) - started).total_seconds(), 1),
    )  # fmt: skip
    directory.mkdir(parents=True, exist_ok=True)
    manifest_path(database_url, directory).write_text(json.dumps(asdict(manifest), indent=2))
    return manifest


def cached(database_url: str, size: int, seed: int, directory: Path = BENCH_DIR) -> Manifest | None:
    """The manifest of a usable generated database, or None when it must be (re)generated."""
    path = manifest_path(database_url, directory)
    if not path.exists():
        return None
    manifest = Manifest(**json.loads(path.read_text()))
    if (
        manifest.version != GENERATOR_VERSION
        or (manifest.seed, manifest.size) != (seed, size)
        or datetime.now(UTC) - manifest.moment > MAX_AGE
    ):
        return None

    async def complete() -> bool:
        engine = create_engine(database_url)
        try:
            return await searchable_counts(engine) == split(size)
        except Exception:  # a missing file or database: generate again
            return False
        finally:
            await engine.dispose()

    return manifest if asyncio.run(complete()) else None


def ensure_corpus(
    database_url: str, size: int, seed: int, console: Console, directory: Path = BENCH_DIR
) -> Manifest:
    found = cached(database_url, size, seed, directory)
    if found is not None:
        console.print(f"Reusing the generated corpus (seed {seed}, {size} records).")
        # Migrations added since it was generated apply as they would to a deployment.
        upgrade_database(bench_settings(database_url, directory))
        asyncio.run(_analyze_url(database_url))  # one generated before it was done on load
        return found
    return generate(database_url, size, seed, today(), console, directory=directory)


async def _analyze_url(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await analyze(engine)
    finally:
        await engine.dispose()


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="searchable records (10000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (42)")
    parser.add_argument(
        "--database", help="SQLAlchemy URL (default: a SQLite file under var/bench/)"
    )
    parser.add_argument(
        "--force", action="store_true", help="reset a database whose name lacks 'bench'"
    )
    args = parser.parse_args(argv)
    console = Console(stderr=True)
    url = args.database or sqlite_url(args.seed, args.size)
    manifest = generate(url, args.size, args.seed, today(), console, force=args.force)
    console.print(
        f"[green]Generated[/green] {args.size} records in {manifest.seconds:.0f} s: "
        + ", ".join(f"{n} {t}" for t, n in manifest.counts.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
