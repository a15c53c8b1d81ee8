"""Which transactions a request opens, and what a request that cannot get the database sees.

A read-only request (GET, HEAD, OPTIONS) runs its transactions as reads: on SQLite a
deferred `BEGIN` under `query_only`, which takes no write lock; on PostgreSQL a
`READ ONLY` transaction. Every other request, the event worker and the CLI write, and on
SQLite queue for the write lock (`marketplace.db.WriteGate`, then the busy timeout).

A request that waited longer than the busy timeout for the write lock, or longer than the
pool timeout for a connection, is answered 503 with `Retry-After`: nothing was done, and
sending it again later is safe. Never a 500, and never a hang.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from marketplace.db import DatabaseBusy, intent
from marketplace.web.problems import internal_error_handler, problem

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_AFTER_SECONDS = DatabaseBusy.retry_after
# What SQLite (and its drivers) say when the lock stayed taken past the busy timeout.
BUSY_MESSAGES = ("database is locked", "database is busy", "database table is locked")


def read_only_requests(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: a GET's transactions are read transactions, every other request's
    are write transactions."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        with intent("read" if scope.get("method") in READ_METHODS else "write"):
            await app(scope, receive, send)

    return middleware


def is_busy(error: BaseException) -> bool:
    if isinstance(error, DatabaseBusy | PoolTimeout):
        return True
    return isinstance(error, OperationalError) and any(
        message in str(error.orig or error).lower() for message in BUSY_MESSAGES
    )


def busy(request: Request[Any, Any, Any]) -> Response[Any]:
    return problem(
        request,
        503,
        "Service busy",
        "The database is busy with other requests; nothing was changed. "
        f"Try again in {RETRY_AFTER_SECONDS} seconds.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        code="busy",
    )


def busy_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    request.logger.warning("database busy: %s %s: %s", request.method, request.url.path, exc)
    return busy(request)


def operational_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if is_busy(exc):
        return busy_handler(request, exc)
    return internal_error_handler(request, exc)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DatabaseBusy: busy_handler,
    PoolTimeout: busy_handler,
    OperationalError: operational_error_handler,
}
