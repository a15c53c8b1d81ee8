"""A tiny searchable kind for the outbox tests: gadgets, in a table the test creates, and
the search subscriber as the app assembles it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from marketplace.core.events import EventType, publish
from marketplace.core.module import Modules, SearchKind
from marketplace.db import session_maker
from marketplace.modules import ALL
from marketplace.searching.backend import create_backend
from marketplace.searching.worker import SearchIndexer
from marketplace.settings import Settings
from search import SearchBackend, SearchDocument

# What a gadget service would publish: every change of a gadget, whatever it is.
GADGET_CHANGED = EventType("gadget.changed", "A gadget was created, edited or removed.")


async def load_gadgets(session: AsyncSession, ids: Sequence[str] | None) -> list[SearchDocument]:
    """The mapper: only public gadgets become documents."""
    sql = "SELECT id, title, theme, country FROM test_gadgets WHERE public = 1"
    params: dict[str, str] = {}
    if ids is not None:
        names = [f":i{n}" for n in range(len(ids))]
        sql += f" AND id IN ({', '.join(names) or 'NULL'})"
        params = {f"i{n}": v for n, v in enumerate(ids)}
    rows = (await session.execute(text(sql + " ORDER BY id"), params)).all()
    return [
        SearchDocument(id=r.id, type="listing", title=r.title, status="published",
                       themes=(r.theme,), countries=(r.country,))
        for r in rows
    ]  # fmt: skip


GADGETS = SearchKind(
    name="gadget", label="Gadgets", path="/gadgets/{id}", load=load_gadgets,
    changed_by=frozenset({GADGET_CHANGED.kind}),
)  # fmt: skip


def app_indexer(backend: SearchBackend) -> SearchIndexer:
    """The search subscriber with the kinds of every module of the app."""
    return SearchIndexer(backend, Modules(ALL).search_kinds)


async def changed(session: AsyncSession, gadget_id: str, now: object) -> None:
    """What a service does beside changing a gadget: publish the event."""
    await publish(session, GADGET_CHANGED, gadget_id, now)  # type: ignore[arg-type]


@dataclass
class Gadgets:
    sessions: async_sessionmaker[AsyncSession]

    async def put(
        self, session: AsyncSession, id: str, title: str, *, public: bool = True,
        theme: str = "mobility", country: str = "FI",
    ) -> None:  # fmt: skip
        await session.execute(text("DELETE FROM test_gadgets WHERE id = :id"), {"id": id})
        await session.execute(
            text("INSERT INTO test_gadgets (id, title, public, theme, country)"
                 " VALUES (:id, :title, :public, :theme, :country)"),
            {"id": id, "title": title, "public": 1 if public else 0, "theme": theme,
             "country": country},
        )  # fmt: skip

    async def remove(self, session: AsyncSession, id: str) -> None:
        await session.execute(text("DELETE FROM test_gadgets WHERE id = :id"), {"id": id})


@pytest.fixture
async def gadgets(engine: AsyncEngine) -> AsyncIterator[Gadgets]:
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS test_gadgets (id VARCHAR(36) PRIMARY KEY,"
                " title TEXT NOT NULL, public INTEGER NOT NULL, theme TEXT NOT NULL,"
                " country TEXT NOT NULL)"
            )
        )
        await conn.execute(text("DELETE FROM test_gadgets"))
    yield Gadgets(session_maker(engine))
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE IF EXISTS test_gadgets"))


@pytest.fixture
async def index(settings: Settings, engine: AsyncEngine) -> AsyncIterator[SearchBackend]:
    """The backend the app would use on this database, emptied."""
    backend = create_backend(settings, engine)
    await backend.ensure_ready()
    await backend.rebuild([])
    yield backend
    await backend.rebuild([])
    await backend.close()


# The listing tests' SME, for the tests of real kinds in search.
from tests.listings.conftest import sme  # noqa: E402, F401
