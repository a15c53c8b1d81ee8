"""Liveness and dependency health for operators and load balancers."""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from sqlalchemy import text

from marketplace.web.deps import AppClock, AppRuntime, DbSession


@get("/health", tags=["Service"], summary="Health of the service and what it depends on")
async def health_check(
    db_session: DbSession, runtime: AppRuntime, clock: AppClock
) -> Response[dict[str, Any]]:
    """The database, then each module's own check (`search`, `events`, ...)."""
    try:
        await db_session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # any failure here means the database is unusable
        database = "unavailable"
    status = "ok" if database == "ok" else "unavailable"
    body: dict[str, Any] = {"status": status, "database": database}
    # Trouble in a dependency degrades its feature only: the service stays up (200).
    for name, check in runtime.modules.health.items():
        try:
            body[name] = (
                await check(db_session, runtime, clock.now()) if database == "ok" else ("degraded")
            )
        except Exception:
            body[name] = "degraded"
    return Response(body, status_code=200 if status == "ok" else 503)


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
