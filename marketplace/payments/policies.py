"""Who may do what with a pilot order and its milestones: the one place these rules are written.

`order_actions` and `milestone_actions` are pure: the services enforce them (`require`), the
order page passes them to its template, which shows a button only for an allowed action. The
checks of each action run in the order the services have always made them (who you are, then
the order's state, then the milestone's), with the reasons they have always given.

Seeing an order at all is decided before these (`services.get_order`): for anyone who is not
a party to it nor the platform admin, the order does not exist.
"""

from __future__ import annotations

from marketplace.accounts.principal import Actor
from marketplace.core.policy import Allowed, Refusal, check, first
from marketplace.errors import Conflict, Forbidden
from marketplace.payments.models import OrderBuyer, OrderMilestone, PilotOrder

OPEN_MILESTONE = ("pending", "reported", "disputed")  # not yet decided to be paid
OFFLINE = (
    "Payments are offline: pay the platform by bank transfer; the platform admin records the "
    "payment."
)
ADMIN_RECORDS = "Only the platform admin records payments made outside the platform."
STRIPE_ORDER = "This order is paid through Stripe: its money is recorded from Stripe."
# Every action each policy decides, in the order a page shows them.
ORDER_ACTIONS = ("pay", "record_payment", "cancel", "record_refund")
MILESTONE_ACTIONS = ("report", "accept", "dispute", "resolve", "record_payout")


def refundable(order: PilotOrder) -> int:
    """What cancelling would give back: every milestone not yet decided for the SME."""
    return sum(m.amount_minor for m in order.milestones if m.status in OPEN_MILESTONE)


def _status(order: PilotOrder) -> str:
    return order.status.replace("_", " ")


def _lead(actor: Actor, order: PilotOrder, what: str) -> Refusal | None:
    """In a joint order the lead (ordering) city decides; the other cities only see it."""
    return check(
        actor.can_edit(order.buyer_id),
        Forbidden,
        f"Only the ordering city's owners and editors may {what}.",
    )


def payable_shares(actor: Actor, order: PilotOrder) -> list[OrderBuyer]:
    """The shares of the order this person may pay: those of the cities they edit for that
    are not paid yet (in a joint order each city pays its own share)."""
    return [b for b in order.buyers if b.paid_at is None and actor.can_edit(b.organisation_id)]


def _a_payer(actor: Actor, order: PilotOrder) -> Refusal | None:
    return check(
        any(actor.can_edit(b.organisation_id) for b in order.buyers)
        or actor.can_edit(order.buyer_id),
        Forbidden,
        "Only the owners and editors of a city buying this pilot may pay its share.",
    )


def _offline(actor: Actor, order: PilotOrder) -> Refusal | None:
    """Money moved outside the platform is recorded by the admin, on offline orders only."""
    return first(
        check(actor.is_admin, Forbidden, ADMIN_RECORDS),
        check(order.mode == "offline", Conflict, STRIPE_ORDER),
    )


def _running(order: PilotOrder) -> Refusal | None:
    return check(
        order.status == "paid",
        Conflict,
        f"The order is {_status(order)}: milestones move only while it is paid and running.",
    )


def order_actions(actor: Actor, order: PilotOrder, *, refund_due: int) -> Allowed:
    """Every action on the order as a whole, for this person. `refund_due` is what the
    milestones decided for refund are worth less what was refunded (`services.refund_due`,
    from the ledger)."""
    return Allowed(
        {
            "pay": first(
                _a_payer(actor, order),
                check(
                    order.status == "awaiting_payment",
                    Conflict,
                    f"The order is {_status(order)}: nothing to pay.",
                ),
                check(order.mode != "offline", Conflict, OFFLINE),
                check(
                    bool(payable_shares(actor, order)),
                    Conflict,
                    "Your city's share is paid; the order waits for the other cities' shares.",
                ),
            ),
            "record_payment": first(
                _offline(actor, order),
                check(
                    order.status == "awaiting_payment",
                    Conflict,
                    f"The order is {_status(order)}: no payment is expected.",
                ),
            ),
            # Before payment cancelling ends the order; after it, it refunds what is not yet
            # decided for the SME, so there must be something left to refund.
            "cancel": first(
                _lead(actor, order, "cancel this order"),
                check(
                    order.status in ("awaiting_payment", "paid"),
                    Conflict,
                    f"The order is {_status(order)}: it cannot be cancelled.",
                ),
                check(
                    order.status != "paid" or refundable(order) > 0,
                    Conflict,
                    "Every milestone is already accepted or paid: nothing to cancel.",
                ),
            ),
            "record_refund": first(
                _offline(actor, order),
                check(refund_due > 0, Conflict, "No refund is due on this order."),
            ),
        }
    )


def milestone_actions(actor: Actor, order: PilotOrder, milestone: OrderMilestone) -> Allowed:
    """Every action on one milestone of the order, for this person."""
    state = milestone.status
    return Allowed(
        {
            "report": first(
                check(
                    actor.can_edit(order.supplier_id),
                    Forbidden,
                    "Only the SME's owners and editors report its milestones.",
                ),
                _running(order),
                check(
                    state in ("pending", "disputed"),
                    Conflict,
                    f"The milestone is {state}: it cannot be reported again.",
                ),
            ),
            "accept": first(
                _lead(actor, order, "accept its milestones"),
                _running(order),
                check(
                    state == "reported",
                    Conflict,
                    f"The milestone is {state}: only a reported one can be accepted.",
                ),
            ),
            "dispute": first(
                _lead(actor, order, "dispute its milestones"),
                _running(order),
                check(
                    state == "reported",
                    Conflict,
                    f"The milestone is {state}: only a reported one can be disputed.",
                ),
            ),
            "resolve": first(
                check(
                    actor.is_admin,
                    Forbidden,
                    "Only the platform admin resolves disputed milestones.",
                ),
                _running(order),
                check(
                    state == "disputed",
                    Conflict,
                    f"The milestone is {state}: there is no dispute to resolve.",
                ),
            ),
            "record_payout": first(
                _offline(actor, order),
                check(
                    state == "accepted",
                    Conflict,
                    f"The milestone is {state}: only an accepted one is paid out.",
                ),
            ),
        }
    )


def may_oversee(actor: Actor) -> Allowed:
    """The payments overview (every order's ledger, disputes, reconciliation)."""
    return Allowed(
        {
            "oversee": check(
                actor.is_admin, Forbidden, "The payments overview is for the platform admin."
            )
        }
    )
