"""Sealed responses: no one but the responding organisation reads a response before the
submission deadline, the count is not revealed, and every refused attempt is recorded."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.clock import FrozenClock
from marketplace.tenders.models import AuditEntry
from tests.factories import Api
from tests.tenders.helpers import joint

SECRET = "Our secret sauce: sensors on every bus stop"


async def refusals(db: AsyncSession) -> list[str]:
    return list(
        await db.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("refused.%"))
            .order_by(AuditEntry.seq)
        )
    )  # fmt: skip


class TestSealedResponses:
    async def test_buyers_and_admins_are_refused_by_the_api_and_it_is_recorded(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (await j.respond(api, tender, technical_summary=SECRET)).json()["id"]
        admin = await api.person("Admin", admin=True)
        url = f"/api/v1/tenders/{tender['id']}/responses"
        with_none = await j.create(api, clock)  # a tender with no responses at all
        for person in (j.lead, j.partner, admin):
            r = await api.client.get(url, headers=person.headers)
            assert r.status_code == 403
            assert SECRET not in r.text and "1" not in r.json()["detail"]
            r = await api.client.get(f"{url}/{rid}", headers=person.headers)
            assert r.status_code == 403 and SECRET not in r.text
        # The refusal reads the same whether there are responses or not.
        r1 = await api.client.get(url, headers=j.lead.headers)
        r0 = await api.client.get(f"/api/v1/tenders/{with_none['id']}/responses",
                                  headers=j.lead.headers)  # fmt: skip
        assert r1.json()["detail"] == r0.json()["detail"]
        # A made-up response id is refused the same way as a real one.
        fake = await api.client.get(f"{url}/not-a-response", headers=j.lead.headers)
        real = await api.client.get(f"{url}/{rid}", headers=j.lead.headers)
        assert (fake.status_code, fake.json()["detail"]) == (
            real.status_code,
            real.json()["detail"],
        )
        recorded = await refusals(db)
        assert recorded.count("refused.responses.list") >= 3
        assert recorded.count("refused.response.read") >= 3

    async def test_buyers_cannot_score_or_award_early(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (await j.respond(api, tender)).json()["id"]
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/responses/{rid}/scores",
            json={"scores": {"Price": 1, "Quality": 1, "Outcomes": 1}}, headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 403
        assert "refused.evaluate" in await refusals(db)

    async def test_other_smes_cannot_read_revise_or_withdraw_it(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (await j.respond(api, tender, technical_summary=SECRET)).json()["id"]
        rival = await api.person("Rival")
        await api.organisation(rival, "sme")
        url = f"/api/v1/tenders/{tender['id']}/responses"
        assert (await api.client.get(url, headers=rival.headers)).json()["items"] == []
        for r in (
            await api.client.get(f"{url}/{rid}", headers=rival.headers),
            await api.client.patch(f"{url}/{rid}", json={"technical_summary": "Overwritten!!"},
                                   headers=rival.headers),
            await api.client.delete(f"{url}/{rid}", headers=rival.headers),
        ):  # fmt: skip
            assert r.status_code == 403 and SECRET not in r.text
        own = await api.client.get(url, headers=j.supplier.headers)
        assert own.json()["items"][0]["technical_summary"] == SECRET
        assert {"refused.response.read", "refused.response.revise",
                "refused.response.withdraw"} <= set(await refusals(db))  # fmt: skip

    async def test_pages_exports_and_audit_do_not_leak_before_the_deadline(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await j.respond(api, tender, technical_summary=SECRET)
        admin = await api.person("Admin", admin=True)
        for person in (j.lead, admin):
            await api.sign_in_browser(person)
            page = await api.client.get(f"/tenders/{tender['id']}/responses")
            assert page.status_code == 403 and SECRET not in page.text
            workspace = await api.client.get(f"/tenders/{tender['id']}")
            assert SECRET not in workspace.text and "1 response" not in workspace.text
            await api.client.post("/sign-out", data={})
        for url in (
            f"/api/v1/tenders/{tender['id']}/ocds",
            "/api/v1/ocds/releases",
            f"/api/v1/tenders/{tender['id']}/audit",
            f"/api/v1/tenders/{tender['id']}",
        ):
            for headers in ({}, j.lead.headers):
                r = await api.client.get(url, headers=headers)
                assert r.status_code == 200, (url, r.text)
                assert SECRET not in r.text and j.sme["id"] not in r.text
                assert "response" not in r.text.replace("responses", "")

    async def test_after_the_deadline_buyers_read_everything_and_nothing_is_refused(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await j.respond(api, tender, technical_summary=SECRET)
        clock.advance(timedelta(days=35))
        r = await api.client.get(f"/api/v1/tenders/{tender['id']}/responses",
                                 headers=j.partner.headers)  # fmt: skip
        assert r.json()["items"][0]["technical_summary"] == SECRET
        audit = (await api.client.get(f"/api/v1/tenders/{tender['id']}/audit",
                                      headers=j.partner.headers)).json()  # fmt: skip
        assert "response.submitted" in [e["action"] for e in audit]

    async def test_a_tender_cancelled_before_the_deadline_never_opens(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await j.respond(api, tender, technical_summary=SECRET)
        await api.client.post(
            f"/api/v1/tenders/{tender['id']}/cancel",
            json={"reason": "No longer needed"},
            headers=j.lead.headers,
        )
        clock.advance(timedelta(days=40))
        r = await api.client.get(f"/api/v1/tenders/{tender['id']}/responses",
                                 headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 403


class TestDoubleAward:
    async def test_parallel_awards_of_one_lot_give_exactly_one_201(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rivals = []
        for n in range(3):
            person = await api.person(f"Bidder {n}")
            sme = await api.organisation(person, "sme")
            rivals.append((await j.respond(api, tender, person=person, sme=sme)).json()["id"])
        clock.advance(timedelta(days=36))
        lot = tender["lots"][0]["id"]
        url = f"/api/v1/tenders/{tender['id']}/awards"
        results = await asyncio.gather(*(
            api.client.post(url, json={"lot_id": lot, "response_id": rid,
                                       "value": {"amount": "1000.00", "currency": "EUR"}},
                            headers=j.lead.headers)
            for rid in rivals * 2
        ))  # fmt: skip
        codes = sorted(r.status_code for r in results)
        assert codes == [201, 409, 409, 409, 409, 409], [r.text for r in results]
        decisions = (await api.client.get(url)).json()
        assert len(decisions) == 1


class TestSealedEvents:
    """Events are internal, but a sealed response's events say so and carry nothing of it."""

    async def test_response_events_are_sealed_until_the_deadline_and_name_only_ids(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        from marketplace.core.models import EventRecord
        from marketplace.searching.worker import SearchIndexer
        from tests.searching.conftest import app_indexer

        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (await j.respond(api, tender, technical_summary=SECRET)).json()["id"]
        r = await api.client.patch(
            f"/api/v1/tenders/{tender['id']}/responses/{rid}",
            json={"technical_summary": SECRET + " v2"}, headers=j.supplier.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        events = list(
            await db.scalars(
                select(EventRecord)
                .where(EventRecord.kind.like("response.%"))
                .order_by(EventRecord.id)
            )
        )
        assert [e.kind for e in events] == ["response.submitted", "response.revised"]
        deadline = tender["submission_deadline"].replace("Z", "+00:00")
        for event in events:
            assert event.subject_id == tender["id"]
            assert event.data == {"organisation_id": j.sme["id"], "response_id": rid}
            assert event.sealed_until is not None
            assert event.sealed_until.isoformat() == deadline
        # Search never receives them: it does not subscribe to response events.
        indexer: SearchIndexer = app_indexer(None)  # type: ignore[arg-type]
        assert indexer.kinds is not None
        assert not {k for k in indexer.kinds if k.startswith("response.")}
