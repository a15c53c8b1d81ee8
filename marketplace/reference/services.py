"""Loading the packaged reference data into the database, idempotently."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.module import ReferenceData, in_transaction
from marketplace.reference import vocabularies as vocab
from marketplace.reference.models import CpvCode, NutsRegion, Theme
from marketplace.settings import Settings

Progress = Callable[[str, int], None]


async def load_reference_data(
    session: AsyncSession,
    progress: Progress | None = None,
    also: Sequence[ReferenceData] = (),
) -> dict[str, int]:
    """Insert what is missing; existing rows are refreshed only for reference tables.

    `also` is what modules above this one load with it (their `reference_data`: the
    standards catalogue, whose rows admins curate after the first load).
    """
    counts: dict[str, int] = {}
    counts["themes"] = await _sync(
        session, Theme, "code", [{"code": c, "label": lbl} for c, lbl in vocab.themes().items()]
    )
    counts["cpv_codes"] = await _sync(
        session,
        CpvCode,
        "code",
        [
            {
                "code": c.code,
                "digits": c.digits,
                "label": c.label,
                "level": c.level,
                "parent_digits": vocab.cpv_parent(c.digits),
            }
            for c in vocab.cpv_codes().values()
        ],
    )
    counts["nuts_regions"] = await _sync(
        session,
        NutsRegion,
        "code",
        [
            {
                "code": n.code,
                "level": n.level,
                "country_code": n.country_code,
                "parent_code": n.parent_code,
                "label": n.label,
            }
            for n in vocab.nuts_regions().values()
        ],
    )
    for data in also:
        counts[data.name] = await data.load(session)
    for name, n in counts.items():
        if progress:
            progress(name, n)
    await session.flush()
    return counts


async def _sync(session: AsyncSession, model: Any, key: str, rows: Sequence[dict[str, Any]]) -> int:
    """Replace the table's content when it differs in size; the CSV is the source of truth."""
    current = await session.scalar(select(func.count()).select_from(model))
    if current == len(rows):
        return 0
    await session.execute(delete(model))
    for start in range(0, len(rows), 1000):
        session.add_all(model(**row) for row in rows[start : start + 1000])
        await session.flush()
    return len(rows)


async def load_reference(
    settings: Settings, console: Console, also: Sequence[ReferenceData] = ()
) -> None:
    """`marketplace reference load` (and the end of `marketplace db upgrade`)."""
    await in_transaction(
        settings,
        lambda session: load_reference_data(
            session, lambda name, n: console.print(f"  reference {name}: {n} rows loaded"), also
        ),
    )
