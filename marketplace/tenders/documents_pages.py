"""The documents' forms on the tender page and the response form: multipart uploads (the
CSRF token travels as the form's `_csrf_token` part, which Litestar's CSRF check reads from
multipart bodies too), then one service call, then back to the page."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.response import Redirect, Template

from marketplace.core.storage import storage_from
from marketplace.errors import DomainError, Forbidden
from marketplace.i18n import gettext as _
from marketplace.tenders import documents
from marketplace.tenders.document_schemas import AttachmentIn, DocumentIn, ReplacementIn
from marketplace.tenders.pages import _page
from marketplace.tenders.uploads import HANDLER_LIMIT, UPLOADING, read_form
from marketplace.web.deps import SIGNED_IN, AppClock, AppSettings, DbSession, SignedIn, flash
from marketplace.web.forms import attempt, errors_of, parse


@post(
    "/tenders/{tender_id:str}/documents", include_in_schema=False, dependencies=SIGNED_IN,
    request_max_body_size=HANDLER_LIMIT, opt=UPLOADING,
)  # fmt: skip
async def add_document(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    clock: AppClock, settings: AppSettings,
) -> Template | Redirect:  # fmt: skip
    now = clock.now()
    try:
        fields, upload = await read_form(request, settings)
    except DomainError as refused:  # too large: said on the form
        return await _page(request, db_session, actor, tender_id, now, settings,
                           status_code=refused.status, errors={"file": _(refused.detail)})  # fmt: skip
    parsed, errors = parse(DocumentIn, fields)
    error: DomainError | None = None
    if parsed is not None:
        data = parsed
        error = await attempt(db_session, documents.add(
            db_session, actor, tender_id, data, upload, now, settings, storage_from(settings),
        ), let_through=(Forbidden,))  # fmt: skip
        if error is None:
            flash(request, _("The document is published."))
            return Redirect(f"/tenders/{tender_id}#documents")
        errors = errors_of(error)
    return await _page(request, db_session, actor, tender_id, now, settings,
                       status_code=error.status if error else 422, errors=errors,
                       form=fields)  # fmt: skip


@post(
    "/documents/{document_id:str}/replace", include_in_schema=False, dependencies=SIGNED_IN,
    request_max_body_size=HANDLER_LIMIT, opt=UPLOADING,
)  # fmt: skip
async def replace_document(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, document_id: str,
    clock: AppClock, settings: AppSettings,
) -> Redirect:  # fmt: skip
    fields, upload = await read_form(request, settings)
    parsed, errors = parse(ReplacementIn, fields)
    versions = await documents.versions(db_session, actor, document_id)
    back = f"/tenders/{versions[0].tender_id}#documents"
    if parsed is None:
        flash(request, " ".join(errors.values()), "error")
        return Redirect(back)
    error = await attempt(db_session, documents.replace(
        db_session, actor, document_id, parsed, upload, clock.now(), settings,
        storage_from(settings),
    ), let_through=(Forbidden,))  # fmt: skip
    if error is not None:
        flash(request, " ".join(errors_of(error).values()), "error")
    else:
        flash(request, _("The new version is published; the earlier one stays on record."))
    return Redirect(back)


@post("/documents/{document_id:str}/remove", include_in_schema=False, dependencies=SIGNED_IN)
async def remove_document(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, document_id: str,
    clock: AppClock,
) -> Redirect:  # fmt: skip
    versions = await documents.versions(db_session, actor, document_id)
    back = f"/tenders/{versions[0].tender_id}#documents"
    error = await attempt(db_session, documents.remove(db_session, actor, document_id,
                                                       clock.now()), let_through=(Forbidden,))  # fmt: skip
    if error is not None:
        flash(request, " ".join(errors_of(error).values()), "error")
    else:
        flash(request, _("The document is removed."))
    return Redirect(back)


def _edit_page(tender_id: str, response_id: str) -> str:
    return f"/tenders/{tender_id}/responses/{response_id}/edit#attachments"


@post(
    "/tenders/{tender_id:str}/responses/{response_id:str}/attachments",
    include_in_schema=False, dependencies=SIGNED_IN,
    request_max_body_size=HANDLER_LIMIT, opt=UPLOADING,
)  # fmt: skip
async def attach(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    response_id: str, clock: AppClock, settings: AppSettings,
) -> Redirect:  # fmt: skip
    try:
        fields, upload = await read_form(request, settings)
    except DomainError as refused:
        flash(request, _(refused.detail), "error")
        return Redirect(_edit_page(tender_id, response_id))
    parsed, errors = parse(AttachmentIn, fields)
    if parsed is None:
        flash(request, " ".join(errors.values()), "error")
        return Redirect(_edit_page(tender_id, response_id))
    error = await attempt(db_session, documents.attach(
        db_session, actor, tender_id, response_id, parsed, upload, clock.now(), settings,
        storage_from(settings),
    ), let_through=(Forbidden,))  # fmt: skip
    if error is not None:
        flash(request, " ".join(errors_of(error).values()), "error")
    else:
        flash(request, _("The file is attached to your sealed response."))
    return Redirect(_edit_page(tender_id, response_id))


@post(
    "/tenders/{tender_id:str}/responses/{response_id:str}/attachments/{attachment_id:str}/remove",
    include_in_schema=False, dependencies=SIGNED_IN,
)  # fmt: skip
async def detach(
    request: Request[Any, Any, Any], db_session: DbSession, actor: SignedIn, tender_id: str,
    response_id: str, attachment_id: str, clock: AppClock,
) -> Redirect:  # fmt: skip
    error = await attempt(db_session, documents.detach(
        db_session, actor, tender_id, response_id, attachment_id, clock.now(),
    ), let_through=(Forbidden,))  # fmt: skip
    if error is not None:
        flash(request, " ".join(errors_of(error).values()), "error")
    else:
        flash(request, _("The attachment is removed."))
    return Redirect(_edit_page(tender_id, response_id))


handlers = [add_document, replace_document, remove_document, attach, detach]
