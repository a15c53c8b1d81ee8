"""Who may do what with a funding call, and when: the one place these rules are written.

Pure functions of the actor, the call (loaded with its organisation and partners) and
`now`. The services enforce them; the workspace page and its template only read them; the
API lists the allowed names as the call's `actions`.
"""

from __future__ import annotations

from datetime import datetime

from marketplace.accounts.principal import Actor
from marketplace.core.policy import Allowed, check, first
from marketplace.errors import Conflict, Forbidden, Unauthorized
from marketplace.funding.models import FundingCall, FundingCallPartner

LEAD_ONLY = "Only the lead city's owners and editors may change this funding call."
# Every action `call_actions` decides, in the order the API lists them.
ACTIONS = ("workspace", "edit", "invite", "publish", "close", "decide", "express_interest")


def status_of(call: FundingCall, now: datetime) -> str:
    """`draft` until published, `open` until its deadline or until the lead city closes it,
    then `closed`. Derived from the timestamps, so nothing runs at the deadline."""
    if call.published_at is None:
        return "draft"
    if call.closed_at is not None or call.deadline <= now:
        return "closed"
    return "open"


def city_ids(call: FundingCall) -> set[str]:
    """The lead city and the partners that confirmed: the cities that speak for the call."""
    return {call.organisation_id} | {p.organisation_id for p in call.partners if p.confirmed_at}


def is_call_member(actor: Actor | None, call: FundingCall) -> bool:
    """Members of the lead or of any invited partner city (they see the draft to confirm)."""
    if actor is None:
        return False
    orgs = {call.organisation_id} | {p.organisation_id for p in call.partners}
    return actor.is_admin or any(actor.is_member(o) for o in orgs)


def can_decide(actor: Actor | None, call: FundingCall) -> bool:
    return actor is not None and any(actor.can_edit(o) for o in city_ids(call))


def call_actions(actor: Actor | None, call: FundingCall, now: datetime) -> Allowed:
    """Every action on the call, for this person at `now`."""
    status = status_of(call, now)
    signed_in = check(actor is not None, Unauthorized, "Sign in to do this.")
    lead = check(actor is not None and actor.can_edit(call.organisation_id), Forbidden, LEAD_ONLY)
    waiting = [p.organisation.name for p in call.partners if p.confirmed_at is None]
    return Allowed(
        {
            "workspace": first(
                signed_in,
                check(
                    is_call_member(actor, call),
                    Forbidden,
                    "Only the call's cities use its workspace.",
                ),
            ),
            "edit": first(
                signed_in,
                lead,
                check(
                    status == "draft",
                    Conflict,
                    "A published funding call can no longer be edited.",
                ),
            ),
            "invite": first(
                signed_in,
                lead,
                check(
                    status == "draft", Conflict, "Partners are invited while the call is a draft."
                ),
            ),
            "publish": first(
                signed_in,
                lead,
                check(status == "draft", Conflict, "The call is already published."),
                check(
                    call.organisation.verified,
                    Forbidden,
                    "Only a verified city may publish a funding call; ask a platform admin.",
                ),
                check(
                    not waiting,
                    Conflict,
                    f"Waiting for partner cities to confirm: {', '.join(waiting)}.",
                ),
                check(
                    call.deadline > now,
                    Conflict,
                    "The deadline has passed; move it later before publishing.",
                ),
            ),
            "close": first(
                signed_in,
                lead,
                check(
                    status == "open",
                    Conflict,
                    f"Only an open call can be closed; this one is {status}.",
                ),
            ),
            "decide": first(
                signed_in,
                check(
                    can_decide(actor, call),
                    Forbidden,
                    "Only the call's cities accept or decline interest.",
                ),
            ),
            "express_interest": first(
                signed_in,
                check(
                    actor is not None and bool(actor.editable("funder")),
                    Forbidden,
                    "Only the funder's owners and editors may express interest for it.",
                ),
                check(
                    status == "open",
                    Conflict,
                    "Interest can be expressed only in an open call; this call "
                    + ("is not published yet." if status == "draft" else "is closed."),
                ),
            ),
        }
    )


def partner_actions(
    actor: Actor | None, call: FundingCall, partner: FundingCallPartner, now: datetime
) -> Allowed:
    """What this person may do about one partner city's part in the call."""
    draft = status_of(call, now) == "draft"
    signed_in = check(actor is not None, Unauthorized, "Sign in to do this.")
    own = actor is not None and actor.can_edit(partner.organisation_id)
    return Allowed(
        {
            "confirm": first(
                signed_in,
                check(
                    own,
                    Forbidden,
                    "Only the invited city's own owners and editors confirm its part.",
                ),
                check(draft, Conflict, "The call is already published."),
            ),
            # The lead removes a partner; a partner city may also withdraw itself.
            "remove": first(
                signed_in,
                check(
                    own or (actor is not None and actor.can_edit(call.organisation_id)),
                    Forbidden,
                    "Only the lead city or the partner itself may remove a partner.",
                ),
                check(draft, Conflict, "Partners change only while the call is a draft."),
            ),
        }
    )
