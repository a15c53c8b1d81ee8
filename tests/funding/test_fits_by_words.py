"""A funder narrows the calls that fit by words: the same search engine everyone uses
(diacritics, prefixes, typos), then the same fit ranking with its reasons."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from marketplace.clock import FrozenClock
from marketplace.db import session_maker
from marketplace.searching.worker import drain
from search import SearchBackend
from tests.factories import Api
from tests.funding.helpers import scene
from tests.searching import conftest as search_fixtures
from tests.searching.conftest import app_indexer

index = search_fixtures.index


async def test_fits_narrowed_by_words_keep_their_ranking_and_reasons(
    api: Api, engine: AsyncEngine, index: SearchBackend, clock: FrozenClock
) -> None:
    s = await scene(api)
    depot = await s.open_call()  # "Zero-emission bus depot for Espoo"
    heat = await s.open_call(
        title="Heat pumps for Tartu schools", summary="Replace oil boilers in 12 schools.",
        themes=["renewable-energies"],
    )  # fmt: skip
    await drain(session_maker(engine), app_indexer(index), clock.now())
    url = f"/api/v1/funders/{s.funder['id']}/fits"
    headers = s.funder_owner.headers

    everything = await api.client.get(url, headers=headers)
    assert {f["call_id"] for f in everything.json()} == {depot["id"], heat["id"]}
    for words, expected in (("bus depot", [depot["id"]]), ("heat pum", [heat["id"]]),
                            ("boilres ", [heat["id"]]), ("harbour", [])):  # fmt: skip
        r = await api.client.get(url, params={"q": words}, headers=headers)
        assert r.status_code == 200, r.text
        assert [f["call_id"] for f in r.json()] == expected, words
    narrowed = (await api.client.get(url, params={"q": "depot"}, headers=headers)).json()
    focus = everything.json()[[f["call_id"] for f in everything.json()].index(depot["id"])]
    words, *rest = narrowed[0]["reasons"]
    # The words are half the score and say which matched; the focus keeps its reasons.
    assert words == {"criterion": "words", "matched": True, "points": 50,
                     "detail": "Matches your words: depot."}  # fmt: skip
    assert [(r["criterion"], r["detail"]) for r in rest] == [
        (r["criterion"], r["detail"]) for r in focus["reasons"]
    ]
    assert narrowed[0]["score"] == sum(r["points"] for r in narrowed[0]["reasons"])

    await api.sign_in_browser(s.funder_owner)
    page = await api.client.get("/funding/dashboard", params={"q": "harbour"})
    assert page.status_code == 200
    assert "No open call about “harbour” meets your criteria." in page.text
    page = await api.client.get("/funding/dashboard", params={"q": "Tartu"})
    assert (
        "Heat pumps for Tartu schools" in page.text and "Zero-emission bus depot" not in page.text
    )


async def test_calls_with_more_of_the_words_come_first(
    api: Api, engine: AsyncEngine, index: SearchBackend, clock: FrozenClock
) -> None:
    s = await scene(api)
    leaks = await s.open_call(
        title="Non-revenue water reduction",
        summary="Finding and fixing the leaks that lose drinking water.",
    )
    waste = await s.open_call(
        title="Smart waste collection for the harbour",
        summary="Sensors on containers and electric refuse trucks.",
    )
    both = await s.open_call(title="Water leaks and waste in the old town",
                             summary="Fixing water leaks and sorting waste.")  # fmt: skip
    await drain(session_maker(engine), app_indexer(index), clock.now())
    r = await api.client.get(
        f"/api/v1/funders/{s.funder['id']}/fits",
        params={"q": "water leaks waste"},
        headers=s.funder_owner.headers,
    )
    assert r.status_code == 200, r.text
    ranked = r.json()
    # Any of the words finds all three (all of them would find only one), the call with
    # every word first, each saying which of the words it has.
    assert ranked[0]["call_id"] == both["id"]
    assert {f["call_id"] for f in ranked} == {leaks["id"], waste["id"], both["id"]}
    said = {f["call_id"]: f["reasons"][0]["detail"] for f in ranked}
    assert said[both["id"]] == "Matches your words: water, leaks, waste."
    assert said[waste["id"]] == "Matches your words: waste."


async def test_too_many_words_are_refused_naming_the_field(api: Api, index: SearchBackend) -> None:
    s = await scene(api)
    r = await api.client.get(
        f"/api/v1/funders/{s.funder['id']}/fits", params={"q": "x" * 201},
        headers=s.funder_owner.headers,
    )  # fmt: skip
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "q"
