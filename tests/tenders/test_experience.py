"""Issue 19 on the tender pages: links to a standard's page, the SME's own response shown
after responding, the asker's list of questions, confirmation before withdrawing."""

from __future__ import annotations

from marketplace.clock import FrozenClock
from tests.factories import Api, csrf
from tests.tenders.helpers import joint


class TestAfterResponding:
    async def test_the_tender_shows_your_response_instead_of_a_blank_form(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await api.sign_in_browser(j.supplier)
        before = await api.client.get(f"/tenders/{tender['id']}")
        assert "Respond to this tender" in before.text
        # Standard links open the standard's page, not raw JSON.
        assert 'href="/standards/OASC-MIM1"' in before.text
        assert "/api/v1/standards/" not in before.text
        r = await j.respond(api, tender)
        assert r.status_code == 201, r.text
        after = await api.client.get(f"/tenders/{tender['id']}")
        assert "Respond to this tender" not in after.text
        assert "Your response" in after.text and "€180,000.00" in after.text
        assert "Revise the response" in after.text

    async def test_withdrawing_asks_first(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (await j.respond(api, tender)).json()["id"]
        await api.sign_in_browser(j.supplier)
        page = await api.client.get("/my/responses")
        url = f"/tenders/{tender['id']}/responses/{rid}/withdraw"
        r = await api.client.post(url, data={"_csrf_token": csrf(page)})
        assert r.status_code == 200 and "Withdraw your response?" in r.text
        assert "will not be evaluated" in r.text
        still = await api.client.get(f"/api/v1/tenders/{tender['id']}/responses/{rid}",
                                     headers=j.supplier.headers)  # fmt: skip
        assert still.status_code == 200
        r = await api.client.post(url, data={"_csrf_token": csrf(r), "confirmed": "yes"})
        assert "Your response is withdrawn." in r.text


class TestMyQuestions:
    async def test_the_asker_follows_their_questions(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/questions",
            json={"text": "Are GTFS-RT feeds required?"}, headers=j.supplier.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        await api.sign_in_browser(j.supplier)
        page = await api.client.get("/my/questions")
        assert "Are GTFS-RT feeds required?" in page.text and "Not answered yet" in page.text
        await api.client.post(
            f"/api/v1/tenders/{tender['id']}/questions/{r.json()['id']}/answer",
            json={"text": "Yes, version 2."}, headers=j.lead.headers,
        )  # fmt: skip
        page = await api.client.get("/my/questions")
        assert "Yes, version 2." in page.text


class TestPickers:
    async def test_the_response_offers_a_listing_by_title_and_a_currency_choice(
        self, api: Api, clock: FrozenClock
    ) -> None:
        from tests.listings.conftest import complete_listing

        j = await joint(api)
        tender = await j.published(api, clock)
        r = await api.client.post(
            "/api/v1/listings",
            json=complete_listing(j.sme["id"], title="Solar bus-stop displays"),
            headers=j.supplier.headers,
        )
        assert r.status_code == 201, r.text
        listing = r.json()
        r = await api.client.post(
            f"/api/v1/listings/{listing['id']}/publish", headers=j.supplier.headers
        )
        assert r.status_code == 200, r.text
        await api.sign_in_browser(j.supplier)
        form = await api.client.get(f"/tenders/{tender['id']}/respond")
        assert f'<option value="{listing["id"]}"' in form.text
        assert "Solar bus-stop displays" in form.text
        assert "listing&#39;s id" not in form.text and "Your listing's id" not in form.text
        assert '<select id="currency" name="currency"' in form.text
        assert '<option value="EUR"' in form.text and "EUR — " in form.text
