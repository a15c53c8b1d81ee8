"""The funding pictures (issue 19), as `web.charts` pictures: a call's funding sought, offered
and accepted on its page, and a city's spend and funding sought by ICC theme on its home.

Figures are the call's as `services.calls_out` states them (offered: pending and accepted
interests; accepted: the pledged total; the state `oversubscribed` or `fully_funded`), so the
picture never says more than the text beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from marketplace import i18n
from marketplace.funding.schemas import FundingCallOut
from marketplace.i18n import gettext as _
from marketplace.reference import vocabularies as vocab
from marketplace.tenders.reads import ThemeSpend
from marketplace.web import charts
from marketplace.web.labels import theme_names

# Calls whose amount is asked of funders: published (open, or closed since).
SEEKING = ("open", "closed")


def _money(amount: Decimal, currency: str) -> charts.Figure:
    return charts.Figure(amount, i18n.money(amount, currency))


def funding(call: FundingCallOut) -> charts.Picture:
    currency = call.amount_sought.currency
    sought = _money(call.amount_sought.amount, currency)
    accepted = _money(call.pledged_total.amount, currency)
    rows = [charts.Row(_("Sought"), (sought,), "primary")]
    offered = None
    if call.offered_total is not None:
        offered = _money(call.offered_total.amount, currency)
        tone = "warn" if call.funding_state == "oversubscribed" else "primary"
        rows.append(charts.Row(_("Offered"), (offered,), tone))
    rows.append(charts.Row(_("Accepted"), (accepted,), "ok"))
    share = i18n.percent(min(call.pledged_percent, Decimal(100)))
    state = {
        "oversubscribed": _("Oversubscribed: funders offer more than the call seeks."),
        "fully_funded": _("Fully funded."),
    }.get(call.funding_state)
    parts = [_("Sought: %(amount)s.", amount=sought.text)]
    if offered is not None:
        parts.append(_("Offered by funders (pending and accepted): %(amount)s.",
                       amount=offered.text))  # fmt: skip
    parts.append(_("Accepted: %(amount)s, %(share)s of the amount sought.",
                   amount=accepted.text, share=share))  # fmt: skip
    if state:
        parts.append(state)
    return charts.bar_chart(
        "call-funding", _("Funding sought, offered and accepted"), " ".join(parts), rows,
        head=(_("Funding"), _("Amount")), reference=charts.Reference(sought.value, _("Amount sought")),
        notes=[state] if state else [],
    )  # fmt: skip


def themes(spend: Sequence[ThemeSpend], calls: Sequence[FundingCallOut]) -> list[charts.Picture]:
    """Per currency, a theme's tenders (estimated value) beside its funding sought; only
    themes with one or the other, in the vocabulary's order."""
    sought: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for call in calls:
        if call.status in SEEKING:
            for theme in call.themes:
                sought[theme, call.amount_sought.currency] += call.amount_sought.amount
    spent = {(s.theme, s.currency): s.amount for s in spend}
    currencies = sorted({c for _t, c in [*sought, *spent]})
    names = theme_names()
    series = (_("Tenders (estimated value)"), _("Funding sought"))
    pictures = []
    for n, currency in enumerate(currencies, start=1):
        rows = []
        for theme in vocab.themes():
            key = (theme, currency)
            if key not in sought and key not in spent:
                continue
            figures = (_money(spent.get(key, Decimal(0)), currency),
                       _money(sought.get(key, Decimal(0)), currency))  # fmt: skip
            rows.append(charts.Row(names.get(theme, theme), figures))
        said = "; ".join(
            f"{r.label}: {series[0]} {r.figures[0].text}, {series[1]} {r.figures[1].text}"
            for r in rows
        )
        desc = _("In %(currency)s, per theme: %(figures)s. Published tenders that are not "
                 "cancelled or unsuccessful, and published funding calls; one with several "
                 "themes counts in each.", currency=currency, figures=said)  # fmt: skip
        title = _("Spend and funding sought by theme")
        if len(currencies) > 1:
            title = f"{title} ({currency})"
        picture = charts.bar_chart(
            f"theme-spend-{n}", title, desc, rows, head=(_("Theme"), *series), series=series
        )
        pictures.append(picture)
    return pictures
