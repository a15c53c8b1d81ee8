"""What the payments pages read besides what the services return (pages run no query of
their own): the organisations a person acts for, the cities a package can be ordered with,
an SME's published listings, and the two views that gather a whole page, the order and the
admin's overview, each with what the reader may do (`policies`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.accounts.services import member_organisations
from marketplace.core.policy import Allowed
from marketplace.errors import NotFound
from marketplace.listings.models import Listing
from marketplace.payments import money, policies, reconcile, services
from marketplace.payments.models import OrderMilestone, PilotOrder, PilotPackage
from marketplace.payments.schemas import LedgerEntryOut, OrderOut, ReconciliationOut

PARTNERS_SHOWN = 200  # the joint-order form's choice of partner cities


async def workspaces(session: AsyncSession, actor: Actor | None) -> list[Organisation]:
    """The SMEs and cities this person belongs to, by name: their payment workspaces."""
    return await member_organisations(session, actor, ("sme", "city"))


async def cities_to_order_for(session: AsyncSession, actor: Actor | None) -> list[Organisation]:
    """The verified cities this person may order for, by name (only verified cities order)."""
    ids = actor.editable("city") if actor is not None else []
    if not ids:
        return []
    rows = await session.scalars(
        select(Organisation)
        .where(
            Organisation.id.in_(ids),
            Organisation.kind == "city",
            Organisation.verified.is_(True),
        )
        .order_by(Organisation.name)
    )
    return list(rows)


async def partner_cities(session: AsyncSession) -> list[Organisation]:
    """The verified cities a joint order can share the price with, by name."""
    rows = await session.scalars(
        select(Organisation)
        .where(Organisation.kind == "city", Organisation.verified.is_(True))
        .order_by(Organisation.name)
        .limit(PARTNERS_SHOWN)
    )
    return list(rows)


async def listing_of(session: AsyncSession, package: PilotPackage) -> Listing | None:
    return await session.get(Listing, package.listing_id)


async def workspace_organisation(
    session: AsyncSession, actor: Actor, organisation_id: str
) -> Organisation:
    """The organisation whose payments workspace this is: its members' and the admin's; for
    anyone else it does not exist."""
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None or not (actor.is_admin or actor.is_member(organisation_id)):
        raise NotFound("No such organisation.")
    return organisation


async def published_listings(session: AsyncSession, organisation_id: str) -> list[Listing]:
    """The SME's published listings, by title: what it can offer packages on."""
    rows = await session.scalars(
        select(Listing)
        .where(Listing.organisation_id == organisation_id, Listing.status == "published")
        .order_by(Listing.title)
    )
    return list(rows)


@dataclass
class OrderView:
    """Everything the order page shows, with what the reader may do with the order and with
    each milestone (by milestone id)."""

    order: OrderOut
    status: str
    entries: list[LedgerEntryOut]
    payment_error: str | None
    refundable: int
    refundable_amount: str
    refund_due: int
    # Where "Payments workspace" leads: the city's, unless the reader is of the SME only.
    workspace_id: str
    actions: Allowed = field(default_factory=Allowed)
    milestone_actions: dict[str, Allowed] = field(default_factory=dict)
    # The shares this reader may pay (organisation id): in a joint order, each city its own.
    payable: list[str] = field(default_factory=list)


async def order_view(session: AsyncSession, actor: Actor, order_id: str) -> OrderView:
    found = await services.get_order(session, actor, order_id)
    entries = await services.ledger(session, actor, order_id)
    due = await services.refund_due(session, found)
    refundable = policies.refundable(found)
    supplier_only = actor.can_edit(found.supplier_id) and not actor.can_edit(found.buyer_id)
    return OrderView(
        order=await services.order_out(session, found),
        status=found.status,
        entries=[services.entry_out(e) for e in entries],
        payment_error=found.payment_error,
        refundable=refundable,
        refundable_amount=money.format_amount(refundable, found.currency),
        refund_due=due,
        workspace_id=found.supplier_id if supplier_only else found.buyer_id,
        actions=policies.order_actions(actor, found, refund_due=due),
        milestone_actions={
            m.id: policies.milestone_actions(actor, found, m) for m in found.milestones
        },
        payable=[b.organisation_id for b in policies.payable_shares(actor, found)],
    )


@dataclass
class Overview:
    """The admin's payments overview."""

    entries: list[LedgerEntryOut]
    disputed: list[OrderMilestone]
    waiting: list[PilotOrder]
    reconciliation: ReconciliationOut | None
    entries_total: int = 0


async def overview(
    session: AsyncSession, actor: Actor, *, sort: str | None = None, page: int = 1,
    per_page: int = 50,
) -> Overview:  # fmt: skip
    """The latest postings, the disputed milestones (oldest first), the orders waiting for
    money and the last reconciliation: for the platform admin only."""
    policies.may_oversee(actor).require("oversee")
    disputed = await session.scalars(
        select(OrderMilestone)
        .where(OrderMilestone.status == "disputed")
        .order_by(OrderMilestone.disputed_at)
    )
    waiting = await session.scalars(
        select(PilotOrder)
        .where(PilotOrder.status.in_(("awaiting_payment", "refunding")))
        .order_by(PilotOrder.created_at)
    )
    entries, total = await services.ledger_page(
        session, actor, sort=sort, page=page, per_page=per_page
    )
    return Overview(
        entries=[services.entry_out(e) for e in entries],
        entries_total=total,
        disputed=list(disputed),
        waiting=list(waiting),
        reconciliation=await reconcile.latest(session, actor),
    )
