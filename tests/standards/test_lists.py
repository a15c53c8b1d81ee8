"""Issue 19, the standards catalogue: pages of 50 that keep the search and the order, three
orders, and a search that finds nothing says how to widen it."""

from __future__ import annotations

import re

from tests.downloads import hrefs
from tests.factories import Api


def _codes(page: str) -> list[str]:
    return re.findall(r'<a href="/standards/([^"]+)">', page)


class TestCatalogueLists:
    async def test_pages_keep_the_order_and_each_standard_shows_once(self, api: Api) -> None:
        first = await api.client.get("/standards", params={"sort": "title", "per_page": 20})
        assert first.status_code == 200 and "Page 1 of" in first.text
        codes, page = _codes(first.text), first
        while nexts := hrefs(page.text, "next"):
            assert "sort=title" in nexts[0] and "per_page=20" in nexts[0]
            page = await api.client.get(nexts[0])
            codes += _codes(page.text)
        r = await api.client.get("/api/v1/standards", params={"per_page": 100})
        catalogue = {s["code"]: s["title"] for s in r.json()["items"]}
        assert sorted(codes) == sorted(catalogue)  # every standard, once
        titles = [catalogue[c].lower() for c in codes]
        assert titles == sorted(titles)

    async def test_an_unknown_order_is_the_default_and_nothing_found_helps(self, api: Api) -> None:
        page = await api.client.get("/standards", params={"sort": "popularity"})
        assert page.status_code == 200 and '<option value="category" selected>' in page.text
        empty = await api.client.get("/standards", params={"q": "qqzzxx", "sort": "code"})
        assert "No results for “qqzzxx”" in empty.text
        assert "<table>" not in empty.text
