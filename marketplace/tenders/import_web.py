"""Importing TED notices through the API and the admin page (platform admins only).

Both take the notice XML files as a multipart upload (field `file`, repeatable), import each
in its own savepoint through `marketplace.tenders.imports`, and answer with one report per
file. Nothing else happens here: reading, matching and idempotence are the service's.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from marketplace.accounts.principal import Actor
from marketplace.errors import Invalid
from marketplace.schemas import Schema
from marketplace.settings import Settings
from marketplace.tenders.imports import ImportReport, import_file, require_admin
from marketplace.web.deps import (
    SIGNED_IN,
    AppClock,
    AppSettings,
    CurrentActor,
    DbSession,
    SignedIn,
    render,
    signed_in,
)

# A TED notice is tens to hundreds of kilobytes; the largest official example is ~200 kB.
MAX_NOTICE_BYTES = 5 * 1024 * 1024
MAX_FILES = 50


class UnmappedOut(Schema):
    path: str
    value: str | None
    reason: str


class ImportReportOut(Schema):
    source: str
    status: str
    message: str
    tender_id: str | None
    notice_id: str | None
    publication_number: str | None
    ted_url: str | None
    title: str | None
    unmapped: list[UnmappedOut]


class ImportOut(Schema):
    counts: dict[str, int]
    reports: list[ImportReportOut]


def _files(data: dict[str, Any]) -> list[UploadFile]:
    value = data.get("file")
    files = value if isinstance(value, list) else [value] if value is not None else []
    return [f for f in files if isinstance(f, UploadFile)]


async def _import_uploads(
    db_session: Any, actor: Actor, files: list[UploadFile], clock: AppClock, settings: Settings
) -> list[ImportReport]:
    require_admin(actor)
    if not files:
        raise Invalid.field("file", "choose one or more notice XML files (TED R2.0.9 or eForms)")
    if len(files) > MAX_FILES:
        raise Invalid.field("file", f"at most {MAX_FILES} files at once; import the rest next")
    reports: list[ImportReport] = []
    for upload in files:
        content = await upload.read(MAX_NOTICE_BYTES + 1)
        name = upload.filename or "notice.xml"
        if len(content) > MAX_NOTICE_BYTES:
            reports.append(ImportReport(
                source=name, status="refused",
                message=f"Larger than {MAX_NOTICE_BYTES // (1024 * 1024)} MB: not a single TED "
                "notice. Import the notices one file each.",
            ))  # fmt: skip
            continue
        reports.append(
            await import_file(
                db_session, content, clock.now(), settings, source=name, user_id=actor.user_id
            )
        )
    return reports


def _out(reports: list[ImportReport]) -> ImportOut:
    counts = {s: sum(r.status == s for r in reports) for s in ("created", "updated", "unchanged", "refused")}  # fmt: skip
    return ImportOut(
        counts=counts, reports=[ImportReportOut.model_validate(r.as_json()) for r in reports]
    )


Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


@post(
    "/api/v1/tenders/imports", status_code=200, tags=["Tenders"],
    summary="Import TED notices (multipart `file`, repeatable; platform admins)",
    request_max_body_size=MAX_FILES * MAX_NOTICE_BYTES,
)  # fmt: skip
async def import_api(
    db_session: DbSession, actor: CurrentActor, data: Multipart, clock: AppClock,
    settings: AppSettings,
) -> ImportOut:  # fmt: skip
    reports = await _import_uploads(db_session, signed_in(actor), _files(data), clock, settings)
    if all(r.status == "refused" for r in reports):
        raise Invalid(
            "No notice was imported: " + " ".join(f"{r.source}: {r.message}" for r in reports),
            [Invalid.field("file", r.message).errors[0] for r in reports],
        )
    return _out(reports)


@get("/tenders/import", include_in_schema=False, dependencies=SIGNED_IN)
async def import_form(request: Request[Any, Any, Any], actor: SignedIn) -> Template:
    require_admin(actor)
    return render(request, "tenders/import.html", actor, result=None, errors={})


@post(
    "/tenders/import",
    include_in_schema=False,
    request_max_body_size=MAX_FILES * MAX_NOTICE_BYTES,
    dependencies=SIGNED_IN,
)
async def import_page(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, data: Multipart,
    clock: AppClock, settings: AppSettings,
) -> Template:  # fmt: skip
    try:
        reports = await _import_uploads(db_session, actor, _files(data), clock, settings)
    except Invalid as error:
        return render(
            request, "tenders/import.html", actor, status_code=422, result=None,
            errors={e.field: e.message for e in error.errors},
        )  # fmt: skip
    result = _out(reports)
    status = 422 if result.counts["refused"] == len(reports) else 200
    return render(
        request, "tenders/import.html", actor, status_code=status, result=result, errors={}
    )


handlers = [import_api, import_form, import_page]
