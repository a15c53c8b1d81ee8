"""Issue 19, the funding calls list and the cities' workspace: the CSV is the list (same
filters, same order, every page), safe in a spreadsheet and in French; both lists sort and
page, and keep the filters in every link."""

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
)
from tests.factories import Api
from tests.funding.helpers import Scene, at, scene


async def _every_page(api: Api, url: str) -> list[str]:
    return await every_page(api.client, url, "/funding-calls/")


async def _csv_ids(api: Api, url: str) -> list[str]:
    return await csv_ids(api.client, url, "/funding-calls/")


async def _call(
    s: Scene, clock: FrozenClock, title: str, days: int, amount: str, **more: Any
) -> str:
    clock.advance(timedelta(minutes=1))
    call = await s.open_call(
        title=title, deadline=at(days).isoformat(),
        amount_sought={"amount": amount, "currency": "EUR"}, **more,
    )  # fmt: skip
    return str(call["id"])


class TestTheCsvIsTheList:
    async def test_same_filters_same_order_every_page(self, api: Api, clock: FrozenClock) -> None:
        s = await scene(api)
        for title, days in (("Depot", 40), ("Chargers", 30), ("Heat network", 50)):
            await _call(s, clock, title, days, "1000000.00", instruments=["loan"])
        await _call(s, clock, "Grant only", 35, "1000000.00", instruments=["grant"])
        await s.create_call(title="A draft")
        page = await api.client.get(
            "/funding-calls", params={"instrument": "loan", "sort": "title", "per_page": 2}
        )
        href = download_href(page.text)
        assert href == "/funding-calls.csv?instrument=loan&sort=title"
        shown = await _every_page(api, "/funding-calls?instrument=loan&sort=title&per_page=2")
        assert len(shown) == 3
        rows = csv_rows(await api.client.get(href))
        assert link_ids(rows, "Link", "/funding-calls/") == shown
        assert [r["Title"] for r in rows] == ["Chargers", "Depot", "Heat network"]
        row = rows[0]
        assert (row["Amount sought"], row["Offered"], row["Accepted"], row["Currency"]) == (
            "1000000.00", "0.00", "0.00", "EUR",
        )  # fmt: skip
        assert row["Lead city"] == "City of Espoo" and row["Status"] == "Open"
        assert row["Instruments"] == "Loan"
        assert row["Deadline (UTC)"] == at(30).isoformat(timespec="minutes")

    async def test_who_offered_is_not_in_it(self, api: Api, clock: FrozenClock) -> None:
        s = await scene(api)
        call = await _call(s, clock, "Depot", 40, "1000000.00")
        r = await s.interest(call, "250000.00", message="Our board meets in May")
        assert r.status_code == 201, r.text
        rows = csv_rows(await api.client.get("/funding-calls.csv"))
        assert rows[0]["Offered"] == "250000.00"
        text = (await api.client.get("/funding-calls.csv")).content.decode()
        assert "European Investment Bank" not in text and "board meets" not in text

    async def test_formulas_are_text_and_headers_are_french(
        self, api: Api, clock: FrozenClock
    ) -> None:
        s = await scene(api)
        await _call(s, clock, "=1+2 depot", 40, "1000000.00", summary="+33 1 23 45 67 89")
        api.client.cookies.set("icc_lang", "fr")
        page = await api.client.get("/funding-calls")
        r = await api.client.get(download_href(page.text))
        assert csv_header(r)[:3] == ["Titre", "Ville cheffe de file", "Villes partenaires"]
        (row,) = csv_rows(r)
        assert row["Titre"] == "'=1+2 depot" and row["Résumé"] == "'+33 1 23 45 67 89"
        assert row["Statut"] == "Ouvert"

    async def test_a_filter_in_error_offers_no_download_and_the_csv_refuses_it(
        self, api: Api, clock: FrozenClock
    ) -> None:
        s = await scene(api)
        await _call(s, clock, "Depot", 40, "1000000.00")
        page = await api.client.get("/funding-calls", params={"amount_min": "lots"})
        assert page.status_code == 422 and "Download CSV" not in page.text
        r = await api.client.get("/funding-calls.csv", params={"amount_min": "lots"})
        assert r.status_code == 422


class TestSorting:
    async def test_each_order(self, api: Api, clock: FrozenClock) -> None:
        s = await scene(api)
        soon = await _call(s, clock, "charlie", 30, "500000.00")
        late = await _call(s, clock, "Alpha", 60, "3000000.00")
        mid = await _call(s, clock, "Bravo", 45, "1000000.00")
        expected = {"deadline": [soon, mid, late], "newest": [mid, late, soon],
                    "title": [late, mid, soon], "value": [late, mid, soon]}  # fmt: skip
        for sort, ids in expected.items():
            assert await _every_page(api, f"/funding-calls?sort={sort}") == ids, sort
            assert await _csv_ids(api, f"/funding-calls.csv?sort={sort}") == ids, sort
            r = await api.client.get("/api/v1/funding-calls", params={"sort": sort})
            assert [c["id"] for c in r.json()["items"]] == ids, sort
        # Closed calls come after the open ones, the latest deadline first.
        clock.set(at(50))
        all_calls = await _every_page(api, "/funding-calls?status=all")
        assert all_calls == [late, mid, soon]
        r = await api.client.get("/api/v1/funding-calls", params={"sort": "soonest"})
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "sort"

    async def test_ties_keep_one_order_across_pages(self, api: Api, clock: FrozenClock) -> None:
        s = await scene(api)
        made = []
        for _ in range(5):
            made.append(await _call(s, clock, "Same", 40, "1000000.00"))
            clock.advance(timedelta(minutes=-1))
        for sort in ("deadline", "newest", "title", "value"):
            shown = await _every_page(api, f"/funding-calls?sort={sort}&per_page=2")
            assert sorted(shown) == sorted(made), sort
            assert shown == await _csv_ids(api, f"/funding-calls.csv?sort={sort}"), sort


class TestWorkspace:
    async def test_the_cities_calls_sort_and_page(self, api: Api, clock: FrozenClock) -> None:
        s = await scene(api)
        for title in ("Bravo", "Alpha", "Charlie"):
            await s.create_call(title=title)
        await api.sign_in_browser(s.city_owner)
        page = await api.client.get("/funding/workspace", params={"sort": "title", "per_page": 2})
        assert page.status_code == 200 and "Page 1 of 2" in page.text
        assert page.text.index("Alpha") < page.text.index("Bravo") and "Charlie" not in page.text
        (following,) = hrefs(page.text, "next")
        assert following == "/funding/workspace?sort=title&per_page=2&page=2"
        assert "Charlie" in (await api.client.get(following)).text
