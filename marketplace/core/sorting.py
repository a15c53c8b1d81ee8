"""The orders a list offers, checked in one place.

A list names its orders (`("deadline", "newest", "title", "value")`); a service turns the
name into ORDER BY clauses that always end with the record's id, so that rows with equal
values (two tenders closing the same minute) keep one order from one page to the next.
The API types `sort` as a `Literal` of the same names (an unknown one is a 400 naming
`sort`); a page falls back to its default (`marketplace.web.lists.sorting`); a service
called with anything else refuses it here, naming the parameter.
"""

from __future__ import annotations

from collections.abc import Sequence

from marketplace.errors import Invalid


def checked_sort(sort: str | None, choices: Sequence[str]) -> str | None:
    """`sort` if it is one of `choices` (None: the list's default order)."""
    if sort is not None and sort not in choices:
        raise Invalid.field("sort", f"must be one of {', '.join(choices)}")
    return sort
