"""Liveness and dependency health for operators and load balancers."""

from __future__ import annotations

from typing import Any

from litestar import Response, get
from sqlalchemy import text

from marketplace.web.deps import DbSession


@get("/health", tags=["Service"], summary="Health of the service and what it depends on")
async def health_check(db_session: DbSession) -> Response[dict[str, Any]]:
    try:
        await db_session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # any failure here means the database is unusable
        database = "unavailable"
    status = "ok" if database == "ok" else "unavailable"
    return Response(
        {"status": status, "database": database}, status_code=200 if status == "ok" else 503
    )


handlers = [health_check]
