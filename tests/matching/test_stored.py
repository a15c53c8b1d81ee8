"""Stored match lists (`stored_matches`): worked out by the event worker and the command,
read by match calls only while current, and never showing what a live call would not."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.clock import FrozenClock
from marketplace.core.delivery import drain
from marketplace.core.module import Modules, Subscriber
from marketplace.db import session_maker
from marketplace.matching.models import StoredMatches, StoredMatchMember
from marketplace.matching.refresher import Refresher, store_all
from marketplace.modules import ALL
from marketplace.settings import Settings
from search import SearchBackend
from tests.commands import run_command
from tests.factories import Api
from tests.listings.conftest import Sme
from tests.matching.conftest import PASSENGER_INFO, Market, listing
from tests.searching.conftest import app_indexer


async def _lists(engine: AsyncEngine) -> dict[str, StoredMatches]:
    async with session_maker(engine)() as session:
        return {r.subject_id: r for r in await session.scalars(select(StoredMatches))}


def _ids(body: dict[str, object], key: str) -> list[str]:
    return [item[key] for item in body["items"]]  # type: ignore[attr-defined]


async def test_stored_lists_answer_as_a_live_call_would(
    api: Api, market: Market, engine: AsyncEngine, index: SearchBackend, clock: FrozenClock
) -> None:
    path = f"/api/v1/tenders/{market.tender['id']}/matches"
    back = f"/api/v1/listings/{market.listings['best']}/matches"
    live = ((await api.client.get(path)).json(), (await api.client.get(back)).json())
    # Four published listings and the tender; the draft has no list.
    assert await store_all(session_maker(engine), index, clock.now) == 5
    lists = await _lists(engine)
    assert market.listings["draft"] not in lists
    assert lists[market.tender["id"]].kind == "tender"
    kept = ((await api.client.get(path)).json(), (await api.client.get(back)).json())
    assert kept == live  # the same items, scores, reasons and order
    assert _ids(kept[0], "listing_id")[0] == market.listings["best"]

    # Proof the row is read: what it says is what the call answers.
    async with session_maker(engine)() as session, session.begin():
        row = await session.get(StoredMatches, market.tender["id"])
        assert row is not None
        items = [dict(i) for i in row.items]
        items[0]["score"] = 99
        row.items = items
    assert (await api.client.get(path)).json()["items"][0]["score"] == 99
    assert len((await api.client.get(f"{path}?limit=1")).json()["items"]) == 1


async def test_a_stored_list_never_offers_what_is_no_longer_offered(
    api: Api, sme: Sme, market: Market, engine: AsyncEngine, index: SearchBackend,
    clock: FrozenClock,
) -> None:  # fmt: skip
    sessions = session_maker(engine)
    await store_all(sessions, index, clock.now)
    path = f"/api/v1/tenders/{market.tender['id']}/matches"
    assert market.listings["best"] in _ids((await api.client.get(path)).json(), "listing_id")

    # Archived a moment ago, before the worker ran: gone from the answer at once.
    r = await api.client.post(f"/api/v1/listings/{market.listings['best']}/archive",
                              headers=sme.editor.headers)  # fmt: skip
    assert r.status_code == 200, r.text
    assert market.listings["best"] not in _ids((await api.client.get(path)).json(), "listing_id")
    # Its own list is still stored (the worker has not run), but no longer anyone's to read.
    assert market.listings["best"] in await _lists(engine)
    mine = f"/api/v1/listings/{market.listings['best']}/matches"
    assert (await api.client.get(mine)).status_code == 404
    assert (await api.client.get(mine, headers=sme.editor.headers)).status_code == 200

    # A tender past its deadline leaves the listings' stored lists at once too.
    back = f"/api/v1/listings/{market.listings['no_mim2']}/matches"
    assert _ids((await api.client.get(back)).json(), "tender_id") == [market.tender["id"]]
    clock.advance(timedelta(days=400))
    assert (await api.client.get(back)).json()["items"] == []


async def test_a_subject_edited_since_its_list_is_worked_out_live(
    api: Api, sme: Sme, market: Market, engine: AsyncEngine, index: SearchBackend,
    clock: FrozenClock,
) -> None:  # fmt: skip
    sessions = session_maker(engine)
    await store_all(sessions, index, clock.now)
    async with sessions() as session, session.begin():
        await session.execute(
            update(StoredMatches).where(StoredMatches.subject_id == market.listings["best"])
            .values(items=[])
        )  # fmt: skip
    back = f"/api/v1/listings/{market.listings['best']}/matches"
    assert (await api.client.get(back)).json()["items"] == []  # the (emptied) row is read
    r = await api.client.patch(f"/api/v1/listings/{market.listings['best']}",
                               json={"title": "Passenger information displays for stops"},
                               headers=sme.editor.headers)  # fmt: skip
    assert r.status_code == 200, r.text
    assert _ids((await api.client.get(back)).json(), "tender_id") == [market.tender["id"]]


async def test_the_worker_keeps_lists_of_changed_records_and_of_those_they_reach(
    api: Api, sme: Sme, market: Market, engine: AsyncEngine, index: SearchBackend,
    clock: FrozenClock,
) -> None:  # fmt: skip
    sessions = session_maker(engine)
    await store_all(sessions, index, clock.now)
    subscribers: list[Subscriber] = [
        app_indexer(index),
        Refresher(index, Modules(ALL).search_kinds),
    ]
    tender_id = market.tender["id"]

    # A new supplier of passenger displays enters the tender's stored list.
    clock.advance(timedelta(seconds=5))
    newcomer = await listing(api, sme, **{**PASSENGER_INFO, "title": "Passenger displays, solar"})
    await drain(sessions, subscribers, clock.now())
    lists = await _lists(engine)
    assert newcomer in lists  # its own list
    assert newcomer in [i["listing_id"] for i in lists[tender_id].items]
    assert lists[tender_id].computed_at == clock.now()
    assert newcomer in _ids(
        (await api.client.get(f"/api/v1/tenders/{tender_id}/matches")).json(), "listing_id"
    )

    # Archived: its own list is dropped and the tender's is worked out without it.
    clock.advance(timedelta(seconds=5))
    r = await api.client.post(f"/api/v1/listings/{newcomer}/archive", headers=sme.editor.headers)
    assert r.status_code == 200, r.text
    await drain(sessions, subscribers, clock.now())
    lists = await _lists(engine)
    assert newcomer not in lists
    assert newcomer not in [i["listing_id"] for i in lists[tender_id].items]
    async with sessions() as session:
        named = await session.scalars(
            select(StoredMatchMember.subject_id).where(StoredMatchMember.member_id == newcomer)
        )
        assert list(named) == []

    # A new tender for the same need enters the stored lists of the listings it matches.
    clock.advance(timedelta(seconds=5))
    second = await market.j.published(api, clock)
    await drain(sessions, subscribers, clock.now())
    lists = await _lists(engine)
    assert second["id"] in lists
    assert second["id"] in [i["tender_id"] for i in lists[market.listings["best"]].items]
    back = f"/api/v1/listings/{market.listings['best']}/matches"
    assert second["id"] in _ids((await api.client.get(back)).json(), "tender_id")


async def test_the_command_works_every_list_out_with_progress(
    market: Market, engine: AsyncEngine, settings: Settings
) -> None:
    # The command runs its own event loop, as it does from a shell.
    code, out = await asyncio.to_thread(run_command, settings, "matching store")
    assert code == 0, out
    assert "working out tender" in out and "Match lists up to date: 5 list(s)" in out
    assert len(await _lists(engine)) == 5
