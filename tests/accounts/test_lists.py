"""Issue 19, the organisations directory: its CSV is the list (same filters, same order, every
page) without contact details; it sorts, pages, and says why it found nothing."""

from __future__ import annotations

from datetime import timedelta

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


async def _every_page(api: Api, url: str) -> list[str]:
    return await every_page(api.client, url, "/organisations/")


async def _csv_ids(api: Api, url: str) -> list[str]:
    return await csv_ids(api.client, url, "/organisations/")


async def _network(api: Api, clock: FrozenClock) -> dict[str, str]:
    owner = await api.person("Owner")
    made = {}
    for name, kind, country, nuts in (
        ("Stadt Wien", "city", "AT", "AT130"), ("City of Espoo", "city", "FI", "FI1B1"),
        ("Kinetic Mobility Oy", "sme", "FI", "FI1B1"), ("aalto Grid", "sme", "FI", "FI1B1"),
        ("Ville de Lyon", "city", "FR", "FRK26"),
    ):  # fmt: skip
        clock.advance(timedelta(minutes=1))
        org = await api.organisation(
            owner, kind, name=name, country=country, nuts_code=nuts, locality="Somewhere",
            email="office@example.eu", telephone="+358 9 123 456",
            website=f"https://{name.split()[-1].lower()}.example.eu",
        )  # fmt: skip
        made[name] = org["id"]
    return made


class TestTheCsvIsTheList:
    async def test_same_filters_same_order_every_page(self, api: Api, clock: FrozenClock) -> None:
        made = await _network(api, clock)
        page = await api.client.get("/organisations", params={"kind": "city", "per_page": 2})
        href = download_href(page.text)
        assert href == "/organisations.csv?kind=city"
        shown = await _every_page(api, "/organisations?kind=city&per_page=2")
        rows = csv_rows(await api.client.get(href))
        assert link_ids(rows, "Link", "/organisations/") == shown
        assert [r["Name"] for r in rows] == ["City of Espoo", "Stadt Wien", "Ville de Lyon"]
        wien = rows[1]
        assert wien["Kind"] == "City" and wien["Country"] == "Austria"
        assert wien["Region"] == "Wien (AT130)" and wien["Town or city"] == "Somewhere"
        assert wien["Website"] == "https://wien.example.eu/" and wien["Verified"] == "No"
        assert wien["Joined"] == clock.now().date().isoformat()
        assert wien["Link"].endswith(f"/organisations/{made['Stadt Wien']}")
        # A list of names and places, not a mailing list.
        text = (await api.client.get(href)).content.decode()
        assert "office@example.eu" not in text and "123 456" not in text

    async def test_french_headers_and_a_name_that_is_a_formula(
        self, api: Api, clock: FrozenClock
    ) -> None:
        owner = await api.person("Owner")
        await api.organisation(owner, "sme", name="@Risk Labs")
        api.client.cookies.set("icc_lang", "fr")
        r = await api.client.get("/organisations.csv")
        assert csv_header(r)[:3] == ["Nom", "Type", "Pays"]
        (row,) = csv_rows(r)
        assert row["Nom"] == "'@Risk Labs" and row["Type"] == "PME"
        assert row["Pays"] == "Finlande" and row["Vérifiée"] == "Non"


class TestSortingAndPages:
    async def test_each_order_and_ties_across_pages(self, api: Api, clock: FrozenClock) -> None:
        made = await _network(api, clock)
        by_name = ["aalto Grid", "City of Espoo", "Kinetic Mobility Oy", "Stadt Wien",
                   "Ville de Lyon"]  # fmt: skip
        expected = {
            "name": by_name,
            "newest": ["Ville de Lyon", "aalto Grid", "Kinetic Mobility Oy", "City of Espoo",
                       "Stadt Wien"],
        }  # fmt: skip
        for sort, names in expected.items():
            ids = [made[n] for n in names]
            assert await _every_page(api, f"/organisations?sort={sort}&per_page=2") == ids, sort
            assert await _csv_ids(api, f"/organisations.csv?sort={sort}") == ids, sort
        # By country code, then name.
        by_country = ["Stadt Wien", "aalto Grid", "City of Espoo", "Kinetic Mobility Oy",
                      "Ville de Lyon"]  # fmt: skip
        ids = [made[n] for n in by_country]
        assert await _every_page(api, "/organisations?sort=country&per_page=2") == ids
        assert await _csv_ids(api, "/organisations.csv?sort=country") == ids
        r = await api.client.get("/api/v1/organisations", params={"sort": "newest"})
        assert [o["id"] for o in r.json()["items"]] == [made[n] for n in expected["newest"]]
        r = await api.client.get("/api/v1/organisations", params={"sort": "size"})
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "sort"

    async def test_page_links_keep_the_filters(self, api: Api, clock: FrozenClock) -> None:
        await _network(api, clock)
        page = await api.client.get(
            "/organisations", params={"q": "i", "kind": "city", "sort": "newest", "per_page": 1}
        )
        (following,) = hrefs(page.text, "next")
        assert following == "/organisations?q=i&kind=city&sort=newest&per_page=1&page=2"
        assert "Page 1 of 3" in page.text


class TestNothingFound:
    async def test_the_directory_says_why_and_how_to_widen_it(
        self, api: Api, clock: FrozenClock
    ) -> None:
        await _network(api, clock)
        page = await api.client.get("/organisations", params={"q": "zzz", "kind": "funder"})
        assert "No results for “zzz”" in page.text and "Kind: Funder" in page.text
        assert 'href="/organisations?q=zzz">Clear all filters' in page.text
        assert "Download CSV" not in page.text
