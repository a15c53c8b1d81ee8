"""Matches on the pages: the tender page's "Suppliers that may answer", the listing page's
"Tenders for this solution", with and without JavaScript."""

from __future__ import annotations

from tests.factories import Api
from tests.matching.conftest import Market

HTMX = {"HX-Request": "true"}


async def test_the_tender_page_loads_suppliers_and_links_to_them_without_javascript(
    api: Api, market: Market
) -> None:
    tender_id = market.tender["id"]
    page = await api.client.get(f"/tenders/{tender_id}")
    assert "Suppliers that may answer" in page.text
    assert f'hx-get="/tenders/{tender_id}/matches"' in page.text
    assert f'href="/tenders/{tender_id}/matches"' in page.text  # the no-JavaScript way

    full = await api.client.get(f"/tenders/{tender_id}/matches")
    assert full.status_code == 200
    assert "<html" in full.text and "Suppliers that may answer" in full.text
    assert f'href="/listings/{market.listings["best"]}"' in full.text
    assert "Desirable standards missing: OASC-MIM2" in full.text  # the partial match says why
    assert market.listings["no_mim1"] not in full.text
    assert market.listings["draft"] not in full.text

    fragment = await api.client.get(f"/tenders/{tender_id}/matches", headers=HTMX)
    assert "<html" not in fragment.text
    assert "Real-time passenger information displays" in fragment.text


async def test_the_listing_page_shows_tenders_for_the_solution(api: Api, market: Market) -> None:
    listing_id = market.listings["best"]
    page = await api.client.get(f"/listings/{listing_id}")
    assert "Tenders for this solution" in page.text
    fragment = await api.client.get(f"/listings/{listing_id}/matches", headers=HTMX)
    assert f'href="/tenders/{market.tender["id"]}"' in fragment.text
    assert "Real-time passenger information for two cities" in fragment.text
    assert "responses close" in fragment.text

    nothing = await api.client.get(f"/listings/{market.listings['no_mim1']}/matches")
    assert "No tender open for responses matches this solution right now." in nothing.text


async def test_a_draft_listing_page_of_matches_is_private(api: Api, market: Market) -> None:
    r = await api.client.get(f"/listings/{market.listings['draft']}/matches")
    assert r.status_code == 404
