"""Documents of tenders, lots and awards, and the attachments of sealed responses, through
the API: who may publish them, what is accepted, how they are served, how a published one is
replaced (never removed), what OCDS publishes, and that attachments stay sealed."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.clock import FrozenClock
from marketplace.core.models import EventRecord
from marketplace.core.storage import CHUNK_BYTES
from marketplace.settings import Settings
from marketplace.tenders.models import AuditEntry
from marketplace.tenders.ocds import validate_release_package
from tests.factories import Api, Person
from tests.tenders.helpers import Joint, joint
from tests.tenders.test_ocds_api import awarded_and_amended

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SECRET_PLAN = b"%PDF-1.7\nOur secret pricing model\n%%EOF\n"


async def upload(
    api: Api, tender_id: str, person: Person, *, name: str = "specifications.pdf",
    content: bytes = PDF, content_type: str = "application/pdf", **fields: str,
) -> Any:  # fmt: skip
    data = {"title": "Technical specifications", "kind": "technicalSpecifications", **fields}
    return await api.client.post(
        f"/api/v1/tenders/{tender_id}/documents", data=data,
        files={"file": (name, content, content_type)}, headers=person.headers,
    )  # fmt: skip


def assert_served(response: Any, content: bytes, media_type: str, disposition: str,
                  cache: str = "no-cache") -> None:  # fmt: skip
    """A download as every storage serves it: the same bytes, as an attachment of its stored
    type and length, never sniffed, run or framed."""
    assert response.status_code == 200 and response.content == content
    headers = response.headers
    assert headers["content-type"].split(";")[0] == media_type
    assert headers["content-length"] == str(len(content))
    assert headers["content-disposition"] == disposition
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == cache
    csp = headers["content-security-policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp


async def releases(api: Api, tender_id: str) -> list[dict[str, Any]]:
    r = await api.client.get(f"/api/v1/tenders/{tender_id}/ocds")
    assert r.status_code == 200, r.text
    package: dict[str, Any] = r.json()
    assert validate_release_package(package) == []
    return list(package["releases"])


async def audit(db: AsyncSession, tender_id: str) -> list[AuditEntry]:
    await db.rollback()
    return list(await db.scalars(
        select(AuditEntry).where(AuditEntry.tender_id == tender_id).order_by(AuditEntry.seq)
    ))  # fmt: skip


async def kinds(db: AsyncSession) -> list[str]:
    await db.rollback()
    return list(await db.scalars(select(EventRecord.kind).order_by(EventRecord.id)))


class TestPublishingDocuments:
    async def test_the_lead_uploads_to_a_draft_and_publication_carries_it(
        self, api: Api, clock: FrozenClock, db: AsyncSession, settings: Settings
    ) -> None:
        j = await joint(api)
        draft = await j.create(api, clock)
        r = await upload(api, draft["id"], j.lead, description="What the displays must do")
        assert r.status_code == 201, r.text
        doc = r.json()
        assert doc["media_type"] == "application/pdf" and doc["size"] == len(PDF)
        assert doc["filename"] == "specifications.pdf" and len(doc["sha256"]) == 64
        assert doc["url"] == f"{settings.base_url}/api/v1/documents/{doc['id']}/download"
        assert doc["published_at"] is None and doc["series_id"] == doc["id"]
        url = f"/api/v1/tenders/{draft['id']}/documents"
        assert (await api.client.get(url)).status_code == 404  # a draft is not public
        listed = (await api.client.get(url, headers=j.partner.headers)).json()
        assert [d["id"] for d in listed["items"]] == [doc["id"]] and listed["total"] == 1
        # Publishing: the tender release lists it, published with the tender.
        tender = await j.published(api, clock, title="ignored")  # a second tender
        r = await api.client.post(
            f"/api/v1/tenders/{draft['id']}/buyers/{j.city_b['id']}/confirm",
            headers=j.partner.headers,
        )
        assert r.status_code == 200
        r = await api.client.post(f"/api/v1/tenders/{draft['id']}/publish", headers=j.lead.headers)
        assert r.status_code == 200, r.text
        [release] = await releases(api, draft["id"])
        [published] = release["tender"]["documents"]
        assert published == {
            "id": doc["id"], "documentType": "technicalSpecifications",
            "title": "Technical specifications", "description": "What the displays must do",
            "url": doc["url"], "format": "application/pdf", "language": "en",
            "datePublished": release["date"],
        }  # fmt: skip
        assert (await api.client.get(url)).json()["total"] == 1  # public now
        # The tender itself lists it, as the documents endpoint does.
        shown = (await api.client.get(f"/api/v1/tenders/{draft['id']}")).json()
        assert [d["id"] for d in shown["documents"]] == [doc["id"]]
        assert shown["documents"][0]["download_url"] == f"/api/v1/documents/{doc['id']}/download"
        assert tender["id"] != draft["id"]

    async def test_only_the_lead_citys_editors_publish_documents(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        admin = await api.person("Admin", admin=True)
        for person, status in ((j.partner, 403), (j.supplier, 403), (admin, 403)):
            r = await upload(api, tender["id"], person)
            assert r.status_code == status, (person.email, r.text)
        anonymous = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/documents", data={"title": "x"},
            files={"file": ("a.pdf", PDF, "application/pdf")},
        )  # fmt: skip
        assert anonymous.status_code == 401
        assert (await api.client.get(f"/api/v1/tenders/{tender['id']}/documents")).json()[
            "total"
        ] == 0

    async def test_a_document_after_publication_is_a_release_of_its_own(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        # The same second as the publication: the release is still dated after it.
        lot = tender["lots"][1]
        r = await upload(api, tender["id"], j.lead, name="Clarifications.txt",
                         content=b"Answers to the questions of 3 March.\n",
                         content_type="text/plain", kind="clarifications",
                         title="Clarifications", lot_id=lot["id"], language="fi")  # fmt: skip
        assert r.status_code == 201, r.text
        doc = r.json()
        tender_release, update = await releases(api, tender["id"])
        assert update["tag"] == ["tenderUpdate"]
        assert update["id"] == f"{tender['ocid']}-document-{doc['id']}"
        assert update["date"] > tender_release["date"]
        [published] = update["tender"]["documents"]
        assert published["relatedLots"] == [lot["id"]]
        assert published["format"] == "text/plain" and published["language"] == "fi"
        assert published["documentType"] == "clarifications"
        entry = (await audit(db, tender["id"]))[-1]
        assert entry.action == "document.published" and entry.public
        assert "document.published" in await kinds(db)

    async def test_a_link_to_a_document_elsewhere(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/documents",
            json={"title": "Procurement documents on the city's portal",
                  "kind": "biddingDocuments", "url": "https://hankinnat.espoo.fi/t/123"},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        link = r.json()
        assert link["sha256"] is None and link["download_url"] is None
        download = await api.client.get(
            f"/api/v1/documents/{link['id']}/download", follow_redirects=False
        )
        assert download.status_code == 302
        assert download.headers["location"] == "https://hankinnat.espoo.fi/t/123"
        [published] = (await releases(api, tender["id"]))[-1]["tender"]["documents"]
        assert published["url"] == "https://hankinnat.espoo.fi/t/123"
        assert "format" not in published

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"kind": "notACode"}, "kind"),
            ({"kind": "awardNotice"}, "kind"),  # an award's, not a tender's
            ({"lot_id": "not-a-lot"}, "lot_id"),
            ({"decision_id": "not-a-decision"}, "decision_id"),
            ({"title": ""}, "title"),
            ({"language": "english"}, "language"),
        ],
    )
    async def test_bad_input_names_the_field(
        self, api: Api, clock: FrozenClock, fields: dict[str, str], field: str
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await upload(api, tender["id"], j.lead, **fields)
        assert r.status_code == 422, r.text
        assert field in [e["field"] for e in r.json()["errors"]]

    async def test_neither_file_nor_link_or_both(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        url = f"/api/v1/tenders/{tender['id']}/documents"
        r = await api.client.post(url, json={"title": "Nothing"}, headers=j.lead.headers)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"
        r = await upload(api, tender["id"], j.lead, url="https://example.org/a.pdf")
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "url"


class TestUploadLimits:
    async def test_html_renamed_pdf_is_refused_whatever_the_client_says(
        self, api: Api, clock: FrozenClock, db: AsyncSession, settings: Settings
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        for name, content_type in (("plan.pdf", "application/pdf"), ("plan.html", "text/html"),
                                   ("plan.txt", "text/plain")):  # fmt: skip
            r = await upload(api, tender["id"], j.lead, name=name, content=HTML,
                             content_type=content_type)  # fmt: skip
            assert r.status_code == 422, r.text
            assert r.json()["code"] == "invalid-input"
            assert [e["field"] for e in r.json()["errors"]] == ["file"]
        assert settings.documents_dir is not None
        assert not settings.documents_dir.exists() or not any(
            p.read_bytes() == HTML for p in settings.documents_dir.rglob("*") if p.is_file()
        )
        assert (await api.client.get(f"/api/v1/tenders/{tender['id']}/documents")).json()[
            "total"
        ] == 0

    async def test_a_file_named_as_another_type_is_refused(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await upload(api, tender["id"], j.lead, name="budget.xlsx")
        assert r.status_code == 422 and "PDF" in r.json()["errors"][0]["message"]
        r = await upload(api, tender["id"], j.lead, name="empty.pdf", content=b"")
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"

    async def test_larger_than_the_setting_is_413(
        self, api: Api, clock: FrozenClock, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        monkeypatch.setattr(settings, "documents_max_bytes", 4096)
        r = await upload(api, tender["id"], j.lead, content=PDF + b"0" * 5000)
        assert r.status_code == 413, r.text
        assert r.json()["code"] == "too-large"
        assert r.headers["content-type"].startswith("application/problem+json")
        # Announced larger than a file may be: refused before the body is read.
        big = PDF + b"0" * 200_000
        r = await upload(api, tender["id"], j.lead, content=big)
        assert r.status_code == 413 and r.json()["code"] == "too-large"

    async def test_the_default_limit_is_above_the_apps_body_limit(
        self, api: Api, clock: FrozenClock, settings: Settings
    ) -> None:
        """The app takes 2 MB bodies; a document may be 20 MB: the upload endpoints allow it."""
        assert settings.documents_max_bytes > settings.max_body_bytes
        j = await joint(api)
        tender = await j.published(api, clock)
        content = PDF + b"%" + b"0" * (settings.max_body_bytes + 10_000)
        r = await upload(api, tender["id"], j.lead, content=content)
        assert r.status_code == 201, r.text[:300]
        assert r.json()["size"] == len(content)


class TestDownloads:
    async def test_served_as_an_attachment_of_its_stored_type_never_inline(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        text = "Réponses : la plate-forme doit être ouverte.\n".encode()
        r = await upload(api, tender["id"], j.lead, name="../../Réponses.txt", content=text,
                         content_type="text/html", kind="clarifications")  # fmt: skip
        assert r.status_code == 201, r.text
        doc = r.json()
        assert doc["filename"] == "Réponses.txt" and doc["media_type"] == "text/plain"
        d = await api.client.get(f"/api/v1/documents/{doc['id']}/download")
        assert_served(d, text, "text/plain",
                      "attachment; filename=\"Reponses.txt\"; filename*=UTF-8''R%C3%A9ponses.txt")  # fmt: skip

    async def test_a_large_file_is_streamed_back_identical(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        large = PDF + os.urandom(3 * CHUNK_BYTES)  # several pieces, none of them text
        doc = (await upload(api, tender["id"], j.lead, content=large)).json()
        d = await api.client.get(f"/api/v1/documents/{doc['id']}/download")
        assert_served(d, large, "application/pdf",
                      'attachment; filename="specifications.pdf"; '
                      "filename*=UTF-8''specifications.pdf")  # fmt: skip

    async def test_a_drafts_documents_are_not_downloadable_by_the_public(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        draft = await j.create(api, clock)
        doc = (await upload(api, draft["id"], j.lead)).json()
        url = f"/api/v1/documents/{doc['id']}/download"
        assert (await api.client.get(url)).status_code == 404
        assert (await api.client.get(url, headers=j.supplier.headers)).status_code == 404
        assert (await api.client.get(url, headers=j.partner.headers)).status_code == 200
        assert (await api.client.get("/api/v1/documents/nope/download")).status_code == 404


class TestReplacingNotRemoving:
    async def test_a_published_document_is_replaced_and_the_old_one_stays_on_record(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        old = (await upload(api, tender["id"], j.lead)).json()
        clock.advance(timedelta(days=2))
        assert (await api.client.delete(f"/api/v1/documents/{old['id']}",
                                        headers=j.lead.headers)).status_code == 409  # fmt: skip
        new_pdf = PDF.replace(b"1.7", b"2.0")
        r = await api.client.post(
            f"/api/v1/documents/{old['id']}/replace", data={"title": "Specifications v2"},
            files={"file": ("specifications-v2.pdf", new_pdf, "application/pdf")},
            headers=j.lead.headers,
        )  # fmt: skip
        assert r.status_code == 201, r.text
        new = r.json()
        assert new["series_id"] == old["id"] and new["sha256"] != old["sha256"]
        listed = (await api.client.get(f"/api/v1/tenders/{tender['id']}/documents")).json()
        assert [d["id"] for d in listed["items"]] == [new["id"]]
        versions = (await api.client.get(f"/api/v1/documents/{new['id']}/versions")).json()
        assert [v["id"] for v in versions] == [old["id"], new["id"]]
        assert versions[0]["replaced_by_id"] == new["id"]
        # The earlier release still points to the old file, which is still there.
        old_file = await api.client.get(f"/api/v1/documents/{old['id']}/download")
        assert old_file.status_code == 200 and old_file.content == PDF
        rels = await releases(api, tender["id"])
        assert [r["tag"] for r in rels] == [["tender"], ["tenderUpdate"], ["tenderUpdate"]]
        first, second = rels[1]["tender"]["documents"][0], rels[2]["tender"]["documents"][0]
        assert first["id"] == second["id"] == old["id"]
        assert first["url"] == old["url"] and second["url"] == new["url"]
        assert second["title"] == "Specifications v2"
        assert second["datePublished"] == first["datePublished"]
        assert second["dateModified"] > second["datePublished"]
        assert [e.action for e in await audit(db, tender["id"])][-1] == "document.replaced"
        # A replaced version cannot be replaced again: the current one is.
        again = await api.client.post(
            f"/api/v1/documents/{old['id']}/replace", json={"url": "https://example.org/x.pdf"},
            headers=j.lead.headers,
        )  # fmt: skip
        assert again.status_code == 409

    async def test_a_drafts_document_is_removed(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j = await joint(api)
        draft = await j.create(api, clock)
        doc = (await upload(api, draft["id"], j.lead)).json()
        url = f"/api/v1/documents/{doc['id']}"
        assert (await api.client.delete(url, headers=j.partner.headers)).status_code == 403
        assert (await api.client.delete(url, headers=j.lead.headers)).status_code == 204
        listed = await api.client.get(f"/api/v1/tenders/{draft['id']}/documents",
                                      headers=j.lead.headers)  # fmt: skip
        assert listed.json()["total"] == 0
        assert "document.removed" in await kinds(db)


class TestAwardDocuments:
    async def test_an_award_document_is_published_on_the_award(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j, tender = await awarded_and_amended(api, clock)
        [decision] = (await api.client.get(f"/api/v1/tenders/{tender['id']}/awards")).json()
        r = await upload(api, tender["id"], j.lead, name="award.pdf", title="Award decision",
                         kind="awardNotice", decision_id=decision["id"])  # fmt: skip
        assert r.status_code == 201, r.text
        last = (await releases(api, tender["id"]))[-1]
        assert last["tag"] == ["awardUpdate"]
        [award] = last["awards"]
        assert [d["documentType"] for d in award["documents"]] == ["awardNotice"]
        assert "documents" not in last["tender"]
        r = await upload(api, tender["id"], j.lead, kind="biddingDocuments",
                         decision_id=decision["id"])  # fmt: skip
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "kind"


async def attach(
    api: Api, tender_id: str, response_id: str, person: Person, content: bytes = SECRET_PLAN
) -> Any:
    return await api.client.post(
        f"/api/v1/tenders/{tender_id}/responses/{response_id}/attachments",
        data={"title": "Pricing model"}, files={"file": ("pricing.pdf", content, "application/pdf")},
        headers=person.headers,
    )  # fmt: skip


async def refusals(db: AsyncSession) -> list[str]:
    await db.rollback()  # a fresh read: what the requests committed since
    return list(await db.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("refused.%"))
    ))  # fmt: skip


class TestSealedAttachments:
    async def _responded(self, api: Api, clock: FrozenClock) -> tuple[Joint, dict[str, Any], str]:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await j.respond(api, tender)
        assert r.status_code == 201, r.text
        return j, tender, r.json()["id"]

    async def test_nobody_but_the_responding_organisation_downloads_before_the_deadline(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j, tender, rid = await self._responded(api, clock)
        r = await attach(api, tender["id"], rid, j.supplier)
        assert r.status_code == 201, r.text
        attachment = r.json()
        url = f"/api/v1/documents/{attachment['id']}/download"
        own = await api.client.get(url, headers=j.supplier.headers)
        assert own.status_code == 200 and own.content == SECRET_PLAN
        assert own.headers["cache-control"] == "private, no-store"
        admin = await api.person("Admin", admin=True)
        rival = await api.person("Rival")
        await api.organisation(rival, "sme")
        for person in (j.lead, j.partner, admin, rival):
            r = await api.client.get(url, headers=person.headers)
            assert r.status_code == 403, person.email
            assert r.json()["code"] == "sealed" and b"secret" not in r.content
        anonymous = await api.client.get(url)
        assert anonymous.status_code == 403 and anonymous.json()["code"] == "sealed"
        assert (await refusals(db)).count("refused.attachment.read") == 5
        # Nor listed: the list is read as the response is.
        listing = f"/api/v1/tenders/{tender['id']}/responses/{rid}/attachments"
        assert (await api.client.get(listing, headers=j.lead.headers)).status_code == 403
        assert "refused.response.read" in await refusals(db)
        own_list = await api.client.get(listing, headers=j.supplier.headers)
        assert [a["id"] for a in own_list.json()["items"]] == [attachment["id"]]
        # Never a document of the tender, never in OCDS.
        assert (await api.client.get(f"/api/v1/tenders/{tender['id']}/documents")).json()[
            "total"
        ] == 0
        for person in (None, j.lead, j.supplier):
            shown = await api.client.get(
                f"/api/v1/tenders/{tender['id']}", headers=person.headers if person else None
            )
            assert shown.json()["documents"] == [] and attachment["id"] not in shown.text
        ocds = await api.client.get(f"/api/v1/tenders/{tender['id']}/ocds")
        assert attachment["id"] not in ocds.text and attachment["sha256"] not in ocds.text
        # The audit entry of the attachment is the response's, sealed.
        entry = await audit(db, tender["id"])
        attached = [e for e in entry if e.after and e.after.get("attachment_id")]
        assert attached and all(e.sealed and not e.public for e in attached)

    async def test_others_cannot_attach_and_the_attempt_is_audited(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j, tender, rid = await self._responded(api, clock)
        r = await attach(api, tender["id"], rid, j.lead)
        assert r.status_code == 403 and r.json()["code"] == "sealed"
        assert "refused.response.attach" in await refusals(db)

    async def test_after_the_deadline_buyers_read_and_the_sme_can_no_longer_change(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j, tender, rid = await self._responded(api, clock)
        attachment = (await attach(api, tender["id"], rid, j.supplier)).json()
        clock.advance(timedelta(days=36))
        url = f"/api/v1/documents/{attachment['id']}/download"
        for person in (j.lead, j.partner, j.supplier):
            r = await api.client.get(url, headers=person.headers)
            assert r.status_code == 200 and r.content == SECRET_PLAN
        rival = await api.person("Rival")
        await api.organisation(rival, "sme")
        assert (await api.client.get(url, headers=rival.headers)).status_code == 404
        late = await attach(api, tender["id"], rid, j.supplier)
        assert late.status_code == 409
        gone = await api.client.delete(
            f"/api/v1/tenders/{tender['id']}/responses/{rid}/attachments/{attachment['id']}",
            headers=j.supplier.headers,
        )  # fmt: skip
        assert gone.status_code == 409

    async def test_the_sme_removes_an_attachment_before_the_deadline(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j, tender, rid = await self._responded(api, clock)
        attachment = (await attach(api, tender["id"], rid, j.supplier)).json()
        base = f"/api/v1/tenders/{tender['id']}/responses/{rid}/attachments"
        r = await api.client.delete(f"{base}/{attachment['id']}", headers=j.supplier.headers)
        assert r.status_code == 204
        assert (await api.client.get(base, headers=j.supplier.headers)).json()["total"] == 0
        bad = await attach(api, tender["id"], rid, j.supplier, content=HTML)
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "file"


class TestBounds:
    async def test_a_response_carries_a_bounded_number_of_attachments(
        self, api: Api, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from marketplace.tenders import documents

        monkeypatch.setattr(documents, "MAX_ATTACHMENTS", 2)
        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (await j.respond(api, tender)).json()["id"]
        for _ in range(2):
            assert (await attach(api, tender["id"], rid, j.supplier)).status_code == 201
        r = await attach(api, tender["id"], rid, j.supplier)
        assert r.status_code == 422 and "at most 2 attachments" in r.json()["errors"][0]["message"]

    async def test_a_link_is_a_small_json_body(
        self, api: Api, clock: FrozenClock, settings: Settings
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        r = await api.client.post(
            f"/api/v1/tenders/{tender['id']}/documents", headers=j.lead.headers,
            json={"title": "x" * (settings.max_body_bytes + 10), "url": "https://example.org/a"},
        )  # fmt: skip
        assert r.status_code == 413 and r.json()["code"] == "too-large"

    async def test_an_oversized_page_upload_is_refused_before_the_form_is_read(
        self, api: Api, clock: FrozenClock, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from tests.factories import csrf

        j = await joint(api)
        tender = await j.published(api, clock)
        await api.sign_in_browser(j.lead)
        page = await api.client.get(f"/tenders/{tender['id']}")
        monkeypatch.setattr(settings, "documents_max_bytes", 4096)
        r = await api.client.post(
            f"/tenders/{tender['id']}/documents",
            data={"_csrf_token": csrf(page), "title": "Big", "kind": "biddingDocuments"},
            files={"file": ("big.pdf", PDF + b"0" * 200_000, "application/pdf")},
        )  # fmt: skip
        assert r.status_code == 413
