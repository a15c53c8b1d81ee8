"""What the field's own checker says of our OCDS data: libcoveocds (the library of OCP's Data
Review Tool), run offline with the bundled schema, codelists and extensions (`tests/tenders/
cove.py`), with every check on. Every kind of release the marketplace publishes (tender,
amendment, cancellation, award, unsuccessful lot, and the releases of imported TED notices),
the yearly bulk files, the paged feed and the record packages must come out without a
single remark; a code that is not in its codelist must be reported."""

from __future__ import annotations

import copy
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.clock import FrozenClock
from marketplace.settings import Settings
from marketplace.tenders.imports import import_file
from marketplace.tenders.ocds import EXTENSION_URLS
from tests.factories import Api
from tests.tenders.cove import offline, problems, review
from tests.tenders.helpers import Joint
from tests.tenders.notices.helpers import EFORMS, TED_R209
from tests.tenders.test_contracts import contract_body
from tests.tenders.test_ocds_api import awarded_and_amended


async def _json(api: Api, url: str, **params: Any) -> dict[str, Any]:
    r = await api.client.get(url, params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def publish_everything(
    api: Api, clock: FrozenClock, db: AsyncSession, settings: Settings
) -> None:
    """A tender amended, awarded on one lot and unsuccessful on the other; one cancelled;
    every TED notice of the test data imported."""
    j, tender = await awarded_and_amended(api, clock)
    await implemented(api, clock, j, tender)
    r = await api.client.post(
        f"/api/v1/tenders/{tender['id']}/unsuccessful",
        json={"lot_id": tender["lots"][1]["id"], "reason": "No tender met the requirements"},
        headers=j.lead.headers,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    cancelled = await j.published(api, clock)
    clock.advance(timedelta(hours=2))
    r = await api.client.post(
        f"/api/v1/tenders/{cancelled['id']}/cancel", json={"reason": "Budget withdrawn"},
        headers=j.lead.headers,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    for path in TED_R209 + EFORMS:
        report = await import_file(db, path.read_bytes(), clock.now(), settings, source=path.name)
        assert report.status != "refused", (path.name, report.message)
    await db.commit()


async def implemented(api: Api, clock: FrozenClock, j: Joint, tender: dict[str, Any]) -> None:
    """The awarded lot's contract signed, a milestone met, a payment made, the contract
    amended and then terminated: one release of each contract kind."""
    base = f"/api/v1/tenders/{tender['id']}/lots/{tender['lots'][0]['id']}/contract"
    today = clock.now().date()
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("post", base, contract_body(clock)),
        ("post", f"{base}/milestones",
         {"title": "Displays installed", "due_date": (today + timedelta(days=30)).isoformat()}),
        ("post", f"{base}/transactions",
         {"date": today.isoformat(), "value": {"amount": "50000.00", "currency": "EUR"},
          "payer_id": j.city_b["id"]}),
        ("patch", base, {"rationale": "Two more displays",
                         "changes": {"value": {"amount": "119500.00", "currency": "EUR"}}}),
    ]  # fmt: skip
    for method, url, body in steps:
        r = await getattr(api.client, method)(url, json=body, headers=j.lead.headers)
        assert r.status_code in (200, 201), r.text
        if url.endswith("/milestones"):
            milestone = r.json()["id"]
            r = await api.client.post(f"{url}/{milestone}/met", headers=j.lead.headers)
            assert r.status_code == 200, r.text
    r = await api.client.post(f"{base}/terminate", json={"reason": "Supplier insolvent"},
                              headers=j.lead.headers)  # fmt: skip
    assert r.status_code == 200, r.text


async def every_year(api: Api) -> list[dict[str, Any]]:
    index = await _json(api, "/api/v1/ocds/bulk")
    return [await _json(api, f"/api/v1/ocds/bulk/{item['year']}.json") for item in index["items"]]


@pytest.fixture
async def published(
    api: Api, clock: FrozenClock, db: AsyncSession, settings: Settings
) -> list[dict[str, Any]]:
    """The bulk files of every year after publishing everything."""
    await publish_everything(api, clock, db, settings)
    return await every_year(api)


class TestEveryKindPasses:
    async def test_every_release_in_the_bulk_files(
        self, published: list[dict[str, Any]], tmp_path: Path
    ) -> None:
        releases = [rel for package in published for rel in package["releases"]]
        tags = {rel["tag"][0] for rel in releases}
        assert tags == {"tender", "tenderAmendment", "tenderCancellation", "award", "contract",
                        "implementation", "contractAmendment", "contractTermination"}  # fmt: skip
        assert any("statistics" in rel.get("bids", {}) for rel in releases)
        assert any(c["status"] == "terminated" for rel in releases
                   for c in rel.get("contracts", []))  # fmt: skip
        assert any("-notice-" in rel["id"] for rel in releases)  # imported notices
        assert any(a["status"] == "unsuccessful" for rel in releases for a in rel.get("awards", []))

        for package in published:
            report = review(package, tmp_path)
            assert problems(report) == {}, package["uri"]
            # Every declared extension was read (from the bundled copy) and applied.
            assert report["extensions"]["is_extended_schema"] is True
            applied = {e["url"] for e in report["extensions"]["extensions"]}
            assert applied == set(package["extensions"])

    async def test_the_record_packages(
        self, api: Api, published: list[dict[str, Any]], tmp_path: Path
    ) -> None:
        tender_ids = dict.fromkeys(
            rel["tender"]["id"] for package in published for rel in package["releases"]
        )
        records = [await _json(api, f"/api/v1/tenders/{t}/ocds/record") for t in tender_ids]
        assert problems(review(records[0], tmp_path)) == {}
        # All the records in one package: one review of every compiled release.
        every = {**records[0], "records": [r for p in records for r in p["records"]]}
        assert len(every["records"]) == len(tender_ids) > 20
        report = review(every, tmp_path)
        assert problems(report) == {}
        assert report["extensions"]["is_extended_schema"] is True

    async def test_a_page_of_the_feed(
        self, api: Api, published: list[dict[str, Any]], tmp_path: Path
    ) -> None:
        page = await _json(api, "/api/v1/ocds/releases", per_page=5, page=2)
        assert set(page["links"]) == {"next", "prev"}
        assert EXTENSION_URLS["pagination"] in page["extensions"]
        report = review(page, tmp_path)
        # libcoveocds merges only release-schema patches, never a package-schema patch such
        # as the pagination extension's, so it lists `links` as a field it does not know
        # (a remark, not an error) even though the package declares where it comes from.
        assert [f["field"] for f in report["additional_fields"]] == ["links"]
        assert problems(report, allowed_fields=frozenset({"links"})) == {}


class TestBogusCodesAreReported:
    """The codelist checks are on, for core codelists and extensions' alike."""

    @pytest.fixture
    async def package(self, api: Api, clock: FrozenClock) -> dict[str, Any]:
        _, tender = await awarded_and_amended(api, clock)
        return await _json(api, f"/api/v1/tenders/{tender['id']}/ocds")

    async def test_a_tender_status_not_in_the_closed_codelist(
        self, package: dict[str, Any], tmp_path: Path
    ) -> None:
        package["releases"][0]["tender"]["status"] = "bogus"
        found = problems(review(package, tmp_path))
        closed = found["closed_codelists"]["releases/tender/status"]
        assert closed["codelist"] == "tenderStatus.csv" and closed["values"] == ["bogus"]
        assert closed["isopen"] is False

    async def test_a_document_type_not_in_the_open_codelist(
        self, api: Api, clock: FrozenClock, tmp_path: Path
    ) -> None:
        from tests.tenders.helpers import joint

        j = await joint(api)
        tender = await j.published(
            api, clock, documents_url="https://procurement.example.eu/docs/bus-displays"
        )
        package = await _json(api, f"/api/v1/tenders/{tender['id']}/ocds")
        document = package["releases"][0]["tender"]["documents"][0]
        assert document["documentType"] == "biddingDocuments"
        assert problems(review(package, tmp_path)) == {}

        document["documentType"] = "bogusDocuments"
        found = problems(review(package, tmp_path))
        open_ = found["open_codelists"]["releases/tender/documents/documentType"]
        assert open_["codelist"] == "documentType.csv" and open_["values"] == ["bogusDocuments"]

    async def test_a_code_of_an_extensions_codelist(
        self, package: dict[str, Any], tmp_path: Path
    ) -> None:
        """partyScale comes with the partyDetails_scale extension: the checker found it in
        the bundled copy, so a code outside it is reported."""
        award = package["releases"][-1]
        supplier = next(p for p in award["parties"] if "supplier" in p["roles"])
        supplier["details"]["scale"] = "enormous"
        found = problems(review(package, tmp_path))
        scale = found["closed_codelists"]["releases/parties/details/scale"]
        assert scale["codelist"] == "partyScale.csv" and scale["values"] == ["enormous"]
        assert scale["extension_codelist"] is True

    async def test_a_contract_status_and_a_statistic_measure(
        self, api: Api, clock: FrozenClock, tmp_path: Path
    ) -> None:
        """contractStatus is core and closed; the bid extension's statistic codelist is open."""
        j, tender = await awarded_and_amended(api, clock)
        await implemented(api, clock, j, tender)
        package = await _json(api, f"/api/v1/tenders/{tender['id']}/ocds")
        assert problems(review(package, tmp_path)) == {}
        last = package["releases"][-1]
        last["contracts"][0]["status"] = "bogus"
        last["bids"]["statistics"][0]["measure"] = "bogusBids"
        found = problems(review(package, tmp_path))
        assert found["closed_codelists"]["releases/contracts/status"]["values"] == ["bogus"]
        statistic = found["open_codelists"]["releases/bids/statistics/measure"]
        assert statistic["codelist"] == "statistic.csv" and statistic["values"] == ["bogusBids"]
        assert statistic["extension_codelist"] is True

    async def test_in_a_compiled_release(
        self, api: Api, package: dict[str, Any], tmp_path: Path
    ) -> None:
        tender_id = package["releases"][0]["tender"]["id"]
        record = await _json(api, f"/api/v1/tenders/{tender_id}/ocds/record")
        bad = copy.deepcopy(record)
        bad["records"][0]["compiledRelease"]["tender"]["status"] = "bogus"
        found = problems(review(bad, tmp_path))
        assert found["closed_codelists"]["records/compiledRelease/tender/status"]["values"] == [
            "bogus"
        ]


def test_nothing_is_fetched(tmp_path: Path) -> None:
    """Offline means offline: the checker asked only for bundled files, and any other address
    fails instead of reaching the network."""
    import requests
    from ocdsextensionregistry import util

    with offline() as bundled:
        with pytest.raises(requests.ConnectionError, match="offline"):
            util.session.get("https://standard.open-contracting.org/schema/1__1__5/")
        lots = EXTENSION_URLS["lots"]
        assert util.session.get(lots).json()["name"]["en"] == "Lots"
    assert bundled.asked[-1] == lots


class TestDocumentsPass:
    """Uploaded documents, links, a lot's, a replaced one and an award's: every release and
    the record come out of the checker without a remark, and a bogus type on an award's
    document is reported."""

    @pytest.fixture
    async def tender_id(self, api: Api, clock: FrozenClock) -> str:
        from tests.tenders.test_documents import PDF, upload

        j, tender = await awarded_and_amended(api, clock)
        tid = tender["id"]
        first = await upload(api, tid, j.lead)
        assert first.status_code == 201, first.text
        r = await upload(api, tid, j.lead, name="quantities.csv", content=b"lot,units\n1,200\n",
                         content_type="text/csv", kind="billOfQuantity", title="Quantities",
                         lot_id=tender["lots"][0]["id"])  # fmt: skip
        assert r.status_code == 201, r.text
        r = await api.client.post(
            f"/api/v1/tenders/{tid}/documents", headers=j.lead.headers,
            json={"title": "Portal", "url": "https://procurement.example.eu/t/1"},
        )  # fmt: skip
        assert r.status_code == 201, r.text
        clock.advance(timedelta(hours=1))
        r = await api.client.post(
            f"/api/v1/documents/{first.json()['id']}/replace", headers=j.lead.headers,
            files={"file": ("v2.pdf", PDF + b"\n", "application/pdf")},
        )  # fmt: skip
        assert r.status_code == 201, r.text
        [decision] = await _json(api, f"/api/v1/tenders/{tid}/awards")
        r = await upload(api, tid, j.lead, name="award.pdf", kind="awardNotice",
                         title="Award notice", decision_id=decision["id"])  # fmt: skip
        assert r.status_code == 201, r.text
        return str(tid)

    async def test_every_release_and_the_record(
        self, api: Api, tender_id: str, tmp_path: Path
    ) -> None:
        package = await _json(api, f"/api/v1/tenders/{tender_id}/ocds")
        tags = [rel["tag"][0] for rel in package["releases"]]
        assert tags[-5:] == ["tenderUpdate"] * 4 + ["awardUpdate"]
        assert problems(review(package, tmp_path)) == {}
        record = await _json(api, f"/api/v1/tenders/{tender_id}/ocds/record")
        compiled = record["records"][0]["compiledRelease"]
        assert len(compiled["tender"]["documents"]) == 3  # the replaced one once, as v2
        assert len(compiled["awards"][0]["documents"]) == 1
        assert problems(review(record, tmp_path)) == {}

    async def test_a_bogus_type_on_an_awards_document(
        self, api: Api, tender_id: str, tmp_path: Path
    ) -> None:
        package = await _json(api, f"/api/v1/tenders/{tender_id}/ocds")
        package["releases"][-1]["awards"][0]["documents"][0]["documentType"] = "bogusNotice"
        found = problems(review(package, tmp_path))
        open_ = found["open_codelists"]["releases/awards/documents/documentType"]
        assert open_["values"] == ["bogusNotice"]
