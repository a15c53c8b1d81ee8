"""A confirmation step before an action that cannot be undone, working without JavaScript.

The action's form posts as usual; without `confirmed=yes` the handler answers with a page
that says what will happen and to whom, and repeats the form's fields (hidden) with a
button that posts them again, confirmed. Nothing changes until that second post, so the
step cannot be skipped by a page that forgot to ask: the handler itself asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request
from litestar.response import Template

from marketplace.accounts.principal import Actor
from marketplace.web.deps import render


def confirmed(data: Mapping[str, Any]) -> bool:
    return data.get("confirmed") == "yes"


def ask(
    request: Request[Any, Any, Any], actor: Actor | None, data: Mapping[str, Any], *,
    title: str, consequences: list[str], button: str, back: str, danger: bool = True,
) -> Template:  # fmt: skip
    """The confirmation page; `data` are the fields the first post carried."""
    fields = [
        (k, v)
        for k, value in data.items()
        if k not in ("_csrf_token", "confirmed")
        for v in (value if isinstance(value, list) else [value])
    ]
    return render(
        request, "confirm.html", actor, title=title, consequences=consequences, button=button,
        back=back, fields=fields, action=request.url.path, danger=danger,
    )  # fmt: skip
