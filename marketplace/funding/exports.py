"""CSV exports of a funder's shortlist and interests: pure functions, no I/O.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula, so such cells
(written by other people: call titles, notes, messages) get a leading apostrophe, as
OWASP's CSV injection guidance recommends. Tab and carriage return are treated the same.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from marketplace.funding.schemas import InterestOut, ShortlistOut

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

SHORTLIST_HEADER = (
    "call_id", "title", "city", "status", "deadline", "amount_sought", "currency",
    "pledged_total", "note", "added_at",
)  # fmt: skip
INTERESTS_HEADER = (
    "interest_id", "call_id", "call_title", "funder", "amount", "currency", "instrument",
    "status", "named_publicly", "conditions", "message", "decision_note", "decided_at",
    "created_at",
)  # fmt: skip


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def shortlist_csv(entries: Sequence[ShortlistOut]) -> str:
    return to_csv(
        SHORTLIST_HEADER,
        (
            (
                e.call_id,
                e.title,
                e.organisation_name,
                e.status,
                e.deadline.isoformat(),
                f"{e.amount_sought.amount:.2f}",
                e.amount_sought.currency,
                f"{e.pledged_total.amount:.2f}",
                e.note,
                e.created_at.isoformat(),
            )
            for e in entries
        ),
    )


def interests_csv(interests: Sequence[InterestOut]) -> str:
    return to_csv(
        INTERESTS_HEADER,
        (
            (
                i.id,
                i.call_id,
                i.call_title,
                i.funder_name,
                f"{i.amount.amount:.2f}",
                i.amount.currency,
                i.instrument,
                i.status,
                "yes" if i.named_publicly else "no",
                i.conditions,
                i.message,
                i.decision_note,
                i.decided_at.isoformat() if i.decided_at else "",
                i.created_at.isoformat(),
            )
            for i in interests
        ),
    )
