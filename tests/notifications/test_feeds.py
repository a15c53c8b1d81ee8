"""Atom feeds read back with feedparser, calendars with icalendar; only public things."""

from __future__ import annotations

from datetime import timedelta

import feedparser
from icalendar import Calendar

from marketplace.clock import FrozenClock
from tests.factories import Api
from tests.tenders.helpers import joint


def parsed(body: bytes) -> feedparser.FeedParserDict:
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


class TestAtom:
    async def test_new_tenders_feed_lists_published_tenders_only(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        published = await j.published(api, clock)
        await j.create(api, clock, title="A draft nobody may see yet")
        r = await api.client.get("/feeds/tenders.atom")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
        feed = parsed(r.content)
        assert feed.feed.title == "ICC Marketplace: new tenders"
        assert [e.title for e in feed.entries] == [published["title"]]
        entry = feed.entries[0]
        assert entry.link == f"http://127.0.0.1:8000/tenders/{published['id']}"
        assert entry.id == entry.link and entry.updated_parsed is not None
        assert "draft" not in r.text.lower()

    async def test_a_tenders_feed_has_amendments_and_answers_never_the_asker_or_bids(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        tid = tender["id"]
        r = await api.client.post(f"/api/v1/tenders/{tid}/questions",
                                  json={"text": "Is GTFS-RT needed?"}, headers=j.supplier.headers)  # fmt: skip
        qid = r.json()["id"]
        clock.advance(timedelta(hours=1))
        await api.client.post(f"/api/v1/tenders/{tid}/questions/{qid}/answer",
                              json={"text": "Yes, GTFS-RT is required."}, headers=j.partner.headers)  # fmt: skip
        assert (await j.respond(api, tender)).status_code == 201
        clock.advance(timedelta(hours=1))
        r = await api.client.post(
            f"/api/v1/tenders/{tid}/amendments",
            json={"rationale": "More time.",
                  "changes": {"submission_deadline": (clock.now() + timedelta(days=45)).isoformat()}},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        r = await api.client.get(f"/tenders/{tid}/feed.atom")
        feed = parsed(r.content)
        assert [e.title for e in feed.entries] == [
            "Amendment #1: submission_deadline", "Answer: Is GTFS-RT needed?",
        ]  # fmt: skip
        assert "Yes, GTFS-RT is required." in feed.entries[1].summary
        for secret in (j.sme["name"], j.supplier.email, "180000"):
            assert secret not in r.text

    async def test_funding_calls_and_organisation_feeds_parse(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await api.client.get("/feeds/funding-calls.atom")
        assert r.status_code == 200, r.text[-3000:]
        feed = parsed(r.content)
        assert feed.entries == []
        org = parsed((await api.client.get(f"/feeds/organisations/{j.city_a['id']}.atom")).content)
        assert [e.title for e in org.entries] == [f"Tender: {tender['title']}"]
        assert (await api.client.get("/feeds/organisations/nope.atom")).status_code == 404


class TestCalendar:
    async def test_a_tenders_deadlines_as_icalendar_in_utc(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await api.client.get(f"/tenders/{tender['id']}/deadlines.ics")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
        calendar = Calendar.from_ical(r.content)
        events = calendar.walk("VEVENT")
        assert [str(e["summary"]) for e in events] == [
            f"Questions close: {tender['title']}", f"Responses due: {tender['title']}",
        ]  # fmt: skip
        start = events[1].decoded("dtstart")
        assert start == clock.now() + timedelta(days=35) and start.utcoffset() == timedelta(0)
        assert b"DTSTART:" in r.content and b"Z\r\n" in r.content
        assert str(events[0]["uid"]).startswith(f"{tender['id']}-questions@")
        assert events[1].walk("VALARM")[0].decoded("trigger") == timedelta(days=-1)
        draft = await j.create(api, clock)
        assert (await api.client.get(f"/tenders/{draft['id']}/deadlines.ics")).status_code == 404

    async def test_followed_deadlines_private_url_is_revocable(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        me = await api.person("Follower")
        await api.client.put(f"/api/v1/follows/tender/{tender['id']}", headers=me.headers)
        r = await api.client.post("/api/v1/notifications/calendar", headers=me.headers)
        assert r.status_code == 201
        path = r.json()["url"].removeprefix("http://127.0.0.1:8000")
        calendar = Calendar.from_ical((await api.client.get(path)).content)
        assert len(calendar.walk("VEVENT")) == 2
        r = await api.client.post("/api/v1/notifications/calendar", headers=me.headers)
        newer = r.json()["url"].removeprefix("http://127.0.0.1:8000")
        assert (await api.client.get(path)).status_code == 404
        assert (await api.client.get(newer)).status_code == 200
        await api.client.delete("/api/v1/notifications/calendar", headers=me.headers)
        assert (await api.client.get(newer)).status_code == 404
