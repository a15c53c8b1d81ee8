"""CSV exports of a funder's shortlist and interests: pure functions, no I/O.

Written with the shared CSV writer (`marketplace.web.spreadsheet`), which neutralises cells a
spreadsheet would run as formulas (call titles, notes and messages are other people's text).
The headers are machine names: the API serves these files to funders' own systems.
"""

from __future__ import annotations

from collections.abc import Sequence

from marketplace.funding.schemas import InterestOut, ShortlistOut
from marketplace.web.spreadsheet import to_csv

SHORTLIST_HEADER = (
    "call_id", "title", "city", "status", "deadline", "amount_sought", "currency",
    "pledged_total", "note", "added_at",
)  # fmt: skip
INTERESTS_HEADER = (
    "interest_id", "call_id", "call_title", "funder", "amount", "currency", "instrument",
    "status", "named_publicly", "conditions", "message", "decision_note", "decided_at",
    "created_at",
)  # fmt: skip


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
