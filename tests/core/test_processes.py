"""Several worker processes on one database (the SQLite file, or PostgreSQL): every event
is delivered, none twice, and no worker fails on a locked database."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.clock import FrozenClock
from marketplace.core.events import EventType, publish
from marketplace.db import session_maker
from marketplace.settings import Settings

NOTED = EventType("thing.noted", "A thing to note.")
EVENTS = 400

# A worker process: delivers to a subscriber that writes what it got into `test_seen` (in
# its own transaction, as a real subscriber's side effect would be) until nothing is left.
WORKER = textwrap.dedent(
    """
    import asyncio, os, sys
    from datetime import UTC, datetime
    from sqlalchemy import func, select, text
    from marketplace.core.delivery import drain
    from marketplace.core.models import EventDelivery, EventRecord
    from marketplace.db import create_engine, session_maker

    class Notes:
        name, kinds, transient = "notes", None, ()

        async def handle(self, events, sessions, now):
            async with sessions() as session, session.begin():
                for event in events:
                    await session.execute(
                        text("INSERT INTO test_seen (event_id, pid) VALUES (:e, :p)"),
                        {"e": event.id, "p": os.getpid()},
                    )

    async def main(url):
        engine = create_engine(url)
        sessions = session_maker(engine)
        try:
            while True:
                await drain(sessions, [Notes()], datetime.now(UTC), batch_size=9)
                async with sessions() as session:
                    left = await session.scalar(
                        select(func.count(EventDelivery.id)).where(
                            EventDelivery.status != "delivered"
                        )
                    )
                    unrouted = await session.scalar(
                        select(func.count(EventRecord.id)).where(EventRecord.routed.is_(False))
                    )
                if not left and not unrouted:
                    return
        finally:
            await engine.dispose()

    asyncio.run(main(sys.argv[1]))
    """
)


@pytest.fixture
async def seen_table(engine: AsyncEngine) -> AsyncIterator[None]:
    async with engine.begin() as conn:
        await conn.execute(
            text("CREATE TABLE IF NOT EXISTS test_seen (event_id BIGINT NOT NULL, pid INTEGER)")
        )
        await conn.execute(text("DELETE FROM test_seen"))
    yield
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE IF EXISTS test_seen"))


async def test_three_worker_processes_deliver_every_event_once(
    engine: AsyncEngine, settings: Settings, clock: FrozenClock, seen_table: None
) -> None:
    async with session_maker(engine)() as session, session.begin():
        for n in range(EVENTS):
            await publish(session, NOTED, f"t{n}", clock.now())
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", WORKER, settings.database_url,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(3)
    ]  # fmt: skip
    outcomes = []
    for worker in workers:
        _, err = await asyncio.wait_for(worker.communicate(), timeout=240)
        outcomes.append((worker.returncode, err.decode()))
    assert [code for code, _ in outcomes] == [0, 0, 0], "\n".join(err for _, err in outcomes)
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT event_id, pid FROM test_seen"))).all()
    ids = [event_id for event_id, _ in rows]
    assert len(set(ids)) == EVENTS and len(ids) == EVENTS  # all of them, none twice
    assert len({pid for _, pid in rows}) >= 2  # the work was shared
