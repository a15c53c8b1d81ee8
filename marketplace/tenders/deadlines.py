"""What a tender's deadlines say to a reader, in the reader's language: the time left while
the procedure runs, and once it has ended, how it ended ("Cancelled on 3 December 2026").

A cancelled or decided tender must not count down: its deadlines no longer apply, and a
countdown would tell an SME it can still respond. The stage comes from `Tender.stage_at`;
nothing here re-derives it.
"""

from __future__ import annotations

from datetime import datetime

from marketplace import i18n
from marketplace.i18n import gettext as _
from marketplace.i18n import ngettext
from marketplace.tenders.models import Tender


def time_left(deadline: datetime, now: datetime) -> str:
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return _("closed")
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return ngettext("%(num)d day %(hours)s h left", "%(num)d days %(hours)s h left", days,
                        hours=hours)  # fmt: skip
    minutes = rest // 60
    if hours:
        return _("%(hours)s h %(minutes)s min left", hours=hours, minutes=minutes)
    return _("%(minutes)s min %(seconds)s s left", minutes=minutes, seconds=rest % 60)


def ended(tender: Tender, now: datetime) -> str | None:
    """How the procedure ended and on which day, or None while its deadlines still count."""
    when = tender.ended_at(now)
    if when is None:
        return None
    date = i18n.day(when)
    return {
        "cancelled": _("Cancelled on %(date)s", date=date),
        "complete": _("Completed on %(date)s", date=date),
        "unsuccessful": _("Declared unsuccessful on %(date)s", date=date),
    }[tender.stage_at(now)]
