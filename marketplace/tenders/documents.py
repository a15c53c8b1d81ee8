"""The documents of a tender (its lots' and awards' too) and the attachments of sealed
responses: the rules. (Tender rules proper are in `services.py`; this reuses its audit trail,
its seal and its releases, so each change here is written and published the same way.)

- Files are checked by their content (`core.files.sniff`) and size before anything is
  stored; they are kept by `core.storage` under their SHA-256.
- A document added or replaced after the tender's publication is a change of the published
  notice: it gets an OCDS release of its own (`tenderUpdate`, or `awardUpdate` for an award's
  document), dated after the process's last one, and its audit entry is public.
- A published document is never deleted; a new version replaces it and the old one stays
  downloadable, since the earlier releases point to it.
- An attachment is part of its response, sealed like the rest: until the submission deadline
  only the responding organisation reads it, and any other attempt is refused and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from anyio import to_thread
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.principal import Actor
from marketplace.core import files
from marketplace.core.storage import Readable, Storage
from marketplace.errors import FieldError, Invalid, NotFound, TooLarge
from marketplace.settings import Settings
from marketplace.tenders.audit import AuditAction
from marketplace.tenders.document_schemas import (
    AttachmentIn,
    DocumentIn,
    ReplacementIn,
    types_for,
)
from marketplace.tenders.models import Document, LotDecision, Tender, TenderResponse
from marketplace.tenders.policies import document_actions, is_buyer_member, responses_opened
from marketplace.tenders.reads import current_documents
from marketplace.tenders.services import (
    append_audit,
    get_response,
    get_tender,
    own_response,
    refuse_sealed,
    store_release,
)

# Enough for a technical offer, its annexes and references; not a file store.
MAX_ATTACHMENTS = 20


@dataclass(frozen=True)
class Upload:
    """A file as it came in: the name the client gave, the bytes."""

    filename: str
    data: bytes


def download_path(document_id: str) -> str:
    return f"/api/v1/documents/{document_id}/download"


def _checked(upload: Upload, settings: Settings) -> tuple[str, files.FileType]:
    """The file's safe name and its type, read from the content; refused before anything is
    stored when too large, empty, of a type not accepted or named as another type."""
    if len(upload.data) > settings.documents_max_bytes:
        raise TooLarge(
            f"The file is larger than the {settings.documents_max_bytes // 1_000_000} MB accepted.",
            [
                FieldError.of(
                    "file", "is larger than %(bytes)s bytes", bytes=settings.documents_max_bytes
                )
            ],
        )
    if not upload.data:
        raise Invalid.field("file", "the file is empty")
    name = files.safe_filename(upload.filename)
    kind = files.sniff(upload.data, name)
    if kind is None:
        raise Invalid.field(
            "file", "the file's content is not one of the accepted types (%(types)s)",
            types=files.accepted_labels(),
        )  # fmt: skip
    if not name.lower().endswith(kind.extensions):
        raise Invalid.field(
            "file", "the file is a %(kind)s but its name does not end with %(extensions)s",
            kind=kind.label, extensions=" or ".join(kind.extensions),
        )  # fmt: skip
    return name, kind


async def _store(row: Document, upload: Upload, settings: Settings, storage: Storage) -> None:
    name, kind = _checked(upload, settings)
    row.filename, row.media_type, row.size = name, kind.media_type, len(upload.data)
    row.sha256 = await to_thread.run_sync(storage.put, upload.data)
    row.url = settings.base_url.rstrip("/") + download_path(row.id)


async def _lead_document(
    session: AsyncSession, actor: Actor, document_id: str
) -> tuple[Tender, Document]:
    document = await session.get(Document, document_id)
    if document is None or document.response_id is not None:
        raise NotFound("No such document.")
    return await get_tender(session, actor, document.tender_id), document


async def _publish_change(
    session: AsyncSession, tender: Tender, document: Document, now: datetime
) -> None:
    """After publication, the change is published as a release of its own."""
    if tender.published_at is None:
        return
    tag = "awardUpdate" if document.decision_id else "tenderUpdate"
    await store_release(
        session, tender, tag, now, release_id=f"{tender.ocid}-document-{document.id}"
    )


def _entry(document: Document) -> dict[str, str | None]:
    return {
        "document_id": document.id, "title": document.title, "kind": document.kind,
        "lot_id": document.lot_id, "filename": document.filename, "url": document.url,
    }  # fmt: skip


async def add(
    session: AsyncSession, actor: Actor, tender_id: str, data: DocumentIn,
    upload: Upload | None, now: datetime, settings: Settings, storage: Storage,
) -> Document:  # fmt: skip
    tender = await get_tender(session, actor, tender_id)
    document_actions(actor, tender, now).require("add")
    if upload is None and data.url is None:
        raise Invalid.field("file", "send a file, or the url of a document elsewhere")
    if upload is not None and data.url is not None:
        raise Invalid.field("url", "send a file or a url, not both")
    if data.lot_id is not None and data.lot_id not in {lot.id for lot in tender.lots}:
        raise Invalid.field("lot_id", "not a lot of this tender")
    section = "tender"
    if data.decision_id is not None:
        decision = await session.get(LotDecision, data.decision_id)
        if decision is None or decision.tender_id != tender.id:
            raise Invalid.field("decision_id", "not a decision of this tender")
        if data.lot_id is not None and data.lot_id != decision.lot_id:
            raise Invalid.field("lot_id", "the decision is of another lot")
        section = "award"
    if data.kind not in types_for(section):
        raise Invalid.field(
            "kind", "not a documentType of the %(section)s section", section=section
        )
    row = Document(
        id=str(uuid4()), tender_id=tender.id, lot_id=data.lot_id, decision_id=data.decision_id,
        kind=data.kind, title=data.title, description=data.description, url=data.url,
        language=data.language or tender.language,
        published_at=now if tender.published_at is not None else None,
        modified_at=now, uploaded_by=actor.user_id,
    )  # fmt: skip
    row.series_id = row.id
    if upload is not None:
        await _store(row, upload, settings, storage)
    session.add(row)
    await session.flush()
    await append_audit(session, tender, actor, tender.lead_buyer_id, AuditAction.DOCUMENT_PUBLISHED, now,
                 None, _entry(row), about={"document_id": row.id})  # fmt: skip
    await _publish_change(session, tender, row, now)
    return row


async def replace(
    session: AsyncSession, actor: Actor, document_id: str, data: ReplacementIn,
    upload: Upload | None, now: datetime, settings: Settings, storage: Storage,
) -> Document:  # fmt: skip
    tender, old = await _lead_document(session, actor, document_id)
    document_actions(actor, tender, now, current=old.replaced_at is None).require("replace")
    if upload is not None and data.url is not None:
        raise Invalid.field("url", "send a file or a url, not both")
    if upload is None and data.url is None:
        raise Invalid.field("file", "send the new version: a file, or the url of a document")
    row = Document(
        id=str(uuid4()), tender_id=tender.id, lot_id=old.lot_id, decision_id=old.decision_id,
        series_id=old.series_id, kind=old.kind, title=data.title or old.title,
        description=data.description if data.description is not None else old.description,
        url=data.url, language=data.language or old.language,
        published_at=old.published_at or tender.published_at, modified_at=now,
        uploaded_by=actor.user_id,
    )  # fmt: skip
    if upload is not None:
        await _store(row, upload, settings, storage)
    old.replaced_at, old.replaced_by_id = now, row.id
    session.add(row)
    await session.flush()
    await append_audit(session, tender, actor, tender.lead_buyer_id, AuditAction.DOCUMENT_REPLACED, now,
                 _entry(old), _entry(row), about={"document_id": row.id})  # fmt: skip
    await _publish_change(session, tender, row, now)
    return row


async def remove(session: AsyncSession, actor: Actor, document_id: str, now: datetime) -> None:
    """Only a draft's documents: nothing of them was published. (The file stays in storage:
    another document may have the same content.)"""
    tender, row = await _lead_document(session, actor, document_id)
    document_actions(actor, tender, now, current=row.replaced_at is None).require("remove")
    before = _entry(row)
    earlier = list(await session.scalars(select(Document).where(
        Document.series_id == row.series_id, Document.id != row.id)))  # fmt: skip
    for version in [*earlier, row]:
        await session.delete(version)
    await session.flush()
    await append_audit(session, tender, actor, tender.lead_buyer_id, AuditAction.DOCUMENT_REMOVED, now,
                 before, None, about={"document_id": row.id})  # fmt: skip


async def documents(
    session: AsyncSession, actor: Actor | None, tender_id: str
) -> tuple[Tender, list[Document]]:
    """What the tender publishes now (a draft's, to those who see the draft)."""
    tender = await get_tender(session, actor, tender_id)
    return tender, await current_documents(session, tender.id)


async def versions(session: AsyncSession, actor: Actor | None, document_id: str) -> list[Document]:
    """Every version of a document, the first first."""
    document = await session.get(Document, document_id)
    if document is None or document.response_id is not None:
        raise NotFound("No such document.")
    await get_tender(session, actor, document.tender_id)
    return list(
        await session.scalars(
            select(Document)
            .where(Document.series_id == document.series_id)
            .order_by(Document.modified_at, Document.id)
        )
    )


async def download(
    session: AsyncSession, actor: Actor | None, document_id: str, now: datetime,
    storage: Storage,
) -> tuple[Document, Readable | None]:  # fmt: skip
    """The document and its file, open for reading (None for a link). An attachment is the seal's business:
    its organisation always; the buyers once responses are opened; before then anyone else
    is refused, and the attempt written to the audit trail."""
    document = await session.get(Document, document_id)
    if document is None:
        raise NotFound("No such document.")
    tender = await get_tender(session, actor, document.tender_id)
    if document.response_id is not None:
        response = await session.get(TenderResponse, document.response_id)
        own = (
            response is not None and actor is not None and actor.is_member(response.organisation_id)
        )
        opened = responses_opened(tender, now)
        if not own and not (opened and is_buyer_member(actor, tender)):
            if not opened:
                raise await refuse_sealed(session, tender, actor, "attachment.read", now)
            raise NotFound("No such document.")
    if document.sha256 is None:
        return document, None
    return document, await to_thread.run_sync(storage.open, document.sha256)


# --- attachments of sealed responses --------------------------------------------------


async def attach(
    session: AsyncSession, actor: Actor, tender_id: str, response_id: str, data: AttachmentIn,
    upload: Upload | None, now: datetime, settings: Settings, storage: Storage,
) -> Document:  # fmt: skip
    tender = await get_tender(session, actor, tender_id)
    response = await own_response(session, actor, tender, response_id, now, "response.attach")
    if upload is None:
        raise Invalid.field("file", "send the file to attach")
    attached = await session.scalar(
        select(func.count()).select_from(Document).where(Document.response_id == response.id)
    )
    if (attached or 0) >= MAX_ATTACHMENTS:
        raise Invalid.field(
            "file",
            "a response carries at most %(max)s attachments; remove one first",
            max=MAX_ATTACHMENTS,
        )
    row = Document(
        id=str(uuid4()), tender_id=tender.id, response_id=response.id,
        kind="submissionDocuments", title="", language=tender.language, modified_at=now,
        uploaded_by=actor.user_id,
    )  # fmt: skip
    row.series_id = row.id
    await _store(row, upload, settings, storage)
    row.title = data.title or row.filename or ""
    session.add(row)
    response.updated_at = now
    await session.flush()
    await append_audit(session, tender, actor, response.organisation_id, AuditAction.RESPONSE_REVISED, now, None,
                 {"response_id": response.id, "attachment_id": row.id,
                  "filename": row.filename}, sealed=True)  # fmt: skip
    return row


async def attachments(
    session: AsyncSession, actor: Actor, tender_id: str, response_id: str, now: datetime
) -> list[Document]:
    """Read as the response is (`services.get_response` decides, and audits a refusal)."""
    response = await get_response(session, actor, tender_id, response_id, now)
    return list(
        await session.scalars(
            select(Document)
            .where(Document.response_id == response.id)
            .order_by(Document.modified_at, Document.id)
        )
    )


async def attachments_of(
    session: AsyncSession, responses: list[TenderResponse]
) -> dict[str, list[Document]]:
    """The attachments of responses the caller has already read through the seal
    (`services.list_responses`), by response id."""
    found: dict[str, list[Document]] = {r.id: [] for r in responses}
    if not found:
        return found
    rows = await session.scalars(
        select(Document)
        .where(Document.response_id.in_(list(found)))
        .order_by(Document.modified_at, Document.id)
    )
    for row in rows:
        found[row.response_id or ""].append(row)
    return found


async def detach(
    session: AsyncSession, actor: Actor, tender_id: str, response_id: str, attachment_id: str,
    now: datetime,
) -> None:  # fmt: skip
    tender = await get_tender(session, actor, tender_id)
    response = await own_response(session, actor, tender, response_id, now, "response.attach")
    row = await session.get(Document, attachment_id)
    if row is None or row.response_id != response.id:
        raise NotFound("No such attachment.")
    filename = row.filename
    await session.delete(row)
    response.updated_at = now
    await session.flush()
    await append_audit(session, tender, actor, response.organisation_id, AuditAction.RESPONSE_REVISED, now,
                 {"attachment_id": attachment_id, "filename": filename},
                 {"response_id": response.id}, sealed=True)  # fmt: skip
