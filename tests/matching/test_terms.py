"""Stored weighted words (`match_terms`): kept by the event worker, used by a match call
only while they are those of the record's text now, and never changing what a match says."""

from __future__ import annotations

import asyncio

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.clock import FrozenClock
from marketplace.core.delivery import drain
from marketplace.core.module import Modules
from marketplace.db import session_maker
from marketplace.matching.models import MatchTerms
from marketplace.matching.termer import Termer, weigh_all
from marketplace.modules import ALL
from marketplace.settings import Settings
from tests.commands import run_command
from tests.factories import Api
from tests.listings.conftest import Sme
from tests.matching.conftest import Market


async def _rows(engine: AsyncEngine) -> dict[str, MatchTerms]:
    async with session_maker(engine)() as session:
        return {r.record_id: r for r in await session.scalars(select(MatchTerms))}


async def test_the_worker_weighs_published_records_and_forgets_archived_ones(
    api: Api, sme: Sme, market: Market, engine: AsyncEngine, clock: FrozenClock
) -> None:
    sessions = session_maker(engine)
    # The market's events went to search alone: the command weighs what exists.
    assert await weigh_all(sessions, clock.now) == 5
    rows = await _rows(engine)
    published = {market.listings[k] for k in ("best", "no_mim2", "no_mim1", "lighting")}
    assert set(rows) == published | {market.tender["id"]}
    assert rows[market.tender["id"]].kind == "tender"
    best = rows[market.listings["best"]]
    assert best.kind == "listing" and "passeng" in best.keywords
    assert best.spelling["passeng"] == "passenger"
    assert await weigh_all(sessions, clock.now) == 0  # nothing changed: nothing rewritten

    worker = Termer(Modules(ALL).search_kinds)
    r = await api.client.patch(f"/api/v1/listings/{market.listings['best']}",
                               json={"title": "Tram arrival screens"},
                               headers=sme.editor.headers)  # fmt: skip
    assert r.status_code == 200, r.text
    r = await api.client.post(f"/api/v1/listings/{market.listings['lighting']}/archive",
                              headers=sme.editor.headers)  # fmt: skip
    assert r.status_code == 200, r.text
    await drain(sessions, [worker], clock.now())
    rows = await _rows(engine)
    assert "tram" in rows[market.listings["best"]].keywords
    assert rows[market.listings["best"]].text_hash != best.text_hash
    assert market.listings["lighting"] not in rows


async def test_stored_words_are_used_while_current_and_change_nothing(
    api: Api, sme: Sme, market: Market, engine: AsyncEngine, clock: FrozenClock
) -> None:
    path = f"/api/v1/tenders/{market.tender['id']}/matches"
    back = f"/api/v1/listings/{market.listings['best']}/matches"
    weighed_now = ((await api.client.get(path)).json(), (await api.client.get(back)).json())
    sessions = session_maker(engine)
    await weigh_all(sessions, clock.now)
    stored = ((await api.client.get(path)).json(), (await api.client.get(back)).json())
    assert stored == weighed_now  # the same scores, reasons and order

    # Proof the rows are read: a current row's words are what the match shows.
    async with sessions() as session, session.begin():
        await session.execute(
            update(MatchTerms).where(MatchTerms.record_id == market.listings["best"])
            .values(keywords={"passeng": 3.0, "zeppelin": 3.0})
        )  # fmt: skip
    items = (await api.client.get(path)).json()["items"]
    best = next(i for i in items if i["listing_id"] == market.listings["best"])
    assert best["reasons"]["keywords"] == ["passenger"]

    # Edited since (the worker has not run): the row is stale and the text is weighed.
    r = await api.client.patch(f"/api/v1/listings/{market.listings['best']}",
                               json={"description": "Passenger information at every stop, "
                                                    "fed by open real-time data."},
                               headers=sme.editor.headers)  # fmt: skip
    assert r.status_code == 200, r.text
    r = await api.client.patch(f"/api/v1/listings/{market.listings['best']}",
                               json={"summary": "Stop displays and an open data feed for "
                                                "buses, trams and ferries."},
                               headers=sme.editor.headers)  # fmt: skip
    assert r.status_code == 200, r.text
    items = (await api.client.get(path)).json()["items"]
    best = next(i for i in items if i["listing_id"] == market.listings["best"])
    assert len(best["reasons"]["keywords"]) > 1 and "zeppelin" not in best["reasons"]["keywords"]


async def test_the_command_fills_the_table_with_progress(
    market: Market, engine: AsyncEngine, settings: Settings
) -> None:
    # The command runs its own event loop, as it does from a shell.
    code, out = await asyncio.to_thread(run_command, settings, "matching terms")
    assert code == 0, out
    assert "weighing listing" in out and "Weighted words up to date: 5 record(s)" in out
    assert len(await _rows(engine)) == 5
