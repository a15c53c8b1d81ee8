"""Issue 19, point 1 through the API: PATCH edits a draft, and publication's checks come back
with every save so a client sees at once what is missing or too early."""

from __future__ import annotations

from datetime import timedelta

from marketplace.clock import FrozenClock
from tests.factories import Api
from tests.tenders.helpers import joint


class TestDraftPatch:
    async def test_a_save_reports_what_publication_would_refuse(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        r = await api.client.patch(
            f"/api/v1/tenders/{tender['id']}",
            json={"submission_deadline": (clock.now() + timedelta(days=13)).isoformat(),
                  "clarification_deadline": (clock.now() + timedelta(days=5)).isoformat()},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        problems = {(p["field"], p["message"]) for p in r.json()["publication_problems"]}
        assert (
            "submission_deadline",
            "must be at least 30 days after publication for an open procedure",
        ) in problems
        assert any(f == "buyers" for f, _ in problems)  # the invited city has not confirmed

        r = await api.client.patch(
            f"/api/v1/tenders/{tender['id']}",
            json={"submission_deadline": (clock.now() + timedelta(days=40)).isoformat(),
                  "clarification_deadline": (clock.now() + timedelta(days=30)).isoformat(),
                  "buyers": []},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        assert r.json()["publication_problems"] == []
        r = await api.client.post(f"/api/v1/tenders/{tender['id']}/publish", headers=j.lead.headers)
        assert r.status_code == 200, r.text
        assert r.json()["publication_problems"] == []

    async def test_outsiders_do_not_see_the_checks(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await api.client.get(f"/api/v1/tenders/{tender['id']}", headers=j.supplier.headers)
        assert r.status_code == 200 and r.json()["publication_problems"] == []

    async def test_non_finite_amounts_are_refused(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.create(api, clock)
        for amount in ("nan", "inf", "-1e400"):
            r = await api.client.patch(
                f"/api/v1/tenders/{tender['id']}",
                json={"lots": [{"title": "Lot", "estimated_value":
                                {"amount": amount, "currency": "EUR"}}]},
                headers=j.lead.headers,
            )  # fmt: skip
            assert r.status_code in (400, 422), (amount, r.text)
