"""What the OpenAPI document must say that Litestar cannot be told per router.

Every API operation answers its errors as RFC 9457 problems (docs/conventions.md), not as
Litestar's default "Validation Exception" body, and money travels as a decimal string so
that no client rounds a cent through a float. Applied to the document as Litestar builds it
(lazily, on the first request for it), so building an app costs nothing more."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    Reference,
    Schema,
    SecurityScheme,
)
from litestar.openapi.spec.enums import OpenAPIType

from marketplace.errors import PROBLEM_TYPE_PREFIX
from marketplace.web.problems import PROBLEM_JSON

API_PREFIX = "/api/"
# A decimal with at most two places, as `Money.as_json` writes it ("1250.00").
DECIMAL_AMOUNT = Schema(
    type=OpenAPIType.STRING,
    pattern=r"^\d{1,14}(\.\d{1,3})?$",
    description='a decimal amount as a string, e.g. "1250.00" (never a float)',
    examples=["1250.00"],
)
# Every schema with an `amount` beside a `currency` is money (Money, PositiveMoney, MoneyOut, PriceIn).
MONEY_FIELDS = ("amount", "currency")

PROBLEM = Schema(
    type=OpenAPIType.OBJECT,
    required=["type", "code", "status", "title"],
    properties={
        "type": Schema(type=OpenAPIType.STRING, description=f"`{PROBLEM_TYPE_PREFIX}<code>`"),
        "code": Schema(type=OpenAPIType.STRING, description="the problem's stable name"),
        "status": Schema(type=OpenAPIType.INTEGER),
        "title": Schema(type=OpenAPIType.STRING),
        "detail": Schema(type=[OpenAPIType.STRING, OpenAPIType.NULL]),
        "errors": Schema(
            type=OpenAPIType.ARRAY,
            description="one entry per field that was refused",
            items=Schema(
                type=OpenAPIType.OBJECT,
                required=["field", "message"],
                properties={
                    "field": Schema(type=OpenAPIType.STRING),
                    "message": Schema(type=OpenAPIType.STRING),
                },
            ),
        ),
    },
    description="RFC 9457 problem details",
)
RETRY_AFTER = {
    "Retry-After": OpenAPIHeader(
        schema=Schema(type=OpenAPIType.STRING), description="seconds to wait before retrying"
    )
}


def _problem(description: str, headers: dict[str, OpenAPIHeader] | None = None) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=description,
        content={
            PROBLEM_JSON: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))
        },
        headers=headers,  # type: ignore[arg-type]
    )


ERRORS = {
    "4XX": _problem(
        "A client error: 400 malformed request, 401 not signed in, 403 not allowed, 404 not "
        "found, 405 method not allowed, 409 conflicts with the current state, 410 gone, "
        "413 body too large, 415 not JSON, 422 invalid input (each field named in `errors`)"
    ),
    "429": _problem("Too many requests: wait for `Retry-After` seconds", RETRY_AFTER),
    "503": _problem(
        "Busy or a dependency (database, search) is unavailable: retry after `Retry-After`",
        RETRY_AFTER,
    ),
}


def document(openapi: OpenAPI) -> OpenAPI:
    """Problems, the Bearer scheme and money as strings, added to a built document."""
    components = openapi.components or Components()
    schemas = components.schemas if components.schemas is not None else {}
    schemas["Problem"] = PROBLEM
    for schema in schemas.values():
        properties = schema.properties or {}
        if all(name in properties for name in MONEY_FIELDS):
            properties["amount"] = DECIMAL_AMOUNT
    components.schemas = schemas
    components.security_schemes = {
        "bearer": SecurityScheme(
            type="http",
            scheme="bearer",
            description="a personal API token from `POST /api/v1/auth/tokens`",
        )
    }
    openapi.components = components
    # Reads are open to everyone; a token signs the caller in (writes need one).
    openapi.security = [{}, {"bearer": []}]
    for path, item in (openapi.paths or {}).items():
        if not path.startswith(API_PREFIX):
            continue
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(item, method, None)
            if operation is None:
                continue
            responses: dict[str, Any] = dict(operation.responses or {})
            responses.pop("400", None)  # Litestar's own "Validation Exception" body
            responses.update(ERRORS)
            operation.responses = responses
    return openapi


class _DocumentedOpenAPIPlugin(OpenAPIPlugin):
    __slots__ = ()

    def _build_openapi(self) -> OpenAPI:
        return document(super()._build_openapi())


def install(app: Litestar) -> None:
    """Have the app's document pass through `document` each time Litestar builds it.

    Litestar builds its OpenAPI plugin itself and offers no hook on the finished document;
    the plugin is given a subclass that adds one (tests/web/test_openapi_doc.py holds it)."""
    app.plugins.get(OpenAPIPlugin).__class__ = _DocumentedOpenAPIPlugin
