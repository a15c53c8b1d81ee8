"""What the funding package publishes to the event outbox (see marketplace.core.events).

Call events' subject is the funding call; a funder's own events' subject is the funder.
"""

from __future__ import annotations

from marketplace.core.events import EventType

CALL_CREATED = EventType("funding_call.created", "A city drafted a funding call (not public).")
CALL_UPDATED = EventType("funding_call.updated", "A draft funding call was edited.")
PARTNER_INVITED = EventType(
    "partner.invited", "A partner city was invited to a draft call; `data.organisation_id`."
)
PARTNER_REMOVED = EventType(
    "partner.removed", "A partner city left a draft call; `data.organisation_id`."
)
PARTNER_CONFIRMED = EventType(
    "partner.confirmed", "A partner city confirmed its part; `data.organisation_id`."
)
CALL_PUBLISHED = EventType("funding_call.published", "A funding call opened to funders.")
CALL_CLOSED = EventType("funding_call.closed", "A city closed its funding call early.")
INTEREST_EXPRESSED = EventType(
    "interest.expressed",
    "A funder expressed interest in a call; `data`: interest_id, funder_id (visible to the "
    "call's cities and that funder only).",
)
INTEREST_ACCEPTED = EventType(
    "interest.accepted", "The call's city accepted a funder's interest; `data` as above."
)
INTEREST_DECLINED = EventType(
    "interest.declined", "The call's city declined a funder's interest; `data` as above."
)
INTEREST_REVISED = EventType(
    "interest.revised", "A funder changed its pending interest; `data` as above."
)
INTEREST_WITHDRAWN = EventType(
    "interest.withdrawn", "A funder withdrew its pending interest; `data` as above."
)
FUNDER_PROFILE_SAVED = EventType(
    "funder.profile_saved", "A funder changed its investment focus (subject: the funder)."
)
SHORTLIST_SAVED = EventType(
    "shortlist.saved",
    "A funder shortlisted a call or changed its note; `data.call_id` (private to the funder; "
    "subject: the funder).",
)
SHORTLIST_REMOVED = EventType(
    "shortlist.removed", "A funder took a call off its shortlist; `data.call_id`."
)

CATALOGUE = (
    CALL_CREATED, CALL_UPDATED, PARTNER_INVITED, PARTNER_REMOVED, PARTNER_CONFIRMED,
    CALL_PUBLISHED, CALL_CLOSED, INTEREST_EXPRESSED, INTEREST_ACCEPTED, INTEREST_DECLINED,
    INTEREST_REVISED, INTEREST_WITHDRAWN, FUNDER_PROFILE_SAVED, SHORTLIST_SAVED, SHORTLIST_REMOVED,
)  # fmt: skip
