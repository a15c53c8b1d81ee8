"""CSV downloads: one writer for every list a person can take away in a spreadsheet.

- **Formula injection.** A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a
  formula (`=HYPERLINK(...)` in a tender title written by someone else), and tab and
  carriage return are read the same by some; such cells get a leading apostrophe, as
  OWASP's CSV injection guidance recommends. Numbers are written by us (`12500.00`) and
  never start with a sign: amounts here are not negative.
- **Encoding.** UTF-8 with a byte order mark for the downloads people open: without it
  Excel reads UTF-8 as the local code page and "Zürich" becomes "ZÃ¼rich". The API's CSV
  (the funder's shortlist and interests) has none: programs read it with a CSV library, and a
  BOM would become part of their first column's name.
- **Values.** Headers are the column names in the reader's language; dates are ISO 8601
  (`2026-04-30`; moments in UTC with their offset, `2026-04-30T12:00+00:00`), which every
  spreadsheet sorts right; an amount is a plain number with a dot and its currency in the
  next column, so it stays a number whatever the reader's locale. Comma separated, as RFC
  4180 says: a spreadsheet set to a locale whose list separator is `;` opens it through its
  import dialog (Excel: Data > From Text/CSV), which also honours the BOM.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TypeVar

from litestar import Response

from marketplace.i18n import gettext as _

T = TypeVar("T")

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# What a row turns into in one column: (header, value of the row).
Column = tuple[str, Callable[[T], object]]


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def table(columns: Sequence[Column[T]], items: Iterable[T]) -> str:
    """The items as CSV, one row each, with the columns' headers first."""
    return to_csv(
        [h for h, _ in columns], ([value(item) for _, value in columns] for item in items)
    )


def csv_response(text: str, filename: str, *, bom: bool = True) -> Response[str]:
    return Response(
        (BOM if bom else "") + text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def download_name(what: str, today: date) -> str:
    """`tenders-2026-04-30.csv`: which list, and when it was taken."""
    return f"{what}-{today.isoformat()}.csv"


# --- cells --------------------------------------------------------------------------------


def day(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).date().isoformat()
    return value.isoformat()


def moment(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(UTC).isoformat(timespec="minutes")


def amount(value: Decimal | int | None) -> str:
    return "" if value is None else f"{Decimal(value):.2f}"


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def joined(values: Iterable[str]) -> str:
    """Several values in one cell, as people list them."""
    return "; ".join(v for v in values if v)
