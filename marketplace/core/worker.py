"""The event worker in a running app or on its own, and `marketplace events ...`.

`module` is the outbox's own module: it starts the in-process worker with the app (when
`MARKETPLACE_EVENT_WORKER` says so), reports `"events"` on `/health` and provides the
`events` commands. It comes last in `marketplace.modules.ALL`, so that the worker starts
after every other module is ready (the search index exists) and stops first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core import home
from marketplace.core.delivery import Backlog, EventWorker, backlog, failures, retry
from marketplace.core.models import EventDelivery, EventRecord
from marketplace.core.module import Argument, Command, CommandContext, Module, Runtime, open_runtime
from marketplace.settings import Settings

WORKER = "event_worker"


def worker_enabled(settings: Settings) -> bool:
    if settings.event_worker == "auto":
        return settings.env != "test"
    return settings.event_worker == "on"


def new_worker(runtime: Runtime) -> EventWorker:
    settings = runtime.settings
    return EventWorker(
        runtime.sessions, runtime.subscribers, runtime.clock.now,
        interval=settings.event_worker_interval_seconds, batch_size=settings.event_batch_size,
        max_attempts=settings.event_max_attempts,
        lease=timedelta(seconds=settings.event_lease_seconds),
        retention=timedelta(days=settings.event_retention_days),
    )  # fmt: skip


async def start_worker(runtime: Runtime) -> None:
    if worker_enabled(runtime.settings) and runtime.subscribers:
        worker = new_worker(runtime)
        worker.start()
        runtime.state[WORKER] = worker


async def stop_worker(runtime: Runtime) -> None:
    worker: EventWorker | None = runtime.state.pop(WORKER, None)
    if worker is not None:
        await worker.stop()


async def events_health(
    session: AsyncSession, runtime: Runtime, now: datetime
) -> Literal["ok", "degraded"]:
    """Degraded while a delivery is parked as failed: an operator should look at it."""
    parked = await session.scalar(
        select(func.count(EventDelivery.id)).where(EventDelivery.status == "failed")
    )
    return "degraded" if parked else "ok"


# --- commands ------------------------------------------------------------------------------


def run_worker(context: CommandContext) -> int:
    async def work() -> None:
        async with open_runtime(context.settings, context.modules, start=False) as runtime:
            for hook in context.modules.on_startup:
                if hook is not start_worker:  # this command runs its own worker
                    await hook(runtime)
            worker = new_worker(runtime)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            worker.start()
            names = ", ".join(s.name for s in runtime.subscribers) or "nobody"
            context.console.print(f"Delivering events to {names} (Ctrl-C to stop)…")
            await stop.wait()
            await worker.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(work())
    return 0


def events_worker(args: argparse.Namespace, context: CommandContext) -> int:
    return run_worker(context)


def events_status(args: argparse.Namespace, context: CommandContext) -> int:
    async def work() -> tuple[int, list[tuple[str, Backlog]]]:
        now = datetime.now(UTC)
        async with open_runtime(context.settings, context.modules) as runtime:
            async with runtime.sessions() as session:
                rows = [
                    (s.name, await backlog(session, s.name, s.kinds, now))
                    for s in runtime.subscribers
                ]
                total = await session.scalar(select(func.count(EventRecord.id)))
                return total or 0, rows

    kept, rows = asyncio.run(work())
    now = datetime.now(UTC)
    console = context.console
    console.print(f"events kept:  {kept}")
    parked = 0
    for name, state in rows:
        age = state.age_seconds(now)
        console.print(
            f"{name:<14} pending {state.pending:>6}  oldest {age:>7.0f} s  "
            f"failed {state.failed:>4}  {'PAUSED' if state.paused else ''}"
        )
        parked += state.failed
    return 1 if parked else 0


def events_failed(args: argparse.Namespace, context: CommandContext) -> int:
    async def work() -> list[Any]:
        async with open_runtime(context.settings, context.modules) as runtime:
            async with runtime.sessions() as session:
                return await failures(session, args.subscriber, args.limit)

    found = asyncio.run(work())
    for f in found:
        context.console.print(
            f"#{f.delivery_id} {f.subscriber}: event {f.event_id} {f.kind} {f.subject_id} "
            f"({f.occurred_at:%Y-%m-%d %H:%M}), {f.attempts} attempts: {f.last_error}",
            markup=False,
        )
    if not found:
        context.console.print("No failed deliveries.")
    return 0


def events_retry(args: argparse.Namespace, context: CommandContext) -> int:
    async def work() -> int:
        async with open_runtime(context.settings, context.modules) as runtime:
            async with runtime.sessions() as session, session.begin():
                return await retry(
                    session, datetime.now(UTC), subscriber=args.subscriber,
                    delivery_ids=args.ids,
                )  # fmt: skip

    count = asyncio.run(work())
    context.console.print(f"{count} failed deliveries put back in the queue.")
    return 0


_SUBSCRIBER = Argument(("--subscriber",), {"help": "only this subscriber's deliveries"})

module = Module(
    name="events",
    commands=(
        Command("events worker", "deliver events to every subscriber until stopped", events_worker),
        Command("events status", "each subscriber's backlog and failed deliveries", events_status),
        Command(
            "events failed",
            "list deliveries parked after too many failures",
            events_failed,
            (_SUBSCRIBER, Argument(("--limit",), {"type": int, "default": 100})),
        ),
        Command(
            "events retry",
            "put failed deliveries back in the queue",
            events_retry,
            (
                _SUBSCRIBER,
                Argument(
                    ("ids",), {"type": int, "nargs": "*", "help": "delivery ids (default: all)"}
                ),
            ),
        ),
    ),
    command_groups={"events": "the outbox of domain events and its subscribers"},
    health={"events": events_health},
    home_sections=(home.home_section,),
    on_startup=(start_worker,),
    on_shutdown=(stop_worker,),
)
