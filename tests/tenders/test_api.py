"""The tenders API details: editing drafts, shares, listing and visibility."""

from __future__ import annotations

from datetime import timedelta

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.demo import seed_network
from marketplace.clock import FrozenClock
from marketplace.tenders.contract_models import ContractTransaction
from marketplace.tenders.demo import seed_tenders
from marketplace.tenders.models import OcdsRelease, Tender
from tests.factories import Api
from tests.tenders.helpers import joint


class TestDrafts:
    async def test_lead_edits_a_draft_freely(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        r = await api.client.patch(f"/api/v1/tenders/{tender['id']}", json={"title": "Nope!"},
                                   headers=j.partner.headers)  # fmt: skip
        assert r.status_code == 403
        r = await api.client.patch(
            f"/api/v1/tenders/{tender['id']}",
            json={"title": "Passenger information displays", "procedure": "pcp",
                  "lots": [{"title": "Everything", "estimated_value":
                            {"amount": "200000", "currency": "EUR"}}],
                  "buyers": []},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["title"] == "Passenger information displays" and body["procedure"] == "pcp"
        assert [lot["title"] for lot in body["lots"]] == ["Everything"]
        assert [b["organisation_id"] for b in body["buyers"]] == [j.city_a["id"]]

    async def test_invited_city_states_its_share_when_confirming(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/buyers/{j.city_b['id']}/confirm",
            json={"shares": [{"lot": 2, "value": {"amount": "60000", "currency": "EUR"}}]},
            headers=j.partner.headers,
        )
        assert r.status_code == 200, r.text
        wien = r.json()["buyers"][1]
        assert wien["confirmed"] is True
        assert wien["shares"] == [
            {
                "lot": 2,
                "quantity": None,
                "unit": None,
                "value": {"amount": "60000.00", "currency": "EUR"},
            }
        ]

    async def test_an_invited_city_declines_and_leaves_the_draft(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        url = f"/api/v1/tenders/{tender['id']}"
        decline = f"{url}/buyers/{j.city_b['id']}/decline"
        # Only the invited city's editors; the lead cannot decline (it cancels).
        assert (await api.client.post(decline, headers=j.supplier.headers)).status_code == 404
        r = await api.client.post(decline, headers=j.lead.headers)
        assert r.status_code == 403, r.text
        r = await api.client.post(f"{url}/buyers/{j.city_a['id']}/decline", headers=j.lead.headers)
        assert r.status_code == 409 and "cancel" in r.json()["detail"]
        r = await api.client.post(decline, json={"reason": "x" * 2001}, headers=j.partner.headers)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
        assert len((await api.client.get(url, headers=j.lead.headers)).json()["buyers"]) == 2

        r = await api.client.post(decline, json={"reason": "No budget this year."},
                                  headers=j.partner.headers)  # fmt: skip
        assert r.status_code == 204, r.text
        assert (await api.client.get(url, headers=j.partner.headers)).status_code == 404
        body = (await api.client.get(url, headers=j.lead.headers)).json()
        assert [b["organisation_id"] for b in body["buyers"]] == [j.city_a["id"]]
        audit = (await api.client.get(f"{url}/audit", headers=j.lead.headers)).json()
        declined = [e for e in audit if e["action"] == "buyer.declined"]
        assert len(declined) == 1 and declined[0]["after"] == {"reason": "No budget this year."}
        # Without the city, the lead can publish alone.
        r = await api.client.post(f"{url}/publish", headers=j.lead.headers)
        assert r.status_code == 200, r.text
        again = await api.client.post(decline, headers=j.partner.headers)
        assert again.status_code == 404

    async def test_invited_city_sees_the_draft_others_do_not(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        url = f"/api/v1/tenders/{tender['id']}"
        assert (await api.client.get(url, headers=j.partner.headers)).status_code == 200
        assert (await api.client.get(url, headers=j.supplier.headers)).status_code == 404
        listed = (await api.client.get("/api/v1/tenders", headers=j.partner.headers)).json()
        assert listed["total"] == 1
        assert (await api.client.get("/api/v1/tenders")).json()["total"] == 0

    async def test_only_cities_can_be_invited(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        r = await api.client.post(
            "/api/v1/tenders",
            headers=j.lead.headers,
            json={**(await _body(j, clock)), "buyers": [{"organisation_id": j.sme["id"]}]},
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "buyers"


async def _body(j: object, clock: FrozenClock) -> dict[str, object]:
    from tests.tenders.helpers import tender_body

    return tender_body(j, clock.now())  # type: ignore[arg-type]


class TestListing:
    async def test_filters_by_stage_buyer_and_theme(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        first = await j.published(api, clock)
        second = await j.published(
            api,
            clock,
            themes=["open-data"],
            submission_deadline=(clock.now() + timedelta(days=50)).isoformat(),
        )
        clock.advance(timedelta(days=36))

        async def ids(**params: str) -> set[str]:
            r = await api.client.get("/api/v1/tenders", params=params)
            assert r.status_code == 200, r.text
            return {t["id"] for t in r.json()["items"]}

        assert await ids(status="evaluation") == {first["id"]}
        assert await ids(status="active") == {first["id"], second["id"]}
        assert await ids(theme="open-data") == {second["id"]}
        assert await ids(buyer_id=j.city_b["id"]) == {first["id"], second["id"]}
        r = await api.client.get("/api/v1/tenders", params={"theme": "not-a-theme"})
        assert r.status_code == 422


class TestDemo:
    async def test_demo_tenders_are_seeded_in_several_stages(self, db: AsyncSession) -> None:
        from marketplace.clock import Clock

        with Progress(console=Console(quiet=True)) as progress:
            network = await seed_network(db, Clock().now(), progress)
            await seed_tenders(db, network, progress)
        await db.commit()
        stages = {t.stage_at(network.now) for t in await db.scalars(select(Tender))}
        assert stages == {"planning", "active", "evaluation", "complete", "cancelled"}
        assert await db.scalar(select(func.count()).select_from(OcdsRelease)) >= 5
        # The awarded lot's contract is signed and under way, in the open data too.
        tags = set(await db.scalars(select(OcdsRelease.tag)))
        assert {"contract", "implementation"} <= tags
        assert await db.scalar(select(func.count()).select_from(ContractTransaction)) == 2
