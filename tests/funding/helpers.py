"""Building funding scenarios through the public API, as cities and funders would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tests.conftest import START
from tests.factories import Api, Person

DEADLINE = START + timedelta(days=30)


def call_body(organisation_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organisation_id": organisation_id,
        "title": "Zero-emission bus depot for Espoo",
        "summary": "Convert the Kivenlahti depot to charge 120 electric buses overnight.",
        "description": "## Scope\n\nChargers, grid connection and **smart charging**.",
        "themes": ["mobility", "renewable-energies"],
        "amount_sought": {"amount": "2500000.00", "currency": "EUR"},
        "co_financing_percent": "30",
        "instruments": ["loan", "grant"],
        "outcomes": [
            {
                "metric": "CO2 emissions of the bus fleet",
                "unit": "t/year",
                "baseline": "9200",
                "target": "1500",
                "timeframe_months": 36,
            },
        ],
        "standards": ["GTFS", "OCPP"],
        "deadline": DEADLINE.isoformat(),
    }
    body.update(overrides)
    return body


@dataclass
class Scene:
    api: Api
    city_owner: Person
    city: dict[str, Any]
    funder_owner: Person
    funder: dict[str, Any]

    async def create_call(self, **overrides: Any) -> dict[str, Any]:
        r = await self.api.client.post(
            "/api/v1/funding-calls",
            json=call_body(self.city["id"], **overrides),
            headers=self.city_owner.headers,
        )
        assert r.status_code == 201, r.text
        result: dict[str, Any] = r.json()
        return result

    async def open_call(self, **overrides: Any) -> dict[str, Any]:
        call = await self.create_call(**overrides)
        r = await self.api.client.post(
            f"/api/v1/funding-calls/{call['id']}/publish", headers=self.city_owner.headers
        )
        assert r.status_code == 200, r.text
        result: dict[str, Any] = r.json()
        return result

    async def interest(
        self,
        call_id: str,
        amount: str = "500000.00",
        *,
        currency: str = "EUR",
        funder: dict[str, Any] | None = None,
        person: Person | None = None,
        **fields: Any,
    ) -> Any:
        body = {
            "organisation_id": (funder or self.funder)["id"],
            "amount": {"amount": amount, "currency": currency},
            "instrument": "loan",
            "conditions": "15-year tenor, 2.1% fixed",
            **fields,
        }
        return await self.api.client.post(
            f"/api/v1/funding-calls/{call_id}/interests",
            json=body,
            headers=(person or self.funder_owner).headers,
        )

    async def decide(self, call_id: str, interest_id: str, decision: str = "accept") -> Any:
        return await self.api.client.post(
            f"/api/v1/funding-calls/{call_id}/interests/{interest_id}/{decision}",
            json={"note": "Thank you"},
            headers=self.city_owner.headers,
        )


async def scene(api: Api) -> Scene:
    city_owner = await api.person("Espoo Officer")
    city = await api.organisation(
        city_owner, "city", verified=True, name="City of Espoo", country="FI", nuts_code="FI1B1"
    )
    funder_owner = await api.person("EIB Analyst")
    funder = await api.organisation(
        funder_owner, "funder", verified=True, name="European Investment Bank", country="LU",
        nuts_code="LU000",
    )  # fmt: skip
    return Scene(api, city_owner, city, funder_owner, funder)


def at(days: float) -> datetime:
    return START + timedelta(days=days)
