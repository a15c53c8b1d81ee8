"""Database engine, declarative base and the column types every model shares."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import msgspec
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import MetaData, String, event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.util import await_only

if TYPE_CHECKING:
    from marketplace.settings import Settings

# Named constraints make migrations reviewable and let SQLite batch mode alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTimeUTC(timezone=True)}


def new_id() -> str:
    return str(uuid4())


def id_column() -> Mapped[str]:
    """Opaque string identifiers (UUIDs), the same on SQLite and PostgreSQL."""
    return mapped_column(String(36), primary_key=True, default=new_id)


# --- transactions: who writes, and who waits --------------------------------------------

# What the current task's transactions are for:
# - "read": a read-only request (GET, HEAD, OPTIONS), for its whole handling;
# - "write": a write request, and code that is about to write (the outbox worker's steps,
#   recording a token's use): on SQLite BEGIN IMMEDIATE, queued one writer at a time;
# - "auto" (anything else: commands, tests, a subscriber's reads): a deferred BEGIN, for
#   code that either only reads or makes its first statement the write.
_intent: ContextVar[str] = ContextVar("marketplace_db_intent", default="auto")


def current_intent() -> str:
    return _intent.get()


@contextmanager
def intent(kind: str) -> Iterator[None]:
    """Transactions begun inside are `kind` ("read", "write" or "auto") for this task."""
    token = _intent.set(kind)
    try:
        yield
    finally:
        _intent.reset(token)


@asynccontextmanager
async def write_session(sessions: async_sessionmaker[Any]) -> AsyncIterator[Any]:
    """A session in one write transaction: on SQLite it begins with the write lock, after
    this process's writers before it (the outbox worker's steps, a token's last use)."""
    with intent("write"):
        async with sessions() as session, session.begin():
            yield session


class DatabaseBusy(Exception):
    """The database stayed locked by other writers for longer than the busy timeout, or no
    connection came free in time: the request was not done and may simply be sent again."""

    retry_after = 2


class WriteGate:
    """One writing transaction at a time in this process (SQLite).

    SQLite allows one writer per database file. Writers of different processes queue on the
    busy timeout inside SQLite; writers of one process queue here first, on a FIFO asyncio
    lock taken when a write checks out its connection: a waiting writer holds a pooled
    connection but no SQLite lock and none of aiosqlite's threads (it waits in the event
    loop, in order), and the outbox worker never collides with a request. Re-entrant per
    task: a task may open a second connection while it writes (SQLite itself then decides).
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._owner: asyncio.Task[Any] | None = None
        self._depth = 0
        self._since = 0.0

    def _lock_here(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:  # a new loop (tests, CLI runs)
            self._lock, self._loop, self._owner, self._depth = asyncio.Lock(), loop, None, 0
        return self._lock

    async def acquire(self) -> None:
        task = asyncio.current_task()
        lock = self._lock_here()
        if task is not None and self._owner is task:
            self._depth += 1
            return
        try:
            await asyncio.wait_for(lock.acquire(), self.timeout)
        except TimeoutError:
            raise DatabaseBusy(
                f"another writer ({self._holder()}) held the database for more than "
                f"{self.timeout:g} s"
            ) from None
        self._owner, self._depth, self._since = task, 1, time.monotonic()

    def _holder(self) -> str:
        """Who holds the gate, for the log of the writer that gave up waiting."""
        owner = self._owner
        if owner is None:
            return "nobody now"
        frames = owner.get_stack(limit=30)
        where = " < ".join(f"{f.f_code.co_name}:{f.f_lineno}" for f in reversed(frames[-6:]))
        return f"{owner.get_name()} for {time.monotonic() - self._since:.1f} s at {where}"

    def release(self) -> None:
        if self._depth == 0 or self._lock is None:
            return
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._lock.release()


def loads_json(text: str | bytes) -> Any:
    """JSON columns decoded by msgspec (Litestar's own JSON library): reading rows with JSON
    columns (codes, themes, outcomes, lots, shares) spent most of its time in `json.loads`,
    and msgspec decodes them 2-3 times faster (`facts.listings` for 60 candidates: 7.9 ms
    -> 3.9 ms). Text msgspec refuses but Python's json reads (NaN, a lone surrogate, a
    number beyond a double) goes to `json.loads`, so every stored value reads as before."""
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError:
        return json.loads(text)


def create_engine(
    url: str,
    *,
    pool_size: int = 20,
    max_overflow: int = 10,
    pool_timeout: float = 10.0,
    busy_timeout: float = 10.0,
    **kwargs: Any,
) -> AsyncEngine:
    """The engine for `url`, pooled for a server's concurrency. A caller that cannot get a
    connection within `pool_timeout` seconds gets `DatabaseBusy` (a 503), not a hang."""
    pool = {"pool_size": pool_size, "max_overflow": max_overflow, "pool_timeout": pool_timeout}
    kwargs.setdefault("json_deserializer", loads_json)
    if url.startswith("sqlite"):
        memory = ":memory:" in url or "mode=memory" in url
        engine = create_async_engine(
            url, connect_args={"timeout": busy_timeout}, **({} if memory else pool), **kwargs
        )
        _sqlite_transactions(engine, busy_timeout)
        return engine
    engine = create_async_engine(url, pool_pre_ping=True, **pool, **kwargs)
    _postgres_transactions(engine)
    return engine


def _postgres_transactions(engine: AsyncEngine) -> None:
    # A read request's transaction is READ ONLY: a write slipped into a GET fails in tests
    # on PostgreSQL as it does on SQLite, instead of passing here and locking there.
    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        if _intent.get() == "read":
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")


def engine_from(settings: Settings, **kwargs: Any) -> AsyncEngine:
    """The engine a server, worker or command uses: pool and busy timeout from settings."""
    return create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        busy_timeout=settings.db_busy_timeout_seconds,
        **kwargs,
    )


def write_gate(engine: AsyncEngine) -> WriteGate | None:
    """The engine's in-process writer queue (SQLite only)."""
    gate: WriteGate | None = engine.sync_engine.dialect.__dict__.get("_marketplace_gate")
    return gate


GATE_HELD = "marketplace_write_gate"


def _sqlite_transactions(engine: AsyncEngine, busy_timeout: float) -> None:
    gate = WriteGate(busy_timeout)
    # Kept on the dialect, which is the engine's own object, so that any engine built here
    # (the app's, a CLI command's) carries its gate.
    engine.sync_engine.dialect.__dict__["_marketplace_gate"] = gate

    # Gated on the engine's dialect, not on sqlite3.Connection: under aiosqlite the DBAPI
    # connection is a wrapper and an isinstance check would silently never fire.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # No mmap: a 1 GiB map per connection made every pooled connection's touched pages
        # count in the server's RSS (and a pool of 30 maps the file 30 times); the OS page
        # cache serves the same reads. A modest private page cache per connection instead.
        cursor.execute("PRAGMA mmap_size=0")
        cursor.execute("PRAGMA cache_size=-8000")
        cursor.close()

    # pysqlite's own transaction handling defers BEGIN and only for writes; it is switched
    # off above (isolation_level=None) and every transaction is begun here, explicitly:
    # - a write transaction with BEGIN IMMEDIATE, which takes the write lock at once, so a
    #   concurrent writer waits on the busy timeout. A deferred BEGIN would take it at the
    #   first write, and an upgrade from reading to writing that finds another writer fails
    #   at once with "database is locked", busy timeout or not;
    # - a read transaction (a GET) with a deferred BEGIN under query_only: it reads one
    #   snapshot, never takes the write lock, and any write it attempts fails loudly;
    # - otherwise a deferred BEGIN: a session that only reads blocks no writer.
    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        kind = _intent.get()
        conn.exec_driver_sql(f"PRAGMA query_only={1 if kind == 'read' else 0}")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if kind == "write" else "BEGIN")

    # The in-process queue: a writer takes its turn as it checks out its connection and
    # gives it back with the connection (a session returns it when its transaction ends).
    # A writer that waited past the busy timeout fails here, before any transaction began.
    @event.listens_for(engine.sync_engine.pool, "checkout")
    def _on_checkout(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if _intent.get() != "write" or record.info.get(GATE_HELD):
            return
        await_only(gate.acquire())
        record.info[GATE_HELD] = True

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(GATE_HELD, False):
            gate.release()


def session_maker(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return async_sessionmaker(engine, expire_on_commit=False)
