"""`python -m bench.pg_concurrency`: concurrent searches against PostgreSQL's text index, RUM
or GIN, on a generated corpus: the reproduction of why RUM is off by default.

Measured on 3 December 2026 (PostgreSQL 15.20, Debian's postgresql-15-rum 1.3.13, 100 000
documents): rounds of 16 concurrent one-word searches (prefix of the last word included,
as the search box asks) crashed the server's backend with signal 11 in most rounds under
RUM — PostgreSQL then resets every connection and runs crash recovery — and once answered
"compressed lz4 data is corrupt"; the same 16 searches one after another never did, and
GIN on the same rows never did. The bench's HTTP runs on PostgreSQL showed it as hundreds
of 503s. Not part of the test suite: it takes the database server down.

    python -m bench.pg_concurrency --index rum   # needs the rum extension
    python -m bench.pg_concurrency --index gin
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter

from sqlalchemy import text

from bench import generate
from bench.run import DEFAULT_POSTGRES
from marketplace.db import create_engine
from search import SearchQuery
from search.backends._sql import PREFIX
from search.backends.postgres import TSV_INDEX, PostgresSearch

WORDS = ("sensor parking water energy bus lighting heat waste air data school bike tram solar "
         "flood noise").split()  # fmt: skip


async def _index(url: str, kind: str) -> None:
    """The live text index rebuilt in place as `kind` (seconds at 100 000 documents)."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            if kind == "rum":
                await conn.execute(text("CREATE EXTENSION IF NOT EXISTS rum"))
            using = "rum (tsv rum_tsvector_ops)" if kind == "rum" else "GIN (tsv)"
            await conn.execute(text(f"DROP INDEX IF EXISTS {TSV_INDEX}"))
            await conn.execute(text(f"CREATE INDEX {TSV_INDEX} ON {PREFIX}documents USING {using}"))
    finally:
        await engine.dispose()


async def _round(url: str, concurrency: int) -> Counter[str]:
    engine = create_engine(url)
    backend = PostgresSearch(engine, rum=None)
    outcomes: Counter[str] = Counter()

    async def one(word: str) -> None:
        try:
            await backend.search(SearchQuery(text=word))
            outcomes["answered"] += 1
        except Exception as error:  # what the server said, shortened
            outcomes[str(error).split("[SQL")[0].split(">: ")[-1].strip()[:80]] += 1

    try:
        await asyncio.gather(*(one(w) for w in (WORDS * 4)[:concurrency]))
    finally:
        await engine.dispose()
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pg_concurrency", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--index", choices=("rum", "gin"), required=True)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--size", type=int, default=100_000, help="a corpus `make bench` made")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    url = generate.postgres_url(args.postgres_url, args.seed, args.size)
    asyncio.run(_index(url, args.index))
    total: Counter[str] = Counter()
    for n in range(1, args.rounds + 1):
        outcome = asyncio.run(_round(url, args.concurrency))
        total.update(outcome)
        print(f"round {n}: " + ", ".join(f"{v} {k}" for k, v in outcome.most_common()))
        asyncio.run(asyncio.sleep(5 if set(outcome) != {"answered"} else 0))  # recovery
    print(f"{args.index}: " + ", ".join(f"{v} {k}" for k, v in total.most_common()))
    return 0 if set(total) == {"answered"} else 1


if __name__ == "__main__":
    raise SystemExit(main())
