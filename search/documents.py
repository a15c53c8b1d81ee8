"""The search document: what a backend indexes for one published record.

Documents are plain values built by pure mapping functions on the caller's side; a backend
stores exactly what it is given (deciding what is public is the caller's job).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

DOCUMENT_TYPES = ("listing", "tender", "funding_call")


@dataclass(frozen=True, slots=True)
class SearchDocument:
    id: str  # the record's own opaque id; unique across types (UUIDs)
    type: str  # "listing" | "tender" | "funding_call" (any short word works for the engine)
    title: str
    summary: str = ""
    body: str = ""
    organisation: str = ""
    cpv_codes: tuple[str, ...] = ()  # "45233000-9" or "45233000"; ancestors are derived
    cpv_labels: tuple[str, ...] = ()
    standards: tuple[str, ...] = ()  # catalogue codes
    standard_titles: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()  # outcome metrics in words ("CO2 emissions", ...)
    themes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    nuts_codes: tuple[str, ...] = ()  # ancestors are derived
    status: str = ""
    value: float | None = None  # comparable amount (EUR) for range filters and sorting
    deadline: datetime | None = None
    published_at: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)  # e.g. url, currency
    # The record's embedding, when the caller has one and the backend searches by meaning
    # (`SearchBackend.vector_search`); other backends ignore it.
    vector: tuple[float, ...] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        for name in ("deadline", "published_at"):
            moment = getattr(self, name)
            if moment is not None and moment.tzinfo is None:
                raise ValueError(f"{name} must be timezone-aware")

    # Derived values every backend indexes the same way.
    @property
    def cpv_terms(self) -> tuple[str, ...]:
        """Every CPV code of the document with all its ancestors, as 8 digits."""
        return tuple(sorted({a for code in self.cpv_codes for a in cpv_ancestors(code)}))

    @property
    def cpv_divisions(self) -> tuple[str, ...]:
        return tuple(sorted({cpv_division(code) for code in self.cpv_codes}))

    @property
    def nuts_terms(self) -> tuple[str, ...]:
        return tuple(sorted({a for code in self.nuts_codes for a in nuts_ancestors(code)}))

    @property
    def text_fields(self) -> dict[str, str]:
        """The searchable text by weight group: A title, B summary/organisation, C the rest."""
        return {
            "title": self.title,
            "summary": self.summary,
            "organisation": self.organisation,
            "body": self.body,
            "classification": " ".join((*self.cpv_labels, *self.standards, *self.standard_titles)),
            "outcomes": " ".join(self.outcomes),
        }


def cpv_digits(code: str) -> str:
    """`45233000-9` → `45233000`; raises ValueError for anything that is not a CPV code."""
    digits = code.strip().split("-", 1)[0]
    if len(digits) != 8 or not digits.isdigit():
        raise ValueError(f"not a CPV code: {code!r}")
    return digits


@lru_cache(maxsize=32_768)
def cpv_ancestors(code: str) -> tuple[str, ...]:
    """The code and every code above it: 45233100 → 45000000, 45200000, 45230000, 45233000, 45233100.

    The CPV hierarchy is positional: a division is 2 significant digits, a group 3, a class 4,
    a category 5 and further levels up to 8, padded with zeros.
    """
    digits = cpv_digits(code)
    significant = max(2, len(digits.rstrip("0")))
    return tuple(digits[:n].ljust(8, "0") for n in range(2, significant + 1))


def cpv_division(code: str) -> str:
    return cpv_digits(code)[:2] + "000000"


@lru_cache(maxsize=8192)
def nuts_ancestors(code: str) -> tuple[str, ...]:
    """FI1B1 → FI, FI1, FI1B, FI1B1: a NUTS code's prefixes are its enclosing regions."""
    code = code.strip().upper()
    if not 2 <= len(code) <= 5 or not code.isalnum():
        raise ValueError(f"not a NUTS code: {code!r}")
    return tuple(code[:n] for n in range(2, len(code) + 1))
