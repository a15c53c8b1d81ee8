"""What the pickers on forms (`partials/pickers.html`) show and read back.

A code picker (CPV codes, NUTS regions) is a list of ticked codes with their names and a box
to find more by code or words. With htmx the box asks `/reference/cpv` (or `/nuts`) as one
types; without JavaScript its "Find" button redraws the form with the codes found, and what
is typed in the box when the form is saved is read as codes or as a name
(`marketplace.reference.finding`). Whatever cannot be read as a code goes on to the schema
as typed, so the form's usual validation names the field, and the codes it could mean are
listed below the box to tick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marketplace import i18n
from marketplace.reference import finding
from marketplace.reference import vocabularies as vocab

RESULTS = 25

_FIND: dict[str, finding.Finder] = {"cpv": finding.find_cpv, "nuts": finding.find_nuts}
_RESOLVE: dict[str, Callable[[str, str], tuple[list[str], str]]] = {
    "cpv": finding.resolve_cpv,
    "nuts": finding.resolve_nuts,
}


def _language() -> str:
    return i18n.current()


def values(value: Any) -> list[str]:
    """The codes a form holds for a picker: ticked boxes arrive as a list (or one string);
    a string may hold several codes, as the free-text fields and the API's clients send them."""
    if value is None or value == "":
        return []
    items = [value] if isinstance(value, str) else [str(v) for v in value]
    return [code for item in items for code in item.replace(",", " ").split() if code]


@dataclass(frozen=True)
class Choice:
    """A code on the picker's list: its value, its name, and whether the vocabulary knows it."""

    code: str
    label: str
    known: bool


def _canonical(kind: str, code: str) -> str | None:
    if kind == "cpv":
        found = vocab.cpv_codes().get(code.split("-")[0])
        return found.code if found and (("-" not in code) or found.code == code) else None
    upper = code.upper()
    return upper if upper in vocab.nuts_regions() else None


def chosen(kind: str, codes: Any) -> list[Choice]:
    """The ticked codes with their names (in the reader's language where the data has it)."""
    out: list[Choice] = []
    for code in values(codes):
        canonical = _canonical(kind, code)
        if canonical is None:
            out.append(Choice(code, "", False))
        else:
            name = (
                finding.cpv_name(canonical, _language())
                if kind == "cpv"
                else finding.nuts_name(canonical)
            )
            out.append(Choice(canonical, name, True))
    return out


@dataclass(frozen=True)
class Results:
    items: list[finding.Found]
    total: int


def results(kind: str, query: str, exclude: Any = ()) -> Results:
    """What the box finds, less the codes already ticked."""
    taken = {c.code for c in chosen(kind, exclude)}
    found, total = _FIND[kind](query, _language(), RESULTS + len(taken))
    items = [f for f in found if f.code not in taken][:RESULTS]
    return Results(items, max(total - len(taken), len(items)))


@dataclass(frozen=True)
class Picked:
    """A picker's codes as the form sent them: the ticked ones and those typed in the box,
    and what in the box is not a code (kept in the box, and sent on for validation)."""

    codes: list[str]
    typed: str

    @property
    def for_schema(self) -> list[str]:
        return [*self.codes, self.typed] if self.typed else self.codes

    @property
    def one(self) -> str | None:
        """A single-choice picker's value for the schema."""
        return self.typed or (self.codes[0] if self.codes else None)


def _read_box(kind: str, data: dict[str, Any], name: str) -> tuple[list[str], str]:
    typed = str(data.get(f"{name}_q") or "")
    if finding_in(data) == name:  # "Find" lists what the words find; it chooses nothing
        return [], typed.strip()
    return _RESOLVE[kind](typed, _language())


def take(kind: str, data: dict[str, Any], name: str) -> Picked:
    """Read a picker named `name` from form data (ticked `name`, typed `name_q`)."""
    codes = values(data.get(name))
    found, rest = _read_box(kind, data, name)
    seen: set[str] = set()
    unique = []
    for code in [*codes, *found]:
        key = _canonical(kind, code) or code
        if key not in seen:
            seen.add(key)
            unique.append(code)
    return Picked(unique, rest)


def take_one(kind: str, data: dict[str, Any], name: str) -> Picked:
    """A single-choice picker (a radio per code): a code typed in the box wins over the one
    ticked, as typing it is the later act."""
    ticked = [v for v in values(data.get(name)) if v][-1:]
    found, rest = _read_box(kind, data, name)
    return Picked(found[-1:] or ticked, rest)


def keep(form: dict[str, Any], name: str, picked: Picked) -> None:
    """Show the picker as read: resolved codes ticked, the unread rest still in its box."""
    form[name] = picked.codes
    form[f"{name}_q"] = picked.typed


def finding_in(data: dict[str, Any]) -> str:
    """The picker whose "Find" button sent the form (nothing is saved then), or ""."""
    return str(data.get("find") or "")
