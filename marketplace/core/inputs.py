"""Annotated input types every package's schemas build on, so hostile text, numbers and
dates are refused (or made harmless) in one place, before a service sees them.

Why each rule:
- NUL and other control characters break exports, logs and PostgreSQL (`\\x00` is refused by
  its text type), so they are refused with a message naming the field.
- Bidirectional overrides and isolates (U+202A to U+202E, U+2066 to U+2069) reorder what a person
  reads (a name can show as someone else's, `exe.pdf` as `fdp.exe`), so they are refused.
- Zero-width characters (U+200B to U+200D, U+2060, U+FEFF, U+180E) make two names look the same
  while differing; they carry no meaning in names and titles, so they are stripped.
- Text is normalised to NFC so the same visible name is stored the same way once.
- Datetimes are ISO 8601 strings with an offset only: an epoch number is ambiguous
  (seconds or milliseconds?) and pydantic would silently read `1700000000` as a date.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, Field

# Removed silently: invisible, meaningless in names and titles.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u180e"
# Refused: they change how the surrounding text reads.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"

_ZERO_WIDTH = str.maketrans("", "", ZERO_WIDTH)
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# C0 and C1 controls and DEL; single-line text refuses tab and line breaks too.
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _clean(value: object, controls: re.Pattern[str]) -> object:
    if not isinstance(value, str):
        return value  # the str type itself refuses what is not text
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    if _BIDI.search(value):
        raise ValueError("must not contain bidirectional control characters")
    if controls.search(value):
        raise ValueError("must not contain control characters")
    return unicodedata.normalize("NFC", value.translate(_ZERO_WIDTH))


def clean_line(value: object) -> object:
    """A name or title: one line of visible text."""
    return _clean(value, _CONTROL_LINE)


def clean_text(value: object) -> object:
    """A description or message: line breaks and tabs allowed, other controls not."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n")
    return _clean(value, _CONTROL_TEXT)


def iso_datetime_only(value: Any) -> Any:
    """Refuse numbers (epoch seconds) before pydantic would accept them as datetimes."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date and time with an offset, as a string")
    return value


# A field with lengths puts them before the cleaning, so that pydantic checks them as a
# string's ("Title must be at least 3 characters") and not as a generic sized value's
# ("Value should have at least 3 items"):
#   title: Annotated[str, Field(min_length=3, max_length=200), CleanLine]
CleanLine = BeforeValidator(clean_line)
CleanText = BeforeValidator(clean_text)
# Without lengths:
Line = Annotated[str, CleanLine]
Text = Annotated[str, CleanText]
# A link a person gives (a procurement-documents page, an external document).
Url = Annotated[str, Field(max_length=1000, pattern=r"^https?://\S+$")]
# A point in time from a client: "2026-03-02T09:00:00+01:00" (or Z), never 1772438400.
Instant = Annotated[AwareDatetime, BeforeValidator(iso_datetime_only)]

# Bounds shared by every list endpoint and page: past them an OFFSET overflows a 64-bit
# integer (a 500 from the database) long before it could find anything.
MAX_PAGE = 10_000
MAX_PER_PAGE = 100
