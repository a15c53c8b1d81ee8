"""Which transactions a request opens, and what a request that cannot get the database sees.

A read-only request (GET, HEAD, OPTIONS) runs its transactions as reads: on SQLite a
deferred `BEGIN` under `query_only`, which takes no write lock; on PostgreSQL a
`READ ONLY` transaction. Every other request, the event worker and the CLI write, and on
SQLite queue for the write lock (`marketplace.db.WriteGate`, then the busy timeout).

A request that waited longer than the busy timeout for the write lock, or longer than the
pool timeout for a connection, is answered 503 with `Retry-After`: nothing was done, and
sending it again later is safe. Never a 500, and never a hang.

A request's work is committed *before* its answer is made (`commit_before_answering`), so a
commit that fails is answered as the failure it is (503 busy, 500 otherwise) and never as a
success whose change was lost: the SQLAlchemy plugin's own commit runs as the answer is
being sent, when it can only log a failure. A read request that changed something has a bug
(a write belongs in `marketplace.db.write_session`): it is refused loudly (500, logged), not
committed into a read-only transaction that drops it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from advanced_alchemy.extensions.litestar._utils import get_aa_scope_state
from litestar import Request, Response
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from marketplace.db import DatabaseBusy, current_intent, intent
from marketplace.web.problems import internal_error_handler, problem

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_AFTER_SECONDS = DatabaseBusy.retry_after
# What SQLite (and its drivers) say when the lock stayed taken past the busy timeout.
BUSY_MESSAGES = ("database is locked", "database is busy", "database table is locked")


# The request being handled by this task, for the hook that commits its session.
_request_scope: ContextVar[Scope | None] = ContextVar("marketplace_request_scope", default=None)
COMMITTED_STATUSES = range(200, 400)  # what the plugin commits: successes and redirects


class WriteInReadRequest(RuntimeError):
    """A GET (HEAD, OPTIONS) changed rows: a bug, refused instead of silently lost."""


def read_only_requests(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: a GET's transactions are read transactions, every other request's
    are write transactions."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        token = _request_scope.set(scope)
        try:
            with intent("read" if scope.get("method") in READ_METHODS else "write"):
                await app(scope, receive, send)
        finally:
            _request_scope.reset(token)

    return middleware


def commit_before_answering(
    session_scope_key: str,
) -> Callable[[Response[Any]], Awaitable[Response[Any]]]:
    """An `after_request` hook: commit the request's session while its answer can still
    say that the commit failed (the exception handlers turn it into a 503 or a 500)."""

    async def hook(response: Response[Any]) -> Response[Any]:
        scope = _request_scope.get()
        session = get_aa_scope_state(scope, session_scope_key) if scope is not None else None
        if session is None or response.status_code not in COMMITTED_STATUSES:
            return response
        if current_intent() == "read":
            changed = [*session.new, *session.deleted,
                       *(o for o in session.dirty if session.is_modified(o))]  # fmt: skip
            if changed:
                await session.rollback()
                names = sorted({type(o).__name__ for o in changed})
                raise WriteInReadRequest(
                    f"a read request changed {', '.join(names)}: write in "
                    "marketplace.db.write_session, or make the request a POST"
                )
        await session.commit()
        return response

    return hook


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
