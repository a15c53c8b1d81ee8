"""Liveness and dependency health for operators and load balancers."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from sqlalchemy import text

from marketplace.searching.runtime import backend_of, search_health
from marketplace.web.deps import AppClock, AppSettings, DbSession


@get("/health", tags=["Service"], summary="Health of the service and what it depends on")
async def health_check(
    request: Request[Any, Any, Any], db_session: DbSession, settings: AppSettings, clock: AppClock
) -> Response[dict[str, Any]]:
    try:
        await db_session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # any failure here means the database is unusable
        database = "unavailable"
    status = "ok" if database == "ok" else "unavailable"
    # Search trouble degrades search only: the service stays up (200) and pages say so.
    search = (
        await search_health(db_session, backend_of(request.app), settings, clock.now())
        if database == "ok"
        else "degraded"
    )
    return Response(
        {"status": status, "database": database, "search": search},
        status_code=200 if status == "ok" else 503,
    )


@get(
    "/livez",
    tags=["Service"],
    summary="Liveness: the process answers (no dependency is checked)",
    description="For orchestrators' liveness probes: a restart cannot fix a database or "
    "search outage, so this never looks at them (that is `/health`'s job).",
)
async def liveness() -> dict[str, str]:
    return {"status": "ok"}


handlers = [health_check, liveness]
