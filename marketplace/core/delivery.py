"""Delivering outbox events to subscribers: at least once each, in order per subscriber.

The worker does two things in a loop, each step its own short transaction:

1. **route**: new events get one delivery row per subscriber that wants their kind;
2. **deliver**, one batch per subscriber in turn (rounds of both steps until nothing is
   delivered, see `drain`): claim the oldest due deliveries (a lease, `claimed_until`),
   hand their events to the subscriber's `handle`, then mark them delivered. A failure
   counts an attempt: an outage (the subscriber's `transient` errors) is retried at the
   worker's next round, with the worker backing off; any other error is isolated to the
   events that cause it (a failed batch is retried one event at a time) and retried with
   exponential backoff until `max_attempts`, after which the delivery is parked as
   `failed` — visible in `marketplace events status`, `/health` and
   `marketplace events failed`, and put back with `marketplace events retry`.

Claiming is an `UPDATE ... RETURNING` whose row choice is `FOR UPDATE SKIP LOCKED` on
PostgreSQL, so several workers share the queue without waiting on each other; on SQLite the
`UPDATE` is the transaction's first statement, so it takes the write lock at once and
concurrent workers (threads or processes) queue on the busy timeout instead of failing. A
worker killed between handling and acknowledging leaves its claim to lapse (`lease`), and
the batch is delivered again: that is why subscribers must be idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import and_, delete, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from marketplace.core.events import Event
from marketplace.core.models import EventDelivery, EventPause, EventRecord
from marketplace.core.module import Subscriber
from marketplace.db import write_session

log = logging.getLogger(__name__)

RETRY_BASE = timedelta(seconds=5)
RETRY_MAX = timedelta(hours=1)
# A pause older than this is from a holder that died (a reindex killed midway): ignored.
PAUSE_LEASE = timedelta(hours=1)


def worker_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid4().hex[:8]}"


@dataclass
class DeliveryResult:
    delivered: int = 0  # deliveries acknowledged
    retrying: int = 0  # failures that will be tried again
    parked: int = 0  # failures that reached max_attempts
    paused: bool = False  # the subscriber is told to hold back (a full rebuild runs)
    error: str | None = None  # the last failure, if any

    def add(self, other: DeliveryResult) -> None:
        self.delivered += other.delivered
        self.retrying += other.retrying
        self.parked += other.parked
        self.paused = self.paused or other.paused
        self.error = other.error or self.error


def _postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def event_of(row: EventRecord) -> Event:
    return Event(
        kind=row.kind, subject_id=row.subject_id, data=row.data or {}, id=row.id,
        occurred_at=row.occurred_at, sealed_until=row.sealed_until,
    )  # fmt: skip


# --- routing -----------------------------------------------------------------------------


async def route(
    sessions: async_sessionmaker[AsyncSession],
    subscribers: Sequence[Subscriber],
    now: datetime,
    limit: int = 500,
) -> int:
    """Give up to `limit` new events their delivery rows; returns how many were routed."""
    async with write_session(sessions) as session:
        pick = select(EventRecord.id).where(EventRecord.routed.is_(False))
        pick = pick.order_by(EventRecord.id).limit(limit)
        if _postgres(session):
            pick = pick.with_for_update(skip_locked=True)
        rows = (
            await session.execute(
                update(EventRecord)
                .where(EventRecord.id.in_(pick.scalar_subquery()))
                .values(routed=True)
                .returning(EventRecord.id, EventRecord.kind)
                .execution_options(synchronize_session=False)
            )
        ).all()
        deliveries = [
            {"event_id": event_id, "subscriber": s.name, "status": "pending", "attempts": 0,
             "next_attempt_at": now}
            for event_id, kind in sorted(rows)
            for s in subscribers
            if s.kinds is None or kind in s.kinds
        ]  # fmt: skip
        if deliveries:
            await session.execute(insert(EventDelivery), deliveries)
        return len(rows)


# --- delivering --------------------------------------------------------------------------


async def paused(session: AsyncSession, subscriber: str, now: datetime) -> bool:
    marker = await session.scalar(
        select(EventPause.marker)
        .where(EventPause.subscriber == subscriber, EventPause.until > now)
        .limit(1)
    )
    return marker is not None


async def pause(sessions: async_sessionmaker[AsyncSession], subscriber: str, now: datetime) -> str:
    """Hold a subscriber back until `resume(marker)` (or the pause lapses)."""
    marker = f"{subscriber}-{uuid4()}"
    async with write_session(sessions) as session:
        session.add(EventPause(marker=marker, subscriber=subscriber, until=now + PAUSE_LEASE))
    return marker


async def resume(sessions: async_sessionmaker[AsyncSession], marker: str) -> None:
    async with write_session(sessions) as session:
        await session.execute(delete(EventPause).where(EventPause.marker == marker))


async def _claim(
    sessions: async_sessionmaker[AsyncSession],
    subscriber: str,
    now: datetime,
    batch_size: int,
    lease: timedelta,
    me: str,
) -> list[tuple[int, Event]]:
    async with write_session(sessions) as session:
        due = (
            select(EventDelivery.id)
            .where(
                EventDelivery.subscriber == subscriber,
                EventDelivery.status == "pending",
                EventDelivery.next_attempt_at <= now,
                or_(EventDelivery.claimed_until.is_(None), EventDelivery.claimed_until < now),
            )
            .order_by(EventDelivery.event_id)
            .limit(batch_size)
        )
        if _postgres(session):
            due = due.with_for_update(skip_locked=True)
        claimed = (
            await session.execute(
                update(EventDelivery)
                .where(EventDelivery.id.in_(due.scalar_subquery()))
                .values(claimed_by=me, claimed_until=now + lease)
                .returning(EventDelivery.id, EventDelivery.event_id)
                .execution_options(synchronize_session=False)
            )
        ).all()
        if not claimed:
            return []
        events = {
            row.id: event_of(row)
            for row in await session.scalars(
                select(EventRecord).where(EventRecord.id.in_([e for _, e in claimed]))
            )
        }
        return sorted(
            ((delivery_id, events[event_id]) for delivery_id, event_id in claimed),
            key=lambda pair: pair[1].id,
        )


async def _settle(
    sessions: async_sessionmaker[AsyncSession], ids: Sequence[int], **values: Any
) -> None:
    """One write to a set of claimed deliveries; the claim ends with it."""
    if not ids:
        return
    async with write_session(sessions) as session:
        await session.execute(
            update(EventDelivery)
            .where(EventDelivery.id.in_(list(ids)))
            .values(claimed_by=None, claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        )


async def _release(sessions: async_sessionmaker[AsyncSession], ids: Sequence[int]) -> None:
    try:
        await _settle(sessions, ids)
    except Exception as error:  # the database is in trouble; the lease lapses instead
        log.warning("could not release claimed deliveries: %s", error)


def backoff(attempts: int) -> timedelta:
    delay: timedelta = RETRY_BASE * 2 ** max(attempts - 1, 0)
    return min(delay, RETRY_MAX)


async def _failed(
    sessions: async_sessionmaker[AsyncSession],
    ids: Sequence[int],
    error: BaseException,
    now: datetime,
    *,
    transient: bool,
    max_attempts: int,
) -> DeliveryResult:
    """Count the attempt; park what reached `max_attempts` unless the failure was an outage."""
    message = (str(error) or type(error).__name__)[:2000]
    result = DeliveryResult(error=message)
    try:
        async with write_session(sessions) as session:
            # A write first: on SQLite it takes the lock now, so the read below cannot go
            # stale under another worker's commit (which would fail the upgrade to a write).
            rows = (
                await session.execute(
                    update(EventDelivery)
                    .where(EventDelivery.id.in_(list(ids)))
                    .values(claimed_by=None, claimed_until=None)
                    .returning(EventDelivery.id, EventDelivery.attempts)
                    .execution_options(synchronize_session=False)
                )
            ).all()
            for delivery_id, attempts in rows:
                tries = attempts + 1
                values: dict[str, Any] = {"attempts": tries, "last_error": message}
                if transient:
                    result.retrying += 1
                elif tries >= max_attempts:
                    values["status"] = "failed"
                    result.parked += 1
                else:
                    values["next_attempt_at"] = now + backoff(tries)
                    result.retrying += 1
                await session.execute(
                    update(EventDelivery).where(EventDelivery.id == delivery_id).values(**values)
                )
    except Exception as trouble:  # the database itself: the claims lapse, nothing is lost
        log.warning("could not record the failed delivery: %s", trouble)
    return result


async def deliver_once(
    sessions: async_sessionmaker[AsyncSession],
    subscriber: Subscriber,
    now: datetime,
    *,
    batch_size: int = 200,
    max_attempts: int = 8,
    lease: timedelta = timedelta(seconds=30),
    me: str | None = None,
) -> DeliveryResult:
    """One batch for one subscriber (routing is `route`'s job)."""
    async with sessions() as session:
        if await paused(session, subscriber.name, now):
            return DeliveryResult(paused=True)
    claimed = await _claim(sessions, subscriber.name, now, batch_size, lease, me or worker_id())
    if not claimed:
        return DeliveryResult()
    ids = [delivery_id for delivery_id, _ in claimed]
    try:
        await subscriber.handle([event for _, event in claimed], sessions, now)
    except Exception as error:
        transient = isinstance(error, subscriber.transient)
        if transient or len(claimed) == 1:
            log.warning("delivery to %s failed, will retry: %s", subscriber.name, error)
            return await _failed(
                sessions, ids, error, now, transient=transient, max_attempts=max_attempts
            )
        return await _one_by_one(sessions, subscriber, claimed, now, max_attempts)
    except BaseException:  # cancelled (shutdown, a test's kill): let the next worker have them
        await _release(sessions, ids)
        raise
    await _settle(sessions, ids, status="delivered", delivered_at=now, last_error=None)
    return DeliveryResult(delivered=len(ids))


async def _one_by_one(
    sessions: async_sessionmaker[AsyncSession],
    subscriber: Subscriber,
    claimed: list[tuple[int, Event]],
    now: datetime,
    max_attempts: int,
) -> DeliveryResult:
    """A batch failed for a reason of its own: find the events that cause it, so that one
    bad event does not hold up (or park) the others."""
    result = DeliveryResult()
    for position, (delivery_id, event) in enumerate(claimed):
        try:
            await subscriber.handle([event], sessions, now)
        except Exception as error:
            transient = isinstance(error, subscriber.transient)
            log.warning("delivering event %s to %s failed: %s", event.id, subscriber.name, error)
            result.add(
                await _failed(
                    sessions, [delivery_id], error, now, transient=transient,
                    max_attempts=max_attempts,
                )
            )  # fmt: skip
            if transient:  # an outage after all: leave the rest for the next round
                await _release(sessions, [d for d, _ in claimed[position + 1 :]])
                return result
            continue
        except BaseException:
            await _release(sessions, [d for d, _ in claimed[position:]])
            raise
        await _settle(sessions, [delivery_id], status="delivered", delivered_at=now)
        result.delivered += 1
    return result


async def drain(
    sessions: async_sessionmaker[AsyncSession],
    subscribers: Sequence[Subscriber],
    now: datetime,
    *,
    batch_size: int = 200,
    max_attempts: int = 8,
    lease: timedelta = timedelta(seconds=30),
) -> dict[str, DeliveryResult]:
    """Deliver until nothing is due: in rounds, each routing what is new and then giving
    every subscriber one batch, so that a slow subscriber with a backlog (working out
    match lists) never holds up a quick one (search) for longer than one of its batches.
    A subscriber that is paused, or whose batch fails, is left out for the rest of the
    call. A subscriber may ask for smaller batches (`batch_size`, at most the worker's).
    The totals per subscriber."""
    me = worker_id()
    totals = {subscriber.name: DeliveryResult() for subscriber in subscribers}
    stopped: set[str] = set()
    while True:
        while await route(sessions, subscribers, now):
            pass
        delivered = 0
        for subscriber in subscribers:
            if subscriber.name in stopped:
                continue
            batch = await deliver_once(
                sessions, subscriber, now,
                batch_size=min(batch_size, getattr(subscriber, "batch_size", batch_size)),
                max_attempts=max_attempts, lease=lease, me=me,
            )  # fmt: skip
            totals[subscriber.name].add(batch)
            if batch.error or batch.paused:
                stopped.add(subscriber.name)
            delivered += batch.delivered
        if not delivered:
            return totals


# --- looking after the outbox ------------------------------------------------------------


@dataclass(frozen=True)
class Backlog:
    pending: int  # events not yet delivered to the subscriber (failed ones excluded)
    oldest: datetime | None
    max_attempts: int
    paused: bool
    failed: int  # parked deliveries

    def age_seconds(self, now: datetime) -> float:
        return max(0.0, (now - self.oldest).total_seconds()) if self.oldest else 0.0


async def backlog(
    session: AsyncSession, subscriber: str, kinds: frozenset[str] | None, now: datetime
) -> Backlog:
    """What `subscriber` has still to do: its pending deliveries and the new events of the
    kinds it wants that are not routed yet."""
    pending, oldest, attempts = (
        await session.execute(
            select(
                func.count(EventDelivery.id),
                func.min(EventRecord.occurred_at),
                func.coalesce(func.max(EventDelivery.attempts), 0),
            )
            .join(EventRecord, EventRecord.id == EventDelivery.event_id)
            .where(EventDelivery.subscriber == subscriber, EventDelivery.status == "pending")
        )
    ).one()
    new = select(func.count(EventRecord.id), func.min(EventRecord.occurred_at)).where(
        EventRecord.routed.is_(False)
    )
    if kinds is not None:
        new = new.where(EventRecord.kind.in_(sorted(kinds)))
    unrouted, unrouted_oldest = (await session.execute(new)).one()
    failed = await session.scalar(
        select(func.count(EventDelivery.id)).where(
            EventDelivery.subscriber == subscriber, EventDelivery.status == "failed"
        )
    )
    moments = [m for m in (oldest, unrouted_oldest) if m is not None]
    return Backlog(
        int(pending) + int(unrouted), min(moments) if moments else None, int(attempts),
        await paused(session, subscriber, now), int(failed or 0),
    )  # fmt: skip


@dataclass(frozen=True)
class Failure:
    delivery_id: int
    subscriber: str
    event_id: int
    kind: str
    subject_id: str
    occurred_at: datetime
    attempts: int
    last_error: str | None


async def failures(
    session: AsyncSession, subscriber: str | None = None, limit: int = 100
) -> list[Failure]:
    """Parked deliveries, oldest first (the poison events an operator should look at)."""
    query = (
        select(
            EventDelivery.id, EventDelivery.subscriber, EventRecord.id, EventRecord.kind,
            EventRecord.subject_id, EventRecord.occurred_at, EventDelivery.attempts,
            EventDelivery.last_error,
        )
        .join(EventRecord, EventRecord.id == EventDelivery.event_id)
        .where(EventDelivery.status == "failed")
        .order_by(EventDelivery.event_id, EventDelivery.subscriber)
        .limit(limit)
    )  # fmt: skip
    if subscriber:
        query = query.where(EventDelivery.subscriber == subscriber)
    return [Failure(*row) for row in (await session.execute(query)).tuples()]


async def retry(
    session: AsyncSession,
    now: datetime,
    *,
    subscriber: str | None = None,
    delivery_ids: Sequence[int] = (),
) -> int:
    """Put parked deliveries back in the queue with a fresh count (in the caller's
    transaction); returns how many."""
    condition = [EventDelivery.status == "failed"]
    if subscriber:
        condition.append(EventDelivery.subscriber == subscriber)
    if delivery_ids:
        condition.append(EventDelivery.id.in_(list(delivery_ids)))
    result = await session.execute(
        update(EventDelivery)
        .where(and_(*condition))
        .values(status="pending", attempts=0, next_attempt_at=now, claimed_by=None,
                claimed_until=None)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    return int(getattr(result, "rowcount", 0) or 0)


async def prune(session: AsyncSession, before: datetime) -> int:
    """Forget events older than `before` that every subscriber has had (their delivery rows
    go with them); parked and pending ones stay."""
    undelivered = exists().where(
        EventDelivery.event_id == EventRecord.id, EventDelivery.status != "delivered"
    )
    result = await session.execute(
        delete(EventRecord)
        .where(EventRecord.routed.is_(True), EventRecord.occurred_at < before, ~undelivered)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


class EventWorker:
    """The delivery loop as a background task: in-process for the embedded default, or the
    body of `marketplace events worker`. Backs off while deliveries fail."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        subscribers: Sequence[Subscriber],
        now: Callable[[], datetime],
        *,
        interval: float = 1.0,
        batch_size: int = 200,
        max_attempts: int = 8,
        lease: timedelta = timedelta(seconds=30),
        retention: timedelta = timedelta(days=7),
        max_backoff: float = 60.0,
    ) -> None:
        self.sessions = sessions
        self.subscribers = list(subscribers)
        self.now = now
        self.interval = interval
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.lease = lease
        self.retention = retention
        self.max_backoff = max_backoff
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._pruned: datetime | None = None

    def start(self) -> None:
        if self._task is None:
            self._stop.clear()
            self._task = asyncio.create_task(self.run(), name="event-worker")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def run_once(self) -> dict[str, DeliveryResult]:
        results = await drain(
            self.sessions, self.subscribers, self.now(), batch_size=self.batch_size,
            max_attempts=self.max_attempts, lease=self.lease,
        )  # fmt: skip
        now = self.now()
        if self._pruned is None or now - self._pruned > timedelta(minutes=10):
            async with write_session(self.sessions) as session:
                await prune(session, now - self.retention)
            self._pruned = now
        return results

    async def run(self) -> None:
        delay = self.interval
        while not self._stop.is_set():
            try:
                results = await self.run_once()
                failing = any(r.error for r in results.values())
            except Exception:  # the database is down, or a bug: log, back off, carry on
                log.exception("event worker round failed")
                failing = True
            delay = min(delay * 2, self.max_backoff) if failing else self.interval
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=delay)
