"""Domain errors raised by services; one handler turns them into RFC 9457 problems.

Each kind of error has a stable `code` (a class default, or a narrower one given where it is
raised: `Forbidden(SEALED, code="sealed")`). The problem's `type` is
`urn:icc-marketplace:problem:<code>` (`problem_type`), so API clients and translations key
on it rather than on the English `detail`. The codes are listed in docs/conventions.md;
a code, once published, keeps its meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any


def _filled(template: str, params: Mapping[str, Any]) -> str:
    return template % params if params else template


@dataclass(frozen=True)
class FieldError:
    """What is wrong with one field. `message` is the English sentence the API returns;
    `template` and `params` are the same sentence before its values were put in
    (`must be at least %(days)s days after publication`, `{"days": 30}`): pages translate
    by the template, never by reading the English (`web/messages.py`)."""

    field: str
    message: str
    template: str = ""
    params: Mapping[str, Any] = default(default_factory=dict)

    @classmethod
    def of(cls, at: str, template: str, /, **params: Any) -> FieldError:
        return cls(at, _filled(template, params), template, params)

    @property
    def key(self) -> str:
        """The sentence a translation is looked up by (the message when none was given)."""
        return self.template or self.message


class Sentence(ValueError):
    """A validator's refusal as a template and its values. Pydantic keeps the exception in
    the error's `ctx["error"]`, so a page translates it as it does a service's `FieldError`."""

    def __init__(self, template: str, **params: Any) -> None:
        super().__init__(_filled(template, params))
        self.template = template
        self.params = params


PROBLEM_TYPE_PREFIX = "urn:icc-marketplace:problem:"


def problem_type(code: str) -> str:
    """The RFC 9457 `type` URI of a problem code."""
    return PROBLEM_TYPE_PREFIX + code


class DomainError(Exception):
    status = 400
    title = "Bad request"
    code = "bad-request"

    def __init__(
        self, detail: str, errors: list[FieldError] | None = None, *, code: str | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        if code is not None:
            self.code = code


class NotFound(DomainError):
    status = 404
    title = "Not found"
    code = "not-found"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"
    code = "forbidden"


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"
    code = "unauthorized"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    code = "conflict"


class Gone(DomainError):
    """What was there is no more: an expired link."""

    status = 410
    title = "Gone"
    code = "gone"


class TooLarge(DomainError):
    """An uploaded file over the size limit."""

    status = 413
    title = "Request body too large"
    code = "too-large"


class Invalid(DomainError):
    status = 422
    title = "Invalid input"
    code = "invalid-input"

    @classmethod
    def field(cls, field: str, template: str, /, **params: Any) -> Invalid:
        """One field's problem; `template` is filled with `params` (`%(name)s`)."""
        error = FieldError.of(field, template, **params)
        return cls(f"{field}: {error.message}", [error])


class RateLimited(DomainError):
    status = 429
    title = "Too many requests"
    code = "rate-limited"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
