"""Issue 19, the pilots on offer: they sort (newest, lowest price, title) and page, the page
links keeping the order."""

from __future__ import annotations

import re
from datetime import timedelta

from marketplace.clock import FrozenClock
from tests.downloads import hrefs
from tests.payments.conftest import Scene


def _titles(page: str) -> list[str]:
    return re.findall(r'<h3><a href="/pilots/[^"]+">([^<]+)</a></h3>', page)


class TestPilotLists:
    async def test_orders_and_pages(self, scene: Scene, clock: FrozenClock) -> None:
        for title, price in (("Bravo pilot", "9000.00"), ("Alpha pilot", "12000.00"),
                             ("Charlie pilot", "5000.00")):  # fmt: skip
            clock.advance(timedelta(minutes=1))
            await scene.package(title=title, price={"amount": price, "currency": "EUR"})
        for sort, titles in (("newest", ["Charlie pilot", "Alpha pilot", "Bravo pilot"]),
                             ("price", ["Charlie pilot", "Bravo pilot", "Alpha pilot"]),
                             ("title", ["Alpha pilot", "Bravo pilot", "Charlie pilot"])):  # fmt: skip
            page = await scene.client.get("/pilots", params={"sort": sort})
            assert _titles(page.text) == titles, sort
        page = await scene.client.get("/pilots", params={"sort": "price", "per_page": 2})
        assert "Page 1 of 2" in page.text
        (following,) = hrefs(page.text, "next")
        assert following == "/pilots?sort=price&per_page=2&page=2"
        assert _titles((await scene.client.get(following)).text) == ["Alpha pilot"]
