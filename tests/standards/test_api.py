"""The standards catalogue, cities' commitments and admins' curation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.standards.models import CityStandard
from tests.factories import Api, csrf
from tests.listings.conftest import Sme, complete_listing


class TestCatalogue:
    async def test_search_and_filter_by_category(self, api: Api) -> None:
        r = await api.client.get("/api/v1/standards", params={"category": "mobility"})
        codes = [s["code"] for s in r.json()["items"]]
        assert "GTFS" in codes and "OASC-MIM1" not in codes
        assert set(r.json()["items"][0]) == {
            "code", "title", "issuer", "version", "category", "url", "summary",
        }  # fmt: skip
        r = await api.client.get("/api/v1/standards", params={"q": "accessibility"})
        assert "W3C-WCAG-2.1" in [s["code"] for s in r.json()["items"]]

    async def test_page_lists_and_filters(self, api: Api) -> None:
        page = await api.client.get("/standards", params={"category": "e-invoicing"})
        assert page.status_code == 200 and "EN-16931" in page.text and "GTFS" not in page.text

    async def test_unknown_standard_is_404(self, api: Api) -> None:
        assert (await api.client.get("/api/v1/standards/NOPE")).status_code == 404
        assert (await api.client.get("/standards/NOPE")).status_code == 404


class TestCommitments:
    async def test_city_editor_commits_and_the_standard_shows_it(
        self, api: Api, db: AsyncSession
    ) -> None:
        owner = await api.person("Mayor")
        city = await api.organisation(owner, "city", name="City of Espoo")
        editor = await api.member(owner, city["id"], "editor")
        path = f"/api/v1/organisations/{city['id']}/standards"
        r = await api.client.post(
            path, json={"code": "OASC-MIM1", "status": "planned"}, headers=editor.headers
        )
        assert r.status_code == 201
        r = await api.client.post(
            path,
            json={"code": "OASC-MIM1", "status": "adopted", "date": "2026-01-15"},
            headers=editor.headers,
        )
        assert r.status_code == 200 and r.json()["status"] == "adopted"
        assert await db.scalar(select(func.count()).select_from(CityStandard)) == 1
        detail = (await api.client.get("/api/v1/standards/OASC-MIM1")).json()
        assert detail["adopted_by"] == [
            {"organisation_id": city["id"], "name": "City of Espoo", "country": "FI",
             "status": "adopted", "date": "2026-01-15"}
        ]  # fmt: skip
        profile = await api.client.get(f"/organisations/{city['id']}")
        assert "Standards commitments" in profile.text and "OASC-MIM1" in profile.text

    async def test_only_city_editors_commit_and_only_cities(self, api: Api, sme: Sme) -> None:
        owner = await api.person("Mayor")
        city = await api.organisation(owner, "city")
        viewer = await api.member(owner, city["id"], "viewer")
        body = {"code": "GTFS", "status": "adopted"}
        r = await api.client.post(
            f"/api/v1/organisations/{city['id']}/standards", json=body, headers=viewer.headers
        )
        assert r.status_code == 403
        r = await api.client.post(
            f"/api/v1/organisations/{city['id']}/standards", json=body, headers=sme.owner.headers
        )
        assert r.status_code == 403
        r = await api.client.post(
            f"/api/v1/organisations/{sme.id}/standards", json=body, headers=sme.owner.headers
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "organisation_id"
        r = await api.client.post(
            f"/api/v1/organisations/{city['id']}/standards",
            json={"code": "NOPE", "status": "adopted"},
            headers=owner.headers,
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "code"
        r = await api.client.post(
            f"/api/v1/organisations/{city['id']}/standards",
            json={"code": "GTFS", "status": "maybe"},
            headers=owner.headers,
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "status"

    async def test_commit_and_withdraw_from_the_city_profile(self, api: Api) -> None:
        owner = await api.person("Mayor")
        city = await api.organisation(owner, "city")
        await api.sign_in_browser(owner)
        profile = await api.client.get(f"/organisations/{city['id']}")
        assert "Commit the city to a standard" in profile.text
        r = await api.client.post(
            f"/organisations/{city['id']}/standards",
            data={"code": "GTFS", "status": "adopted", "date": "", "_csrf_token": csrf(profile)},
        )
        assert r.status_code == 200 and "recorded as adopted" in r.text
        r = await api.client.post(
            f"/organisations/{city['id']}/standards/GTFS/withdraw",
            data={"_csrf_token": csrf(profile)},
        )
        assert "withdrawn" in r.text
        assert (await api.client.get(f"/api/v1/organisations/{city['id']}/standards")).json() == []


class TestAdminCuration:
    async def test_admin_creates_and_edits_others_cannot(self, api: Api) -> None:
        admin = await api.person("Admin", admin=True)
        someone = await api.person("Someone")
        body: dict[str, Any] = {
            "code": "ISO-37125", "title": "Environmental, social and governance indicators",
            "issuer": "ISO", "version": "2024", "category": "indicators",
            "url": "https://www.iso.org/standard/37125", "summary": "ESG indicators for cities.",
        }  # fmt: skip
        assert (
            await api.client.post("/api/v1/standards", json=body, headers=someone.headers)
        ).status_code == 403
        r = await api.client.post("/api/v1/standards", json=body, headers=admin.headers)
        assert r.status_code == 201
        assert (
            await api.client.post("/api/v1/standards", json=body, headers=admin.headers)
        ).status_code == 409
        r = await api.client.patch(
            "/api/v1/standards/ISO-37125", json={"version": "2025"}, headers=someone.headers
        )
        assert r.status_code == 403
        r = await api.client.patch(
            "/api/v1/standards/ISO-37125", json={"url": "not a url"}, headers=admin.headers
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "url"

    async def test_new_version_keeps_earlier_claims_valid(self, api: Api, sme: Sme) -> None:
        admin = await api.person("Admin", admin=True)
        listing = (
            await api.client.post(
                "/api/v1/listings",
                json=complete_listing(sme.id, standards=[{"code": "GTFS"}]),
                headers=sme.editor.headers,
            )
        ).json()
        await api.client.post(
            f"/api/v1/listings/{listing['id']}/publish", headers=sme.editor.headers
        )
        old_version = listing["standards"][0]["claimed_version"]
        r = await api.client.patch(
            "/api/v1/standards/GTFS", json={"version": "2031 revision"}, headers=admin.headers
        )
        assert r.status_code == 200 and r.json()["version"] == "2031 revision"
        detail = (await api.client.get("/api/v1/standards/GTFS")).json()
        assert detail["listings_count"] == 1
        assert detail["listings"][0]["claimed_version"] == old_version
        claim = (await api.client.get(f"/api/v1/listings/{listing['id']}")).json()["standards"][0]
        assert (claim["claimed_version"], claim["current_version"]) == (
            old_version,
            "2031 revision",
        )
        page = await api.client.get(f"/listings/{listing['id']}")
        assert f"claimed against version {old_version}" in page.text
        standard_page = await api.client.get("/standards/GTFS")
        assert f"claimed against version {old_version}" in standard_page.text
        # Re-saving the same claim keeps it against the version it was made for.
        await api.client.patch(
            f"/api/v1/listings/{listing['id']}", json={"title": "Renamed", "standards": [{"code": "GTFS"}]},
            headers=sme.editor.headers,
        )  # fmt: skip
        claim = (await api.client.get(f"/api/v1/listings/{listing['id']}")).json()["standards"][0]
        assert claim["claimed_version"] == old_version

    async def test_admin_edits_through_the_page(self, api: Api) -> None:
        admin = await api.person("Admin", admin=True)
        await api.sign_in_browser(admin)
        form = await api.client.get("/standards/GTFS/edit")
        assert form.status_code == 200 and 'value="GTFS' not in form.text.split("<form")[0]
        fields = {k: v for k, v in (await api.client.get("/api/v1/standards/GTFS")).json().items()
                  if k in ("title", "issuer", "category", "url", "summary")}  # fmt: skip
        r = await api.client.post(
            "/standards/GTFS/edit",
            data={**fields, "version": "v3", "_csrf_token": csrf(form)},
        )
        assert r.status_code == 200 and "v3" in r.text
        r = await api.client.post(
            "/standards/GTFS/edit",
            data={**fields, "version": "", "_csrf_token": csrf(form)},
        )
        assert r.status_code == 422 and 'id="version-error"' in r.text
        new = await api.client.get("/standards/new")
        assert new.status_code == 200

    async def test_non_admin_gets_403_on_the_edit_page(self, api: Api) -> None:
        someone = await api.person("Someone")
        await api.sign_in_browser(someone)
        assert (await api.client.get("/standards/GTFS/edit")).status_code == 403
