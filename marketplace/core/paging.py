"""One page of a list, and how many rows the whole list has.

Every list in the marketplace answers the same way (`Page[T]`: items, total, page,
per_page), so the count and the slice are taken here once: the count over the filtered
query before ordering (ORDER BY does not change a count and costs a sort), the slice after
the list's order, which always ends with the record's id (see `core.sorting`) so that a
row is never shown on two pages or on none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.interfaces import ORMOption
from sqlalchemy.sql.elements import ColumnElement

T = TypeVar("T")


async def count_of(session: AsyncSession, query: Select[Any]) -> int:
    """How many rows `query` returns (its ORDER BY, if any, left to the database)."""
    return await session.scalar(select(func.count()).select_from(query.subquery())) or 0


def slice_of(query: Select[Any], page: int, per_page: int | None) -> Select[Any]:
    """Rows of page `page` (1-based); `per_page=None`: every row (downloads)."""
    if per_page is None:
        return query
    return query.offset((page - 1) * per_page).limit(per_page)


async def paged(
    session: AsyncSession,
    query: Select[tuple[T]],
    order: Sequence[ColumnElement[Any] | Any],
    page: int,
    per_page: int | None,
    options: Sequence[ORMOption] = (),
) -> tuple[list[T], int]:
    """The records of one page of `query` in `order`, and the list's total."""
    total = await count_of(session, query)
    rows = await session.scalars(slice_of(query.options(*options).order_by(*order), page, per_page))
    return list(rows), total


async def paged_rows(
    session: AsyncSession,
    query: Select[Any],
    order: Sequence[ColumnElement[Any] | Any],
    page: int,
    per_page: int | None,
) -> tuple[list[Any], int]:
    """As `paged`, for queries of several entities (`(response, tender)` rows)."""
    total = await count_of(session, query)
    rows = await session.execute(slice_of(query.order_by(*order), page, per_page))
    return list(rows.tuples().all()), total
