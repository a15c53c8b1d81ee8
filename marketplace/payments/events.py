"""What the payments package publishes to the event outbox (see marketplace.core.events).

Order and milestone events' subject is the order; `data` names the milestone. The payments
subscriber (`subscriber.py`) reacts to some of its own events: a Stripe call made because
of a committed change (a transfer for an accepted milestone, a refund for a cancellation,
the handling of a stored webhook) runs from the outbox, so a crash is retried, not lost.
"""

from __future__ import annotations

from marketplace.core.events import EventType

PACKAGE_CREATED = EventType(
    "pilot_package.created", "An SME offered a pilot package on a listing; `data.listing_id`."
)
PACKAGE_UPDATED = EventType(
    "pilot_package.updated",
    "An SME changed a pilot package's terms (orders placed keep theirs); `data.listing_id`.",
)
PACKAGE_WITHDRAWN = EventType(
    "pilot_package.withdrawn", "An SME withdrew a pilot package; `data.listing_id`."
)
ONBOARDING_STARTED = EventType(
    "payment_account.onboarding_started",
    "An SME was sent to Stripe's onboarding (subject: the organisation).",
)
ACCOUNT_UPDATED = EventType(
    "payment_account.updated",
    "Stripe said whether an SME's payouts are enabled; `data.payouts_enabled`.",
)
ORDER_PLACED = EventType(
    "pilot_order.placed", "A city ordered a pilot package; `data`: supplier_id, buyer_ids."
)
ORDER_PAID = EventType(
    "pilot_order.paid", "The order's payment was confirmed (Stripe's signed event, or offline)."
)
ORDER_SHARE_PAID = EventType(
    "pilot_order.share_paid",
    "One city of a joint order paid its share; others have not yet. `data.organisation_id`.",
)
ORDER_CANCELLED = EventType(
    "pilot_order.cancelled",
    "The city cancelled; `data.refund_minor` is the unpaid remainder to refund (0: none).",
)
ORDER_REFUNDED = EventType(
    "pilot_order.refunded", "Money went back to the city; `data`: refund_id, amount_minor."
)
ORDER_COMPLETED = EventType("pilot_order.completed", "Every milestone of the order is settled.")
CHARGE_DISPUTED = EventType(
    "pilot_order.charge_disputed", "The city's card issuer opened a dispute on the charge."
)
MILESTONE_REPORTED = EventType(
    "milestone.reported", "The SME reported a milestone reached; `data.milestone_id`."
)
MILESTONE_ACCEPTED = EventType(
    "milestone.accepted",
    "The city (or the admin, resolving a dispute) accepted a milestone: its share is to be "
    "transferred to the SME; `data.milestone_id`.",
)
MILESTONE_DISPUTED = EventType(
    "milestone.disputed", "The city disputed a reported milestone; `data.milestone_id`."
)
MILESTONE_PAID = EventType(
    "milestone.paid", "A milestone's share reached the SME; `data`: milestone_id, transfer_id."
)
MILESTONE_REFUNDED = EventType(
    "milestone.refunded",
    "The admin resolved a dispute for the city: the milestone's share is refunded.",
)
STRIPE_EVENT_RECEIVED = EventType(
    "stripe_event.received",
    "A verified Stripe webhook event was stored (subject: Stripe's event id).",
)

CATALOGUE = (
    PACKAGE_CREATED, PACKAGE_UPDATED, PACKAGE_WITHDRAWN, ONBOARDING_STARTED, ACCOUNT_UPDATED, ORDER_PLACED,
    ORDER_PAID, ORDER_SHARE_PAID, ORDER_CANCELLED, ORDER_REFUNDED, ORDER_COMPLETED, CHARGE_DISPUTED,
    MILESTONE_REPORTED, MILESTONE_ACCEPTED, MILESTONE_DISPUTED, MILESTONE_PAID,
    MILESTONE_REFUNDED, STRIPE_EVENT_RECEIVED,
)  # fmt: skip
