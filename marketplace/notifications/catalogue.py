"""The kinds of notification people receive, each with a label for the preferences page
and a default for e-mail (in-app notifications are always on)."""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Marks a label for the catalogue; pages and e-mails translate it where shown."""
    return message


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    default_email: str = "instant"  # instant | daily | off


KINDS = (
    Kind("cobuy.invited", N_("Invitations to co-buy a tender")),
    Kind("cobuy.confirmed", N_("Co-buyers confirming their part")),
    Kind("cobuy.declined", N_("Invited cities declining to co-buy")),
    Kind("tender.matching", N_("New tenders that match your solutions"), "daily"),
    Kind("followed.news", N_("News about tenders, calls and organisations you follow")),
    Kind("question.asked", N_("Questions asked on your tenders")),
    Kind("question.answered", N_("Answers to your questions")),
    Kind("tender.amended", N_("Amendments to tenders you take part in")),
    Kind("deadline.reminder", N_("Deadline reminders (7 days and 1 day before)")),
    Kind("responses.opened", N_("Responses opened after the deadline")),
    Kind("response.received", N_("Confirmation of your organisation's responses")),
    Kind("award.decision", N_("Award decisions on your responses")),
    Kind("tender.cancelled", N_("Cancelled tenders")),
    Kind("interest.expressed", N_("Funders' interest in your calls")),
    Kind("interest.decided", N_("Decisions on your funding interest")),
    Kind("organisation.verified", N_("Your organisation verified")),
    Kind("member.added", N_("Added to an organisation")),
    Kind("member.role_changed", N_("Your role in an organisation changed")),
    Kind("member.removed", N_("Removed from an organisation")),
    Kind("search.alert", N_("Saved-search alerts")),
)
BY_NAME = {k.name: k for k in KINDS}
# EU remedies directive (2007/66/EC, art. 2a): at least 10 calendar days between the award
# decision sent electronically and the contract.
STANDSTILL_DAYS = 10
