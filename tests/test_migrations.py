"""Migrations are the only way the schema is made: they must agree with the models."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.models import Base


def _include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    # Search index tables (FTS5, tsvector) belong to the search backends, not to models.
    return not (
        type_ == "table" and name is not None and name.startswith(("searchidx_", "sqlite_"))
    )


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    def diff(connection: Any) -> list[Any]:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": _include_name,
                "target_metadata": Base.metadata,
            },
        )
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []
