"""Building joint tenders through the API, as the cities and SMEs in a test would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from marketplace.clock import FrozenClock
from tests.factories import Api, Person

CRITERIA = [{"name": "Price", "weight": 40}, {"name": "Quality", "weight": 35},
            {"name": "Outcomes", "weight": 25}]  # fmt: skip


@dataclass
class Joint:
    """City A (verified, lead), city B (invited), an SME and their editors."""

    lead: Person
    city_a: dict[str, Any]
    partner: Person
    city_b: dict[str, Any]
    supplier: Person
    sme: dict[str, Any]

    async def create(self, api: Api, clock: FrozenClock, **overrides: Any) -> dict[str, Any]:
        r = await api.client.post(
            "/api/v1/tenders", json=tender_body(self, clock.now(), **overrides),
            headers=self.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        body: dict[str, Any] = r.json()
        return body

    async def published(self, api: Api, clock: FrozenClock, **overrides: Any) -> dict[str, Any]:
        tender = await self.create(api, clock, **overrides)
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/buyers/{self.city_b['id']}/confirm",
            headers=self.partner.headers,
        )
        assert r.status_code == 200, r.text
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/publish", headers=self.lead.headers
        )
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    async def respond(
        self, api: Api, tender: dict[str, Any], person: Person | None = None,
        sme: dict[str, Any] | None = None, **overrides: Any,
    ) -> Any:  # fmt: skip
        body = {
            "organisation_id": (sme or self.sme)["id"],
            "lot_ids": [lot["id"] for lot in tender["lots"]],
            "price": {"amount": "180000.00", "currency": "EUR"},
            "technical_summary": "Sensors on every bus stop, open APIs, five-year support.",
            "outcome_commitments": [{"metric": "Passenger wait time", "target": "4"}],
            "standards": [{"code": "OASC-MIM1"}],
            **overrides,
        }
        return await api.client.post(
            f"/api/v1/tenders/{tender['id']}/responses", json=body,
            headers=(person or self.supplier).headers,
        )  # fmt: skip


async def joint(api: Api) -> Joint:
    lead = await api.person("Lead officer")
    city_a = await api.organisation(lead, "city", verified=True, name="City of Espoo")
    partner = await api.person("Partner officer")
    city_b = await api.organisation(partner, "city", verified=True, name="Stadt Wien")
    supplier = await api.person("Supplier")
    sme = await api.organisation(supplier, "sme", verified=True, name="Kinetic Mobility Oy")
    return Joint(lead, city_a, partner, city_b, supplier, sme)


def tender_body(j: Joint, now: datetime, **overrides: Any) -> dict[str, Any]:
    body = {
        "lead_buyer_id": j.city_a["id"],
        "title": "Real-time passenger information for two cities",
        "description": "Joint purchase of real-time passenger information displays and data.",
        "procedure": "open",
        "themes": ["mobility"],
        "cpv_codes": ["48000000"],
        "nuts_codes": ["FI1B1", "AT130"],
        "lots": [
            {"title": "Displays", "description": "Stop displays",
             "estimated_value": {"amount": "150000.00", "currency": "EUR"}},
            {"title": "Data platform", "description": "Open data platform",
             "estimated_value": {"amount": "90000.00", "currency": "EUR"}},
        ],
        "buyers": [
            {"organisation_id": j.city_a["id"], "shares": [{"lot": 1, "quantity": "120",
                                                          "unit": "displays"}]},
            {"organisation_id": j.city_b["id"], "shares": [
                {"lot": 1, "quantity": "80", "unit": "displays"},
                {"lot": 2, "value": {"amount": "45000.00", "currency": "EUR"}}]},
        ],
        "required_standards": [{"code": "OASC-MIM1", "mandatory": True},
                               {"code": "OASC-MIM2", "mandatory": False}],
        "outcomes": [{"metric": "Passenger wait time", "unit": "minutes", "baseline": "7",
                      "target": "5", "timeframe_months": 12}],
        "award_criteria": CRITERIA,
        "clarification_deadline": (now + timedelta(days=25)).isoformat(),
        "submission_deadline": (now + timedelta(days=35)).isoformat(),
    }  # fmt: skip
    body.update(overrides)
    return body
