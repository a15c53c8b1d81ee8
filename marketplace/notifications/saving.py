"""Saving a search for alerts, for the API and the pages alike (so neither imports the
other)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.principal import Actor
from marketplace.core.module import Runtime
from marketplace.notifications import scheduler, services
from marketplace.notifications.models import SavedSearch


async def save_with_current_results(
    session: AsyncSession, actor: Actor, name: str, query: str, frequency: str, now: datetime,
    runtime: Runtime,
) -> SavedSearch:  # fmt: skip
    """What the search finds today is what its first alert does not report; running the
    query also checks it (422 naming the field)."""
    from marketplace.searching.services import SearchUnavailable

    cleaned = services.clean_query(query)
    await services.write_first(session)  # before the search: the write must not go stale
    backend = runtime.services.get("search_backend")
    seen: list[str] = []
    if backend is not None:
        try:
            seen = [
                h.id
                for h in await scheduler.found(backend, runtime.modules.search_kinds, cleaned, now)
            ]
        except SearchUnavailable:
            seen = []
    return await services.save_search(session, actor, name, cleaned, frequency, now, seen)
