"""Domain errors raised by services; one handler turns them into RFC 9457 problems.

Each kind of error has a stable `code` (a class default, or a narrower one given where it is
raised: `Forbidden(SEALED, code="sealed")`). The problem's `type` is
`urn:icc-marketplace:problem:<code>` (`problem_type`), so API clients and translations key
on it rather than on the English `detail`. The codes are listed in docs/conventions.md;
a code, once published, keeps its meaning.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


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
    def field(cls, field: str, message: str) -> Invalid:
        return cls(f"{field}: {message}", [FieldError(field, message)])


class RateLimited(DomainError):
    status = 429
    title = "Too many requests"
    code = "rate-limited"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
