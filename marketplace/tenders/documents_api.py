"""JSON API of the tenders' documents and the responses' attachments: parse, call one
service, return. Uploads are `multipart/form-data` with the file in the part `file`; a link
to a document elsewhere is plain JSON with a `url`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from litestar import Controller, Request, delete, get, post
from litestar.openapi.spec import (
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    RequestBody,
)
from litestar.openapi.spec import Schema as OpenAPISchema
from litestar.openapi.spec.enums import OpenAPIFormat
from litestar.response import Redirect, Stream
from pydantic import BaseModel, ValidationError

from marketplace.core.files import ACCEPTED
from marketplace.core.storage import MEDIA_TYPE, storage_from
from marketplace.errors import FieldError, Invalid, TooLarge
from marketplace.schemas import Page
from marketplace.tenders import documents
from marketplace.tenders.document_schemas import (
    AttachmentIn,
    AttachmentOut,
    DocumentIn,
    DocumentOut,
    ReplacementIn,
)
from marketplace.tenders.documents import Upload, download_path
from marketplace.tenders.models import Document
from marketplace.tenders.uploads import HANDLER_LIMIT, UPLOADING, is_multipart, read_form, served
from marketplace.web.deps import AppClock, AppSettings, CurrentActor, DbSession, signed_in

M = TypeVar("M", bound=BaseModel)

_TEXT = OpenAPISchema(type=OpenAPIType.STRING)
_FILE = OpenAPISchema(type=OpenAPIType.STRING, format="binary")  # type: ignore[arg-type]


def _fields(names: tuple[str, ...], required: tuple[str, ...]) -> OpenAPISchema:
    return OpenAPISchema(
        type=OpenAPIType.OBJECT,
        properties={"file": _FILE, **{n: _TEXT for n in names}},
        required=list(required),
    )


_DOCUMENT = ("title", "kind", "description", "language", "lot_id", "decision_id")


@dataclass
class DocumentUpload(Operation):
    """The body is a multipart form (the file in `file`) or JSON (a link: `url`)."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                "multipart/form-data": OpenAPIMediaType(
                    schema=_fields(_DOCUMENT, ("file", "title"))
                ),
                "application/json": OpenAPIMediaType(
                    schema=OpenAPISchema(
                        type=OpenAPIType.OBJECT,
                        properties={n: _TEXT for n in (*_DOCUMENT, "url")},
                        required=["title", "url"],
                    )
                ),
            },
        )


@dataclass
class Replacement(Operation):
    def __post_init__(self) -> None:
        names = ("title", "description", "language")
        self.request_body = RequestBody(
            required=True,
            content={
                "multipart/form-data": OpenAPIMediaType(schema=_fields(names, ("file",))),
                "application/json": OpenAPIMediaType(
                    schema=OpenAPISchema(
                        type=OpenAPIType.OBJECT,
                        properties={n: _TEXT for n in (*names, "url")},
                        required=["url"],
                    )
                ),
            },
        )


@dataclass
class AttachmentUpload(Operation):
    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                "multipart/form-data": OpenAPIMediaType(schema=_fields(("title",), ("file",)))
            },
        )


def _header(description: str, schema: OpenAPISchema, *, required: bool) -> OpenAPIHeader:
    return OpenAPIHeader(schema=schema, description=description, required=required)


# A stored file's answer: its bytes, as an attachment. The Content-Type sent is the type read
# from the file's content at upload (one of files.ACCEPTED), `application/octet-stream` when
# the row has none; each is declared, so that a client checking the type finds it listed.
_DOWNLOAD = OpenAPIResponse(
    description="The stored file's bytes, to save (never JSON, never rendered: an "
    "attachment, `X-Content-Type-Options: nosniff`, a sandboxing `Content-Security-Policy`). "
    "Its `Content-Type` is the type read from its content when it was uploaded (each one "
    f"listed here), else `{MEDIA_TYPE}`. Streamed.",
    content={
        media_type: OpenAPIMediaType(
            schema=OpenAPISchema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
        )
        for media_type in (MEDIA_TYPE, *(t.media_type for t in ACCEPTED))
    },
    headers={
        "Content-Disposition": _header(
            "`attachment`, with the document's file name as an ASCII `filename` and exactly "
            "as RFC 6266's `filename*`",
            OpenAPISchema(
                type=OpenAPIType.STRING,
                examples=["attachment; filename=\"plan.pdf\"; filename*=UTF-8''plan.pdf"],
            ),
            required=True,
        ),
        "Content-Length": _header(
            "the stored file's size in bytes", OpenAPISchema(type=OpenAPIType.INTEGER),
            required=False,
        ),
        "Cache-Control": _header(
            "`private, no-store` for a sealed response's attachment, `no-cache` otherwise",
            OpenAPISchema(type=OpenAPIType.STRING), required=True,
        ),
    },
)  # fmt: skip
_LINK = OpenAPIResponse(
    description="The document is a link to a file elsewhere: go to `Location`",
    headers={
        "Location": _header(
            "the document's URL", OpenAPISchema(type=OpenAPIType.STRING, format=OpenAPIFormat.URI),
            required=True,
        )
    },
)  # fmt: skip


@dataclass
class FileDownload(Operation):
    """A stored file (a tender's, lot's or award's document, or a sealed response's
    attachment: they share this endpoint) answers its bytes, not JSON."""

    def __post_init__(self) -> None:
        self.responses = {**(self.responses or {}), "200": _DOWNLOAD, "302": _LINK}


def validated(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        errors = [
            FieldError(".".join(str(p) for p in e["loc"]) or "body", e["msg"])
            for e in error.errors()
        ]
        raise Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors) from None


async def _body(
    request: Request[Any, Any, Any], settings: Any, model: type[M]
) -> tuple[M, Upload | None]:
    if is_multipart(request):
        fields, upload = await read_form(request, settings)
        return validated(model, fields), upload
    # A link is a small JSON body: the app's own limit, not the upload route's.
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > settings.max_body_bytes:
        raise TooLarge(f"The body is larger than the {settings.max_body_bytes} bytes accepted.")
    return validated(model, await request.json()), None


def document_out(row: Document) -> DocumentOut:
    return DocumentOut(
        id=row.id, series_id=row.series_id, tender_id=row.tender_id, lot_id=row.lot_id,
        decision_id=row.decision_id, kind=row.kind, title=row.title,
        description=row.description, filename=row.filename, media_type=row.media_type,
        size=row.size, sha256=row.sha256, url=row.url,
        download_url=download_path(row.id) if row.sha256 else None, language=row.language,
        published_at=row.published_at, modified_at=row.modified_at,
        replaced_at=row.replaced_at, replaced_by_id=row.replaced_by_id,
    )  # fmt: skip


def attachment_out(row: Document) -> AttachmentOut:
    return AttachmentOut(
        id=row.id, response_id=row.response_id or "", title=row.title, filename=row.filename,
        media_type=row.media_type, size=row.size, sha256=row.sha256,
        download_url=download_path(row.id), modified_at=row.modified_at,
    )  # fmt: skip


class TenderDocumentController(Controller):
    path = "/api/v1/tenders"
    tags = ["Tender documents"]

    @post(
        "/{tender_id:str}/documents", status_code=201,
        request_max_body_size=HANDLER_LIMIT, opt=UPLOADING,
        summary="Publish a document: multipart (part `file`) or JSON (`url`, a link)",
        operation_class=DocumentUpload,
    )  # fmt: skip
    async def add(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
        tender_id: str, clock: AppClock, settings: AppSettings,
    ) -> DocumentOut:  # fmt: skip
        who = signed_in(actor)
        data, upload = await _body(request, settings, DocumentIn)
        row = await documents.add(
            db_session, who, tender_id, data, upload, clock.now(), settings,
            storage_from(settings),
        )  # fmt: skip
        return document_out(row)

    @get("/{tender_id:str}/documents", summary="The tender's documents (current versions)")
    async def list_documents(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str
    ) -> Page[DocumentOut]:
        _, rows = await documents.documents(db_session, actor, tender_id)
        return Page(
            items=[document_out(r) for r in rows], total=len(rows), page=1,
            per_page=max(len(rows), 1),
        )  # fmt: skip

    @post(
        "/{tender_id:str}/responses/{response_id:str}/attachments", status_code=201,
        request_max_body_size=HANDLER_LIMIT, opt=UPLOADING,
        summary="Attach a file to your sealed response (multipart, part `file`)",
        operation_class=AttachmentUpload,
    )  # fmt: skip
    async def attach(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
        tender_id: str, response_id: str, clock: AppClock, settings: AppSettings,
    ) -> AttachmentOut:  # fmt: skip
        who = signed_in(actor)
        if not is_multipart(request):
            raise Invalid.field("file", "send the file as multipart/form-data, part `file`")
        fields, upload = await read_form(request, settings)
        row = await documents.attach(
            db_session, who, tender_id, response_id, validated(AttachmentIn, fields), upload,
            clock.now(), settings, storage_from(settings),
        )  # fmt: skip
        return attachment_out(row)

    @get(
        "/{tender_id:str}/responses/{response_id:str}/attachments",
        summary="A response's attachments (sealed as the response is)",
    )
    async def list_attachments(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, response_id: str,
        clock: AppClock,
    ) -> Page[AttachmentOut]:  # fmt: skip
        rows = await documents.attachments(
            db_session, signed_in(actor), tender_id, response_id, clock.now()
        )
        return Page(
            items=[attachment_out(r) for r in rows], total=len(rows), page=1,
            per_page=max(len(rows), 1),
        )  # fmt: skip

    @delete(
        "/{tender_id:str}/responses/{response_id:str}/attachments/{attachment_id:str}",
        status_code=204, summary="Take an attachment off your response before the deadline",
    )  # fmt: skip
    async def detach(
        self, db_session: DbSession, actor: CurrentActor, tender_id: str, response_id: str,
        attachment_id: str, clock: AppClock,
    ) -> None:  # fmt: skip
        await documents.detach(
            db_session, signed_in(actor), tender_id, response_id, attachment_id, clock.now()
        )


class DocumentController(Controller):
    path = "/api/v1/documents"
    tags = ["Tender documents"]

    @get(
        "/{document_id:str}/download", summary="The file (as an attachment), or the link",
        operation_class=FileDownload,
    )  # fmt: skip
    async def download(
        self, db_session: DbSession, actor: CurrentActor, document_id: str, clock: AppClock,
        settings: AppSettings,
    ) -> Stream | Redirect:  # fmt: skip
        row, file = await documents.download(
            db_session, actor, document_id, clock.now(), storage_from(settings)
        )
        if file is None:
            return Redirect(row.url or "/", status_code=302)
        return served(row, file)

    @get("/{document_id:str}/versions", summary="Every version of a document, oldest first")
    async def versions(
        self, db_session: DbSession, actor: CurrentActor, document_id: str
    ) -> list[DocumentOut]:
        return [document_out(r) for r in await documents.versions(db_session, actor, document_id)]

    @post(
        "/{document_id:str}/replace", status_code=201,
        request_max_body_size=HANDLER_LIMIT, opt=UPLOADING,
        summary="Publish a new version (multipart `file`, or JSON `url`); the old one is kept",
        operation_class=Replacement,
    )  # fmt: skip
    async def replace(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor,
        document_id: str, clock: AppClock, settings: AppSettings,
    ) -> DocumentOut:  # fmt: skip
        who = signed_in(actor)
        data, upload = await _body(request, settings, ReplacementIn)
        row = await documents.replace(
            db_session, who, document_id, data, upload, clock.now(), settings,
            storage_from(settings),
        )  # fmt: skip
        return document_out(row)

    @delete("/{document_id:str}", status_code=204, summary="Remove a draft tender's document")
    async def remove(
        self, db_session: DbSession, actor: CurrentActor, document_id: str, clock: AppClock
    ) -> None:
        await documents.remove(db_session, signed_in(actor), document_id, clock.now())


handlers = [TenderDocumentController, DocumentController]
