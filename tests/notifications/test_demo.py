"""The demo seed leaves notifications in the demo users' inboxes, and the event worker
delivering the same events afterwards adds none twice."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.accounts.demo import seed_network
from marketplace.core.delivery import drain
from marketplace.db import session_maker
from marketplace.funding.demo import seed_funding
from marketplace.notifications.demo import seed_notifications
from marketplace.notifications.models import Follow, Notification
from marketplace.notifications.module import module as notifications
from marketplace.notifications.subscriber import Notifier
from marketplace.settings import Settings
from tests.conftest import START


async def test_demo_seed_fills_inboxes_once(engine: AsyncEngine, settings: Settings) -> None:
    assert seed_notifications in notifications.seeders
    sessions = session_maker(engine)
    async with sessions() as session, session.begin():
        with Progress(console=Console(file=io.StringIO())) as progress:
            network = await seed_network(session, START, progress)
            await seed_funding(session, network, progress)
            await seed_notifications(session, network, progress)
    async with sessions() as session:
        kinds = dict(
            (await session.execute(
                select(Notification.kind, func.count()).group_by(Notification.kind)
            )).tuples().all()
        )  # fmt: skip
        before = await session.scalar(select(func.count(Notification.id)))
    assert kinds.get("interest.expressed", 0) > 0 and kinds.get("interest.decided", 0) > 0
    await drain(sessions, [Notifier(settings)], START)
    async with sessions() as session:
        assert await session.scalar(select(func.count(Notification.id))) == before
        assert await session.scalar(select(func.count(Follow.id))) is not None
