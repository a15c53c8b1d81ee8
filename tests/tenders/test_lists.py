"""Issue 19, the list of tenders: its CSV is the list (same filters, same order, every page),
safe to open in a spreadsheet and in the reader's language; it sorts, pages and keeps the
filters in every link; nothing sealed is in it."""

from __future__ import annotations

import re
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
    linked_ids,
)
from tests.factories import Api
from tests.tenders.helpers import Joint, joint


def _lots(*amounts: str) -> list[dict[str, Any]]:
    return [
        {"title": f"Lot {i}", "description": "What lot {i} buys",
         "estimated_value": {"amount": a, "currency": "EUR"}}
        for i, a in enumerate(amounts, start=1)
    ]  # fmt: skip


def _buyers(j: Joint) -> list[dict[str, Any]]:
    return [{"organisation_id": j.city_a["id"]}, {"organisation_id": j.city_b["id"]}]


async def _tender(
    api: Api, j: Joint, clock: FrozenClock, title: str, days: int, amount: str = "100000.00",
    **overrides: Any,
) -> dict[str, Any]:  # fmt: skip
    """A published tender whose responses close `days` from now."""
    return await j.published(
        api, clock, title=title, lots=_lots(amount), buyers=_buyers(j),
        clarification_deadline=(clock.now() + timedelta(days=days - 10)).isoformat(),
        submission_deadline=(clock.now() + timedelta(days=days)).isoformat(), **overrides,
    )  # fmt: skip


async def _page_ids(api: Api, **params: Any) -> list[str]:
    r = await api.client.get("/tenders", params=params)
    assert r.status_code == 200, r.text
    return linked_ids(r.text, "/tenders/", within="<h2>Published tenders</h2>")


async def _every_page(api: Api, **params: Any) -> list[str]:
    """The published tenders on every page (the page pages the reader's own apart)."""
    url = "/tenders?" + "&".join(f"{k}={v}" for k, v in params.items())
    return await every_page(api.client, url, "/tenders/", within="<h2>Published tenders</h2>",
                            follow=lambda href: "mine_page" not in href)  # fmt: skip


async def _csv_ids(api: Api, url: str) -> list[str]:
    return await csv_ids(api.client, url, "/tenders/")


class TestTheCsvIsTheList:
    async def test_same_filters_same_order_every_page(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        for title, days, theme in (("Bus shelters", 40, "mobility"), ("Tram data", 35, "mobility"),
                                   ("Solar roofs", 45, "renewable-energies"),
                                   ("Bike lanes", 50, "mobility")):  # fmt: skip
            await _tender(api, j, clock, title, days, themes=[theme])
        page = await api.client.get("/tenders", params={"theme": "mobility", "sort": "title",
                                                        "per_page": 2})  # fmt: skip
        # The link carries the filters and the order, not the page.
        href = download_href(page.text)
        assert href == "/tenders.csv?theme=mobility&sort=title"
        shown = await _every_page(api, theme="mobility", sort="title", per_page=2)
        assert len(shown) == 3
        assert await _csv_ids(api, href) == shown
        rows = csv_rows(await api.client.get(href))
        assert [r["Title"] for r in rows] == ["Bike lanes", "Bus shelters", "Tram data"]

    async def test_columns_a_procurement_officer_reads(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await _tender(api, j, clock, "Bus shelters", 40, "150000.00")
        (row,) = csv_rows(await api.client.get("/tenders.csv"))
        assert row["Title"] == "Bus shelters"
        assert row["Stage"] == "Open for responses"
        assert row["Procedure"] == "Open procedure"
        assert row["Lead city"] == "City of Espoo"
        assert row["Cities buying together"] == "City of Espoo; Stadt Wien"
        assert row["ICC themes"] == "Mobility"
        assert row["CPV codes"].startswith("48000000-8 Software package")
        assert row["Places of performance"] == "Helsinki-Uusimaa (FI1B1); Wien (AT130)"
        assert (row["Estimated value"], row["Currency"]) == ("150000.00", "EUR")
        assert row["Published"] == clock.now().date().isoformat()
        deadline = (clock.now() + timedelta(days=40)).isoformat(timespec="minutes")
        assert row["Responses close (UTC)"] == deadline
        assert row["Ended"] == "" and row["Imported from TED"] == "No"
        assert row["OCID"] == tender["ocid"]
        assert row["Link"].endswith(f"/tenders/{tender['id']}")

    async def test_a_formula_in_a_title_is_text_in_the_spreadsheet(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        await _tender(api, j, clock, '=HYPERLINK("http://evil.example","Click")', 40)
        await _tender(api, j, clock, "@SUM(A1:A9) tram", 41)
        await _tender(api, j, clock, "+49 bus", 42)
        await _tender(api, j, clock, "-1 bike", 43)
        titles = [r["Title"] for r in csv_rows(await api.client.get("/tenders.csv"))]
        assert titles == [
            '\'=HYPERLINK("http://evil.example","Click")', "'@SUM(A1:A9) tram", "'+49 bus",
            "'-1 bike",
        ]  # fmt: skip

    async def test_nothing_sealed_is_in_it(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await _tender(api, j, clock, "Bus shelters", 40)
        assert (await j.respond(api, tender)).status_code == 201
        for who in (None, j.lead):  # the public and the buying city alike
            r = await api.client.get("/tenders.csv", headers=who.headers if who else None)
            text = r.content.decode("utf-8")
            assert "Bus shelters" in text
            assert "Kinetic Mobility" not in text and "180000" not in text
            assert "Sensors on every bus stop" not in text

    async def test_drafts_are_not_in_the_published_list_nor_its_csv(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        await _tender(api, j, clock, "Bus shelters", 40)
        await j.create(api, clock, title="Draft depot")
        await api.sign_in_browser(j.lead)
        page = await api.client.get("/tenders")
        assert "Draft depot" in page.text  # in "Your cities' tenders"
        assert "1 tender" in page.text
        assert [r["Title"] for r in csv_rows(await api.client.get("/tenders.csv"))] == [
            "Bus shelters"
        ]

    async def test_headers_and_values_in_french(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        await _tender(api, j, clock, "Abribus", 40)
        api.client.cookies.set("icc_lang", "fr")
        page = await api.client.get("/tenders")
        assert "Télécharger en CSV" in page.text and "Trier par" in page.text
        r = await api.client.get(download_href(page.text))
        header = csv_header(r)
        assert header[:4] == ["Titre", "Étape", "Procédure", "Ville cheffe de file"]
        (row,) = csv_rows(r)
        assert row["Étape"] == "Ouvert aux réponses"
        assert row["Importé de TED"] == "Non"


class TestSorting:
    async def test_each_order(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        soon = await _tender(api, j, clock, "Charlie", 35, "50000.00")
        clock.advance(timedelta(hours=1))
        late = await _tender(api, j, clock, "alpha", 60, "900000.00")
        clock.advance(timedelta(hours=1))
        mid = await _tender(api, j, clock, "Bravo", 45, "300000.00")
        clock.advance(timedelta(hours=1))
        gone = await _tender(api, j, clock, "Delta", 40, "1000.00")
        r = await api.client.post(
            f"/api/v1/tenders/{gone['id']}/cancel", json={"reason": "Budget withdrawn"},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        ids = {"deadline": [soon, mid, late, gone], "newest": [gone, mid, late, soon],
               "title": [late, mid, soon, gone], "value": [late, mid, soon, gone]}  # fmt: skip
        for sort, expected in ids.items():
            want = [t["id"] for t in expected]
            assert await _page_ids(api, sort=sort) == want, sort
            assert await _csv_ids(api, f"/tenders.csv?sort={sort}") == want, sort
        # Open ones closing soonest is the default; the select says which order is used.
        page = await api.client.get("/tenders")
        assert linked_ids(page.text, "/tenders/", within="<h2>Published tenders</h2>") == [
            t["id"] for t in ids["deadline"]
        ]
        assert '<option value="deadline" selected>Closing soonest</option>' in page.text

    async def test_ties_keep_one_order_across_pages(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        made = [await _tender(api, j, clock, "Same title", 40) for _ in range(5)]
        for sort in ("deadline", "newest", "title", "value"):
            shown = await _every_page(api, sort=sort, per_page=2)
            assert sorted(shown) == sorted(t["id"] for t in made), sort  # each once
            assert shown == await _csv_ids(api, f"/tenders.csv?sort={sort}"), sort

    async def test_an_unknown_order_is_the_default_on_the_page_and_a_400_on_the_api(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        await _tender(api, j, clock, "Bus shelters", 40)
        page = await api.client.get("/tenders", params={"sort": "cheapest"})
        assert page.status_code == 200 and "Bus shelters" in page.text
        assert '<option value="deadline" selected>' in page.text
        r = await api.client.get("/api/v1/tenders", params={"sort": "cheapest"})
        assert r.status_code == 400
        assert [e["field"] for e in r.json()["errors"]] == ["sort"]
        r = await api.client.get("/api/v1/tenders", params={"sort": "title"})
        assert r.status_code == 200 and r.json()["total"] == 1


class TestPages:
    async def test_page_links_keep_the_filters_and_the_order(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        for i in range(3):
            await _tender(api, j, clock, f"Bus {i}", 40 + i)
        page = await api.client.get(
            "/tenders", params={"theme": "mobility", "sort": "newest", "per_page": 1}
        )
        assert "Page 1 of 3" in page.text
        (following,) = hrefs(page.text, "next")
        assert following == "/tenders?theme=mobility&sort=newest&per_page=1&page=2"
        second = await api.client.get(following)
        assert "Page 2 of 3" in second.text
        assert hrefs(second.text, "prev") == ["/tenders?theme=mobility&sort=newest&per_page=1"]
        # The form keeps the page size when the filters change.
        assert '<input type="hidden" name="per_page" value="1">' in second.text

    async def test_your_cities_tenders_have_pages_of_their_own(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        for i in range(11):
            await j.create(api, clock, title=f"Draft {i:02d}")
        await api.sign_in_browser(j.lead)
        page = await api.client.get("/tenders", params={"sort": "title"})
        assert len(re.findall(r">Draft \d\d</a>", page.text)) == 10
        (following,) = [h for h in hrefs(page.text, "next") if "mine_page" in h]
        assert following == "/tenders?sort=title&mine_page=2"
        second = await api.client.get(following)
        assert second.status_code == 200 and "Page 2 of 2" in second.text


class TestNothingFound:
    async def test_a_filter_that_finds_nothing_says_how_to_widen_it(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        await _tender(api, j, clock, "Bus shelters", 40)
        page = await api.client.get("/tenders", params={"theme": "open-data", "sort": "title"})
        assert "No results" in page.text and "Theme: Open data" in page.text
        # Clearing the filter keeps the order.
        assert 'href="/tenders?sort=title">Clear all filters' in page.text
        assert "Download CSV" not in page.text


class TestYourOwnLists:
    async def test_my_questions_sort_and_page(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tenders = [await _tender(api, j, clock, title, 40) for title in ("Zebra crossings", "Air")]
        asked = []
        for i, tender in enumerate(tenders * 2):
            clock.advance(timedelta(minutes=1))
            r = await api.client.post(
                f"/api/v1/tenders/{tender['id']}/questions", json={"text": f"Question {i}?"},
                headers=j.supplier.headers,
            )  # fmt: skip
            assert r.status_code == 201, r.text
            asked.append(r.json()["id"])
        r = await api.client.post(
            f"/api/v1/tenders/{tenders[1]['id']}/questions/{asked[3]}/answer",
            json={"text": "Yes."}, headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        await api.sign_in_browser(j.supplier)

        async def shown(**params: Any) -> list[str]:
            page = await api.client.get("/my/questions", params=params)
            assert page.status_code == 200, page.text
            return re.findall(r"(Question \d)\?", page.text)

        assert await shown() == ["Question 3", "Question 2", "Question 1", "Question 0"]
        assert await shown(sort="unanswered") == [
            "Question 2", "Question 1", "Question 0", "Question 3",
        ]  # fmt: skip
        assert await shown(sort="tender") == [
            "Question 3", "Question 1", "Question 2", "Question 0",
        ]  # fmt: skip
        page = await api.client.get("/my/questions", params={"sort": "unanswered", "per_page": 3})
        assert "Page 1 of 2" in page.text
        (following,) = hrefs(page.text, "next")
        assert following == "/my/questions?sort=unanswered&per_page=3&page=2"
        assert await shown(sort="unanswered", per_page=3, page=2) == ["Question 3"]

    async def test_my_responses_sort_and_page(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        late = await _tender(api, j, clock, "Bus shelters", 60)
        soon = await _tender(api, j, clock, "Air quality", 40)
        for tender in (soon, late):
            clock.advance(timedelta(minutes=1))
            assert (await j.respond(api, tender)).status_code == 201
        await api.sign_in_browser(j.supplier)

        async def shown(**params: Any) -> list[str]:
            page = await api.client.get("/my/responses", params=params)
            assert page.status_code == 200, page.text
            return re.findall(r'<td><a href="/tenders/[^"]+">([^<]+)</a>', page.text)

        assert await shown() == ["Bus shelters", "Air quality"]  # the newest response first
        assert await shown(sort="deadline") == ["Air quality", "Bus shelters"]
        assert await shown(sort="tender") == ["Air quality", "Bus shelters"]
        page = await api.client.get("/my/responses", params={"per_page": 1})
        assert "Page 1 of 2" in page.text
        assert hrefs(page.text, "next") == ["/my/responses?per_page=1&page=2"]
        assert await shown(per_page=1, page=2) == ["Air quality"]
