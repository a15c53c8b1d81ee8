"""The filters a list was asked for, each with a link that removes it, for the pages that
find nothing: "No results for “bus”", then "Theme: Mobility (remove)" and "Clear all filters".

A page passes its query as it stands and a `describe(name, value)` that names a filter in the
reader's language (None for what is not a filter: the words, the sort, the page). Each link
keeps everything else, so removing one filter never loses the others.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from marketplace.i18n import gettext as _

Describe = Callable[[str, str], str | None]


@dataclass(frozen=True)
class ActiveFilter:
    label: str  # "Theme: Mobility"
    remove_url: str


@dataclass(frozen=True)
class ActiveFilters:
    active: tuple[ActiveFilter, ...]
    clear_url: str  # the same words (and order), no filter

    def __bool__(self) -> bool:
        return bool(self.active)


def named(title: str, value: str) -> str:
    """ "Theme: Mobility" (French puts a space before the colon)."""
    return _("%(filter)s: %(value)s", filter=title, value=value)


def _url(path: str, items: Sequence[tuple[str, str]]) -> str:
    return path + ("?" + urlencode(items) if items else "")


def active_filters(
    path: str, items: Sequence[tuple[str, str]], describe: Describe,
    keep: Collection[str] = ("q", "sort", "per_page"),
) -> ActiveFilters:  # fmt: skip
    """`items`: the query parameters in their order; `keep`: those that are not filters and
    stay when the filters go. A removal link goes back to the first page."""
    query = [(name, value) for name, value in items if name != "page" and value != ""]
    found = []
    for i, (name, value) in enumerate(query):
        label = None if name in keep else describe(name, value)
        if label is not None:
            found.append(ActiveFilter(label, _url(path, query[:i] + query[i + 1 :])))
    kept = [(name, value) for name, value in query if name in keep]
    return ActiveFilters(tuple(found), _url(path, kept))
