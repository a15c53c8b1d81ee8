"""A joint tender from draft to award, through the API."""

from __future__ import annotations

from datetime import timedelta

from marketplace.clock import FrozenClock
from tests.factories import Api
from tests.tenders.helpers import joint


class TestLifecycle:
    async def test_draft_invite_confirm_publish_ask_respond_evaluate_award(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        c = api.client
        tender = await j.create(api, clock)
        assert tender["status"] == "planning" and tender["ocid"].startswith("ocds-iccmkt-")
        tid = tender["id"]
        # The draft is invisible to the public.
        assert (await c.get(f"/api/v1/tenders/{tid}")).status_code == 404
        assert [b["confirmed"] for b in tender["buyers"]] == [True, False]

        r = await c.post(f"/api/v1/tenders/{tid}/publish", headers=j.lead.headers)
        assert r.status_code == 409
        assert "Stadt Wien has not confirmed" in r.json()["detail"]

        r = await c.post(
            f"/api/v1/tenders/{tid}/buyers/{j.city_b['id']}/confirm", headers=j.partner.headers
        )
        assert r.status_code == 200
        r = await c.post(f"/api/v1/tenders/{tid}/publish", headers=j.lead.headers)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "active"
        public = (await c.get(f"/api/v1/tenders/{tid}")).json()
        assert public["buyers"][1]["shares"][1]["value"] == {
            "amount": "45000.00",
            "currency": "EUR",
        }

        r = await c.post(f"/api/v1/tenders/{tid}/questions", json={"text": "Is GTFS-RT needed?"},
                         headers=j.supplier.headers)  # fmt: skip
        assert r.status_code == 201
        qid = r.json()["id"]
        assert (await c.get(f"/api/v1/tenders/{tid}/questions")).json() == []
        r = await c.post(f"/api/v1/tenders/{tid}/questions/{qid}/answer",
                         json={"text": "Yes, GTFS-RT feeds are required."},
                         headers=j.partner.headers)  # fmt: skip
        assert r.status_code == 200
        answered = (await c.get(f"/api/v1/tenders/{tid}/questions")).json()
        assert answered[0]["answer"] == "Yes, GTFS-RT feeds are required."
        assert "asker" not in str(answered) and j.sme["id"] not in str(answered)

        r = await j.respond(api, public)
        assert r.status_code == 201, r.text
        rid = r.json()["id"]
        r = await c.patch(f"/api/v1/tenders/{tid}/responses/{rid}",
                          json={"price": {"amount": "175000.00", "currency": "EUR"}},
                          headers=j.supplier.headers)  # fmt: skip
        assert r.status_code == 200 and r.json()["price"]["amount"] == "175000.00"

        clock.advance(timedelta(days=36))
        assert (await c.get(f"/api/v1/tenders/{tid}")).json()["stage"] == "evaluation"
        r = await c.patch(f"/api/v1/tenders/{tid}/responses/{rid}",
                          json={"technical_summary": "Too late to change anything now."},
                          headers=j.supplier.headers)  # fmt: skip
        assert r.status_code == 409

        r = await c.get(f"/api/v1/tenders/{tid}/responses", headers=j.partner.headers)
        assert r.status_code == 200 and r.json()["total"] == 1
        r = await c.post(f"/api/v1/tenders/{tid}/responses/{rid}/scores",
                         json={"scores": {"Price": 80, "Quality": 90, "Outcomes": 60}},
                         headers=j.partner.headers)  # fmt: skip
        assert r.status_code == 200, r.text
        assert r.json()["weighted_total"] == "78.50"

        lots = public["lots"]
        r = await c.post(f"/api/v1/tenders/{tid}/awards",
                         json={"lot_id": lots[0]["id"], "response_id": rid,
                               "value": {"amount": "120000.00", "currency": "EUR"}},
                         headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 201, r.text
        assert r.json()["tender_status"] == "active"
        r = await c.post(f"/api/v1/tenders/{tid}/unsuccessful", json={"lot_id": lots[1]["id"], "reason": "No tender met the requirements"},
                         headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 201, r.text
        assert r.json()["tender_status"] == "complete"
        final = (await c.get(f"/api/v1/tenders/{tid}")).json()
        assert final["status"] == "complete"
        assert [lot["decision"] for lot in final["lots"]] == ["awarded", "unsuccessful"]
        listed = (await c.get("/api/v1/tenders", params={"status": "complete"})).json()
        assert [t["id"] for t in listed["items"]] == [tid]
        # Cancelling after an award is refused.
        r = await c.post(f"/api/v1/tenders/{tid}/cancel", json={"reason": "Changed our minds"},
                         headers=j.lead.headers)  # fmt: skip
        assert r.status_code == 409
