"""Listing pages as people use them, without JavaScript."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.listings.models import Listing
from tests.factories import Api, csrf
from tests.listings.conftest import Sme, complete_listing


def form_fields(organisation_id: str, **overrides: str | list[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "organisation_id": organisation_id,
        "title": "Smart parking sensors",
        "summary": "Know where the free spaces are.",
        "description": "Sensors in each bay.",
        "themes": ["mobility", "open-data"],
        "cpv_codes": ["34996000-5"],
        "countries": ["ES", "PT"],
        "trl": "9",
        "outcomes.0.metric": "Time spent searching for parking",
        "outcomes.0.unit": "minutes",
        "outcomes.0.baseline": "12",
        "outcomes.0.target": "6",
        "outcomes.0.timeframe_months": "12",
        "outcomes.0.verification": "Survey and sensor logs",
        "outcomes.1.metric": "",
        "pricing.model": "subscription",
        "pricing.currency": "EUR",
        "pricing.amount_min": "1500",
        "standards.0.code": "OASC-MIM2",
        "standards.0.evidence_url": "",
        "references.0.city": "Porto",
        "references.0.year": "2024",
        "references.0.description": "300 bays, search time halved",
    }
    fields.update(overrides)
    return fields


async def _form_post(api: Api, path: str, fields: dict[str, Any]) -> Any:
    page = await api.client.get(path if path != "/listings/new" else "/listings/new")
    return await api.client.post(path, data={**fields, "_csrf_token": csrf(page)})


class TestCreateThroughTheForm:
    async def test_editor_saves_a_draft_and_sees_it(self, api: Api, sme: Sme) -> None:
        await api.sign_in_browser(sme.editor)
        form = await api.client.get("/listings/new")
        assert form.status_code == 200
        assert 'hx-get="/reference/cpv"' in form.text
        r = await _form_post(api, "/listings/new", form_fields(sme.id))
        assert r.status_code == 200, r.text  # followed the redirect
        assert "Smart parking sensors" in r.text
        assert "Time spent searching for parking" in r.text
        assert "Draft" in r.text
        assert "Porto" in r.text and "OASC-MIM2" in r.text

    async def test_missing_target_is_shown_next_to_its_input_and_nothing_saved(
        self, api: Api, sme: Sme, db: AsyncSession
    ) -> None:
        await api.sign_in_browser(sme.editor)
        r = await _form_post(api, "/listings/new", form_fields(sme.id, **{"outcomes.0.target": ""}))
        assert r.status_code == 422
        assert 'id="outcomes.0.target-error"' in r.text
        assert 'href="#outcomes.0.target"' in r.text
        # What the person typed is still there.
        assert 'value="Time spent searching for parking"' in r.text
        assert await db.scalar(select(func.count()).select_from(Listing)) == 0

    async def test_add_another_outcome_without_javascript(self, api: Api, sme: Sme) -> None:
        await api.sign_in_browser(sme.editor)
        r = await _form_post(
            api, "/listings/new", form_fields(sme.id, add="outcomes", **{"outcomes.blank": "1"})
        )
        assert r.status_code == 200
        assert 'id="outcomes.2.metric"' in r.text  # one filled row, two blank ones
        assert 'id="outcomes.3.metric"' not in r.text

    async def test_cpv_search_without_javascript(self, api: Api, sme: Sme) -> None:
        await api.sign_in_browser(sme.editor)
        r = await _form_post(
            api, "/listings/new", form_fields(sme.id, find="cpv_codes", cpv_codes_q="parking")
        )
        assert r.status_code == 200
        assert 'value="34996000-5" checked' in r.text  # still selected
        assert "Parking" in r.text and 'name="cpv_codes" value="' in r.text

    async def test_unknown_cpv_code_is_refused_on_the_form(self, api: Api, sme: Sme) -> None:
        await api.sign_in_browser(sme.editor)
        r = await _form_post(api, "/listings/new", form_fields(sme.id, cpv_codes=["12345678"]))
        assert r.status_code == 422
        assert "12345678 is not a CPV code" in r.text and 'href="#cpv_codes"' in r.text


class TestListingPage:
    async def test_script_and_javascript_links_never_reach_the_page(
        self, api: Api, sme: Sme
    ) -> None:
        body = complete_listing(
            sme.id,
            title="<script>alert('t')</script>Lights",
            summary="<img src=x onerror=alert(1)>",
            description=(
                "Hello <script>alert('x')</script>\n\n[click](javascript:alert(1)) "
                '<a href="javascript:alert(2)">raw</a>'
            ),
            outcomes=[{"metric": "<b>m</b>", "unit": "u", "target": 1, "timeframe_months": 1,
                       "verification": "<script>v()</script>"}],
        )  # fmt: skip
        r = await api.client.post("/api/v1/listings", json=body, headers=sme.editor.headers)
        listing_id = r.json()["id"]
        await api.client.post(f"/api/v1/listings/{listing_id}/publish", headers=sme.editor.headers)
        page = await api.client.get(f"/listings/{listing_id}")
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<script>v()" not in page.text
        assert not re.search(r"<a\s[^>]*href=[\"']?\s*javascript", page.text, re.IGNORECASE)
        assert '&lt;a href="javascript:alert(2)"&gt;' in page.text  # shown as text, inert
        assert "[click](javascript:alert(1))" in page.text  # left as harmless text
        assert "<img src=x" not in page.text
        assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;Lights" in page.text

    async def test_a_draft_is_404_to_the_public_and_visible_to_members(
        self, api: Api, sme: Sme, other_sme: Sme
    ) -> None:
        r = await api.client.post(
            "/api/v1/listings", json=complete_listing(sme.id), headers=sme.editor.headers
        )
        path = f"/listings/{r.json()['id']}"
        assert (await api.client.get(path)).status_code == 404
        await api.sign_in_browser(other_sme.editor)
        assert (await api.client.get(path)).status_code == 404
        await api.sign_in_browser(sme.viewer)
        page = await api.client.get(path)
        assert page.status_code == 200 and "Adaptive street lighting" in page.text
        assert f'action="{path}/publish"' not in page.text  # viewers cannot publish

    async def test_publish_from_the_page_and_incomplete_says_what_is_missing(
        self, api: Api, sme: Sme
    ) -> None:
        r = await api.client.post(
            "/api/v1/listings",
            json=complete_listing(sme.id, pricing=None),
            headers=sme.editor.headers,
        )
        path = f"/listings/{r.json()['id']}"
        await api.sign_in_browser(sme.editor)
        page = await api.client.get(path)
        r = await api.client.post(f"{path}/publish", data={"_csrf_token": csrf(page)})
        assert r.status_code == 409
        assert "cannot be published yet" in r.text and f"{path}/edit#pricing" in r.text
        await api.client.patch(
            f"/api/v1{path}",
            json={"pricing": {"model": "fixed", "currency": "EUR"}},
            headers=sme.editor.headers,
        )
        r = await api.client.post(f"{path}/publish", data={"_csrf_token": csrf(page)})
        assert r.status_code == 200 and "is published" in r.text

    async def test_edit_form_round_trips(self, api: Api, sme: Sme) -> None:
        r = await api.client.post(
            "/api/v1/listings", json=complete_listing(sme.id), headers=sme.editor.headers
        )
        listing_id = r.json()["id"]
        await api.sign_in_browser(sme.editor)
        form = await api.client.get(f"/listings/{listing_id}/edit")
        assert form.status_code == 200
        assert 'value="Energy use of street lighting"' in form.text
        fields = form_fields(sme.id, title="Adaptive lighting, v2")
        r = await api.client.post(
            f"/listings/{listing_id}/edit", data={**fields, "_csrf_token": csrf(form)}
        )
        assert r.status_code == 200 and "Adaptive lighting, v2" in r.text
        shown = (
            await api.client.get(f"/api/v1/listings/{listing_id}", headers=sme.editor.headers)
        ).json()
        assert shown["pricing"] == {
            "model": "subscription", "currency": "EUR", "amount_min": "1500.00",
            "amount_max": None, "at_risk_percent": None,
        }  # fmt: skip
        assert shown["trl"] == 9 and shown["themes"] == ["mobility", "open-data"]

    async def test_another_smes_editor_cannot_open_the_edit_form(
        self, api: Api, sme: Sme, other_sme: Sme
    ) -> None:
        r = await api.client.post(
            "/api/v1/listings", json=complete_listing(sme.id), headers=sme.editor.headers
        )
        listing_id = r.json()["id"]
        await api.client.post(f"/api/v1/listings/{listing_id}/publish", headers=sme.editor.headers)
        await api.sign_in_browser(other_sme.editor)
        assert (await api.client.get(f"/listings/{listing_id}/edit")).status_code == 403


class TestLists:
    async def test_browse_my_listings_and_sme_profile(self, api: Api, sme: Sme) -> None:
        published = await api.client.post(
            "/api/v1/listings", json=complete_listing(sme.id, title="Public one"),
            headers=sme.editor.headers,
        )  # fmt: skip
        await api.client.post(
            f"/api/v1/listings/{published.json()['id']}/publish", headers=sme.editor.headers
        )
        await api.client.post(
            "/api/v1/listings", json=complete_listing(sme.id, title="Secret draft"),
            headers=sme.editor.headers,
        )  # fmt: skip
        browse = await api.client.get("/listings?theme=renewable-energies")
        assert "Public one" in browse.text and "Secret draft" not in browse.text
        profile = await api.client.get(f"/organisations/{sme.id}")
        assert "Public one" in profile.text and "Secret draft" not in profile.text
        assert (await api.client.get("/listings/mine")).status_code in (200, 302, 303)
        await api.sign_in_browser(sme.viewer)
        mine = await api.client.get("/listings/mine")
        assert "Public one" in mine.text and "Secret draft" in mine.text
        assert '<a href="/listings/mine" aria-current="page">My listings</a>' in mine.text


class TestNothingFound:
    async def test_words_and_filters_that_find_nothing(self, api: Api) -> None:
        page = (await api.client.get("/listings?q=qqzzxx&theme=mobility&cpv=48000000")).text
        assert "No results for “qqzzxx”" in page
        assert 'Theme: Mobility <a href="/listings?q=qqzzxx&amp;cpv=48000000"' in page
        assert "CPV: 48000000-8 Software package and information systems" in page
        assert '<a href="/listings?q=qqzzxx">Clear all filters</a>' in page
        assert "Check the spelling." in page
        api.client.cookies.set("icc_lang", "fr")
        page = (await api.client.get("/listings?q=qqzzxx")).text
        assert "Aucun résultat pour « qqzzxx »" in page and "orthographe." in page
        assert "Effacer tous les filtres" not in page  # the words alone are no filter
