"""Pieces every kind's document mapper needs: labels from the real vocabularies, outcome
metrics in words, a comparable amount, and the titles of standards as the catalogue has
them now. Pure, except `standard_titles`, which reads the catalogue once per batch."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.reference import vocabularies as vocab
from marketplace.standards.models import Standard

# The one currency every search document's `value` is stated in. Amounts in another
# currency are left out of value filters and sorting rather than converted at a rate
# nobody agreed to; the record's own page shows them as given.
INDEX_CURRENCY = "EUR"


class Described(Protocol):
    """What a listing's or a call's document is titled and described by."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def outcomes(self) -> list[dict[str, Any]]: ...


class Conforms(Protocol):
    """A record's link to a standard (a listing's claim, a call's wanted standard)."""

    @property
    def standard_code(self) -> str: ...


class StandardCode(NamedTuple):
    """Such a link as the loaders read it."""

    standard_code: str


# Markdown's inline and line syntax, for `plain_text`.
# Every alternative begins with the character it removes and looks behind only after it:
# `re` then skips straight to the candidate characters (with the look-behinds first it tried
# every position of every text, a third of a rebuild's loading).
_IMAGE_OR_LINK = re.compile(r"(?:!\[|\[)([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_MARKS = re.compile(
    r"\*\*|__|~~|`+|\*(?<![\w*]\*)(?=\S)|\*(?<=\S\*)(?![\w*])|_(?<!\w_)(?=\S)|_(?<=\S_)(?!\w)"
)
_MARK_CHARS = "*_~`"
_LINE_START = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+)", re.M)
_RULE_OR_FENCE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$|^[ \t]*(?:```|~~~).*$", re.M)
_TABLE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$|\|", re.M)
_BLANK_LINES = re.compile(r"\n\s*\n+")


def plain_text(markdown: str) -> str:
    """The words of a Markdown description without its syntax, for the index and the
    snippets cut from it (a snippet shows "Heat pumps in 12 schools", not "**Heat**
    pumps…"): link and image targets dropped, emphasis, code marks, headings, quotes,
    list markers and table rules removed, one line per paragraph.

    Patterns rather than a Markdown parser: markdown-it's full parse took 3 to 6 ms per
    description, most of a 100 000-record rebuild; the index needs the words, not the
    document's structure, and the page still renders the description with markdown-it.
    """
    # Each pattern only where its characters occur (most descriptions have no links,
    # tables nor emphasis): the same text, without scanning it for what it cannot contain.
    text = _IMAGE_OR_LINK.sub(r"\1", markdown) if "[" in markdown else markdown
    text = _AUTOLINK.sub(r"\1", text) if "<" in text else text
    text = _RULE_OR_FENCE.sub("", text)
    text = _TABLE.sub(" ", text) if "|" in text else text
    text = _LINE_START.sub("", text)
    if any(mark in text for mark in _MARK_CHARS):
        text = _MARKS.sub("", text)
    return _BLANK_LINES.sub("\n", text).strip()


def cpv_labels(codes: Iterable[str]) -> tuple[str, ...]:
    known = vocab.cpv_codes()
    return tuple(known[c[:8]].label for c in codes if c[:8] in known)


def metrics(outcomes: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(str(o["metric"]) for o in outcomes if o.get("metric"))


def comparable(amount: Decimal | float | None, currency: str | None) -> float | None:
    if amount is None or currency != INDEX_CURRENCY:
        return None
    return float(amount)


def titles_of(codes: Iterable[str], titles: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(titles[c] for c in codes if c in titles)


async def standard_titles(session: AsyncSession) -> dict[str, str]:
    """Every standard's current title (the catalogue is small: tens of rows)."""
    rows = await session.execute(select(Standard.code, Standard.title))
    return dict(rows.tuples().all())
