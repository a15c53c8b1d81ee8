"""The outbox delivered as the event worker would, on the tests' own engine: search
indexing, notifications and the mailer (with the app's settings: its SMTP server)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from marketplace.clock import FrozenClock
from marketplace.core.delivery import drain
from marketplace.core.module import Subscriber
from marketplace.db import session_maker
from marketplace.notifications.mail import Mailer
from marketplace.notifications.subscriber import Notifier
from search import SearchBackend
from tests.searching import conftest as search_fixtures
from tests.searching.conftest import app_indexer

index = search_fixtures.index


@dataclass
class Outbox:
    sessions: async_sessionmaker[AsyncSession]
    subscribers: list[Subscriber]
    clock: FrozenClock
    mailer: Mailer
    backend: SearchBackend

    async def deliver(self) -> dict[str, int]:
        """Until nothing is left: mail queued while handling events is new events."""
        totals: dict[str, int] = {}
        while True:
            result = await drain(self.sessions, self.subscribers, self.clock.now())
            for name, part in result.items():
                totals[name] = totals.get(name, 0) + part.delivered
            if not any(part.delivered for part in result.values()):
                return totals


@pytest.fixture
def outbox(app: Litestar, engine: AsyncEngine, clock: FrozenClock, index: SearchBackend) -> Outbox:
    settings = app.state.settings
    mailer = Mailer(settings)
    subscribers: list[Any] = [app_indexer(index), Notifier(settings, index), mailer]
    return Outbox(session_maker(engine), subscribers, clock, mailer, index)
