"""The funding calls list as a CSV: what a funder screens calls by.

What the public list shows of each call: the amounts sought, offered and accepted, never who
offered them (interests are the call's cities' and that funder's business).
"""

from __future__ import annotations

from collections.abc import Sequence

from marketplace.funding.schemas import FundingCallOut
from marketplace.i18n import gettext as _
from marketplace.web import labels
from marketplace.web import spreadsheet as cells


def calls_csv(calls: Sequence[FundingCallOut], base_url: str) -> str:
    themes, instruments = labels.theme_names(), labels.instrument_names()
    statuses = {"draft": _("Draft"), "open": _("Open"), "closed": _("Closed")}
    columns: list[cells.Column[FundingCallOut]] = [
        (_("Title"), lambda c: c.title),
        (_("Lead city"), lambda c: c.organisation_name),
        (_("Partner cities"), lambda c: cells.joined(p.name for p in c.partners if p.confirmed)),
        (_("Status"), lambda c: statuses.get(c.status, c.status)),
        (_("ICC themes"), lambda c: cells.joined(themes.get(t, t) for t in c.themes)),
        (_("Instruments"), lambda c: cells.joined(instruments.get(i, i) for i in c.instruments)),
        (_("Amount sought"), lambda c: cells.amount(c.amount_sought.amount)),
        (_("Offered"), lambda c: cells.amount(c.offered_total.amount) if c.offered_total else ""),
        (_("Accepted"), lambda c: cells.amount(c.pledged_total.amount)),
        (_("Currency"), lambda c: c.amount_sought.currency),
        (_("Co-financing (%)"), lambda c: c.co_financing_percent if c.co_financing_percent is not None else ""),
        (_("Deadline (UTC)"), lambda c: cells.moment(c.deadline)),
        (_("Published"), lambda c: cells.day(c.published_at)),
        (_("Summary"), lambda c: c.summary),
        (_("Link"), lambda c: f"{base_url.rstrip('/')}/funding-calls/{c.id}"),
    ]  # fmt: skip
    return cells.table(columns, calls)
