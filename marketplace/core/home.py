"""The admin's view of system health on the home page: each subscriber's backlog of the
outbox (search indexing, notifications and mail are subscribers) and parked failures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.models import EventDelivery


async def home_section(
    session: AsyncSession, actor: Any, kinds: frozenset[str], now: datetime
) -> tuple[str, dict[str, Any]] | None:
    if not getattr(actor, "is_admin", False):
        return None
    rows = await session.execute(
        select(EventDelivery.subscriber, EventDelivery.status, func.count())
        .where(EventDelivery.status.in_(("pending", "failed")))
        .group_by(EventDelivery.subscriber, EventDelivery.status)
    )
    health: dict[str, dict[str, int]] = {}
    for subscriber, status, count in rows.tuples():
        health.setdefault(subscriber, {"pending": 0, "failed": 0})[status] = int(count)
    return "core/home_section.html", {"health": dict(sorted(health.items()))}
