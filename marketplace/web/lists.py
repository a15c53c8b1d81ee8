"""What every list page shares: its order (`sort`), its pages and its CSV download.

A list page passes the query it understood (its filters with unknown values dropped, the
order unless it is the default, `per_page` unless it is the default), so each link it draws
(the next page, the CSV) keeps every filter the reader chose and changes one thing. The
templates draw them with the macros of `partials/lists.html`.

- `sorting`: the orders a list offers, in the reader's language, and the one chosen. An
  unknown `sort` on a page (an old bookmark, an edited link) is the list's default, as an
  unknown filter value is: a page never fails on its order. The API refuses it
  (`marketplace.core.sorting`).
- `Pager`: "Page 2 of 5", with links that keep the query; `param` names its page number when
  a page shows two lists (`mine_page`).
- `download_url` and `every_row`: the CSV of a list is the list with the same filters and
  the same order, every page of it (up to `CSV_ROWS`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

from marketplace.i18n import gettext as _

T = TypeVar("T")


def N_(message: str) -> str:
    return message


# The orders several lists offer, named once (with the en dash of "A to Z", as typeset).
_COMMON_SORTS = {
    "deadline": N_("Closing soonest"), "newest": N_("Newest"), "updated": N_("Recently updated"),
    "title": N_("Title (A–Z)"), "name": N_("Name (A–Z)"), "tender": N_("Tender (A–Z)"),  # noqa: RUF001
}  # fmt: skip


def sort_labels(*keys: str, **own: str) -> dict[str, str]:
    """A list's orders, in the order given, named in the reader's language: the shared
    names, or the list's own (`sort_labels("deadline", "value", value=_("Highest value"))`)."""
    return {key: own[key] if key in own else _(_COMMON_SORTS[key]) for key in keys}


# The most rows a CSV download holds; a list longer than this says so beside its link.
CSV_ROWS = 10_000
# Rows read per query while writing a CSV.
_BATCH = 500
# Parameters that choose a page of a list, not what the list holds.
PAGING = ("page", "per_page", "mine_page")


@dataclass(frozen=True)
class Sorting:
    choices: tuple[tuple[str, str], ...]  # (value, label in the reader's language)
    chosen: str


def sorting(asked: str | None, labels: Mapping[str, str], default: str) -> Sorting:
    chosen = asked if asked is not None and asked in labels else default
    return Sorting(tuple(labels.items()), chosen)


def _url(path: str, items: Sequence[tuple[str, str]]) -> str:
    return path + ("?" + urlencode(items) if items else "")


@dataclass(frozen=True)
class Pager:
    path: str
    items: tuple[tuple[str, str], ...]  # the query without this pager's page number
    page: int
    per_page: int
    total: int
    param: str = "page"

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def url(self, page: int) -> str:
        return _url(self.path, [*self.items, *([(self.param, str(page))] if page > 1 else [])])


def pager(
    path: str, items: Sequence[tuple[str, str]], page: int, per_page: int, total: int,
    param: str = "page",
) -> Pager:  # fmt: skip
    kept = tuple((k, v) for k, v in items if k != param)
    return Pager(path, kept, page, per_page, total, param)


@dataclass(frozen=True)
class Download:
    """The link to a list's CSV, with how many rows it holds."""

    url: str
    total: int
    limit: int = CSV_ROWS

    @property
    def truncated(self) -> bool:
        return self.total > self.limit


def download_url(path: str, items: Sequence[tuple[str, str]]) -> str:
    """The CSV of a list: its query without the page numbers."""
    return _url(path, [(k, v) for k, v in items if k not in PAGING])


async def every_row(
    fetch: Callable[[int, int], Awaitable[tuple[list[T], int]]], limit: int = CSV_ROWS
) -> list[T]:
    """Every row of a list, page after page, as the page itself reads them (the same query,
    the same order, which ends with the id so no row is read twice)."""
    rows: list[T] = []
    page = 1
    while len(rows) < limit:
        batch, total = await fetch(page, _BATCH)
        rows.extend(batch)
        if not batch or len(rows) >= total:
            break
        page += 1
    return rows[:limit]
