"""Exit 0 when a PostgreSQL server answers at the given URL, creating the database if needed.

`make test` uses it to decide whether to run the PostgreSQL pass.
"""

from __future__ import annotations

import asyncio
import sys

import asyncpg


async def ensure_database(url: str) -> None:
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    base, _, name = dsn.rpartition("/")
    try:
        conn = await asyncpg.connect(dsn, timeout=5)
    except asyncpg.InvalidCatalogNameError:
        admin = await asyncpg.connect(f"{base}/postgres", timeout=5)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        conn = await asyncpg.connect(dsn, timeout=5)
    await conn.close()


def main() -> int:
    url = sys.argv[1]
    try:
        asyncio.run(ensure_database(url))
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        print(f"PostgreSQL not reachable at {url}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
