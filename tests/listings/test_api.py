"""The listings API as SMEs, cities and the public use it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.listings.models import Listing, ListingStandard
from tests.factories import Api
from tests.listings.conftest import Sme, complete_listing


async def _count(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).select_from(Listing)) or 0


async def _create(api: Api, sme: Sme, **overrides: Any) -> dict[str, Any]:
    r = await api.client.post(
        "/api/v1/listings", json=complete_listing(sme.id, **overrides), headers=sme.editor.headers
    )
    assert r.status_code == 201, r.text
    listing: dict[str, Any] = r.json()
    return listing


class TestCreate:
    async def test_editor_creates_a_draft_with_canonical_cpv(self, api: Api, sme: Sme) -> None:
        listing = await _create(api, sme, cpv_codes=["34993000", "48000000-8", "48000000"])
        assert listing["status"] == "draft"
        assert listing["cpv_codes"] == ["34993000-4", "48000000-8"]
        assert listing["pricing"]["amount_min"] == "20000.00"
        assert listing["standards"][0]["code"] == "OASC-MIM1"
        assert (
            listing["standards"][0]["claimed_version"] == listing["standards"][0]["current_version"]
        )
        assert listing["missing_for_publication"] == []

    async def test_outcome_figures_come_back_as_written_not_as_binary_floats(
        self, api: Api, sme: Sme
    ) -> None:
        outcome = {"metric": "Share of trips by bike", "unit": "%", "baseline": "0.1",
                   "target": "0.3", "timeframe_months": 12, "verification": "Counters"}  # fmt: skip
        listing = await _create(api, sme, outcomes=[outcome])
        again = await api.client.get(f"/api/v1/listings/{listing['id']}", headers=sme.owner.headers)
        # The same decimals a tender's and a funding call's outcomes carry (one definition).
        assert again.json()["outcomes"][0]["baseline"] == "0.1"
        assert again.json()["outcomes"][0]["target"] == "0.3"

    async def test_a_draft_may_start_with_a_title_only(self, api: Api, sme: Sme) -> None:
        r = await api.client.post(
            "/api/v1/listings",
            json={"organisation_id": sme.id, "title": "An idea"},
            headers=sme.owner.headers,
        )
        assert r.status_code == 201
        assert "outcomes" in r.json()["missing_for_publication"]

    async def test_a_city_cannot_offer_listings(self, api: Api) -> None:
        officer = await api.person("Officer")
        city = await api.organisation(officer, "city")
        r = await api.client.post(
            "/api/v1/listings", json=complete_listing(city["id"]), headers=officer.headers
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "organisation_id"

    async def test_anonymous_cannot_create(self, api: Api, sme: Sme) -> None:
        r = await api.client.post("/api/v1/listings", json=complete_listing(sme.id))
        assert r.status_code == 401


class TestValidation:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"cpv_codes": ["99999999"]}, "cpv_codes.0"),
            ({"cpv_codes": ["48000000-1"]}, "cpv_codes.0"),
            ({"themes": ["space-tourism"]}, "themes.0"),
            ({"countries": ["XX"]}, "countries.0"),
            ({"standards": [{"code": "NOT-A-STANDARD"}]}, "standards.0.code"),
            ({"standards": [{"code": "GTFS", "evidence_url": "javascript:alert(1)"}]},
             "standards.0.evidence_url"),
            ({"trl": 0}, "trl"),
            ({"trl": 10}, "trl"),
            ({"title": ""}, "title"),
            ({"pricing": {"model": "outcome_based", "currency": "EUR", "at_risk_percent": 101}},
             "pricing.at_risk_percent"),
            ({"pricing": {"model": "outcome_based", "currency": "EUR", "at_risk_percent": -1}},
             "pricing.at_risk_percent"),
            ({"pricing": {"model": "outcome_based", "currency": "EUR"}}, "pricing.at_risk_percent"),
            ({"pricing": {"model": "fixed", "currency": "EUR", "at_risk_percent": 10}},
             "pricing.at_risk_percent"),
            ({"pricing": {"model": "barter", "currency": "EUR"}}, "pricing.model"),
            ({"pricing": {"model": "fixed", "currency": "XYZ"}}, "pricing.currency"),
            ({"pricing": {"model": "fixed", "currency": "EUR", "amount_min": "10",
                          "amount_max": "5"}}, "pricing.amount_max"),
            ({"pricing": {"model": "fixed", "currency": "EUR", "amount_min": "-1"}},
             "pricing.amount_min"),
            ({"outcomes": [{"metric": "Waiting time", "unit": "min", "timeframe_months": 12,
                            "verification": "Ticket system log"}]}, "outcomes.0.target"),
            ({"outcomes": [{"metric": "Waiting time", "unit": "min", "target": 5,
                            "timeframe_months": 0, "verification": "Log"}]},
             "outcomes.0.timeframe_months"),
            ({"outcomes": [{"metric": "Waiting time", "unit": "min", "target": 5,
                            "timeframe_months": 6}]}, "outcomes.0.verification"),
            ({"references": [{"city": "Porto", "year": 2031, "description": "Pilot"}]},
             "references.0.year"),
            ({"references": [{"city": "Porto", "year": 2024}]}, "references.0.description"),
        ],
    )  # fmt: skip
    async def test_bad_field_is_422_naming_it_and_nothing_is_saved(
        self, api: Api, sme: Sme, db: AsyncSession, overrides: dict[str, Any], field: str
    ) -> None:
        r = await api.client.post(
            "/api/v1/listings",
            json=complete_listing(sme.id, **overrides),
            headers=sme.editor.headers,
        )
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert field in [e["field"] for e in r.json()["errors"]]
        assert await _count(db) == 0
        assert await db.scalar(select(func.count()).select_from(ListingStandard)) == 0

    async def test_bad_patch_changes_nothing(self, api: Api, sme: Sme) -> None:
        listing = await _create(api, sme)
        r = await api.client.patch(
            f"/api/v1/listings/{listing['id']}",
            json={"title": "Renamed", "standards": [{"code": "NOPE"}]},
            headers=sme.editor.headers,
        )
        assert r.status_code == 422
        assert r.json()["errors"] == [
            {"field": "standards.0.code", "message": "'NOPE' is not in the catalogue"}
        ]
        again = await api.client.get(
            f"/api/v1/listings/{listing['id']}", headers=sme.editor.headers
        )
        assert again.json()["title"] == "Adaptive street lighting"


class TestAuthorisation:
    async def test_another_smes_editor_gets_403_on_every_write(
        self, api: Api, sme: Sme, other_sme: Sme
    ) -> None:
        listing = await _create(api, sme)
        rival = other_sme.editor.headers
        base = f"/api/v1/listings/{listing['id']}"
        assert (
            await api.client.patch(base, json={"title": "Mine"}, headers=rival)
        ).status_code == 403
        for action in ("publish", "archive", "draft"):
            assert (await api.client.post(f"{base}/{action}", headers=rival)).status_code == 403
        r = await api.client.post("/api/v1/listings", json=complete_listing(sme.id), headers=rival)
        assert r.status_code == 403

    async def test_viewer_reads_drafts_but_cannot_write(self, api: Api, sme: Sme) -> None:
        listing = await _create(api, sme)
        base = f"/api/v1/listings/{listing['id']}"
        assert (await api.client.get(base, headers=sme.viewer.headers)).status_code == 200
        r = await api.client.patch(base, json={"title": "Viewer edit"}, headers=sme.viewer.headers)
        assert r.status_code == 403

    async def test_drafts_are_404_to_anonymous_and_other_organisations(
        self, api: Api, sme: Sme, other_sme: Sme
    ) -> None:
        listing = await _create(api, sme)
        base = f"/api/v1/listings/{listing['id']}"
        assert (await api.client.get(base)).status_code == 404
        assert (await api.client.get(base, headers=other_sme.editor.headers)).status_code == 404
        listed = await api.client.get("/api/v1/listings")
        assert listed.json()["total"] == 0
        mine = await api.client.get(
            "/api/v1/listings", params={"status": "draft"}, headers=sme.viewer.headers
        )
        assert [i["id"] for i in mine.json()["items"]] == [listing["id"]]


class TestLifecycle:
    async def test_publish_then_archive_then_back_to_draft(self, api: Api, sme: Sme) -> None:
        listing = await _create(api, sme)
        base = f"/api/v1/listings/{listing['id']}"
        r = await api.client.post(f"{base}/publish", headers=sme.editor.headers)
        assert r.status_code == 200 and r.json()["status"] == "published"
        assert (await api.client.get(base)).status_code == 200
        public = await api.client.get("/api/v1/listings", params={"theme": "renewable-energies"})
        assert public.json()["total"] == 1
        assert (await api.client.get("/api/v1/listings", params={"theme": "mobility"})).json()[
            "total"
        ] == 0
        r = await api.client.post(f"{base}/archive", headers=sme.editor.headers)
        assert r.json()["status"] == "archived"
        assert (await api.client.get(base)).status_code == 404
        r = await api.client.patch(base, json={"title": "Edit"}, headers=sme.editor.headers)
        assert r.status_code == 409
        r = await api.client.post(f"{base}/draft", headers=sme.editor.headers)
        assert r.json()["status"] == "draft"
        r = await api.client.patch(base, json={"title": "Round two"}, headers=sme.editor.headers)
        assert r.status_code == 200 and r.json()["title"] == "Round two"

    async def test_publishing_an_incomplete_listing_says_what_is_missing(
        self, api: Api, sme: Sme
    ) -> None:
        listing = await _create(api, sme, outcomes=[], pricing=None, trl=None)
        r = await api.client.post(
            f"/api/v1/listings/{listing['id']}/publish", headers=sme.editor.headers
        )
        assert r.status_code == 409
        assert [e["field"] for e in r.json()["errors"]] == ["trl", "outcomes", "pricing"]
        shown = await api.client.get(f"/api/v1/listings/{listing['id']}", headers=sme.owner.headers)
        assert shown.json()["status"] == "draft"

    async def test_a_published_listing_must_stay_complete(self, api: Api, sme: Sme) -> None:
        listing = await _create(api, sme)
        base = f"/api/v1/listings/{listing['id']}"
        await api.client.post(f"{base}/publish", headers=sme.editor.headers)
        r = await api.client.patch(base, json={"outcomes": []}, headers=sme.editor.headers)
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "outcomes"
        assert len((await api.client.get(base)).json()["outcomes"]) == 1

    async def test_list_filters_and_paginates(self, api: Api, sme: Sme, other_sme: Sme) -> None:
        for n in range(3):
            listing = await _create(api, sme, title=f"Solution {n}")
            await api.client.post(
                f"/api/v1/listings/{listing['id']}/publish", headers=sme.editor.headers
            )
        r = await api.client.get(
            "/api/v1/listings", params={"organisation_id": sme.id, "per_page": 2, "page": 2}
        )
        body = r.json()
        assert (body["total"], body["page"], body["per_page"], len(body["items"])) == (3, 2, 2, 1)
        r = await api.client.get("/api/v1/listings", params={"organisation_id": other_sme.id})
        assert r.json()["total"] == 0
        r = await api.client.get("/api/v1/listings", params={"cpv": "34000000"})
        assert r.json()["total"] == 3
        r = await api.client.get("/api/v1/listings", params={"theme": "no-such-theme"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "theme"


async def test_openapi_describes_the_listing_and_standard_endpoints(api: Api) -> None:
    paths = (await api.client.get("/schema/openapi.json")).json()["paths"]
    for path in (
        "/api/v1/listings", "/api/v1/listings/{listing_id}", "/api/v1/listings/{listing_id}/publish",
        "/api/v1/listings/{listing_id}/archive", "/api/v1/standards", "/api/v1/standards/{code}",
        "/api/v1/organisations/{organisation_id}/standards", "/api/v1/cpv", "/api/v1/cpv/{code}",
    ):  # fmt: skip
        assert path in paths
