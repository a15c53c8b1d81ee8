"""The outbox of domain events: written with the change, delivered to each subscriber at
least once, failures retried with backoff or parked for an operator, claims that several
workers share without doing an event twice."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from marketplace.clock import FrozenClock
from marketplace.core import delivery
from marketplace.core.delivery import (
    backlog,
    deliver_once,
    drain,
    failures,
    pause,
    prune,
    resume,
    retry,
    route,
)
from marketplace.core.events import Event, EventType, publish
from marketplace.core.models import EventDelivery, EventRecord
from marketplace.db import session_maker

HAPPENED = EventType("thing.happened", "Something happened to a thing.")
OTHER = EventType("other.happened", "Something else.")
SEALED = EventType("bid.sent", "A sealed bid.", sealed=True)


class Outage(Exception):
    """What a subscriber's backend raises while it is down."""


class Recorder:
    """A subscriber that remembers what it was given and can be told to fail."""

    transient: tuple[type[BaseException], ...] = (Outage,)

    def __init__(self, name: str = "recorder", kinds: frozenset[str] | None = None) -> None:
        self.name = name
        self.kinds = kinds
        self.seen: list[tuple[int, str, str]] = []
        self.batches: list[int] = []
        self.poison: set[str] = set()  # subjects it cannot handle
        self.down = False

    async def handle(
        self, events: Sequence[Event], sessions: async_sessionmaker[AsyncSession], now: datetime
    ) -> None:
        if self.down:
            raise Outage("backend unreachable")
        if any(e.subject_id in self.poison for e in events):
            raise ValueError("cannot handle " + ", ".join(sorted(self.poison)))
        self.batches.append(len(events))
        self.seen += [(e.id, e.kind, e.subject_id) for e in events]


async def emit(
    engine: AsyncEngine, now: datetime, *subjects: str, kind: EventType = HAPPENED
) -> None:
    async with session_maker(engine)() as session, session.begin():
        for subject in subjects:
            await publish(session, kind, subject, now, data={"n": subject})


async def states(engine: AsyncEngine, subscriber: str) -> list[tuple[str, str, int]]:
    async with session_maker(engine)() as session:
        rows = await session.execute(
            select(EventRecord.subject_id, EventDelivery.status, EventDelivery.attempts)
            .join(EventDelivery, EventDelivery.event_id == EventRecord.id)
            .where(EventDelivery.subscriber == subscriber)
            .order_by(EventRecord.id)
        )
        return [(s, status, attempts) for s, status, attempts in rows.tuples()]


class TestPublishing:
    async def test_an_event_exists_exactly_when_its_change_committed(
        self, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        sessions = session_maker(engine)
        async with sessions() as session:
            await publish(session, HAPPENED, "a", clock.now())
            await session.rollback()
        async with sessions() as session, session.begin():
            await publish(session, HAPPENED, "b", clock.now(), data={"x": "1"})
        async with sessions() as session:
            rows = (await session.execute(select(EventRecord.subject_id, EventRecord.data))).all()
        assert [tuple(r) for r in rows] == [("b", {"x": "1"})]

    async def test_a_sealed_kind_needs_the_moment_it_opens(
        self, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        async with session_maker(engine)() as session:
            with pytest.raises(ValueError, match="sealed"):
                await publish(session, SEALED, "r1", clock.now())

    def test_kinds_are_thing_dot_what_happened(self) -> None:
        for bad in ("happened", "Thing.Happened", ".x", "x."):
            with pytest.raises(ValueError):
                EventType(bad, "")

    def test_a_sealed_event_is_sealed_until_its_moment(self, clock: FrozenClock) -> None:
        event = Event("bid.sent", "r1", sealed_until=clock.now() + timedelta(days=1))
        assert event.sealed_at(clock.now())
        assert not event.sealed_at(clock.now() + timedelta(days=1))
        assert not Event("thing.happened", "a").sealed_at(clock.now())


class TestDelivery:
    async def test_each_subscriber_gets_what_it_wants_in_order(
        self, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        everything, picky = Recorder("everything"), Recorder("picky", frozenset({OTHER.kind}))
        await emit(engine, clock.now(), "a", "b")
        await emit(engine, clock.now(), "c", kind=OTHER)
        totals = await drain(session_maker(engine), [everything, picky], clock.now())
        assert [s for _, _, s in everything.seen] == ["a", "b", "c"]
        assert [(k, s) for _, k, s in picky.seen] == [("other.happened", "c")]
        assert (totals["everything"].delivered, totals["picky"].delivered) == (3, 1)
        # Delivered once: a second run has nothing to do.
        await drain(session_maker(engine), [everything, picky], clock.now())
        assert len(everything.seen) == 3 and len(picky.seen) == 1

    async def test_batches_follow_the_batch_size(
        self, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        recorder = Recorder()
        await emit(engine, clock.now(), *[f"e{n}" for n in range(7)])
        await drain(session_maker(engine), [recorder], clock.now(), batch_size=3)
        assert recorder.batches == [3, 3, 1]

    async def test_an_outage_is_retried_without_counting_against_the_events(
        self, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        recorder = Recorder()
        recorder.down = True
        await emit(engine, clock.now(), "a", "b")
        sessions = session_maker(engine)
        for _ in range(3):
            result = (await drain(sessions, [recorder], clock.now(), max_attempts=2))["recorder"]
            assert result.error == "backend unreachable" and result.parked == 0
        assert await states(engine, "recorder") == [("a", "pending", 3), ("b", "pending", 3)]
        recorder.down = False
        await drain(sessions, [recorder], clock.now())
        assert [s for _, _, s in recorder.seen] == ["a", "b"]
        assert {status for _, status, _ in await states(engine, "recorder")} == {"delivered"}

    async def test_a_bad_event_is_isolated_backed_off_then_parked(
        self, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        recorder = Recorder()
        recorder.poison = {"b"}
        await emit(engine, clock.now(), "a", "b", "c")
        sessions = session_maker(engine)
        result = (await drain(sessions, [recorder], clock.now(), max_attempts=3))["recorder"]
        # The batch failed, then went one by one: the others are delivered.
        assert [s for _, _, s in recorder.seen] == ["a", "c"]
        assert (result.delivered, result.retrying, result.parked) == (2, 1, 0)
        assert await states(engine, "recorder") == [
            ("a", "delivered", 0), ("b", "pending", 1), ("c", "delivered", 0),
        ]  # fmt: skip
        # Not due again until the backoff has passed.
        await drain(sessions, [recorder], clock.now(), max_attempts=3)
        assert (await states(engine, "recorder"))[1] == ("b", "pending", 1)
        for _ in range(2):
            clock.advance(delivery.RETRY_MAX)
            await drain(sessions, [recorder], clock.now(), max_attempts=3)
        assert (await states(engine, "recorder"))[1] == ("b", "failed", 3)
        async with sessions() as session:
            parked = await failures(session)
            state = await backlog(session, "recorder", None, clock.now())
        assert [(f.subject_id, f.attempts, f.last_error) for f in parked] == [
            ("b", 3, "cannot handle b")
        ]
        assert (state.pending, state.failed) == (0, 1)

        # An operator fixes the cause and puts it back.
        recorder.poison = set()
        async with sessions() as session, session.begin():
            assert await retry(session, clock.now()) == 1
        await drain(sessions, [recorder], clock.now())
        assert [s for _, _, s in recorder.seen] == ["a", "c", "b"]

    async def test_backoff_doubles_up_to_its_ceiling(self) -> None:
        assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3)] == [5, 10, 20]
        assert delivery.backoff(40) == delivery.RETRY_MAX

    async def test_a_paused_subscriber_waits_and_the_others_do_not(
        self, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        held, free = Recorder("held"), Recorder("free")
        sessions = session_maker(engine)
        marker = await pause(sessions, "held", clock.now())
        await emit(engine, clock.now(), "a")
        totals = await drain(sessions, [held, free], clock.now())
        assert totals["held"].paused and held.seen == [] and len(free.seen) == 1
        await resume(sessions, marker)
        await drain(sessions, [held, free], clock.now())
        assert len(held.seen) == 1

    async def test_a_pause_from_a_holder_that_died_lapses(
        self, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        held = Recorder("held")
        await pause(session_maker(engine), "held", clock.now())
        await emit(engine, clock.now(), "a")
        clock.advance(delivery.PAUSE_LEASE + timedelta(seconds=1))
        await drain(session_maker(engine), [held], clock.now())
        assert len(held.seen) == 1


class TestClaims:
    async def test_concurrent_workers_share_the_queue_without_doing_an_event_twice(
        self, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        recorder = Recorder()
        await emit(engine, clock.now(), *[f"e{n:03d}" for n in range(120)])
        sessions = session_maker(engine)
        await route(sessions, [recorder], clock.now())

        async def worker(name: str) -> None:
            while (
                await deliver_once(sessions, recorder, clock.now(), batch_size=7, me=name)
            ).delivered:
                pass

        await asyncio.gather(*(worker(f"w{n}") for n in range(4)))
        ids = [event_id for event_id, _, _ in recorder.seen]
        assert len(ids) == 120 and len(set(ids)) == 120

    async def test_a_worker_killed_mid_batch_leaves_its_claim_to_lapse(
        self, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        recorder = Recorder()
        await emit(engine, clock.now(), "a", "b")
        sessions = session_maker(engine)
        await route(sessions, [recorder], clock.now())
        # What a SIGKILL leaves behind: claimed rows nobody will acknowledge.
        async with sessions() as session, session.begin():
            await session.execute(
                update(EventDelivery).values(
                    claimed_by="dead", claimed_until=clock.now() + timedelta(seconds=30)
                )
            )
        assert (await deliver_once(sessions, recorder, clock.now())).delivered == 0
        clock.advance(timedelta(seconds=31))
        assert (await deliver_once(sessions, recorder, clock.now())).delivered == 2

    async def test_a_cancelled_batch_is_released_at_once(
        self, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        class Hangs(Recorder):
            entered = asyncio.Event()

            async def handle(self, *args: object) -> None:
                self.entered.set()
                await asyncio.Event().wait()

        await emit(engine, clock.now(), "a")
        sessions = session_maker(engine)
        await route(sessions, [Recorder()], clock.now())
        hangs = Hangs()
        task = asyncio.create_task(deliver_once(sessions, hangs, clock.now()))
        await hangs.entered.wait()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        recorder = Recorder()
        assert (await deliver_once(sessions, recorder, clock.now())).delivered == 1


class TestHousekeeping:
    async def test_prune_forgets_only_what_every_subscriber_had(
        self, engine: AsyncEngine, clock: FrozenClock
    ) -> None:
        done, stuck = Recorder("done"), Recorder("stuck")
        stuck.poison = {"a"}
        await emit(engine, clock.now(), "a", "b")
        await drain(session_maker(engine), [done, stuck], clock.now(), max_attempts=1)
        async with session_maker(engine)() as session, session.begin():
            assert await prune(session, clock.now() + timedelta(days=1)) == 1  # "b" only
        async with session_maker(engine)() as session:
            left = list(await session.scalars(select(EventRecord.subject_id)))
            deliveries = await session.scalar(select(func.count(EventDelivery.id)))
        assert left == ["a"] and deliveries == 2  # "a": delivered to one, parked for one


class Taking(Recorder):
    """A recorder that notes its turns in a log shared with others; the one named `slow`
    takes a single event per batch (`batch_size`), and a writer publishes another event
    during its first batch (a seed running beside the worker)."""

    def __init__(self, name: str, turns: list[str], engine: AsyncEngine, now: datetime) -> None:
        super().__init__(name)
        self.turns, self.engine, self.now = turns, engine, now
        if name == "slow":
            self.batch_size = 1

    async def handle(
        self, events: Sequence[Event], sessions: async_sessionmaker[AsyncSession], now: datetime
    ) -> None:
        self.turns.append(self.name)
        if self.name == "slow" and not self.batches:
            await emit(self.engine, self.now, "written-meanwhile")
        await super().handle(events, sessions, now)


async def test_a_slow_subscriber_with_a_backlog_never_holds_up_a_quick_one(
    engine: AsyncEngine, clock: FrozenClock
) -> None:
    now = clock.now()
    await emit(engine, now, "a", "b", "c")
    turns: list[str] = []
    slow, quick = Taking("slow", turns, engine, now), Taking("quick", turns, engine, now)
    totals = await drain(session_maker(engine), [slow, quick], now)
    assert totals["slow"].delivered == totals["quick"].delivered == 4
    assert slow.batches == [1, 1, 1, 1]  # its own batch size
    # The event written while the slow one worked reached the quick one in the next
    # round, not after the slow one's whole backlog.
    assert [s for _, _, s in quick.seen] == ["a", "b", "c", "written-meanwhile"]
    assert turns[:4] == ["slow", "quick", "slow", "quick"]
