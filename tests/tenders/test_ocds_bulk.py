"""Bulk downloads of the OCDS data, as a researcher or journalist takes them: every release
of a year as one release package or as JSON Lines, listed in an index and on the tenders
page; and the paged feed, whose `links` are declared through the pagination extension."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from marketplace.clock import FrozenClock
from marketplace.tenders import api as tenders_api
from marketplace.tenders.ocds import EXTENSION_URLS, validate_release_package
from tests.factories import Api
from tests.tenders.helpers import joint

PAGINATION = EXTENSION_URLS["pagination"]


async def _json(api: Api, url: str, **params: Any) -> dict[str, Any]:
    r = await api.client.get(url, params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def _feed(api: Api) -> list[dict[str, Any]]:
    releases: list[dict[str, Any]] = (await _json(api, "/api/v1/ocds/releases"))["releases"]
    return releases


class TestYearFiles:
    async def test_each_year_is_one_package_and_the_same_releases_as_json_lines(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        first = await j.published(api, clock)  # March 2026
        clock.advance(timedelta(days=320))  # January 2027
        await j.published(api, clock)
        r = await api.client.post(
            f"/api/v1/tenders/{first['id']}/cancel", json={"reason": "Budget withdrawn"},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 200, r.text
        feed = await _feed(api)

        index = await _json(api, "/api/v1/ocds/bulk")
        assert [(i["year"], i["releases"]) for i in index["items"]] == [(2027, 2), (2026, 1)]
        year_2027 = index["items"][0]
        assert year_2027["json_url"].endswith("/api/v1/ocds/bulk/2027.json")

        r = await api.client.get(year_2027["json_url"])
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/json")
        assert r.headers["content-disposition"] == (
            'attachment; filename="icc-marketplace-ocds-2027.json"'
        )
        package = r.json()
        assert validate_release_package(package) == []
        assert package["uri"].endswith("/api/v1/ocds/bulk/2027.json")
        assert PAGINATION not in package["extensions"]
        in_2027 = [rel for rel in feed if rel["date"].startswith("2027")]
        assert package["releases"] == in_2027
        assert sorted(rel["tag"][0] for rel in in_2027) == ["tender", "tenderCancellation"]

        r = await api.client.get(year_2027["jsonl_url"])
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/x-ndjson")
        assert r.text.endswith("\n")
        lines = r.text.splitlines()
        assert [json.loads(line) for line in lines] == in_2027

        package_2026 = await _json(api, "/api/v1/ocds/bulk/2026.json")
        assert [rel["tag"] for rel in package_2026["releases"]] == [["tender"]]

    async def test_a_large_year_is_streamed_in_batches_in_the_feeds_order(
        self, api: Api, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Read two releases per query: five tenders published in the same second (their
        releases share a date, so the order falls to the ocid) come out once each, in order."""
        monkeypatch.setattr(tenders_api, "BULK_BATCH", 2)
        j = await joint(api)
        for _ in range(5):
            await j.published(api, clock)
        feed = await _feed(api)
        assert len({rel["date"] for rel in feed}) == 1

        r = await api.client.get("/api/v1/ocds/bulk/2026.json")
        assert "content-length" not in r.headers  # sent as it is read, not built first
        assert [rel["id"] for rel in r.json()["releases"]] == [rel["id"] for rel in feed]
        lines = (await api.client.get("/api/v1/ocds/bulk/2026.jsonl")).text.splitlines()
        assert [json.loads(line)["id"] for line in lines] == [rel["id"] for rel in feed]

    async def test_nothing_sealed_and_no_draft_is_in_the_files(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        draft = await j.create(api, clock, title="A draft nobody may see yet")
        r = await j.respond(api, tender, technical_summary="A secret technical approach")
        assert r.status_code == 201, r.text
        for name in ("2026.json", "2026.jsonl"):
            text = (await api.client.get(f"/api/v1/ocds/bulk/{name}")).text
            assert tender["ocid"] in text
            assert draft["ocid"] not in text and "A draft nobody" not in text
            assert j.sme["id"] not in text and "secret technical" not in text
            assert '"bids"' not in text and "numberOfTenderers" not in text

    @pytest.mark.parametrize(
        "name", ["2019.json", "2026.xml", "2026", "abcd.json", "0000.json", "9999.jsonl"]
    )
    async def test_a_year_without_releases_or_another_name_is_not_found(
        self, api: Api, clock: FrozenClock, name: str
    ) -> None:
        j = await joint(api)
        await j.published(api, clock)
        r = await api.client.get(f"/api/v1/ocds/bulk/{name}")
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "not-found"

    async def test_the_index_is_empty_before_anything_is_published(self, api: Api) -> None:
        index = await _json(api, "/api/v1/ocds/bulk")
        assert index["items"] == [] and index["total"] == 0


class TestPaging:
    async def test_the_paged_feed_declares_the_pagination_extension(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        for _ in range(3):
            await j.published(api, clock)
        page = await _json(api, "/api/v1/ocds/releases", per_page=2)
        assert PAGINATION in page["extensions"]
        assert "page=2" in page["links"]["next"]
        assert validate_release_package(page) == []
        last = await _json(api, "/api/v1/ocds/releases", per_page=2, page=2)
        assert "page=1" in last["links"]["prev"] and "next" not in last["links"]
        assert validate_release_package(last) == []
        # Only the feed pages; a tender's own package and record do not declare it.
        tender_id = page["releases"][0]["tender"]["id"]
        own = await _json(api, f"/api/v1/tenders/{tender_id}/ocds")
        record = await _json(api, f"/api/v1/tenders/{tender_id}/ocds/record")
        assert PAGINATION not in own["extensions"] and PAGINATION not in record["extensions"]

    async def test_a_link_that_is_not_a_url_is_an_error(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        await j.published(api, clock)
        page = await _json(api, "/api/v1/ocds/releases")
        page["links"] = {"next": "the second page"}
        assert validate_release_package(page) == ["/links/next: 'the second page' is not a 'uri'"]


class TestOnThePages:
    async def test_the_tenders_page_links_each_years_files(
        self, api: Api, clock: FrozenClock
    ) -> None:
        page = await api.client.get("/tenders")
        assert "Open data" in page.text and "Nothing has been published yet." in page.text
        j = await joint(api)
        tender = await j.published(api, clock)

        page = await api.client.get("/tenders")
        assert page.status_code == 200
        assert 'href="/api/v1/ocds/bulk/2026.json"' in page.text
        assert 'href="/api/v1/ocds/bulk/2026.jsonl"' in page.text
        assert "1 release" in page.text
        assert (await api.client.get("/api/v1/ocds/bulk/2026.jsonl")).status_code == 200

        shown = await api.client.get(f"/tenders/{tender['id']}")
        assert f'href="/api/v1/tenders/{tender["id"]}/ocds/record"' in shown.text

    async def test_in_french_and_german(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        await j.published(api, clock)
        fr = await api.client.get("/tenders", headers={"Accept-Language": "fr"})
        assert "Télécharger en une fois toutes les publications d\u2019une année" in fr.text
        de = await api.client.get("/tenders", headers={"Accept-Language": "de"})
        assert "JSON Lines (eine Veröffentlichung pro Zeile)" in de.text
