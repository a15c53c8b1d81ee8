"""Migration 0019 (contracts and implementation) goes down and up again on the test database
(SQLite or PostgreSQL): the downgrade drops its four tables and nothing else, the upgrade
makes them again, and the models agree with the result (tests/test_migrations.py)."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import inspect

from marketplace.cli import alembic_config
from marketplace.db import create_engine
from marketplace.settings import Settings

TABLES = {
    "tender_contracts", "tender_contract_milestones", "tender_contract_transactions",
    "tender_contract_amendments",
}  # fmt: skip


def _tables(settings: Settings) -> set[str]:
    async def read() -> set[str]:
        engine = create_engine(settings.database_url)
        try:
            async with engine.connect() as connection:
                return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_0019_down_and_up_again(settings: Settings) -> None:
    config = alembic_config(settings)
    before = _tables(settings)
    assert before >= TABLES
    command.downgrade(config, "0018")
    try:
        # Later migrations' tables go too (0020: documents, 0022: record vectors, 0023:
        # match terms, 0024: stored matches).
        assert _tables(settings) == before - TABLES - {
            "tender_documents",
            "record_vectors",
            "match_terms",
            "stored_matches",
            "stored_match_members",
        }
    finally:
        command.upgrade(config, "head")
    assert _tables(settings) == before
