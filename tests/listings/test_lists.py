"""Issue 19, the solutions list and "My listings": the CSV is the list (same filters, same
order, every page), neutralises formulas, reads in French; both lists sort and page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from marketplace.clock import FrozenClock
from tests.downloads import (
    csv_header,
    csv_ids,
    csv_rows,
    download_href,
    every_page,
    hrefs,
    link_ids,
    linked_ids,
)
from tests.factories import Api
from tests.listings.conftest import Sme, complete_listing


async def _listing(
    api: Api, sme: Sme, clock: FrozenClock, publish: bool = True, **fields: Any
) -> str:
    clock.advance(timedelta(minutes=5))
    r = await api.client.post(
        "/api/v1/listings", json=complete_listing(sme.id, **fields), headers=sme.editor.headers
    )
    assert r.status_code == 201, r.text
    listing_id = str(r.json()["id"])
    if publish:
        # A write in the same instant as the last one would be stamped with the wall clock
        # (advanced-alchemy's updated_at listener): publish a minute later.
        clock.advance(timedelta(minutes=1))
        r = await api.client.post(
            f"/api/v1/listings/{listing_id}/publish", headers=sme.editor.headers
        )
        assert r.status_code == 200, r.text
    return listing_id


async def _every_page(api: Api, url: str) -> list[str]:
    return await every_page(api.client, url, "/listings/")


async def _csv_ids(api: Api, url: str) -> list[str]:
    return await csv_ids(api.client, url, "/listings/")


class TestTheCsvIsTheList:
    async def test_same_filters_same_order_every_page(
        self, api: Api, sme: Sme, clock: FrozenClock
    ) -> None:
        await _listing(api, sme, clock, title="Smart bins", themes=["clean-industry"])
        for title in ("Heat pumps", "Solar canopies", "Wind kites"):
            await _listing(api, sme, clock, title=title)
        await _listing(api, sme, clock, publish=False, title="Draft: hydrogen buses")
        page = await api.client.get(
            "/listings", params={"theme": "renewable-energies", "sort": "title", "per_page": 2}
        )
        href = download_href(page.text)
        assert href == "/listings.csv?theme=renewable-energies&sort=title"
        shown = await _every_page(api, "/listings?theme=renewable-energies&sort=title&per_page=2")
        assert len(shown) == 3
        rows = csv_rows(await api.client.get(href))
        assert link_ids(rows, "Link", "/listings/") == shown
        assert [r["Title"] for r in rows] == ["Heat pumps", "Solar canopies", "Wind kites"]
        row = rows[0]
        assert row["ICC themes"] == "Renewable energies"
        assert row["Countries served"] == "Finland; Sweden"
        assert row["Technology readiness level (TRL)"] == "8"
        assert (row["Price from"], row["Price up to"], row["Currency"]) == (
            "20000.00", "80000.00", "EUR",
        )  # fmt: skip
        assert row["Pricing model"] == "Outcome-based (part of the price at risk)"
        assert row["Standards"] == "OASC-MIM1"
        assert row["Published"] == clock.now().date().isoformat()

    async def test_formulas_are_text_and_headers_are_french(
        self, api: Api, sme: Sme, clock: FrozenClock
    ) -> None:
        await _listing(api, sme, clock, title="=cmd|' /C calc'!A0", summary="@risk -1 +1")
        api.client.cookies.set("icc_lang", "fr")
        page = await api.client.get("/listings")
        r = await api.client.get(download_href(page.text))
        assert csv_header(r)[:3] == ["Titre", "PME", "Résumé"]
        (row,) = csv_rows(r)
        assert row["Titre"] == "'=cmd|' /C calc'!A0"
        assert row["Résumé"] == "'@risk -1 +1"
        assert row["Thèmes ICC"] == "Énergies renouvelables"


class TestSorting:
    async def test_each_order_on_the_page_and_in_the_csv(
        self, api: Api, sme: Sme, clock: FrozenClock
    ) -> None:
        old = await _listing(api, sme, clock, title="bravo", trl=5)
        new = await _listing(api, sme, clock, title="Alpha", trl=9)
        mid = await _listing(api, sme, clock, title="Charlie", trl=7)
        # Editing the oldest makes it the most recently updated.
        clock.advance(timedelta(minutes=5))
        r = await api.client.patch(
            f"/api/v1/listings/{old}", json={"summary": "Updated."}, headers=sme.editor.headers
        )
        assert r.status_code == 200, r.text
        expected = {"updated": [old, mid, new], "newest": [mid, new, old],
                    "title": [new, old, mid], "trl": [new, mid, old]}  # fmt: skip
        for sort, ids in expected.items():
            assert await _every_page(api, f"/listings?sort={sort}") == ids, sort
            assert await _csv_ids(api, f"/listings.csv?sort={sort}") == ids, sort
            r = await api.client.get("/api/v1/listings", params={"sort": sort})
            assert [x["id"] for x in r.json()["items"]] == ids, sort
        r = await api.client.get("/api/v1/listings", params={"sort": "price"})
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "sort"
        page = await api.client.get("/listings", params={"sort": "price"})
        assert (
            page.status_code == 200 and linked_ids(page.text, "/listings/") == expected["updated"]
        )

    async def test_ties_keep_one_order_across_pages(
        self, api: Api, sme: Sme, clock: FrozenClock
    ) -> None:
        made = []
        for _ in range(5):
            made.append(await _listing(api, sme, clock, title="Same", trl=6))
            clock.set(clock.now() - timedelta(minutes=6))  # the same moments each time
        for sort in ("updated", "newest", "title", "trl"):
            shown = await _every_page(api, f"/listings?sort={sort}&per_page=2")
            assert sorted(shown) == sorted(made), sort
            assert shown == await _csv_ids(api, f"/listings.csv?sort={sort}"), sort


class TestMyListings:
    async def test_my_listings_sort_and_page_with_drafts(
        self, api: Api, sme: Sme, clock: FrozenClock
    ) -> None:
        ids = [await _listing(api, sme, clock, publish=i % 2 == 0, title=f"Listing {i}")
               for i in range(3)]  # fmt: skip
        await api.sign_in_browser(sme.editor)
        page = await api.client.get("/listings/mine", params={"sort": "title", "per_page": 2})
        assert page.status_code == 200
        assert "Page 1 of 2" in page.text and "3 listings" in page.text
        (following,) = hrefs(page.text, "next")
        assert following == "/listings/mine?sort=title&per_page=2&page=2"
        second = await api.client.get(following)
        assert "Listing 2" in second.text and "Listing 0" not in second.text
        assert '<option value="title" selected>' in second.text
        assert ids
