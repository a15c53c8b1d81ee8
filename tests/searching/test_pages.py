"""The `/search` page: plain HTML first, HTMX on top, shareable URLs, graceful outage."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient

from marketplace.app import create_app
from marketplace.clock import FrozenClock
from marketplace.settings import Settings
from search import SearchBackend
from tests.search.corpus import CORPUS
from tests.searching.test_outbox import UNREACHABLE


class TestSearchPage:
    async def test_results_counts_highlights_and_facets(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await index.upsert(CORPUS)
        r = await client.get("/search", params={"q": "public transport"})
        assert r.status_code == 200
        page = r.text
        assert '<a href="/search" aria-current="page">Search</a>' in page  # navigation, here
        assert "<strong>2</strong> results" in page
        assert "<mark>transport</mark>" in page
        assert 'href="/listings/l-transit"' in page and 'href="/tenders/t-roads"' in page
        assert re.search(r'name="type" value="tender"\s*>', page)  # facet, not yet chosen
        assert 'Tenders <span class="count">(1)</span>' in page
        assert 'value="public transport"' in page

    async def test_query_and_filters_live_in_the_url(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await index.upsert(CORPUS)
        r = await client.get("/search", params=[("theme", "mobility"), ("type", "listing"),
                                                ("sort", "newest"), ("per_page", "1")])  # fmt: skip
        page = r.text
        assert "<strong>2</strong> results" in page
        assert re.search(r'name="type" value="listing" checked', page)
        assert '<option value="newest" selected>' in page
        # Pagination links keep every filter.
        assert (
            'href="/search?type=listing&amp;theme=mobility&amp;sort=newest&amp;per_page=1&amp;page=2"'
            in page
        )
        assert "Page 1 of 2" in page

    async def test_user_text_in_results_is_escaped(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await index.upsert(CORPUS)
        page = (await client.get("/search", params={"q": "parking"})).text
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert" in page

    async def test_htmx_gets_only_the_results_and_the_form_works_without_it(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await index.upsert(CORPUS)
        full = (await client.get("/search")).text
        assert 'method="get" action="/search"' in full
        assert 'hx-trigger="keyup changed delay:300ms"' in full and 'hx-push-url="true"' in full
        partial = await client.get("/search", params={"q": "Malmo"}, headers={"HX-Request": "true"})
        assert partial.status_code == 200
        assert partial.text.lstrip().startswith('<div id="results"')
        assert "<html" not in partial.text and "<mark>Malmö</mark>" in partial.text

    async def test_filters_that_leave_nothing_offer_the_search_without_them(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await index.upsert(CORPUS)
        page = (await client.get("/search", params={"q": "buses", "country": "FI"})).text
        assert "Nothing matches these filters." in page
        assert '<a href="/search?q=buses">1 result for “buses” without them</a>' in page

    async def test_a_misspelling_says_what_was_searched(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await index.upsert(CORPUS)
        page = (await client.get("/search", params={"q": "resurfacnig "})).text
        assert "Showing results for <strong>resurfacing" in page

    async def test_bad_filters_are_explained(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        r = await client.get("/search", params={"cpv": "roads"})
        assert r.status_code == 422
        assert "There is a problem" in r.text and "is not a CPV code" in r.text

    async def test_search_down_says_limited_instead_of_failing(
        self, settings: Settings, clock: FrozenClock
    ) -> None:
        down = settings.model_copy(
            update={"search_backend": "meilisearch", "meili_url": UNREACHABLE}
        )
        async with AsyncTestClient(app=create_app(down, clock=clock)) as client:
            r = await client.get("/search", params={"q": "bus"})
        assert r.status_code == 200
        assert "Search is temporarily limited" in r.text


class TestNothingFound:
    async def test_it_says_so_and_offers_to_remove_each_filter(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await index.upsert(CORPUS)
        r = await client.get("/search", params=[("q", "qqzzxx"), ("theme", "mobility"),
                                                ("country", "FI"), ("nuts", "FI1B1")])  # fmt: skip
        assert r.status_code == 200
        page = r.text
        assert "No results for “qqzzxx”" in page and "0 results" not in page
        assert "With these filters:" in page
        assert 'Theme: Mobility <a href="/search?q=qqzzxx&amp;country=FI&amp;nuts=FI1B1"' in page
        assert (
            'Country: Finland <a href="/search?q=qqzzxx&amp;theme=mobility&amp;nuts=FI1B1"' in page
        )
        assert "Region: Helsinki-Uusimaa (FI1B1)" in page
        assert '<a href="/search?q=qqzzxx">Clear all filters</a>' in page
        assert "Try fewer words, or other words for the same thing." in page
        assert '<a href="/tenders">Browse the list: Tenders</a>' in page

    async def test_in_french(self, client: AsyncTestClient[Litestar], index: SearchBackend) -> None:
        await index.upsert(CORPUS)
        client.cookies.set("icc_lang", "fr")
        page = (await client.get("/search", params={"q": "qqzzxx", "theme": "mobility"})).text
        assert "Aucun résultat pour « qqzzxx »" in page
        assert "Thème : Mobilité" in page and "Effacer tous les filtres" in page
        assert "Essayez avec moins de mots" in page

    async def test_results_show_no_empty_state(
        self, client: AsyncTestClient[Litestar], index: SearchBackend
    ) -> None:
        await index.upsert(CORPUS)
        page = (await client.get("/search", params={"q": "buses"})).text
        assert "No results" not in page and "Clear all filters" not in page
