"""Loading the packaged reference data into the database, idempotently."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.reference import vocabularies as vocab
from marketplace.reference.models import CpvCode, NutsRegion, Theme
from marketplace.standards.models import Standard

Progress = Callable[[str, int], None]


async def load_reference_data(
    session: AsyncSession, progress: Progress | None = None
) -> dict[str, int]:
    """Insert what is missing; existing rows are refreshed only for reference tables.

    Standards are curated by admins after the first load, so existing rows are kept.
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
    existing = set((await session.scalars(select(Standard.code))).all())
    new_standards = [dict(r) for r in vocab.standards_rows() if r["code"] not in existing]
    session.add_all(Standard(**r) for r in new_standards)
    counts["standards"] = len(new_standards)
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
