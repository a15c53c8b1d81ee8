"""Issue 19, the pilots on offer: they sort (newest, lowest price, title) and page, the page
links keeping the order."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.clock import FrozenClock
from marketplace.payments.models import LedgerEntry
from tests.downloads import every_page, hrefs
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


# An order's row in a workspace's Orders table: /orders/<id> in its first cell.
ORDER_ROW = r'<tr><td><a href="/orders/([^"#]+)">'


class TestWorkspaceOrders:
    async def test_the_buyer_and_the_supplier_page_their_orders_in_each_order(
        self, scene: Scene, clock: FrozenClock
    ) -> None:
        made = []
        for title, price in (("Bravo pilot", "9000.00"), ("Alpha pilot", "12000.00"),
                             ("Delta pilot", "7000.00"), ("Charlie pilot", "5000.00"),
                             ("Echo pilot", "11000.00")):  # fmt: skip
            clock.advance(timedelta(minutes=1))
            package = await scene.package(title=title, price={"amount": price, "currency": "EUR"})
            made.append((title, price, (await scene.order(package["id"]))["id"]))
        newest = [i for _, _, i in reversed(made)]
        by_amount = [i for _, _, i in sorted(made, key=lambda m: -float(m[1]))]
        by_title = [i for _, _, i in sorted(made)]
        for person, organisation in ((scene.city_owner, scene.city),
                                     (scene.sme_owner, scene.sme)):  # fmt: skip
            await scene.api.sign_in_browser(person)
            base = f"/workspace/payments/{organisation['id']}?per_page=2"
            for sort, expected in (("", newest), ("&sort=amount", by_amount),
                                   ("&sort=title", by_title)):  # fmt: skip
                found = await every_page(
                    scene.client, base + sort, "", within='<h2 id="orders">',
                    pattern=ORDER_ROW, until="</table>",
                )  # fmt: skip
                assert found == expected, (organisation["name"], sort)
            page = await scene.client.get(base + "&sort=amount")
            assert "Page 1 of 3" in page.text
            assert hrefs(page.text, "next") == [
                f"/workspace/payments/{organisation['id']}?sort=amount&per_page=2&page=2"
            ]
        # The API sorts the same way and refuses an order it does not know.
        r = await scene.client.get("/api/v1/pilot-orders", params={"sort": "title"},
                                   headers=scene.city_owner.headers)  # fmt: skip
        assert [o["id"] for o in r.json()["items"]] == by_title
        r = await scene.client.get("/api/v1/pilot-orders", params={"sort": "loudest"},
                                   headers=scene.city_owner.headers)  # fmt: skip
        assert r.status_code == 400


# A ledger posting's row ends with its reference.
POSTING = r"<td><code>(ref-\d+)</code></td></tr>"


class TestAdminLedger:
    async def test_the_admin_pages_the_whole_ledger_latest_or_oldest_first(
        self, scene: Scene, clock: FrozenClock, db: AsyncSession
    ) -> None:
        package = await scene.package()
        order = await scene.order(package["id"])
        db.add_all([
            LedgerEntry(order_id=order["id"], kind="charge", debit="city", credit="held",
                        amount_minor=100 + i, currency="EUR", reference=f"ref-{i}",
                        created_at=clock.now() + timedelta(seconds=i))
            for i in range(7)
        ])  # fmt: skip
        await db.commit()
        await scene.api.sign_in_browser(scene.admin)
        refs = [f"ref-{i}" for i in range(7)]
        latest = await every_page(scene.client, "/admin/payments?per_page=3", "", pattern=POSTING)
        assert latest == refs[::-1]
        oldest = await every_page(
            scene.client, "/admin/payments?per_page=3&sort=oldest", "", pattern=POSTING
        )
        assert oldest == refs
        page = await scene.client.get("/admin/payments?per_page=3")
        assert "7 postings." in page.text and "Page 1 of 3" in page.text
        await scene.api.sign_in_browser(scene.city_owner)
        assert (await scene.client.get("/admin/payments")).status_code == 403


# A waiting organisation's row in the verification queue.
WAITING = r'<td><a href="/organisations/([^"]+)">'


class TestVerificationQueue:
    async def test_the_queue_pages_waiting_longest_first_or_by_name(
        self, scene: Scene, clock: FrozenClock
    ) -> None:
        owner = await scene.api.person("Newcomer")
        made = []
        for name in ("Delta Oy", "Alpha Oy", "Charlie Oy", "Bravo Oy"):
            clock.advance(timedelta(minutes=1))
            made.append((name, (await scene.api.organisation(owner, "sme", name=name))["id"]))
        await scene.api.sign_in_browser(scene.admin)
        waiting = await every_page(scene.client, "/admin/verification?per_page=3", "",
                                   pattern=WAITING)  # fmt: skip
        assert waiting == [i for _, i in made]
        by_name = await every_page(scene.client, "/admin/verification?per_page=3&sort=name", "",
                                   pattern=WAITING)  # fmt: skip
        assert by_name == [i for _, i in sorted(made)]
        page = await scene.client.get("/admin/verification?per_page=3&sort=name")
        assert hrefs(page.text, "next") == ["/admin/verification?sort=name&per_page=3&page=2"]
