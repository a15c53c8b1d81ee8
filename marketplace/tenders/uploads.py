"""Reading an upload and serving a stored file: what the documents' API and pages share
(controllers' side; the rules are in `documents.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.response import Stream

from marketplace.accounts.principal import Actor
from marketplace.core.files import ACCEPTED, content_disposition
from marketplace.core.storage import Readable, chunks
from marketplace.i18n import N_
from marketplace.i18n import gettext as _
from marketplace.settings import UPLOAD_CEILING_BYTES, Settings
from marketplace.tenders.documents import Upload
from marketplace.tenders.models import Document, Tender
from marketplace.tenders.policies import document_actions
from marketplace.web.edge import UPLOAD_ENVELOPE_BYTES, UPLOAD_LIMIT

ENVELOPE_BYTES = UPLOAD_ENVELOPE_BYTES
# The upload handlers' own body limit (the app's `max_body_bytes` is far smaller); the
# setting `documents_max_bytes` is checked against the announced length before reading
# (`UPLOADING`, read by `web.edge.EdgeRequest.form`), and against the file itself after.
HANDLER_LIMIT = UPLOAD_CEILING_BYTES + ENVELOPE_BYTES
UPLOADING = {UPLOAD_LIMIT: "documents_max_bytes"}
# Downloads run nothing, embed nothing and are never framed: whatever a file holds.
SANDBOX = "default-src 'none'; sandbox; frame-ancestors 'none'"


def is_multipart(request: Request[Any, Any, Any]) -> bool:
    return request.content_type[0] == RequestEncodingType.MULTI_PART


async def read_form(
    request: Request[Any, Any, Any], settings: Settings
) -> tuple[dict[str, Any], Upload | None]:
    """The form's text fields, and its `file` part (None when no file was chosen). (A body
    announced larger than `documents_max_bytes` allows was refused reading it: `UPLOADING`.)"""
    form = await request.form()
    fields: dict[str, Any] = {}
    upload: Upload | None = None
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            data = await value.read()
            await value.close()
            if name == "file" and (data or value.filename):
                upload = Upload(value.filename or "", data)
        elif name != "_csrf_token":
            fields[name] = value
    return fields, upload


def served(document: Document, file: Readable) -> Stream:
    """The stored file, as an attachment of its stored type, never rendered by the browser;
    streamed in pieces read in a worker thread (`core.storage.chunks`), never whole in
    memory."""
    headers = {
        "Content-Disposition": content_disposition(document.filename or "document"),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": SANDBOX,
        "Cache-Control": "private, no-store" if document.response_id else "no-cache",
    }
    if document.size is not None:  # the file's own: its name is the hash of those bytes
        headers["Content-Length"] = str(document.size)
    return Stream(
        chunks(file), media_type=document.media_type or "application/octet-stream",
        headers=headers,
    )  # fmt: skip


# The documentTypes offered on the forms (the API takes every code of the codelist's
# section), in the order a procurement officer reaches for them.
TENDER_KINDS = (
    ("biddingDocuments", N_("Procurement documents")),
    ("technicalSpecifications", N_("Technical specifications")),
    ("evaluationCriteria", N_("Evaluation criteria")),
    ("eligibilityCriteria", N_("Eligibility criteria")),
    ("clarifications", N_("Clarifications to bidders' questions")),
    ("billOfQuantity", N_("Bill of quantities")),
    ("contractDraft", N_("Draft contract")),
    ("tenderNotice", N_("Tender notice")),
    ("illustration", N_("Illustrations")),
    ("cancellationDetails", N_("Cancellation details")),
)
AWARD_KINDS = (
    ("awardNotice", N_("Award notice")),
    ("evaluationReports", N_("Evaluation report")),
    ("winningBid", N_("Winning bid")),
    ("contractDraft", N_("Draft contract")),
    ("complaints", N_("Complaints and decisions")),
)


def kind_labels() -> dict[str, str]:
    return {code: _(label) for code, label in (*TENDER_KINDS, *AWARD_KINDS)}


# How the page names each accepted type (`core.files.ACCEPTED`).
TYPE_LABELS = {
    "application/pdf": N_("PDF"),
    "application/vnd.oasis.opendocument.text": N_("OpenDocument text"),
    "application/vnd.oasis.opendocument.spreadsheet": N_("OpenDocument spreadsheet"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": N_("Word document"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": N_("Excel spreadsheet"),
    "text/csv": N_("CSV"),
    "text/plain": N_("Plain text"),
    "image/png": N_("PNG image"),
    "image/jpeg": N_("JPEG image"),
    "application/zip": N_("ZIP archive"),
}


def type_labels() -> dict[str, str]:
    return {t.media_type: _(TYPE_LABELS.get(t.media_type, t.label)) for t in ACCEPTED}


def page_context(actor: Actor | None, tender: Tender, now: datetime) -> dict[str, Any]:
    """What the tender page's documents section (`tenders/_documents.html`) reads."""
    return {
        "document_actions": document_actions(actor, tender, now),
        "tender_kinds": [(c, _(label)) for c, label in TENDER_KINDS],
        "award_kinds": [(c, _(label)) for c, label in AWARD_KINDS],
        "kind_labels": kind_labels(),
        "type_labels": type_labels(),
        "accepted_types": ", ".join(type_labels().values()),
        "accept_extensions": ",".join(e for t in ACCEPTED for e in t.extensions),
    }
