"""The search backend and the in-process worker over the app's lifetime, and its health."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Literal

from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.db import session_maker
from marketplace.searching.outbox import backlog
from marketplace.searching.worker import SearchWorker
from marketplace.settings import Settings
from search import SearchBackend

log = logging.getLogger(__name__)


def worker_enabled(settings: Settings) -> bool:
    if settings.search_worker == "auto":
        return settings.env != "test"
    return settings.search_worker == "on"


async def start_search(app: Litestar) -> None:
    """On startup: make sure the index exists and, if enabled, start draining the outbox."""
    backend: SearchBackend = app.state.search
    settings: Settings = app.state.settings
    try:
        await backend.ensure_ready()
    except Exception as error:  # search down must not keep the site down
        log.warning("search backend %s is not ready: %s", backend.name, error)
    if worker_enabled(settings):
        worker = SearchWorker(
            session_maker(app.state.engine),
            backend,
            app.state.clock.now,
            interval=settings.search_worker_interval_seconds,
            batch_size=settings.search_batch_size,
        )
        worker.start()
        app.state.search_worker = worker


async def stop_search(app: Litestar) -> None:
    worker: SearchWorker | None = getattr(app.state, "search_worker", None)
    if worker is not None:
        await worker.stop()
        app.state.search_worker = None
    backend: SearchBackend = app.state.search
    await backend.close()


async def search_health(
    session: AsyncSession, backend: SearchBackend, settings: Settings, now: datetime
) -> Literal["ok", "degraded"]:
    """Degraded when the backend does not answer or the outbox is falling behind."""
    if not await backend.health():
        return "degraded"
    try:
        pending = await backlog(session, now)
    except Exception:
        return "degraded"
    if pending.age_seconds(now) > settings.search_backlog_alert_seconds:
        return "degraded"
    return "ok"


def backend_of(app: Any) -> SearchBackend:
    backend: SearchBackend = app.state.search
    return backend
