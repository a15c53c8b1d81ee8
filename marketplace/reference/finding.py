"""Finding CPV codes and NUTS regions by what people type: a code (or its beginning) or words
of the name, in the reader's language where the data has names in it, for the pickers on
forms. Words match without regard to case, accents or hyphens ("GERATE" finds "Geräte",
"strasse" finds "Straße", "street lighting" finds "Street-lighting"), each word anywhere in
the name, in any order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from marketplace.reference import vocabularies as vocab

_SEPARATORS = re.compile(r"[\s,;]+")
_NOT_WORD = re.compile(r"[^\w]+")
_CPV_CODE = re.compile(r"^\d{8}(-\d)?$")
_NUTS_CODE = re.compile(r"^[A-Za-z]{2}[0-9A-Za-z]{0,3}$")


def fold(text: str) -> str:
    """Lower case without accents: what two spellings of a word have in common."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> str:
    """Folded words separated by single spaces ("Street-lighting" -> "street lighting")."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


@dataclass(frozen=True)
class Found:
    """One code as a picker offers it: the code and its name in the reader's language."""

    code: str
    label: str


# --- CPV ----------------------------------------------------------------------------------


def cpv_name(code: str, language: str) -> str:
    """The name of a CPV code in `language` if the data has one, else in English."""
    cpv = vocab.cpv_codes().get(code.strip()[:8])
    if cpv is None:
        return ""
    return vocab.cpv_labels(language).get(cpv.digits) or cpv.label


@cache
def _cpv_index(language: str) -> tuple[tuple[vocab.Cpv, str], ...]:
    """Each code with the folded words it is found by: its name in the language and in
    English (people also type the English name, which buyers quote)."""
    names = vocab.cpv_labels(language)
    return tuple(
        (cpv, words(f"{names.get(cpv.digits, '')} {cpv.label}"))
        for cpv in vocab.cpv_codes().values()
    )


def find_cpv(query: str, language: str = "en", limit: int = 25) -> tuple[list[Found], int]:
    """Codes by their beginning (check digit optional) or by words; broader codes first for
    words, since they are the likelier intent. Returns the first `limit` and how many match."""
    text = query.strip()
    if not text:
        return [], 0
    digits = text.split("-")[0].replace(" ", "")
    if digits.isdigit():
        hits = sorted(
            (c for d, c in vocab.cpv_codes().items() if d.startswith(digits)),
            key=lambda c: c.code,
        )
    else:
        wanted = words(text).split()
        hits = sorted(
            (cpv for cpv, folded in _cpv_index(language) if all(w in folded for w in wanted)),
            key=lambda c: (c.level, c.code),
        )
    return [Found(c.code, cpv_name(c.code, language)) for c in hits[:limit]], len(hits)


def resolve_cpv(text: str, language: str = "en") -> tuple[list[str], str]:
    """What someone typed into a CPV picker without choosing from its list: codes (one or
    several, check digit optional), or a name. Returns the codes it names and what could not
    be read as one (left for validation to name, with the list to choose from)."""
    return _resolve(text, _CPV_CODE.match, lambda t: _exact_cpv(t, language), find_cpv, language)


def _exact_cpv(text: str, language: str) -> list[str]:
    wanted = words(text)
    names = vocab.cpv_labels(language)
    return [
        cpv.code
        for cpv in vocab.cpv_codes().values()
        if wanted in (words(cpv.label), words(names.get(cpv.digits, "")))
    ]


# --- NUTS ---------------------------------------------------------------------------------


def nuts_name(code: str) -> str:
    region = vocab.nuts_regions().get(code.strip().upper())
    return region.label if region else ""


@cache
def _nuts_index() -> tuple[tuple[vocab.Nuts, str], ...]:
    return tuple((r, words(r.label)) for r in vocab.nuts_regions().values())


def find_nuts(query: str, language: str = "en", limit: int = 25) -> tuple[list[Found], int]:
    """Regions by the beginning of their code (`FI1` finds FI1, FI1B, FI1B1…) or by words of
    their name (the Latin-script name Eurostat gives, the same in every language)."""
    text = query.strip()
    if not text:
        return [], 0
    regions = vocab.nuts_regions()
    code = text.upper().replace(" ", "")
    hits = (
        sorted((r for c, r in regions.items() if c.startswith(code)), key=lambda r: r.code)
        if _NUTS_CODE.match(code)
        else []
    )
    wanted = words(text).split()
    # "Fi" may be Finland's codes or the start of "Firenze": codes first, then names.
    by_code = {r.code for r in hits}
    hits += sorted(
        (
            r
            for r, folded in _nuts_index()
            if r.code not in by_code and all(w in folded for w in wanted)
        ),
        key=lambda r: (r.level, r.code),
    )
    return [Found(r.code, r.label) for r in hits[:limit]], len(hits)


def resolve_nuts(text: str, language: str = "en") -> tuple[list[str], str]:
    """As `resolve_cpv`, for NUTS codes (`FI1B1 AT130`) or a region's name."""
    return _resolve(text, _looks_like_nuts, _exact_nuts, find_nuts, language)


def _looks_like_nuts(token: str) -> bool:
    """A region's code, or what is meant as one (a digit in it): "ITC" is a code, "Wien" a name."""
    code = token.upper()
    return code in vocab.nuts_regions() or (
        bool(_NUTS_CODE.match(code)) and any(c.isdigit() for c in code)
    )


def _exact_nuts(text: str) -> list[str]:
    wanted = words(text)
    return [r.code for r, folded in _nuts_index() if folded == wanted]


# --- shared -------------------------------------------------------------------------------


Finder = Callable[[str, str, int], tuple[list[Found], int]]


def _resolve(
    text: str,
    is_code: Callable[[str], object],
    exact: Callable[[str], list[str]],
    find: Finder,
    language: str,
) -> tuple[list[str], str]:
    typed = text.strip()
    if not typed:
        return [], ""
    tokens = [t for t in _SEPARATORS.split(typed) if t]
    if all(is_code(t) for t in tokens):
        # Codes as typed: a wrong one is named by the form's validation, as before.
        return tokens, ""
    named = exact(typed)
    if len(named) == 1:
        return named, ""
    found, total = find(typed, language, 2)
    if total == 1:
        return [found[0].code], ""
    return [], typed
