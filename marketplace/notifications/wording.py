"""What a notification says, kept as words to be written in the reader's language.

A notification is decided once, when its event is handled, but read later, by someone whose
language may differ from the sender's (or who changes it). So a notification keeps its English
source sentence (the catalogue's msgid) with the values it names, and is written out when it is
read: in the inbox and the API in the reader's language, in an e-mail in the recipient's. The
English text is stored beside it, for logs and for rows written before this existed.

`say("Your response to %(title)s was received", title=tender.title)` marks a sentence for the
catalogue (`make messages` extracts `say` and `say_n`). Values are kept as they are (names and
titles people wrote) unless they are a moment (`At`, `Day`), written in the reader's date
format, or words of ours (`Term`, `Terms`), translated themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from babel.dates import format_date, format_time

from marketplace import i18n


@dataclass(frozen=True)
class At:
    """A moment, written as the reader writes dates ("2 December 2026, 17:00 UTC")."""

    moment: datetime


@dataclass(frozen=True)
class Day:
    moment: date


@dataclass(frozen=True)
class Term:
    """A word of the catalogue (a role, a field's label): translated where it is read."""

    text: str


@dataclass(frozen=True)
class Terms:
    """Several words of the catalogue, written as a list ("Title, Responses close")."""

    texts: tuple[str, ...]


Value = str | int | At | Day | Term | Terms


@dataclass(frozen=True)
class Words:
    text: str
    values: Mapping[str, Value] = field(default_factory=dict)
    plural: str | None = None
    n: int | None = None

    def __str__(self) -> str:
        """In the current locale (`i18n.using(...)` to choose another)."""
        values = {k: _written(v) for k, v in self.values.items()}
        if self.plural is not None and self.n is not None:
            return i18n.ngettext(self.text, self.plural, self.n, **values)
        return i18n.gettext(self.text, **values)

    def english(self) -> str:
        with i18n.using(i18n.DEFAULT):
            return str(self)

    def stored(self) -> dict[str, Any]:
        kept: dict[str, Any] = {
            "text": self.text,
            "values": {k: _kept(v) for k, v in self.values.items()},
        }
        if self.plural is not None:
            kept |= {"plural": self.plural, "n": self.n}
        return kept

    @classmethod
    def restored(cls, kept: Mapping[str, Any]) -> Words:
        values = {str(k): _restored(v) for k, v in (kept.get("values") or {}).items()}
        n = kept.get("n")
        return cls(str(kept["text"]), values, kept.get("plural"), int(n) if n is not None else None)


def say(text: str, **values: Value) -> Words:
    return Words(text, values)


def say_n(singular: str, plural: str, n: int, **values: Value) -> Words:
    """A sentence with a count in it; `%(num)d` is the count (as `ngettext` has it)."""
    return Words(singular, values, plural, n)


def written(parts: Sequence[Words], separator: str = " ") -> str:
    return separator.join(s for s in (str(p) for p in parts) if s)


def stored(title: Words, body: Sequence[Words]) -> dict[str, Any]:
    return {"title": title.stored(), "body": [b.stored() for b in body]}


def read(kept: Mapping[str, Any] | None, title: str, body: str) -> tuple[str, str]:
    """(title, body) in the current locale; the stored English when nothing was kept (or
    what was kept cannot be read any more: the English is never lost)."""
    if not kept:
        return title, body
    try:
        return (
            str(Words.restored(kept["title"])),
            written([Words.restored(b) for b in kept.get("body") or []]),
        )
    except (KeyError, TypeError, ValueError):
        return title, body


def _written(value: Value) -> str | int:
    if isinstance(value, At):
        locale = i18n.babel_locale()
        moment = value.moment
        day = format_date(moment.astimezone(UTC), "long", locale=locale)
        return f"{day}, {format_time(moment, 'HH:mm', tzinfo=UTC, locale=locale)} UTC"
    if isinstance(value, Day):
        return format_date(value.moment, "long", locale=i18n.babel_locale())
    if isinstance(value, Term):
        return i18n.gettext(value.text)
    if isinstance(value, Terms):
        return ", ".join(i18n.gettext(t) for t in value.texts)
    return value


def _kept(value: Value) -> Any:
    if isinstance(value, At):
        return {"at": value.moment.isoformat()}
    if isinstance(value, Day):
        return {"day": value.moment.isoformat()}
    if isinstance(value, Term):
        return {"term": value.text}
    if isinstance(value, Terms):
        return {"terms": list(value.texts)}
    return value


def _restored(value: Any) -> Value:
    if isinstance(value, dict):
        if "at" in value:
            return At(datetime.fromisoformat(value["at"]))
        if "day" in value:
            return Day(date.fromisoformat(value["day"]))
        if "term" in value:
            return Term(str(value["term"]))
        if "terms" in value:
            return Terms(tuple(str(t) for t in value["terms"]))
        raise ValueError(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(value)
    return value
