"""What time and new records cause: matching SMEs told of a new tender, saved-search
alerts with only what is new, deadline reminders and responses opened — once each."""

from __future__ import annotations

from datetime import timedelta

from marketplace.clock import FrozenClock
from marketplace.core.module import Modules
from marketplace.modules import ALL
from marketplace.notifications.scheduler import TickResult, tick
from marketplace.settings import Settings
from tests.factories import Api
from tests.matching.conftest import PASSENGER_INFO
from tests.matching.conftest import listing as make_listing
from tests.notifications.conftest import Outbox
from tests.notifications.helpers import told
from tests.tenders.helpers import joint

KINDS = Modules(ALL).search_kinds


async def run(outbox: Outbox, settings: Settings) -> TickResult:
    result = await tick(outbox.sessions, settings, outbox.clock.now(), backend=outbox.backend,
                        kinds=KINDS)  # fmt: skip
    assert result.errors == []
    await outbox.deliver()
    return result


class TestNewTenders:
    async def test_smes_whose_listings_match_are_told_others_not(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        from tests.listings.conftest import Sme

        j = await joint(api)
        owner = await api.person("Display owner")
        org = await api.organisation(owner, "sme", verified=True, name="Displays Oy")
        displays = Sme(org["id"], owner, owner, owner)
        await make_listing(api, displays, **PASSENGER_INFO)
        other_owner = await api.person("Lighting owner")
        other = await api.organisation(other_owner, "sme", verified=True, name="Lights Oy")
        await make_listing(api, Sme(other["id"], other_owner, other_owner, other_owner))
        await outbox.deliver()  # the listings reach the index
        tender = await j.published(api, clock)
        await outbox.deliver()
        matched = [n for n in await told(api, owner) if n["kind"] == "tender.matching"]
        assert [n["link"] for n in matched] == [f"/tenders/{tender['id']}"]
        assert "Real-time passenger information displays" in matched[0]["body"]
        assert not [n for n in await told(api, other_owner) if n["kind"] == "tender.matching"]


class TestSavedSearches:
    async def test_an_alert_sends_only_what_is_new_since_the_last_one(
        self, api: Api, outbox: Outbox, clock: FrozenClock, settings: Settings
    ) -> None:
        j = await joint(api)
        old = await j.published(api, clock, title="Passenger counting sensors")
        await outbox.deliver()
        sme = await api.person("Searcher")
        r = await api.client.post(
            "/api/v1/saved-searches",
            json={"name": "Passenger tenders", "query": "q=passenger&type=tender&page=3",
                  "frequency": "instant"},
            headers=sme.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        saved = r.json()
        assert saved["query"] == "q=passenger&type=tender"  # paging is not part of a search
        assert (await run(outbox, settings)).alerts == 0  # what it found already is not news

        clock.advance(timedelta(minutes=5))
        new = await j.published(api, clock)
        await outbox.deliver()  # indexed
        assert (await run(outbox, settings)).alerts == 1
        [alert] = [n for n in await told(api, sme) if n["kind"] == "search.alert"]
        assert alert["title"] == f"“Passenger tenders”: {new['title']}"
        assert alert["link"] == f"/tenders/{new['id']}"
        assert old["title"] not in alert["body"]
        assert (await run(outbox, settings)).alerts == 0

    async def test_bad_saved_searches_are_refused_naming_the_field(
        self, api: Api, outbox: Outbox
    ) -> None:
        me = await api.person("Searcher")
        r = await api.client.post("/api/v1/saved-searches",
                                  json={"name": "x", "query": "type=spaceship"}, headers=me.headers)  # fmt: skip
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "type"
        r = await api.client.post("/api/v1/saved-searches",
                                  json={"name": "x", "query": "q=a", "frequency": "hourly"},
                                  headers=me.headers)  # fmt: skip
        assert r.status_code in (400, 422) and "frequency" in r.text
        # A name that would read backwards, or carry a NUL, is refused like any other name.
        for name in ("Buses \u202egnp.exe", "Buses\x00"):
            r = await api.client.post("/api/v1/saved-searches", json={"name": name, "query": "q=a"},
                                      headers=me.headers)  # fmt: skip
            assert r.status_code == 422 and r.json()["errors"][0]["field"] == "name", r.text
        assert (await api.client.get("/api/v1/saved-searches", headers=me.headers)).json() == []


class TestDeadlines:
    async def test_reminders_7_days_and_1_day_before_then_responses_opened(
        self, api: Api, outbox: Outbox, clock: FrozenClock, settings: Settings
    ) -> None:
        start = clock.now()
        j = await joint(api)
        tender = await j.published(api, clock)  # questions close +25 d, responses due +35 d
        follower = await api.person("Follower")
        await api.client.put(f"/api/v1/follows/tender/{tender['id']}", headers=follower.headers)
        assert (await j.respond(api, tender)).status_code == 201
        await outbox.deliver()

        def reminders(items: list[dict[str, object]]) -> list[object]:
            return [n["title"] for n in items if n["kind"] == "deadline.reminder"]

        title = tender["title"]
        clock.set(start + timedelta(days=18, hours=1))
        assert (await run(outbox, settings)).reminders == 1
        assert (await run(outbox, settings)).reminders == 0  # once
        assert reminders(await told(api, follower)) == [f"Questions close in 7 days: {title}"]
        assert reminders(await told(api, j.supplier)) == []  # question reminders: followers

        clock.set(start + timedelta(days=28, hours=1))
        assert (await run(outbox, settings)).reminders == 2
        assert reminders(await told(api, j.supplier)) == [f"Responses are due in 7 days: {title}"]
        clock.set(start + timedelta(days=34, hours=1))
        await run(outbox, settings)
        assert reminders(await told(api, follower))[0] == f"Responses are due tomorrow: {title}"
        assert reminders(await told(api, j.lead)) == []

        clock.set(start + timedelta(days=35, hours=1))
        assert (await run(outbox, settings)).opened == 2  # the lead and the partner city
        opened = [n for n in await told(api, j.partner) if n["kind"] == "responses.opened"]
        assert [n["title"] for n in opened] == [f"1 response to {title} can be opened"]
        assert not [n for n in await told(api, j.supplier) if n["kind"] == "responses.opened"]
        assert (await run(outbox, settings)).opened == 0
