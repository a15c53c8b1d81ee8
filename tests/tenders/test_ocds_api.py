"""OCDS releases through the API: stored at each public event, served as valid packages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from marketplace.clock import FrozenClock
from marketplace.tenders.ocds import validate_release_package
from tests.factories import Api
from tests.tenders.helpers import Joint, joint


async def awarded_and_amended(api: Api, clock: FrozenClock) -> tuple[Joint, dict[str, Any]]:
    j = await joint(api)
    tender = await j.published(api, clock)
    clock.advance(timedelta(hours=1))
    r = await api.client.post(
        f"/api/v1/tenders/{tender['id']}/amendments",
        json={"rationale": "Clearer title", "changes": {"title": "Passenger information"}},
        headers=j.lead.headers,
    )
    assert r.status_code == 201
    rid = (await j.respond(api, tender)).json()["id"]
    clock.advance(timedelta(days=36))
    r = await api.client.post(
        f"/api/v1/tenders/{tender['id']}/awards",
        json={"lot_id": tender["lots"][0]["id"], "response_id": rid,
              "value": {"amount": "120000.00", "currency": "EUR"}},
        headers=j.lead.headers,
    )  # fmt: skip
    assert r.status_code == 201
    return j, tender


class TestReleases:
    async def test_one_release_per_public_event_in_order(
        self, api: Api, clock: FrozenClock
    ) -> None:
        _, tender = await awarded_and_amended(api, clock)
        r = await api.client.get(f"/api/v1/tenders/{tender['id']}/ocds")
        assert r.status_code == 200
        releases = r.json()["releases"]
        assert [rel["tag"] for rel in releases] == [["tender"], ["tenderAmendment"], ["award"]]
        assert {rel["ocid"] for rel in releases} == {tender["ocid"]}
        assert len({rel["id"] for rel in releases}) == 3

    async def test_cancellation_release_and_no_release_for_drafts(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        draft = await j.create(api, clock)
        assert (await api.client.get(f"/api/v1/tenders/{draft['id']}/ocds")).status_code == 404
        tender = await j.published(api, clock)
        await api.client.post(
            f"/api/v1/tenders/{tender['id']}/cancel",
            json={"reason": "Budget withdrawn"},
            headers=j.lead.headers,
        )
        releases = (await api.client.get(f"/api/v1/tenders/{tender['id']}/ocds")).json()["releases"]
        assert [rel["tag"] for rel in releases] == [["tender"], ["tenderCancellation"]]

    async def test_all_releases_are_paged_and_filtered_by_date(
        self, api: Api, clock: FrozenClock
    ) -> None:
        start = clock.now()
        await awarded_and_amended(api, clock)
        r = await api.client.get("/api/v1/ocds/releases", params={"per_page": 2})
        body = r.json()
        assert len(body["releases"]) == 2 and "page=2" in body["links"]["next"]
        r = await api.client.get("/api/v1/ocds/releases", params={"page": 2, "per_page": 2})
        assert [rel["tag"] for rel in r.json()["releases"]] == [["award"]]
        later = (start + timedelta(days=30)).isoformat()
        r = await api.client.get("/api/v1/ocds/releases", params={"since": later})
        assert [rel["tag"] for rel in r.json()["releases"]] == [["award"]]


class TestValidity:
    async def test_every_release_kind_validates_against_the_shared_schemas(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j, tender = await awarded_and_amended(api, clock)
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/unsuccessful",
            json={"lot_id": tender["lots"][1]["id"], "reason": "No tender received"},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201 and r.json()["tender_status"] == "complete"
        cancelled = await j.published(api, clock)
        await api.client.post(
            f"/api/v1/tenders/{cancelled['id']}/cancel",
            json={"reason": "Budget withdrawn"},
            headers=j.lead.headers,
        )
        package = (await api.client.get("/api/v1/ocds/releases")).json()
        tags = sorted(rel["tag"][0] for rel in package["releases"])
        assert tags == ["award", "award", "tender", "tender", "tenderAmendment",
                        "tenderCancellation"]  # fmt: skip
        assert validate_release_package(package) == []
        for t in (tender, cancelled):
            one = (await api.client.get(f"/api/v1/tenders/{t['id']}/ocds")).json()
            assert validate_release_package(one) == []

    async def test_joint_buyers_and_sme_supplier_are_parties(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j, tender = await awarded_and_amended(api, clock)
        releases = (await api.client.get(f"/api/v1/tenders/{tender['id']}/ocds")).json()["releases"]
        first, last = releases[0], releases[-1]
        roles = {p["id"]: set(p["roles"]) for p in first["parties"]}
        assert {"buyer", "procuringEntity"} <= roles[j.city_a["id"]]
        assert "buyer" in roles[j.city_b["id"]]
        assert j.sme["id"] not in roles
        assert first["tender"]["procurementMethodModalities"] == ["joint"]
        assert [lot["id"] for lot in first["tender"]["lots"]] == [
            lot["id"] for lot in tender["lots"]
        ]
        supplier = next(p for p in last["parties"] if p["id"] == j.sme["id"])
        assert "supplier" in supplier["roles"] and supplier["details"]["scale"] == "sme"

    async def test_nothing_sealed_appears_before_the_deadline(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await j.respond(api, tender, technical_summary="A secret technical approach")
        for url in (f"/api/v1/tenders/{tender['id']}/ocds", "/api/v1/ocds/releases"):
            text = (await api.client.get(url)).text
            assert j.sme["id"] not in text and "secret technical" not in text
            assert "bids" not in text and "numberOfTenderers" not in text
