"""What listing tests share: a complete listing body and an SME with its people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import Api, Person


def complete_listing(organisation_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organisation_id": organisation_id,
        "title": "Adaptive street lighting",
        "summary": "Street lights that dim when nobody is around.",
        "description": "Cuts **energy use** of street lighting by half.",
        "themes": ["renewable-energies"],
        "cpv_codes": ["34993000"],
        "countries": ["FI", "SE"],
        "trl": 8,
        "outcomes": [
            {
                "metric": "Energy use of street lighting",
                "unit": "MWh/year",
                "baseline": 1200,
                "target": 600,
                "timeframe_months": 18,
                "verification": "Metered consumption, monthly report",
            }
        ],
        "pricing": {
            "model": "outcome_based",
            "currency": "EUR",
            "amount_min": "20000",
            "amount_max": "80000",
            "at_risk_percent": 30,
        },
        "standards": [{"code": "OASC-MIM1", "evidence_url": "https://example.eu/report"}],
        "references": [{"city": "Espoo", "year": 2025, "description": "4,000 lights, -52 %"}],
    }
    body.update(overrides)
    return body


@dataclass
class Sme:
    id: str
    owner: Person
    editor: Person
    viewer: Person


@pytest.fixture
async def sme(api: Api) -> Sme:
    owner = await api.person("Sme Owner")
    organisation = await api.organisation(owner, "sme", verified=True)
    editor = await api.member(owner, organisation["id"], "editor", "Sme Editor")
    viewer = await api.member(owner, organisation["id"], "viewer", "Sme Viewer")
    return Sme(organisation["id"], owner, editor, viewer)


@pytest.fixture
async def other_sme(api: Api) -> Sme:
    owner = await api.person("Rival Owner")
    organisation = await api.organisation(owner, "sme")
    editor = await api.member(owner, organisation["id"], "editor", "Rival Editor")
    viewer = await api.member(owner, organisation["id"], "viewer", "Rival Viewer")
    return Sme(organisation["id"], owner, editor, viewer)
