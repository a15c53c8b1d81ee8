"""The documents on the tender page, the lead's upload and link forms (multipart, CSRF),
and the attachments on the response form."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.clock import FrozenClock
from marketplace.tenders.models import Document
from tests.factories import Api, csrf
from tests.tenders.helpers import joint
from tests.tenders.test_documents import HTML, PDF, SECRET_PLAN, upload


class TestTenderPageDocuments:
    async def test_listed_per_tender_and_lot_with_size_and_type(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await upload(api, tender["id"], j.lead, title="Specs <b>bold</b>")
        await upload(api, tender["id"], j.lead, name="q.csv", content=b"a,b\n" * 400,
                     content_type="text/csv", kind="billOfQuantity", title="Quantities",
                     lot_id=tender["lots"][1]["id"])  # fmt: skip
        page = await api.client.get(f"/tenders/{tender['id']}")
        assert page.status_code == 200
        text = page.text
        assert 'id="documents"' in text
        assert "Specs &lt;b&gt;bold&lt;/b&gt;" in text  # escaped
        assert "PDF, 1 kB" in text and "CSV, 2 kB" in text
        assert "Lot 2: Data platform" in text.split('id="documents"', 1)[1]
        assert "Bill of quantities" in text
        # The public sees no forms.
        assert 'action="/tenders/' + tender["id"] + '/documents"' not in text

    async def test_the_lead_uploads_through_the_form_with_csrf(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await api.sign_in_browser(j.lead)
        page = await api.client.get(f"/tenders/{tender['id']}")
        assert 'enctype="multipart/form-data"' in page.text
        action = f"/tenders/{tender['id']}/documents"
        assert f'action="{action}"' in page.text
        r = await api.client.post(
            action, data={"_csrf_token": csrf(page), "title": "Specifications",
                          "kind": "technicalSpecifications", "lot_id": ""},
            files={"file": ("spec.pdf", PDF, "application/pdf")}, follow_redirects=False,
        )  # fmt: skip
        assert r.status_code in (302, 303), r.text
        assert r.headers["location"] == f"/tenders/{tender['id']}#documents"
        shown = await api.client.get(f"/tenders/{tender['id']}")
        assert "Specifications" in shown.text and "The document is published." in shown.text
        # Without the token: refused, nothing stored.
        r = await api.client.post(
            action, data={"title": "Forged"}, files={"file": ("f.pdf", PDF, "application/pdf")},
        )  # fmt: skip
        assert r.status_code == 403
        count = await db.scalar(select(func.count()).select_from(Document))
        assert count == 1

    async def test_an_html_file_is_refused_on_the_form(self, api: Api, clock: FrozenClock) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await api.sign_in_browser(j.lead)
        page = await api.client.get(f"/tenders/{tender['id']}")
        r = await api.client.post(
            f"/tenders/{tender['id']}/documents",
            data={"_csrf_token": csrf(page), "title": "Plan", "kind": "biddingDocuments"},
            files={"file": ("plan.pdf", HTML, "application/pdf")},
        )  # fmt: skip
        assert r.status_code == 422
        assert 'id="file-error"' in r.text and "This kind of file is not accepted" in r.text
        assert "PDF" in r.text.split('id="file-error"', 1)[1][:400]  # says which are

    async def test_a_link_through_the_form_and_replace_then_no_remove_after_publication(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        await api.sign_in_browser(j.lead)
        page = await api.client.get(f"/tenders/{tender['id']}")
        r = await api.client.post(
            f"/tenders/{tender['id']}/documents",
            data={"_csrf_token": csrf(page), "title": "Portal", "kind": "biddingDocuments",
                  "url": "https://procurement.example.eu/t/1"},
            files={"file": ("", b"", "application/octet-stream")},  # no file chosen
        )  # fmt: skip
        assert r.status_code == 200 and "Portal" in r.text
        assert "Replace “Portal”" in r.text and ">Remove<" not in r.text


class TestResponseAttachmentsPage:
    async def test_the_sme_attaches_on_the_response_form(
        self, api: Api, clock: FrozenClock
    ) -> None:
        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (await j.respond(api, tender)).json()["id"]
        await api.sign_in_browser(j.supplier)
        edit = f"/tenders/{tender['id']}/responses/{rid}/edit"
        page = await api.client.get(edit)
        assert page.status_code == 200 and 'id="attachments"' in page.text
        r = await api.client.post(
            f"/tenders/{tender['id']}/responses/{rid}/attachments",
            data={"_csrf_token": csrf(page), "title": "Pricing model"},
            files={"file": ("pricing.pdf", SECRET_PLAN, "application/pdf")},
        )  # fmt: skip
        assert r.status_code == 200
        assert "Pricing model" in r.text and "The file is attached" in r.text
        # The buyers' page of the tender shows nothing of it.
        await api.sign_in_browser(j.lead)
        assert "Pricing model" not in (await api.client.get(f"/tenders/{tender['id']}")).text


class TestLargeUploadsThroughTheForm:
    async def test_a_file_above_the_apps_body_limit_goes_through_the_page(
        self, api: Api, clock: FrozenClock, db: AsyncSession
    ) -> None:
        """The CSRF check reads the multipart form before the page does: under the upload
        route's own limit, not the app's 2 MB."""
        j = await joint(api)
        tender = await j.published(api, clock)
        await api.sign_in_browser(j.lead)
        page = await api.client.get(f"/tenders/{tender['id']}")
        content = PDF + b"0" * 2_500_000
        r = await api.client.post(
            f"/tenders/{tender['id']}/documents",
            data={"_csrf_token": csrf(page), "title": "Drawings", "kind": "biddingDocuments"},
            files={"file": ("drawings.pdf", content, "application/pdf")},
            follow_redirects=False,
        )  # fmt: skip
        assert r.status_code in (302, 303), r.text[:300]
        size = await db.scalar(select(Document.size))
        assert size == len(content)


class TestAttachmentsOnTheEvaluationPage:
    async def test_buyers_see_them_after_the_deadline_only(
        self, api: Api, clock: FrozenClock
    ) -> None:
        from datetime import timedelta

        from tests.tenders.test_documents import attach

        j = await joint(api)
        tender = await j.published(api, clock)
        rid = (await j.respond(api, tender)).json()["id"]
        assert (await attach(api, tender["id"], rid, j.supplier)).status_code == 201
        await api.sign_in_browser(j.lead)
        early = await api.client.get(f"/tenders/{tender['id']}/responses")
        assert early.status_code == 403 and "Pricing model" not in early.text
        clock.advance(timedelta(days=36))
        page = await api.client.get(f"/tenders/{tender['id']}/responses")
        assert page.status_code == 200
        assert "Pricing model" in page.text and "/api/v1/documents/" in page.text
