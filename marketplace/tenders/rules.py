"""Time limits between publication and the deadlines (see docs/tenders.md).

Minimum periods from Directive 2014/24/EU, counted from publication on this platform,
where every response is submitted electronically:

- open: 35 days (Art. 27(1)) less the 5 days allowed when tenders are submitted
  electronically (Art. 27(4)) = 30;
- restricted, competitive with negotiation, competitive dialogue, innovation partnership:
  30 days for requests to
  participate (Arts. 28(1), 29(1), 30(1), 31(1)); our single deadline is held to that;
- pre-commercial procurement is outside the directive (Art. 14) and PPI uses one of its
  procedures: both are held to the open-procedure floor of 30 days.

Questions: the directive requires answers at least 6 days before the deadline (Art. 53(2)),
so the clarification deadline must lie at least 6 days before the submission deadline and
may not close before the earliest allowed submission deadline less those 6 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from marketplace.errors import FieldError

DIRECTIVE_MIN_DAYS = {
    "open": 30,
    "restricted": 30,
    "competitive_with_negotiation": 30,
    "competitive_dialogue": 30,
    "innovation_partnership": 30,
    "pcp": 30,
    "ppi": 30,
}
ANSWER_LEAD_DAYS = 6


@dataclass(frozen=True)
class Limits:
    submission_days: int
    answer_lead_days: int

    @property
    def clarification_days(self) -> int:
        return max(self.submission_days - self.answer_lead_days, 0)


def limits_for(procedure: str, setting: int | None) -> Limits:
    """`setting` is `min_tender_period_days`: None → the directive, 0 → no minimums."""
    if setting == 0:
        return Limits(0, 0)
    days = DIRECTIVE_MIN_DAYS[procedure] if setting is None else setting
    return Limits(days, ANSWER_LEAD_DAYS)


def _article(procedure: str) -> str:
    return "an" if procedure[:1] in "aeiou" else "a"


def deadline_problems(
    procedure: str,
    setting: int | None,
    published: datetime,
    clarification: datetime | None,
    submission: datetime,
) -> list[FieldError]:
    """A problem for every time limit the deadlines break. Without a clarification
    deadline questions close `answer_lead_days` before the submission deadline, which meets
    the answer lead by construction."""
    limits = limits_for(procedure, setting)
    problems: list[FieldError] = []
    if submission <= published:
        problems.append(FieldError.of("submission_deadline", "must be in the future"))
    if submission < published + timedelta(days=limits.submission_days):
        problems.append(
            FieldError.of(
                "submission_deadline",
                "must be at least %(days)s days after publication for %(a_procedure)s procedure",
                days=limits.submission_days,
                procedure=procedure,
                a_procedure=f"{_article(procedure)} {procedure.replace('_', ' ')}",
            )
        )
    if clarification is None:
        return problems
    if clarification <= published:
        problems.append(FieldError.of("clarification_deadline", "must be in the future"))
    if clarification >= submission:
        problems.append(
            FieldError.of("clarification_deadline", "must be before the submission deadline")
        )
    if clarification < published + timedelta(days=limits.clarification_days):
        problems.append(
            FieldError.of(
                "clarification_deadline",
                "must be at least %(days)s days after publication",
                days=limits.clarification_days,
            )
        )
    if submission - clarification < timedelta(days=limits.answer_lead_days):
        problems.append(
            FieldError.of(
                "clarification_deadline",
                "must be at least %(days)s days before the submission deadline so that "
                "answers reach every bidder in time",
                days=limits.answer_lead_days,
            )
        )
    return problems
