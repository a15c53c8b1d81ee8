"""The inbox through the API and the pages: counts, marking read, links, refusals."""

from __future__ import annotations

from marketplace.clock import FrozenClock
from tests.factories import Api, Person
from tests.notifications.conftest import Outbox
from tests.notifications.helpers import told


async def two_notifications(api: Api, outbox: Outbox) -> tuple[Person, Person]:
    """An owner told of a verification and a newcomer told they were added."""
    admin = await api.person("Admin", admin=True)
    owner = await api.person("Owner")
    organisation = await api.organisation(owner, "sme", name="Inbox Oy")
    await api.client.post(
        f"/api/v1/organisations/{organisation['id']}/verify", headers=admin.headers
    )
    other = await api.organisation(owner, "sme", name="Second Oy")
    await api.client.post(f"/api/v1/organisations/{other['id']}/verify", headers=admin.headers)
    await outbox.deliver()
    return owner, admin


class TestApi:
    async def test_list_count_mark_one_then_all_read(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        owner, _ = await two_notifications(api, outbox)
        r = await api.client.get("/api/v1/notifications", headers=owner.headers)
        body = r.json()
        assert (body["total"], body["unread"]) == (2, 2)
        assert [n["title"] for n in body["items"]] == [
            "Second Oy is verified",
            "Inbox Oy is verified",
        ]
        newest = body["items"][0]
        assert newest["read_at"] is None and newest["link"].startswith("/organisations/")

        r = await api.client.post(
            f"/api/v1/notifications/{newest['id']}/read", headers=owner.headers
        )
        assert r.status_code == 200 and r.json()["read_at"] is not None
        r = await api.client.get("/api/v1/notifications/unread-count", headers=owner.headers)
        assert r.json() == {"unread": 1}
        unread = await told(api, owner, unread="true")
        assert [n["title"] for n in unread] == ["Inbox Oy is verified"]

        r = await api.client.post("/api/v1/notifications/read-all", headers=owner.headers)
        assert r.json() == {"marked": 1}
        r = await api.client.get("/api/v1/notifications/unread-count", headers=owner.headers)
        assert r.json() == {"unread": 0}

    async def test_nobody_reads_or_marks_someone_elses(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        owner, admin = await two_notifications(api, outbox)
        mine = await told(api, owner)
        r = await api.client.post(
            f"/api/v1/notifications/{mine[0]['id']}/read", headers=admin.headers
        )
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
        assert (await told(api, owner))[0]["read_at"] is None
        assert (await api.client.get("/api/v1/notifications")).status_code == 401
        # Ids no row can have (found by Schemathesis: 2**64 overflowed SQLite's integers).
        for impossible in (0, 2**63, 27246979168330330112):
            r = await api.client.post(f"/api/v1/notifications/{impossible}/read",
                                      headers=owner.headers)  # fmt: skip
            assert r.status_code == 404, (impossible, r.text)

    async def test_bad_preferences_are_refused_naming_the_field_and_nothing_changes(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        owner = await api.person("Owner")
        r = await api.client.put(
            "/api/v1/notifications/preferences",
            json={"email": {"member.added": "off", "award.decision": "hourly"}},
            headers=owner.headers,
        )
        assert r.status_code == 422
        assert r.json()["errors"] == [
            {"field": "email.award.decision", "message": "must be one of instant, daily, off"}
        ]
        prefs = (
            await api.client.get("/api/v1/notifications/preferences", headers=owner.headers)
        ).json()
        assert prefs["in_app"] == "always"
        assert {k["kind"]: k["email"] for k in prefs["kinds"]}["member.added"] == "instant"
        r = await api.client.put("/api/v1/notifications/preferences",
                                 json={"email": {"no.such": "off"}}, headers=owner.headers)  # fmt: skip
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "email.no.such"


class TestPages:
    async def test_header_count_inbox_and_opening_marks_read_and_leads_to_the_subject(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        owner, _ = await two_notifications(api, outbox)
        await api.sign_in_browser(owner)
        home = await api.client.get("/")
        assert 'href="/notifications"' in home.text and 'hx-get="/notifications/badge"' in home.text
        badge = await api.client.get("/notifications/badge")
        assert '<span class="badge" aria-label="2 unread">2</span>' == badge.text
        page = await api.client.get("/notifications")
        assert page.status_code == 200
        assert "Second Oy is verified" in page.text and "2 unread" in page.text
        newest = (await told(api, owner))[0]
        from tests.factories import csrf

        r = await api.client.post(f"/notifications/{newest['id']}/open",
                                  data={"_csrf_token": csrf(page)}, follow_redirects=False)  # fmt: skip
        assert r.status_code in (302, 303) and r.headers["location"] == newest["link"]
        assert (await api.client.get("/notifications/badge")).text.endswith(">1</span>")
        r = await api.client.post("/notifications/read-all", data={"_csrf_token": csrf(page)},
                                  follow_redirects=False)  # fmt: skip
        assert r.status_code in (302, 303)
        assert (await api.client.get("/notifications/badge")).text == ""

    async def test_signed_out_visitors_are_sent_to_sign_in(self, api: Api) -> None:
        r = await api.client.get("/notifications", follow_redirects=False)
        assert r.status_code in (302, 303) and "/sign-in" in r.headers["location"]
        assert (await api.client.get("/notifications/badge")).text == ""

    async def test_preferences_page_saves_choices(
        self, api: Api, outbox: Outbox, clock: FrozenClock
    ) -> None:
        owner = await api.person("Owner")
        await api.sign_in_browser(owner)
        page = await api.client.get("/notifications/preferences")
        assert page.status_code == 200 and "Award decisions on your responses" in page.text
        from tests.factories import csrf

        r = await api.client.post(
            "/notifications/preferences",
            data={"_csrf_token": csrf(page), "email.award.decision": "daily",
                  "email.search.alert": "off"},
            follow_redirects=False,
        )  # fmt: skip
        assert r.status_code in (302, 303)
        prefs = (
            await api.client.get("/api/v1/notifications/preferences", headers=owner.headers)
        ).json()
        chosen = {k["kind"]: k["email"] for k in prefs["kinds"]}
        assert (chosen["award.decision"], chosen["search.alert"]) == ("daily", "off")


class TestFollowAndSave:
    async def test_follow_a_tender_from_its_page(self, api: Api, clock: FrozenClock) -> None:
        from tests.factories import csrf
        from tests.tenders.helpers import joint

        j = await joint(api)
        tender = await j.published(api, clock)
        me = await api.person("Follower")
        await api.sign_in_browser(me)
        page = await api.client.get(f"/tenders/{tender['id']}")
        assert f'href="/tenders/{tender["id"]}/deadlines.ics"' in page.text
        assert (
            f'hx-get="/follow/button?target_type=tender&amp;target_id={tender["id"]}' in page.text
        )
        button = await api.client.get("/follow/button", params={
            "target_type": "tender", "target_id": tender["id"], "next_page": f"/tenders/{tender['id']}"})  # fmt: skip
        assert 'aria-pressed="false"' in button.text
        r = await api.client.post("/follow", data={
            "_csrf_token": csrf(page), "target_type": "tender", "target_id": tender["id"],
            "next": f"/tenders/{tender['id']}"}, follow_redirects=False)  # fmt: skip
        assert r.status_code in (302, 303) and r.headers["location"] == f"/tenders/{tender['id']}"
        button = await api.client.get("/follow/button", params={
            "target_type": "tender", "target_id": tender["id"]})  # fmt: skip
        assert 'aria-pressed="true"' in button.text
        follows = (await api.client.get("/api/v1/follows", headers=me.headers)).json()
        assert [(f["target_type"], f["target_id"]) for f in follows] == [("tender", tender["id"])]
        # The preferences page names what is followed by its title, not its id.
        prefs = await api.client.get("/notifications/preferences")
        link = f'<a href="/tenders/{tender["id"]}">{tender["title"]}</a>'
        assert link in prefs.text
        # A draft cannot be followed (nor its existence learnt).
        draft = await j.create(api, clock)
        r = await api.client.put(f"/api/v1/follows/tender/{draft['id']}", headers=me.headers)
        assert r.status_code == 404

    async def test_save_the_search_on_screen_from_the_search_page(self, api: Api) -> None:
        from tests.factories import csrf

        me = await api.person("Searcher")
        await api.sign_in_browser(me)
        page = await api.client.get("/search", params={"q": "bus"})
        assert 'action="/saved-searches"' in page.text and 'value="q=bus"' in page.text
        # htmx sends the search form's fields as they are on screen.
        r = await api.client.post(
            "/saved-searches",
            data={"_csrf_token": csrf(page), "query": "q=bus", "save_name": "Buses",
                  "frequency": "weekly", "q": "bus stop", "type": "tender"},
            headers={"HX-Request": "true"},
        )  # fmt: skip
        assert r.status_code == 200 and "Saved “Buses”" in r.text
        saved = (await api.client.get("/api/v1/saved-searches", headers=me.headers)).json()
        assert [(s["name"], s["query"], s["frequency"]) for s in saved] == [
            ("Buses", "q=bus+stop&type=tender", "weekly")
        ]
        assert saved[0]["feed_url"].endswith(".atom")
        feed = await api.client.get(saved[0]["feed_url"].removeprefix("http://127.0.0.1:8000"))
        assert feed.status_code == 200 and b"Saved search: Buses" in feed.content
