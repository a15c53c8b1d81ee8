"""One translation of errors for every controller: RFC 9457 problem+json for the API,
an error page for people."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from marketplace.errors import DomainError, FieldError, RateLimited, Unauthorized, problem_type
from marketplace.i18n import gettext as _
from marketplace.web.edge import BodyRefused

PROBLEM_JSON = "application/problem+json"


def N_(message: str) -> str:
    return message


# The titles and fixed details of problems, translated on the error page (the API keeps them
# in English: they are part of its contract).
ERROR_TEXTS = (
    N_("Bad request"), N_("Unauthorized"), N_("Forbidden"), N_("Not found"),
    N_("Method not allowed"), N_("Request body too large"), N_("Unsupported media type"),
    N_("Too many requests"), N_("Error"), N_("Conflict"), N_("Invalid input"),
    N_("Internal error"), N_("Service unavailable"),
    N_("The form expired or was not sent from this site; reload the page and try again."),
    N_("Something went wrong on our side; nothing was saved."),
    N_("No such page."),
)  # fmt: skip


def wants_json(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith(("/api/", "/health", "/schema")) or (
        "application/json" in request.headers.get("accept", "")
        and "text/html" not in request.headers.get("accept", "")
    )


def field_errors_from_validation(extra: Any) -> list[FieldError]:
    """Litestar reports pydantic errors as [{key, message, source}]; keep the field names."""
    errors: list[FieldError] = []
    for item in extra if isinstance(extra, list) else []:
        if isinstance(item, dict) and item.get("key"):
            message = str(item.get("message", "is invalid")).removeprefix("Value error, ")
            errors.append(FieldError(str(item["key"]), message))
    return errors


def problem(
    request: Request[Any, Any, Any],
    status: int,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    *,
    code: str,
) -> Response[Any]:
    """`code` is the problem's stable name (docs/conventions.md): `type` is its URI."""
    if not wants_json(request):
        return Template(
            "error.html",
            context={
                "status": status,
                "title": _(title) if title else title,
                "detail": _(detail) if detail else detail,
                "errors": errors or [],
            },
            status_code=status,
            headers=headers,
        )
    body: dict[str, Any] = {
        "type": problem_type(code),
        "code": code,
        "status": status,
        "title": title,
        "detail": detail,
    }
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def sign_in_redirect(back: str) -> Redirect:
    """To the sign-in page, which sends the person on to `back` (a path on this site) after.
    `back` is quoted: its own query (`/search?q=a&page=2`) stays whole inside `next`."""
    return Redirect(f"/sign-in?next={quote(back, safe='/')}")


def back_after_sign_in(request: Request[Any, Any, Any]) -> str:
    """The page to return to: the one asked for, or for a form sent while signed out (a
    session that expired) the page the form was on, as the browser's Referer names it (our
    Referrer-Policy sends it whole within the site). A form's own address may answer only
    POST (`/account/password`): after signing in a browser would GET it and meet a 405."""
    if request.method not in ("GET", "HEAD"):
        referer = urlsplit(request.headers.get("referer", ""))
        if (
            referer.netloc == request.url.netloc
            and referer.path.startswith("/")
            and not referer.path.startswith("//")
        ):
            return referer.path + (f"?{referer.query}" if referer.query else "")
    return request.url.path


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if isinstance(exc, Unauthorized) and not wants_json(request):
        # Every page only the signed-in may use (`dependencies=SIGNED_IN`) ends here.
        return sign_in_redirect(back_after_sign_in(request))
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    return problem(request, exc.status, exc.title, exc.detail, exc.errors, headers, code=exc.code)


def validation_error_handler(
    request: Request[Any, Any, Any], exc: ValidationException
) -> Response[Any]:
    errors = field_errors_from_validation(exc.extra)
    if errors:
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
        # A bad query, path or header parameter is a malformed request (400); a body that
        # reads but breaks the rules is unprocessable (422).
        if all(_source(item) in REQUEST_SOURCES for item in exc.extra or []):
            return problem(request, 400, "Bad request", detail, errors, code="bad-request")
        return problem(request, 422, "Invalid input", detail, errors, code="invalid-input")
    return problem(
        request, 400, "Bad request", "The request body could not be read as JSON.",
        code="malformed-body",
    )  # fmt: skip


# Litestar's own errors (routing, methods, body limits), by status.
HTTP_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    413: "too-large",
    429: "rate-limited",
}


REQUEST_SOURCES = frozenset({"query", "path", "header", "cookie"})


def _source(item: Any) -> str:
    source = item.get("source", "") if isinstance(item, dict) else ""
    return str(getattr(source, "value", source))


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    title = {
        400: "Bad request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        413: "Request body too large",
        415: "Unsupported media type",
        429: "Too many requests",
    }.get(exc.status_code, "Error")
    code = HTTP_CODES.get(exc.status_code, "internal" if exc.status_code >= 500 else "bad-request")
    detail = exc.detail if exc.status_code < HTTP_500_INTERNAL_SERVER_ERROR else "Internal error"
    if (
        exc.status_code == 400
        and request.url.path.startswith("/api/")
        and not isinstance(exc, BodyRefused)
    ):
        detail = f"The request body is not valid JSON ({exc.detail})."
        code = "malformed-body"
    if exc.status_code == 403 and "CSRF" in str(exc.detail):
        detail = "The form expired or was not sent from this site; reload the page and try again."
        code = "csrf"
    return problem(request, exc.status_code, title, detail, headers=exc.headers or None, code=code)


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    request.logger.exception("unhandled error", exc_info=exc)
    return problem(
        request, 500, "Internal error", "Something went wrong on our side; nothing was saved.",
        code="internal",
    )  # fmt: skip


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    Exception: internal_error_handler,
}

JSON = MediaType.JSON
