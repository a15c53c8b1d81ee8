"""HTML forms go through the same Pydantic schemas and services as the API; errors come
back as messages keyed by field so the form can show them next to the input."""

from __future__ import annotations

from typing import Any, TypeVar

from litestar.params import URLEncodedBody
from pydantic import BaseModel, ValidationError

from marketplace.errors import DomainError

M = TypeVar("M", bound=BaseModel)

FormData = URLEncodedBody[dict[str, Any]]


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop the CSRF token and turn empty optional inputs into absent ones."""
    return {k: v for k, v in data.items() if k != "_csrf_token" and v not in ("", None)}


def parse(model: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    try:
        return model.model_validate(data), {}
    except ValidationError as error:
        return None, {
            ".".join(str(p) for p in e["loc"]) or "form": e["msg"].removeprefix("Value error, ")
            for e in error.errors()
        }


def errors_of(error: DomainError) -> dict[str, str]:
    if error.errors:
        return {e.field: e.message for e in error.errors}
    return {"form": error.detail}


def as_list(value: Any) -> list[str]:
    """A multi-select arrives as a string when one option is chosen, a list otherwise."""
    if value is None or value == "":
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]
