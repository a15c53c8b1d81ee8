"""The tenders list as a CSV a procurement officer can sort and share.

Only what the public list and the tender's page show: no response, no bidder and no count of
them (sealed until the deadline, and never a list to export afterwards either).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from marketplace.i18n import gettext as _
from marketplace.tenders.models import Tender
from marketplace.web import labels
from marketplace.web import spreadsheet as cells


def estimate(tender: Tender) -> tuple[Decimal | None, str]:
    """The tender's estimated value: its own, else its lots' when every lot has one, in one
    currency (else unknown: the sum of two currencies is no amount)."""
    if tender.estimated_amount is not None:
        return tender.estimated_amount, tender.estimated_currency or ""
    amounts = [lot.estimated_amount for lot in tender.lots]
    currencies = {lot.currency for lot in tender.lots}
    if not amounts or None in amounts or len(currencies) != 1:
        return None, ""
    return sum((a for a in amounts if a is not None), start=Decimal(0)), currencies.pop() or ""


def tenders_csv(
    tenders: Sequence[Tender], names: Mapping[str, str], now: datetime, base_url: str
) -> str:
    stages, procedures, themes = (
        labels.stage_names(),
        labels.procedure_names(),
        labels.theme_names(),
    )

    def lead(t: Tender) -> str:
        return names.get(t.lead_buyer_id, "")

    def cities(t: Tender) -> str:
        """The lead city first, then the others by name."""
        buyers = sorted(t.buyers, key=lambda b: (not b.is_lead, names.get(b.organisation_id, "")))
        return cells.joined(names.get(b.organisation_id, "") for b in buyers)

    columns: list[cells.Column[Tender]] = [
        (_("Title"), lambda t: t.title),
        (_("Stage"), lambda t: stages.get(t.stage_at(now), t.stage_at(now))),
        (_("Procedure"), lambda t: procedures.get(t.procedure, t.procedure)),
        (_("Lead city"), lead),
        (_("Cities buying together"), cities),
        (_("ICC themes"), lambda t: cells.joined(themes.get(c, c) for c in t.themes)),
        (_("CPV codes"), lambda t: cells.joined(labels.cpv_label(c) for c in t.cpv_codes)),
        (_("Places of performance"), lambda t: cells.joined(map(labels.nuts_label, t.nuts_codes))),
        (_("Lots"), lambda t: len(t.lots)),
        (_("Estimated value"), lambda t: cells.amount(estimate(t)[0])),
        (_("Currency"), lambda t: estimate(t)[1]),
        (_("Published"), lambda t: cells.day(t.published_at)),
        (_("Questions close (UTC)"), lambda t: cells.moment(t.clarification_deadline)),
        (_("Responses close (UTC)"), lambda t: cells.moment(t.submission_deadline)),
        (_("Ended"), lambda t: cells.day(t.ended_at(now))),
        (_("Imported from TED"), lambda t: cells.yes_no(t.imported)),
        ("OCID", lambda t: t.ocid),
        (_("Link"), lambda t: f"{base_url.rstrip('/')}/tenders/{t.id}"),
    ]
    return cells.table(columns, tenders)
