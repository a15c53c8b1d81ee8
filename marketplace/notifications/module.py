"""Notifications as a module of the app: three subscribers of the outbox (`notifications`
turns events into notifications and queued mail, `account-mail` writes the password reset
and address verification mail, `mailer` sends the mail), the scheduler
of what time causes (reminders, alerts, digests), the pages, API, feeds and calendars."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from marketplace.core.module import Command, CommandContext, Module, Runtime, open_runtime
from marketplace.core.worker import worker_enabled
from marketplace.notifications import api, events, feeds, pages, scheduler
from marketplace.notifications.account_mail import AccountMailer
from marketplace.notifications.demo import seed_notifications
from marketplace.notifications.mail import Mailer
from marketplace.notifications.subscriber import Notifier

SCHEDULER = "notifications_scheduler"


def notifier(runtime: Runtime) -> Notifier:
    return Notifier(runtime.settings, runtime.services.get("search_backend"))


def mailer(runtime: Runtime) -> Mailer:
    return Mailer(runtime.settings)


def account_mailer(runtime: Runtime) -> AccountMailer:
    return AccountMailer(runtime.settings)


async def run_tick(runtime: Runtime) -> scheduler.TickResult:
    return await scheduler.tick(
        runtime.sessions, runtime.settings, runtime.clock.now(),
        backend=runtime.services.get("search_backend"), kinds=runtime.modules.search_kinds,
    )  # fmt: skip


async def start_scheduler(runtime: Runtime) -> None:
    if worker_enabled(runtime.settings):

        async def run() -> Any:
            return await run_tick(runtime)

        task = scheduler.Scheduler(run, runtime.settings.notifications_tick_seconds)
        task.start()
        runtime.state[SCHEDULER] = task


async def stop_scheduler(runtime: Runtime) -> None:
    task: scheduler.Scheduler | None = runtime.state.pop(SCHEDULER, None)
    if task is not None:
        await task.stop()


def tick_command(args: argparse.Namespace, context: CommandContext) -> int:
    async def work() -> scheduler.TickResult:
        async with open_runtime(context.settings, context.modules) as runtime:
            return await run_tick(runtime)

    result = asyncio.run(work())
    context.console.print(
        f"reminders {result.reminders}, responses opened {result.opened}, "
        f"alerts {result.alerts}, digests {result.digests}"
    )
    for error in result.errors:
        context.console.print(f"[red]{error}[/red]", markup=True)
    return 1 if result.errors else 0


module = Module(
    name="notifications",
    handlers=(*api.handlers, *pages.handlers, *feeds.handlers),
    events=events.CATALOGUE,
    subscribers=(notifier, account_mailer, mailer),
    seeders=(seed_notifications,),
    commands=(
        Command(
            "notifications tick",
            "send due deadline reminders, saved-search alerts and daily digests once",
            tick_command,
        ),
    ),
    command_groups={"notifications": "notifications, alerts and mail"},
    on_startup=(start_scheduler,),
    on_shutdown=(stop_scheduler,),
    requires=("accounts", "tenders", "funding", "searching"),
)
