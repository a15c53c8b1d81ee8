"""The search backend over the app's lifetime (a service other modules use), and its health."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.delivery import backlog
from marketplace.core.module import Runtime
from marketplace.searching.backend import create_backend
from marketplace.searching.worker import SUBSCRIBER, VECTORS, SearchIndexer
from search import SearchBackend

log = logging.getLogger(__name__)

SERVICE = "search_backend"


def provide_backend(runtime: Runtime) -> SearchBackend:
    return create_backend(runtime.settings, runtime.engine)


def backend_of(runtime: Runtime) -> SearchBackend:
    backend: SearchBackend = runtime.service(SERVICE)
    return backend


def indexer(runtime: Runtime) -> SearchIndexer:
    return SearchIndexer(
        backend_of(runtime), runtime.modules.search_kinds, runtime.services.get(VECTORS)
    )


async def start_search(runtime: Runtime) -> None:
    """On startup: make sure the index exists (the event worker keeps it true)."""
    backend = backend_of(runtime)
    try:
        await backend.ensure_ready()
    except Exception as error:  # search down must not keep the site down
        log.warning("search backend %s is not ready: %s", backend.name, error)


async def stop_search(runtime: Runtime) -> None:
    await backend_of(runtime).close()


async def search_health(
    session: AsyncSession, runtime: Runtime, now: datetime
) -> Literal["ok", "degraded"]:
    """Degraded when the backend does not answer or its events are falling behind."""
    if not await backend_of(runtime).health():
        return "degraded"
    wanted = next((s.kinds for s in runtime.subscribers if s.name == SUBSCRIBER), None)
    try:
        pending = await backlog(session, SUBSCRIBER, wanted, now)
    except Exception:
        return "degraded"
    if pending.age_seconds(now) > runtime.settings.search_backlog_alert_seconds:
        return "degraded"
    return "ok"
