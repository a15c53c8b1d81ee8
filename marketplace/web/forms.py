"""HTML forms go through the same Pydantic schemas and services as the API; errors come
back as sentences keyed by form field (marketplace.web.messages) so the form can show them
next to the input, all of them at once."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from litestar.params import URLEncodedBody
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace import i18n
from marketplace.errors import DomainError
from marketplace.i18n import gettext as _
from marketplace.web.messages import Where, domain_messages, dotted_where, pydantic_messages

M = TypeVar("M", bound=BaseModel)

FormData = URLEncodedBody[dict[str, Any]]


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop the CSRF token and turn empty optional inputs into absent ones."""
    return {k: v for k, v in data.items() if k != "_csrf_token" and v not in ("", None)}


def parse(
    model: type[M], data: dict[str, Any], labels: Mapping[str, str] | None = None,
    where: Where = dotted_where, now: datetime | None = None,
) -> tuple[M | None, dict[str, str]]:  # fmt: skip
    try:
        return model.model_validate(data), {}
    except ValidationError as error:
        return None, pydantic_messages(error.errors(), labels or {}, where, now)


def errors_of(
    error: DomainError, labels: Mapping[str, str] | None = None, where: Where = dotted_where,
    now: datetime | None = None,
) -> dict[str, str]:  # fmt: skip
    if error.errors:
        return domain_messages(error.errors, labels or {}, where, now)
    return {"form": _(error.detail)}


def read_numbers(
    form: dict[str, Any], names: Iterable[str], labels: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Numbers typed as people write them in the reader's locale ("2,450,000" in English,
    "2 450 000" in French, "2.450.000" in German) become the plain form the schemas read;
    what is not a finite number becomes a message for that field and is left out of `form`.
    The page must merge these messages over the schema's and save nothing when there are any."""
    errors: dict[str, str] = {}
    for name in names:
        text = form.get(name)
        if text is None or str(text).strip() == "":
            continue
        try:
            form[name] = i18n.plain(i18n.read_number(str(text)))
        except i18n.NotANumber:
            label = (labels or {}).get(name, name.replace("_", " ").capitalize())
            errors[name] = _(
                "%(label)s must be a number, such as %(example)s.",
                label=label, example=i18n.number(2450000),
            )  # fmt: skip
            form.pop(name)
    return errors


def as_list(value: Any) -> list[str]:
    """A multi-select arrives as a string when one option is chosen, a list otherwise."""
    if value is None or value == "":
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


async def attempt(
    db_session: AsyncSession,
    work: Awaitable[Any],
    *,
    let_through: tuple[type[DomainError], ...] = (),
) -> DomainError | None:
    """Run one form action (every page's buttons go through here).

    A refusal rolls the transaction back, because the page then answers with a redirect or a
    re-rendered form and the request commits on 2xx/3xx: whatever the action wrote before
    refusing must not be kept. The refusal is returned for the page to show; errors of the
    `let_through` kinds (a `Forbidden` where the page should not pretend it can help) go on to
    the error page."""
    try:
        await work
    except let_through:
        raise
    except DomainError as error:
        await db_session.rollback()
        return error
    return None
