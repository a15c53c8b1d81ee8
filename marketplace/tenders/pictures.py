"""The tenders' pictures (issue 19): a tender's timeline on its page and a city's tenders by
stage on its home, as `web.charts` pictures.

The states come from the tender's stage rule (`Tender.stage_at`, `Tender.ended_at`), as the
page's "Cancelled on …" does (`deadlines.py`): a deadline the tender ended before is drawn as
one that no longer applies, never as passed or still to come; a draft's dates are planned.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from marketplace import i18n
from marketplace.accounts.models import Organisation
from marketplace.i18n import gettext as _
from marketplace.i18n import ngettext
from marketplace.tenders.deadlines import time_left
from marketplace.tenders.models import Tender
from marketplace.web import charts, maps
from marketplace.web.labels import stage_names

# The stages in the order a tender goes through them; the three ends last.
PIPELINE = ("planning", "active", "evaluation", "complete", "unsuccessful", "cancelled")
_STAGE_TONES = {"complete": "ok", "unsuccessful": "warn", "cancelled": "err"}


def _date(value: datetime) -> str:
    return i18n.day(value, "medium")


def timeline_steps(tender: Tender, now: datetime) -> list[charts.Step]:
    """Published, questions close, responses close, and how it ended (or that the award is
    still to come), each with its state at `now`."""
    stage = tender.stage_at(now)
    ended_at = tender.ended_at(now)
    steps = []
    if tender.published_at is not None:
        steps.append(charts.Step(_("Publication"), tender.published_at,
                                 _date(tender.published_at), "done", _("Done")))  # fmt: skip
    elif stage == "cancelled":  # a draft given up: it will never be published
        steps.append(charts.Step(_("Publication"), None, "", "void",
                                 _("No longer applies: the tender was cancelled"),
                                 "muted"))  # fmt: skip
    else:
        steps.append(charts.Step(_("Publication"), None, "", "pending", _("Not yet")))
    for label, deadline in (
        (_("Questions close"), tender.clarification_deadline),
        (_("Responses close"), tender.submission_deadline),
    ):
        if deadline is None:
            steps.append(charts.Step(label, None, "", "pending", _("No date set")))
        elif stage == "cancelled" and (
            tender.published_at is None or (ended_at is not None and ended_at < deadline)
        ):  # cancelled before it came, or a draft's that never applied
            steps.append(charts.Step(label, deadline, _date(deadline), "void",
                                     _("No longer applies: the tender was cancelled"),
                                     "muted"))  # fmt: skip
        elif stage == "planning":
            steps.append(charts.Step(label, deadline, _date(deadline), "due", _("Planned")))
        elif deadline <= now:
            steps.append(charts.Step(label, deadline, _date(deadline), "done", _("Passed")))
        else:
            steps.append(charts.Step(label, deadline, _date(deadline), "due",
                                     time_left(deadline, now)))  # fmt: skip
    if ended_at is not None:
        label, state_text = {
            "cancelled": (_("Cancelled"), _("The tender has ended")),
            "complete": (_("Award"), _("Every lot decided")),
            "unsuccessful": (_("Declared unsuccessful"), _("The tender has ended")),
        }[stage]
        steps.append(charts.Step(label, ended_at, _date(ended_at), stage, state_text,
                                 _STAGE_TONES[stage]))  # fmt: skip
    else:
        waiting = {
            "planning": _("After publication, once responses close"),
            "active": _("After responses close"),
            "evaluation": _("The responses are being evaluated"),
        }[stage]
        steps.append(charts.Step(_("Award"), None, "", "pending", waiting, "muted"))
    return steps


def timeline(tender: Tender, now: datetime) -> charts.Picture:
    steps = timeline_steps(tender, now)
    said = "; ".join(
        f"{s.label}: {s.text} ({s.state_text})" if s.text else f"{s.label}: {s.state_text}"
        for s in steps
    )
    desc = _("Stage: %(stage)s. %(steps)s. Today is %(today)s.",
             stage=stage_names()[tender.stage_at(now)], steps=said, today=_date(now))  # fmt: skip
    return charts.timeline(
        "tender-timeline", _("Timeline of the tender"), desc, steps, now,
        now_label=_("Today (%(date)s)", date=_date(now)),
        head=(_("Step"), _("Date"), _("State")),
    )  # fmt: skip


def pipeline(counts: Mapping[str, int]) -> charts.Picture:
    """A city's tenders by stage: every stage, also those with none (a zero is a figure)."""
    names = stage_names()
    rows = [
        charts.Row(names[stage], (charts.Figure(counts.get(stage, 0),
                                                i18n.number(counts.get(stage, 0))),),
                   _STAGE_TONES.get(stage, "primary"))
        for stage in PIPELINE
    ]  # fmt: skip
    said = "; ".join(f"{r.label}: {r.figures[0].text}" for r in rows)
    total = sum(counts.get(stage, 0) for stage in PIPELINE)
    desc = ngettext("%(num)d tender in all:", "%(num)d tenders in all:", total) + f" {said}."
    return charts.bar_chart(
        "tender-pipeline", _("My tenders by stage"), desc, rows,
        head=(_("Stage"), _("Tenders")),
    )  # fmt: skip


def buyers_map(tender: Tender, organisations: Mapping[str, Organisation]) -> charts.Picture | None:
    """A joint tender's buying cities by country: the lead and the co-buyers who confirmed
    (an invitation not yet confirmed is not a participation). None for a tender of one buyer."""
    taking_part = [b for b in tender.buyers if b.is_lead or b.confirmed_at is not None]
    if len(tender.buyers) < 2 or not taking_part:
        return None
    cities = [
        (organisations[b.organisation_id].name, organisations[b.organisation_id].country)
        for b in taking_part
        if b.organisation_id in organisations
    ]
    return maps.cities_map(
        "tender-buyers-map", _("Where the buying cities are"),
        _("The lead buyer and the buyers who confirmed their participation:"), cities,
    )  # fmt: skip
