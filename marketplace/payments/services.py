"""Payment rules: packages, onboarding, orders, milestones, settlement and the ledger.

Who may do what is decided here only (pages and the API call these functions):

- an SME's owners and editors offer packages on their published listings, onboard with
  Stripe and report milestones;
- an editor of a verified city orders, pays, accepts or disputes milestones and cancels; in
  a joint order the lead (ordering) city decides, the other cities see the order;
- the platform admin resolves disputed milestones and, in offline mode, records payments,
  payouts and refunds made outside the platform;
- nobody else sees an order, its ledger or a payout: for them it does not exist (404).

State changes are one transaction with their domain event; a Stripe call that follows a
committed decision (a transfer, a refund) is made by the payments subscriber from the outbox
(`subscriber.py`), so it survives a crash. Requests a person waits for (a checkout session,
an account link) call Stripe directly and change nothing when Stripe refuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.core.events import publish
from marketplace.core.paging import paged
from marketplace.core.policy import Allowed
from marketplace.core.sorting import checked_sort
from marketplace.db import new_id
from marketplace.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from marketplace.listings.models import Listing
from marketplace.payments import events as ev
from marketplace.payments import money, policies
from marketplace.payments.gateway import StripeGateway
from marketplace.payments.models import (
    ORDER_LOAD,
    PACKAGE_LOAD,
    LedgerEntry,
    OrderBuyer,
    OrderMilestone,
    PackageMilestone,
    PaymentAccount,
    PilotOrder,
    PilotPackage,
)
from marketplace.payments.schemas import (
    AccountOut,
    BalancesOut,
    BuyerOut,
    LedgerEntryOut,
    MoneyOut,
    OrderIn,
    OrderMilestoneOut,
    OrderOut,
    PackageIn,
    PackageMilestoneOut,
    PackageOut,
)
from marketplace.settings import Settings


class StripeUnavailable(DomainError):
    status = 502
    title = "Payment provider error"


@dataclass
class Payments:
    """The payments service other parts are given: the settings it runs on and the Stripe
    gateway (None: offline mode, no Stripe keys; payments are settled outside)."""

    settings: Settings
    gateway: StripeGateway | None

    @property
    def mode(self) -> str:
        return "stripe" if self.gateway is not None else "offline"

    @property
    def fee_bps(self) -> int:
        return self.settings.payments_fee_bps

    @property
    def webhook_secret(self) -> str | None:
        secret = self.settings.stripe_webhook_secret
        return secret.get_secret_value() if secret else None

    def url(self, path: str) -> str:
        return self.settings.base_url.rstrip("/") + path


def _money(minor: int, currency: str) -> MoneyOut:
    return MoneyOut(amount=money.format_amount(minor, currency), currency=currency)


def _percent(bps: int) -> str:
    return f"{money.bps_to_percent(bps)}"


def _stripe_failed(error: stripe.StripeError) -> StripeUnavailable:
    message = error.user_message or str(error) or type(error).__name__
    return StripeUnavailable(f"Stripe refused or could not be reached: {message}")


# --- packages ----------------------------------------------------------------------------


async def _listing(session: AsyncSession, listing_id: str) -> Listing:
    listing = await session.get(Listing, listing_id)
    if listing is None:
        raise NotFound("No such listing.")
    return listing


async def _account(session: AsyncSession, organisation_id: str) -> PaymentAccount | None:
    return await session.get(PaymentAccount, organisation_id)


async def can_receive(session: AsyncSession, payments: Payments, organisation_id: str) -> bool:
    """Whether an SME can be ordered from: always offline; with Stripe, once its payouts
    are enabled."""
    if payments.mode == "offline":
        return True
    account = await _account(session, organisation_id)
    return account is not None and account.payouts_enabled


async def create_package(
    session: AsyncSession,
    actor: Actor,
    listing_id: str,
    data: PackageIn,
    now: datetime,
    *,
    organisation_id: str | None = None,
) -> PilotPackage:
    """A package on the listing. `organisation_id` is the SME whose workspace form offers
    it: a listing that is not one of that SME's is refused for the form's listing field
    (the form names the listing; a forged one must not reach another SME's listing)."""
    if organisation_id is not None:
        found = await session.get(Listing, listing_id) if listing_id else None
        if found is None or found.organisation_id != organisation_id:
            raise Invalid.field("listing_id", "choose one of your published listings")
    listing = await _listing(session, listing_id)
    if not actor.can_edit(listing.organisation_id):
        raise Forbidden("Only the SME's owners and editors may offer pilots on its listing.")
    price, milestones = _terms(listing, data)
    package = PilotPackage(
        id=new_id(),
        listing_id=listing.id,
        organisation_id=listing.organisation_id,
        title=data.title,
        scope=data.scope,
        price_minor=price,
        currency=data.price.currency,
        duration_weeks=data.duration_weeks,
        status="active",
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
        milestones=milestones,
    )
    session.add(package)
    await publish(session, ev.PACKAGE_CREATED, package.id, now, data={"listing_id": listing.id})
    await session.flush()
    return await load_package(session, package.id)


def _terms(listing: Listing, data: PackageIn) -> tuple[int, list[PackageMilestone]]:
    """The price in minor units and the milestones, each tied to one of the listing's
    outcome KPIs, shares summing to 100 %: the rules of offering and of changing an offer."""
    if listing.status != "published":
        raise Conflict("Pilot packages can be offered on published listings only.")
    try:
        price = money.to_minor(data.price.amount, data.price.currency)
    except money.AmountError as error:
        raise Invalid.field("price.amount", str(error)) from None
    outcomes = listing.outcomes or []
    if not outcomes:
        raise Conflict("The listing states no outcome KPI to tie milestones to.")
    shares: list[int] = []
    for i, milestone in enumerate(data.milestones):
        if milestone.outcome_index >= len(outcomes):
            raise Invalid.field(
                f"milestones[{i}].outcome_index",
                f"the listing has {len(outcomes)} outcome KPIs (0 to {len(outcomes) - 1})",
            )
        shares.append(money.percent_to_bps(milestone.share_percent))
    if sum(shares) != money.BPS:
        total = money.bps_to_percent(sum(shares))
        raise Invalid.field(
            "milestones", "shares must sum to 100 %% (they sum to %(total)s %%)", total=total
        )
    if any(part == 0 for part in money.split(price, shares)):
        raise Invalid.field("milestones", "every milestone must be worth at least one unit")
    return price, [
        PackageMilestone(
            position=i, title=m.title, share_bps=share, outcome_index=m.outcome_index,
            outcome_metric=str(outcomes[m.outcome_index].get("metric", ""))[:200],
            evidence=m.evidence, due_week=m.due_week,
        )
        for i, (m, share) in enumerate(zip(data.milestones, shares, strict=True))
    ]  # fmt: skip


async def changeable_package(session: AsyncSession, actor: Actor, package_id: str) -> PilotPackage:
    """The package, if this person may give it new terms (its page asks before showing the form)."""
    package = await load_package(session, package_id)
    if not actor.can_edit(package.organisation_id):
        raise Forbidden("Only the SME's owners and editors may change its packages.")
    if package.status != "active":
        raise Conflict("A withdrawn package cannot be changed; offer a new one.")
    return package


async def update_package(
    session: AsyncSession, actor: Actor, package_id: str, data: PackageIn, now: datetime
) -> PilotPackage:
    """New terms for the package from now on. An order is a contract: those already placed
    keep the price and milestones they were placed with (copied onto the order)."""
    package = await changeable_package(session, actor, package_id)
    price, milestones = _terms(await _listing(session, package.listing_id), data)
    package.title, package.scope = data.title, data.scope
    package.price_minor, package.currency = price, data.price.currency
    package.duration_weeks = data.duration_weeks
    package.milestones.clear()
    await session.flush()  # the old milestones go before the new take their positions
    package.milestones.extend(milestones)
    package.updated_at = now
    await publish(
        session, ev.PACKAGE_UPDATED, package.id, now, data={"listing_id": package.listing_id}
    )
    await session.flush()
    return await load_package(session, package.id)


async def load_package(session: AsyncSession, package_id: str) -> PilotPackage:
    package = await session.scalar(
        select(PilotPackage)
        .where(PilotPackage.id == package_id)
        .options(*PACKAGE_LOAD)
        .execution_options(populate_existing=True)
    )
    if package is None:
        raise NotFound("No such pilot package.")
    return package


async def get_package(session: AsyncSession, actor: Actor | None, package_id: str) -> PilotPackage:
    """Active packages of published listings for everyone; the SME's members see all theirs."""
    package = await load_package(session, package_id)
    listing = await session.get(Listing, package.listing_id)
    member = actor is not None and (actor.is_admin or actor.is_member(package.organisation_id))
    public = package.status == "active" and listing is not None and listing.status == "published"
    if not (public or member):
        raise NotFound("No such pilot package.")
    return package


PACKAGE_SORTS = ("newest", "price", "title")
ORDER_SORTS = ("newest", "amount", "title")


async def list_packages(
    session: AsyncSession,
    actor: Actor | None,
    *,
    listing_id: str | None = None,
    organisation_id: str | None = None,
    sort: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[PilotPackage], int]:
    """`sort`: `newest` (the default), `price` (the lowest first; the order does not convert
    between currencies), `title`."""
    match checked_sort(sort, PACKAGE_SORTS):
        case "price":
            order: list[Any] = [PilotPackage.price_minor]
        case "title":
            order = [func.lower(PilotPackage.title), PilotPackage.title]
        case _:
            order = [PilotPackage.created_at.desc()]
    query = select(PilotPackage).join(Listing, Listing.id == PilotPackage.listing_id)
    if listing_id:
        query = query.where(PilotPackage.listing_id == listing_id)
    if organisation_id:
        query = query.where(PilotPackage.organisation_id == organisation_id)
    member = (
        actor is not None
        and organisation_id is not None
        and (actor.is_admin or actor.is_member(organisation_id))
    )
    if not member:
        query = query.where(PilotPackage.status == "active", Listing.status == "published")
    return await paged(session, query, [*order, PilotPackage.id], page, per_page, PACKAGE_LOAD)


async def withdraw_package(
    session: AsyncSession, actor: Actor, package_id: str, now: datetime
) -> PilotPackage:
    package = await load_package(session, package_id)
    if not actor.can_edit(package.organisation_id):
        raise Forbidden("Only the SME's owners and editors may withdraw its packages.")
    if package.status != "withdrawn":
        package.status = "withdrawn"
        package.updated_at = now
        await publish(
            session, ev.PACKAGE_WITHDRAWN, package.id, now, data={"listing_id": package.listing_id}
        )
    return package


async def package_out(
    session: AsyncSession, payments: Payments, package: PilotPackage
) -> PackageOut:
    parts = money.split(package.price_minor, [m.share_bps for m in package.milestones])
    return PackageOut(
        id=package.id,
        listing_id=package.listing_id,
        organisation_id=package.organisation_id,
        organisation_name=package.organisation.name,
        title=package.title,
        scope=package.scope,
        price=_money(package.price_minor, package.currency),
        duration_weeks=package.duration_weeks,
        status=package.status,
        orderable=package.status == "active"
        and await can_receive(session, payments, package.organisation_id),
        milestones=[
            PackageMilestoneOut(
                id=m.id, position=m.position, title=m.title, share_percent=_percent(m.share_bps),
                amount=_money(part, package.currency), outcome_index=m.outcome_index,
                outcome_metric=m.outcome_metric, evidence=m.evidence, due_week=m.due_week,
            )
            for m, part in zip(package.milestones, parts, strict=True)
        ],
        created_at=package.created_at,
    )  # fmt: skip


# --- onboarding ------------------------------------------------------------------------


async def _sme(session: AsyncSession, actor: Actor, organisation_id: str) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No such organisation.")
    if not (actor.is_admin or actor.is_member(organisation_id)):
        raise NotFound("No such organisation.")
    if organisation.kind != "sme":
        raise Conflict("Only SMEs receive payouts.")
    return organisation


async def account_state(
    session: AsyncSession, actor: Actor, payments: Payments, organisation_id: str
) -> AccountOut:
    await _sme(session, actor, organisation_id)
    account = await _account(session, organisation_id)
    return AccountOut(
        organisation_id=organisation_id,
        mode="stripe" if payments.mode == "stripe" else "offline",
        stripe_account_id=account.stripe_account_id if account else None,
        details_submitted=bool(account and account.details_submitted),
        payouts_enabled=bool(account and account.payouts_enabled),
        can_receive_orders=await can_receive(session, payments, organisation_id),
    )


async def start_onboarding(
    session: AsyncSession, actor: Actor, payments: Payments, organisation_id: str, now: datetime
) -> str:
    """The Stripe-hosted onboarding link for the SME's Express account (created on first
    use; Stripe's idempotency key per organisation means a retry never makes a second)."""
    organisation = await _sme(session, actor, organisation_id)
    if not actor.can_edit(organisation_id):
        raise Forbidden("Only the SME's owners and editors may set up its payouts.")
    if payments.gateway is None:
        raise Conflict("Payments are offline: there is no Stripe account to set up.")
    account = await _account(session, organisation_id)
    try:
        if account is None or account.stripe_account_id is None:
            account_id = await payments.gateway.create_account(
                organisation_id, organisation.country, None
            )
            if account is None:
                account = PaymentAccount(organisation_id=organisation_id, created_at=now)
                session.add(account)
            account.stripe_account_id = account_id
            account.updated_at = now
        assert account.stripe_account_id is not None
        path = f"/workspace/payments/{organisation_id}"
        url = await payments.gateway.account_link(
            account.stripe_account_id,
            refresh_url=payments.url(f"{path}/onboarding/refresh"),
            return_url=payments.url(f"{path}?onboarding=returned"),
        )
    except stripe.StripeError as error:
        raise _stripe_failed(error) from None
    await publish(session, ev.ONBOARDING_STARTED, organisation_id, now)
    return url


async def refresh_account(
    session: AsyncSession, actor: Actor, payments: Payments, organisation_id: str, now: datetime
) -> AccountOut:
    """Back from Stripe's onboarding: ask Stripe for the account's state at once rather than
    wait for its `account.updated` event (which may take a while, or be the older news when it
    comes: events older than this reading are ignored). Stripe unreachable: the state stays
    as recorded and the event will bring it."""
    await _sme(session, actor, organisation_id)
    account = await _account(session, organisation_id)
    if payments.gateway is not None and account is not None and account.stripe_account_id:
        try:
            flags = await payments.gateway.account_flags(account.stripe_account_id)
        except stripe.StripeError:
            flags = None
        if flags is not None:
            await apply_account_update(session, account.stripe_account_id, flags, now, now)
    return await account_state(session, actor, payments, organisation_id)


async def apply_account_update(
    session: AsyncSession, stripe_account_id: str, flags: dict[str, Any], as_of: datetime,
    now: datetime,
) -> str:  # fmt: skip
    """An `account.updated` event: newer than what is stored, or ignored."""
    account = await session.scalar(
        select(PaymentAccount).where(PaymentAccount.stripe_account_id == stripe_account_id)
    )
    if account is None:
        return f"no SME has the account {stripe_account_id}"
    if account.state_as_of is not None and as_of <= account.state_as_of:
        return "older than the account state already recorded: ignored"
    account.details_submitted = bool(flags.get("details_submitted"))
    account.charges_enabled = bool(flags.get("charges_enabled"))
    account.payouts_enabled = bool(flags.get("payouts_enabled"))
    account.state_as_of = as_of
    account.updated_at = now
    await publish(
        session, ev.ACCOUNT_UPDATED, account.organisation_id, now,
        data={"payouts_enabled": account.payouts_enabled},
    )  # fmt: skip
    return f"payouts {'enabled' if account.payouts_enabled else 'not enabled'}"


# --- orders --------------------------------------------------------------------------------


async def _city(session: AsyncSession, organisation_id: str, field: str) -> Organisation:
    city = await session.get(Organisation, organisation_id)
    if city is None:
        raise Invalid.field(field, f"no organisation has the id {organisation_id!r}")
    if city.kind != "city":
        raise Invalid.field(field, "only cities order pilots")
    if not city.verified:
        raise Invalid.field(field, f"{city.name} is not verified yet: only verified cities order")
    return city


async def place_order(
    session: AsyncSession, actor: Actor, payments: Payments, data: OrderIn, now: datetime
) -> PilotOrder:
    lead = await _city(session, data.organisation_id, "organisation_id")
    if not actor.can_edit(lead.id):
        raise Forbidden("Only the city's owners and editors may order pilots for it.")
    package = await get_package(session, actor, data.package_id)
    listing = await session.get(Listing, package.listing_id)
    if package.status != "active" or listing is None or listing.status != "published":
        raise Conflict("This pilot package is no longer offered.")
    if not await can_receive(session, payments, package.organisation_id):
        raise Conflict(
            "The SME cannot be paid yet (its Stripe payouts are not enabled): it cannot be "
            "ordered from until it has finished onboarding."
        )
    shares = [(b.organisation_id, money.percent_to_bps(b.share_percent)) for b in data.buyers]
    if not shares:
        shares = [(lead.id, money.BPS)]
    ids = [organisation_id for organisation_id, _ in shares]
    if len(set(ids)) != len(ids):
        raise Invalid.field("buyers", "a city appears twice")
    if lead.id not in ids:
        raise Invalid.field("buyers", "the ordering city must be one of the buyers")
    if sum(share for _, share in shares) != money.BPS:
        total = money.bps_to_percent(sum(share for _, share in shares))
        raise Invalid.field(
            "buyers", "shares must sum to 100 %% (they sum to %(total)s %%)", total=total
        )
    for i, organisation_id in enumerate(ids):
        await _city(session, organisation_id, f"buyers[{i}].organisation_id")
    fee_bps = payments.fee_bps
    milestone_parts = money.payouts(
        package.price_minor, [m.share_bps for m in package.milestones], fee_bps
    )
    buyer_parts = money.split(package.price_minor, [share for _, share in shares])
    order_id = new_id()
    order = PilotOrder(
        id=order_id,
        package_id=package.id,
        listing_id=package.listing_id,
        supplier_id=package.organisation_id,
        buyer_id=lead.id,
        title=package.title,
        scope=package.scope,
        duration_weeks=package.duration_weeks,
        amount_minor=package.price_minor,
        currency=package.currency,
        fee_bps=fee_bps,
        mode=payments.mode,
        status="awaiting_payment",
        transfer_group=f"order_{order_id}",
        checkout_attempts=0,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
        buyers=[
            OrderBuyer(position=i, organisation_id=organisation_id, share_bps=share,
                       amount_minor=part, checkout_attempts=0, refunded_minor=0)
            for i, ((organisation_id, share), part) in enumerate(
                zip(shares, buyer_parts, strict=True)
            )
        ],
        milestones=[
            OrderMilestone(
                id=(milestone_id := new_id()), position=m.position, title=m.title,
                share_bps=m.share_bps, amount_minor=part.amount, fee_minor=part.fee,
                outcome_index=m.outcome_index, outcome_metric=m.outcome_metric,
                evidence_required=m.evidence, due_week=m.due_week, status="pending",
                transfer_key=f"milestone-{milestone_id}-transfer",
            )
            for m, part in zip(package.milestones, milestone_parts, strict=True)
        ],
    )  # fmt: skip
    session.add(order)
    await publish(
        session, ev.ORDER_PLACED, order.id, now,
        data={"supplier_id": order.supplier_id, "buyer_ids": ids},
    )  # fmt: skip
    await session.flush()
    return await load_order(session, order.id)


async def load_order(session: AsyncSession, order_id: str, *, lock: bool = False) -> PilotOrder:
    query = (
        select(PilotOrder)
        .where(PilotOrder.id == order_id)
        .options(*ORDER_LOAD)
        .execution_options(populate_existing=True)
    )
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=PilotOrder)
    order = await session.scalar(query)
    if order is None:
        raise NotFound("No such pilot order.")
    return order


def party_ids(order: PilotOrder) -> set[str]:
    return {order.supplier_id, order.buyer_id} | {b.organisation_id for b in order.buyers}


def can_see(actor: Actor | None, order: PilotOrder) -> bool:
    return actor is not None and (
        actor.is_admin or any(actor.is_member(o) for o in party_ids(order))
    )


async def get_order(
    session: AsyncSession, actor: Actor | None, order_id: str, *, lock: bool = False
) -> PilotOrder:
    order = await load_order(session, order_id, lock=lock)
    if not can_see(actor, order):
        raise NotFound("No such pilot order.")
    return order


async def list_orders(
    session: AsyncSession,
    actor: Actor,
    *,
    organisation_id: str | None = None,
    status: str | None = None,
    sort: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[PilotOrder], int]:
    """Orders the actor's organisations take part in (as SME or as a buying city); an admin
    sees every order. `sort`: `newest` (the default), `amount` (the highest first; the order
    does not convert between currencies), `title`."""
    match checked_sort(sort, ORDER_SORTS):
        case "amount":
            order: list[Any] = [PilotOrder.amount_minor.desc()]
        case "title":
            order = [func.lower(PilotOrder.title), PilotOrder.title]
        case _:
            order = [PilotOrder.created_at.desc()]
    query = select(PilotOrder)
    if organisation_id is not None:
        if not (actor.is_admin or actor.is_member(organisation_id)):
            raise Forbidden("You can list the orders of your own organisations only.")
        orgs = [organisation_id]
    elif actor.is_admin:
        orgs = []
    else:
        orgs = list(actor.roles)
        if not orgs:
            return [], 0
    if orgs:
        joint = select(OrderBuyer.order_id).where(OrderBuyer.organisation_id.in_(orgs))
        query = query.where(
            PilotOrder.supplier_id.in_(orgs)
            | PilotOrder.buyer_id.in_(orgs)
            | PilotOrder.id.in_(joint)
        )
    if status:
        query = query.where(PilotOrder.status == status)
    return await paged(session, query, [*order, PilotOrder.id], page, per_page, ORDER_LOAD)


async def order_policy(session: AsyncSession, actor: Actor, order: PilotOrder) -> Allowed:
    """What this person may do with the order (`policies.order_actions`, given the refund
    due from the ledger)."""
    return policies.order_actions(actor, order, refund_due=await refund_due(session, order))


def milestone_policy(actor: Actor, order: PilotOrder, milestone: OrderMilestone) -> Allowed:
    return policies.milestone_actions(actor, order, milestone)


def _share(order: PilotOrder, organisation_id: str | None) -> OrderBuyer | None:
    return next((b for b in order.buyers if b.organisation_id == organisation_id), None)


async def start_checkout(
    session: AsyncSession, actor: Actor, payments: Payments, order_id: str, now: datetime,
    organisation_id: str | None = None,
) -> tuple[str, str]:  # fmt: skip
    """A Stripe Checkout Session for one city's share of the order (the whole price when it
    buys alone; the open session if it has not expired). `organisation_id` names the city
    paying when the person edits for several of the buyers. The share is paid only when
    Stripe's signed event says so, never by coming back from Stripe's page."""
    order = await get_order(session, actor, order_id, lock=True)
    (await order_policy(session, actor, order)).require("pay")
    if payments.gateway is None:
        raise Conflict(policies.OFFLINE)
    payable = policies.payable_shares(actor, order)
    share = next((b for b in payable if b.organisation_id == organisation_id), None)
    if organisation_id is not None and share is None:
        raise Invalid.field("organisation_id", "not a city whose unpaid share you may pay")
    share = share or payable[0]
    if (
        share.checkout_session_id
        and share.checkout_url
        and share.checkout_expires_at
        and share.checkout_expires_at > now
    ):
        return share.checkout_session_id, share.checkout_url
    lead = share.organisation_id == order.buyer_id
    try:
        checkout = await payments.gateway.create_checkout_session(
            order_id=order.id,
            attempt=share.checkout_attempts + 1,
            title=order.title
            if len(order.buyers) == 1
            else f"{order.title} ({share.organisation.name}, {_percent(share.share_bps)} %)",
            amount=share.amount_minor,
            currency=order.currency,
            transfer_group=order.transfer_group,
            customer_email=actor.email,
            success_url=payments.url(f"/orders/{order.id}?checkout=returned"),
            cancel_url=payments.url(f"/orders/{order.id}?checkout=cancelled"),
            buyer_id=None if lead else share.organisation_id,
        )
    except stripe.StripeError as error:
        raise _stripe_failed(error) from None
    share.checkout_attempts += 1
    share.checkout_session_id = checkout.id
    share.checkout_url = checkout.url
    share.checkout_expires_at = datetime.fromtimestamp(checkout.expires_at, UTC)
    if lead:  # the order keeps the lead city's session, as it always has
        order.checkout_attempts = share.checkout_attempts
        order.checkout_session_id = checkout.id
        order.checkout_url = checkout.url
        order.checkout_expires_at = share.checkout_expires_at
    order.payment_error = None
    order.updated_at = now
    return checkout.id, checkout.url


# --- the ledger ----------------------------------------------------------------------------


async def post(
    session: AsyncSession,
    order: PilotOrder,
    kind: str,
    debit: str,
    credit: str,
    amount: int,
    reference: str,
    now: datetime,
    *,
    milestone: OrderMilestone | None = None,
    note: str = "",
    actor: Actor | None = None,
) -> bool:
    """Append one posting unless this movement (order, kind, reference) is recorded
    already; True when it was new. The unique constraint is the last word: a concurrent
    duplicate fails the savepoint and changes nothing."""
    if amount <= 0:
        return False
    exists_ = await session.scalar(
        select(LedgerEntry.id).where(
            LedgerEntry.order_id == order.id,
            LedgerEntry.kind == kind,
            LedgerEntry.reference == reference,
        )
    )
    if exists_ is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(
                LedgerEntry(
                    order_id=order.id, milestone_id=milestone.id if milestone else None,
                    kind=kind, debit=debit, credit=credit, amount_minor=amount,
                    currency=order.currency, reference=reference, note=note,
                    created_by=actor.user_id if actor else None, created_at=now,
                )
            )  # fmt: skip
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class Balances:
    charged: int = 0
    transferred: int = 0
    fees: int = 0
    refunded: int = 0
    disputed: int = 0

    @property
    def held(self) -> int:
        return self.charged - self.transferred - self.fees - self.refunded - self.disputed


async def balances(session: AsyncSession, order_id: str) -> Balances:
    """Each account's balance from the postings (integers: summed in SQL on both databases)."""
    rows = (
        await session.execute(
            select(LedgerEntry.kind, func.sum(LedgerEntry.amount_minor))
            .where(LedgerEntry.order_id == order_id)
            .group_by(LedgerEntry.kind)
        )
    ).all()
    sums = {kind: int(total or 0) for kind, total in rows}
    return Balances(
        charged=sums.get("charge", 0),
        transferred=sums.get("transfer", 0),
        fees=sums.get("fee", 0),
        refunded=sums.get("refund", 0),
        disputed=sums.get("dispute", 0) - sums.get("dispute_reversal", 0),
    )


async def account_balances(session: AsyncSession, order_id: str) -> dict[str, int]:
    """Debits minus credits per ledger account: always sums to zero (double entry)."""
    result: dict[str, int] = {}
    for entry in await session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order_id)):
        result[entry.debit] = result.get(entry.debit, 0) + entry.amount_minor
        result[entry.credit] = result.get(entry.credit, 0) - entry.amount_minor
    return result


async def ledger(
    session: AsyncSession, actor: Actor, order_id: str | None = None, limit: int = 500
) -> list[LedgerEntry]:
    if order_id is not None:
        await get_order(session, actor, order_id)
    elif not actor.is_admin:
        raise Forbidden("The whole ledger is for the platform admin.")
    query = select(LedgerEntry).order_by(LedgerEntry.id.desc()).limit(limit)
    if order_id is not None:
        query = query.where(LedgerEntry.order_id == order_id)
    return list(await session.scalars(query))


LEDGER_SORTS = ("newest", "oldest")


async def ledger_page(
    session: AsyncSession, actor: Actor, *, sort: str | None = None, page: int = 1,
    per_page: int = 50,
) -> tuple[list[LedgerEntry], int]:  # fmt: skip
    """A page of the whole ledger (the platform admin's), the latest postings first unless
    `sort` is `oldest`. Ids grow with every posting, so they order it."""
    if not actor.is_admin:
        raise Forbidden("The whole ledger is for the platform admin.")
    order = (
        LedgerEntry.id if checked_sort(sort, LEDGER_SORTS) == "oldest" else LedgerEntry.id.desc()
    )
    return await paged(session, select(LedgerEntry), [order], page, per_page)


def entry_out(entry: LedgerEntry) -> LedgerEntryOut:
    return LedgerEntryOut(
        id=entry.id, order_id=entry.order_id, milestone_id=entry.milestone_id, kind=entry.kind,
        debit=entry.debit, credit=entry.credit,
        amount=_money(entry.amount_minor, entry.currency), reference=entry.reference,
        note=entry.note, created_at=entry.created_at,
    )  # fmt: skip


# --- being paid ------------------------------------------------------------------------------


async def record_payment(
    session: AsyncSession,
    order: PilotOrder,
    *,
    reference: str,
    amount: int,
    currency: str,
    now: datetime,
    payment_intent_id: str | None = None,
    charge_id: str | None = None,
    note: str = "",
    actor: Actor | None = None,
    buyer_id: str | None = None,
) -> str:
    """A city's money arrived (Stripe's signed event, or the admin offline): `charge` from
    the city into what the platform holds for the order. `buyer_id` names the city whose
    share it is (None: the lead city's, or the whole price when paid at once, offline or
    by a city buying alone). Idempotent; the order is paid once every share is."""
    if buyer_id is None and amount == order.amount_minor:
        shares = list(order.buyers)  # the whole price at once
    else:
        shares = [s for s in order.buyers if s.organisation_id == (buyer_id or order.buyer_id)]
    expected = sum(s.amount_minor for s in shares) if order.buyers else order.amount_minor
    if (
        currency.upper() != order.currency.upper()
        or amount != expected
        or (order.buyers and not shares)
    ):
        return (
            f"amount {amount} {currency.upper()} differs from the "
            f"{money.format_amount(expected, order.currency)} {order.currency} due: not "
            "recorded, left for the admin"
        )
    for share in shares:
        share.payment_intent_id = share.payment_intent_id or payment_intent_id
        share.charge_id = share.charge_id or charge_id
    lead_paying = any(s.organisation_id == order.buyer_id for s in shares) or not shares
    if lead_paying and payment_intent_id and not order.payment_intent_id:
        order.payment_intent_id = payment_intent_id
    if lead_paying and charge_id and not order.charge_id:
        order.charge_id = charge_id
    new = await post(
        session, order, "charge", "held", "city", amount, reference, now, note=note, actor=actor
    )
    if not new:
        return "payment already recorded"
    for share in shares:
        share.paid_at = share.paid_at or now
    order.updated_at = now
    order.payment_error = None
    waiting = [s for s in order.buyers if s.paid_at is None]
    if waiting and order.status == "awaiting_payment":
        await publish(session, ev.ORDER_SHARE_PAID, order.id, now,
                      data={"organisation_id": shares[0].organisation_id if shares else None})  # fmt: skip
        return f"share paid; waiting for {len(waiting)} more share(s)"
    if order.status == "awaiting_payment":
        order.status = "paid"
        order.paid_at = now
        await publish(session, ev.ORDER_PAID, order.id, now, data={"reference": reference})
        return "order paid"
    if order.cancelled_at is not None:
        # Cancelled while the city was on Stripe's page: the money goes straight back.
        order.status = "refunding"
        order.paid_at = order.paid_at or now
        for milestone in order.milestones:
            milestone.status = "refunded"
        await publish(session, ev.ORDER_CANCELLED, order.id, now, data={"refund_minor": amount})
        return "paid after cancellation: refunding in full"
    return f"payment recorded on a {order.status} order"


async def record_offline_payment(
    session: AsyncSession, actor: Actor, order_id: str, note: str, now: datetime
) -> PilotOrder:
    order = await get_order(session, actor, order_id, lock=True)
    (await order_policy(session, actor, order)).require("record_payment")
    await record_payment(
        session, order, reference=f"offline:payment:{order.id}", amount=order.amount_minor,
        currency=order.currency, now=now, note=f"Paid outside the platform: {note}", actor=actor,
    )  # fmt: skip
    return await load_order(session, order.id)


# --- milestones ---------------------------------------------------------------------------


def _milestone(order: PilotOrder, milestone_id: str) -> OrderMilestone:
    for milestone in order.milestones:
        if milestone.id == milestone_id:
            return milestone
    raise NotFound("No such milestone in this order.")


async def report_milestone(
    session: AsyncSession,
    actor: Actor,
    order_id: str,
    milestone_id: str,
    evidence: str,
    evidence_url: str | None,
    now: datetime,
) -> PilotOrder:
    order = await get_order(session, actor, order_id, lock=True)
    milestone = _milestone(order, milestone_id)
    milestone_policy(actor, order, milestone).require("report")
    milestone.status = "reported"
    milestone.report = evidence
    milestone.evidence_url = evidence_url
    milestone.reported_at = now
    milestone.reported_by = actor.user_id
    order.updated_at = now
    await publish(
        session, ev.MILESTONE_REPORTED, order.id, now, data={"milestone_id": milestone.id}
    )
    return order


async def accept_milestone(
    session: AsyncSession, actor: Actor, order_id: str, milestone_id: str, now: datetime
) -> PilotOrder:
    """The city confirms the outcome: the milestone's share is to be transferred. The
    transfer itself is the subscriber's (from the outbox), so it happens exactly once."""
    order = await get_order(session, actor, order_id, lock=True)
    milestone = _milestone(order, milestone_id)
    milestone_policy(actor, order, milestone).require("accept")
    milestone.status = "accepted"
    milestone.accepted_at = now
    milestone.accepted_by = actor.user_id
    order.updated_at = now
    await publish(
        session, ev.MILESTONE_ACCEPTED, order.id, now, data={"milestone_id": milestone.id}
    )
    return order


async def dispute_milestone(
    session: AsyncSession, actor: Actor, order_id: str, milestone_id: str, reason: str,
    now: datetime,
) -> PilotOrder:  # fmt: skip
    order = await get_order(session, actor, order_id, lock=True)
    milestone = _milestone(order, milestone_id)
    milestone_policy(actor, order, milestone).require("dispute")
    milestone.status = "disputed"
    milestone.dispute_reason = reason
    milestone.disputed_at = now
    order.updated_at = now
    await publish(
        session, ev.MILESTONE_DISPUTED, order.id, now, data={"milestone_id": milestone.id}
    )
    return order


async def resolve_dispute(
    session: AsyncSession, actor: Actor, order_id: str, milestone_id: str, decision: str,
    note: str, now: datetime,
) -> PilotOrder:  # fmt: skip
    """The admin decides a disputed milestone: `release` pays the SME, `refund` returns the
    milestone's share to the city."""
    order = await get_order(session, actor, order_id, lock=True)
    milestone = _milestone(order, milestone_id)
    milestone_policy(actor, order, milestone).require("resolve")
    milestone.resolution = f"{decision}: {note}"
    milestone.resolved_at = now
    milestone.resolved_by = actor.user_id
    order.updated_at = now
    if decision == "release":
        milestone.status = "accepted"
        milestone.accepted_at = now
        milestone.accepted_by = actor.user_id
        await publish(
            session, ev.MILESTONE_ACCEPTED, order.id, now, data={"milestone_id": milestone.id}
        )
    else:
        milestone.status = "refunded"
        await publish(
            session, ev.MILESTONE_REFUNDED, order.id, now, data={"milestone_id": milestone.id}
        )
    return order


async def record_transfer(
    session: AsyncSession,
    order: PilotOrder,
    milestone: OrderMilestone,
    reference: str,
    now: datetime,
    *,
    note: str = "",
    actor: Actor | None = None,
) -> bool:
    """The milestone's share reached the SME: `transfer` to the SME and the platform's
    `fee`, both out of what is held. Idempotent (the reference is the transfer)."""
    if milestone.status == "paid":
        return False
    payout = money.Payout(milestone.amount_minor, milestone.fee_minor)
    await post(session, order, "transfer", "sme", "held", payout.transfer, reference, now,
               milestone=milestone, note=note, actor=actor)  # fmt: skip
    await post(session, order, "fee", "fee", "held", payout.fee, reference, now,
               milestone=milestone, note=note, actor=actor)  # fmt: skip
    milestone.status = "paid"
    milestone.paid_at = now
    if not reference.startswith("offline:"):
        milestone.transfer_id = reference
    order.updated_at = now
    await publish(
        session, ev.MILESTONE_PAID, order.id, now,
        data={"milestone_id": milestone.id, "transfer_id": reference},
    )  # fmt: skip
    await settle(session, order, now)
    return True


async def record_offline_payout(
    session: AsyncSession, actor: Actor, order_id: str, milestone_id: str, note: str,
    now: datetime,
) -> PilotOrder:  # fmt: skip
    order = await get_order(session, actor, order_id, lock=True)
    milestone = _milestone(order, milestone_id)
    milestone_policy(actor, order, milestone).require("record_payout")
    await record_transfer(
        session, order, milestone, f"offline:payout:{milestone.id}", now,
        note=f"Paid out outside the platform: {note}", actor=actor,
    )  # fmt: skip
    return await load_order(session, order.id)


# --- cancelling and refunding ------------------------------------------------------------


async def cancel_order(
    session: AsyncSession, actor: Actor, order_id: str, reason: str, now: datetime
) -> PilotOrder:
    """Before payment: the order is simply cancelled. After it: every milestone not yet
    accepted or paid is refunded (all of them — a full refund — if none was); milestones
    already accepted are still paid to the SME."""
    order = await get_order(session, actor, order_id, lock=True)
    (await order_policy(session, actor, order)).require("cancel")
    if order.status == "awaiting_payment":
        # Nothing to refund, unless cities of a joint order had paid their shares already.
        refund = (await balances(session, order.id)).charged
        order.status = "refunding" if refund else "cancelled"
        for milestone in order.milestones if refund else ():
            milestone.status = "refunded"
    else:  # paid, with something left to refund (the policy)
        refund = policies.refundable(order)
        order.status = "refunding"
        for milestone in order.milestones:
            if milestone.status in policies.OPEN_MILESTONE:
                milestone.status = "refunded"
    order.cancelled_at = now
    order.cancel_reason = reason
    order.updated_at = now
    await publish(session, ev.ORDER_CANCELLED, order.id, now, data={"refund_minor": refund})
    return order


async def record_refund(
    session: AsyncSession,
    order: PilotOrder,
    reference: str,
    amount: int,
    now: datetime,
    *,
    note: str = "",
    actor: Actor | None = None,
    charge_id: str | None = None,
) -> bool:
    """Money went back to the city: `refund` out of what is held. Idempotent by reference.
    `charge_id`: the payment it went back to (in a joint order, one city's)."""
    new = await post(session, order, "refund", "city", "held", amount, reference, now,
                     note=note, actor=actor)  # fmt: skip
    if not new:
        return False
    share = next((b for b in order.buyers if charge_id and b.charge_id == charge_id), None)
    if share is None and len(order.buyers) == 1:
        share = order.buyers[0]
    if share is not None:
        share.refunded_minor += amount
    refunded = (await balances(session, order.id)).refunded
    # Milestones marked for refund are settled oldest first as refunds arrive.
    covered = refunded
    for milestone in order.milestones:
        if milestone.status == "refunded":
            covered -= milestone.amount_minor
            if covered >= 0 and milestone.refunded_at is None:
                milestone.refunded_at = now
    order.updated_at = now
    await publish(
        session, ev.ORDER_REFUNDED, order.id, now,
        data={"refund_id": reference, "amount_minor": amount},
    )  # fmt: skip
    await settle(session, order, now)
    return True


async def record_offline_refund(
    session: AsyncSession, actor: Actor, order_id: str, note: str, now: datetime
) -> PilotOrder:
    order = await get_order(session, actor, order_id, lock=True)
    due = await refund_due(session, order)
    policies.order_actions(actor, order, refund_due=due).require("record_refund")
    count = await session.scalar(
        select(func.count()).where(LedgerEntry.order_id == order.id, LedgerEntry.kind == "refund")
    )
    await record_refund(
        session, order, f"offline:refund:{order.id}:{(count or 0) + 1}", due, now,
        note=f"Refunded outside the platform: {note}", actor=actor,
    )  # fmt: skip
    return await load_order(session, order.id)


async def refund_due(session: AsyncSession, order: PilotOrder) -> int:
    """What the milestones decided for refund are worth, less what was refunded already; never
    more than was paid (a joint order cancelled before every city paid its share)."""
    owed = sum(m.amount_minor for m in order.milestones if m.status == "refunded")
    sums = await balances(session, order.id)
    return max(min(owed, sums.charged) - sums.refunded, 0)


def refund_parts(order: PilotOrder, due: int) -> list[tuple[int, str, int]]:
    """(share position, payment intent, amount): what is due back, split between the cities'
    payments, each refunded to the payment it came from. When every city paid, by the shares
    (exact to the cent: `money.split`); never more than a payment has left."""
    if due <= 0:
        return []
    paid = [b for b in order.buyers if b.payment_intent_id and b.paid_at]
    if not paid:
        return [(0, order.payment_intent_id, due)] if order.payment_intent_id else []
    room = [b.amount_minor - b.refunded_minor for b in paid]
    target = min(due, sum(room))
    if len(paid) == len(order.buyers):
        wanted = money.split(target, [b.share_bps for b in paid])
    else:  # a joint order cancelled before every city paid: each gets its own back
        wanted, left = [], target
        for r in room:
            wanted.append(min(r, left))
            left -= wanted[-1]
    parts = [min(w, r) for w, r in zip(wanted, room, strict=True)]
    for i, r in enumerate(room):  # what a full payment could not take, to the others
        parts[i] += min(target - sum(parts), r - parts[i])
    return [
        (share.position, str(share.payment_intent_id), part)
        for share, part in zip(paid, parts, strict=True)
        if part > 0
    ]


async def settle(session: AsyncSession, order: PilotOrder, now: datetime) -> None:
    """Close the order once nothing is left to move: every milestone paid or refunded."""
    if order.status not in ("paid", "refunding"):
        return
    sums = await balances(session, order.id)
    if any(m.status in ("pending", "reported", "disputed", "accepted") for m in order.milestones):
        if order.status == "refunding" and await refund_due(session, order) == 0:
            order.status = "paid"  # the refund is through; accepted milestones remain
        return
    if await refund_due(session, order) > 0:
        order.status = "refunding"
        return
    if sums.refunded > 0:
        order.status = "refunded"
    else:
        order.status = "completed"
        order.completed_at = now
        await publish(session, ev.ORDER_COMPLETED, order.id, now)


# --- card disputes (chargebacks) -----------------------------------------------------------


async def record_charge_dispute(
    session: AsyncSession, order: PilotOrder, dispute_id: str, amount: int, status: str,
    now: datetime,
) -> str:  # fmt: skip
    order.charge_dispute_id = dispute_id
    order.charge_dispute_status = status
    order.updated_at = now
    if await post(session, order, "dispute", "dispute", "held", amount, dispute_id, now,
                  note=f"Card dispute opened ({status})"):  # fmt: skip
        await publish(session, ev.CHARGE_DISPUTED, order.id, now, data={"dispute_id": dispute_id})
        return "card dispute recorded"
    return "card dispute already recorded"


async def record_dispute_closed(
    session: AsyncSession, order: PilotOrder, dispute_id: str, amount: int, status: str,
    now: datetime,
) -> str:  # fmt: skip
    order.charge_dispute_status = status
    order.updated_at = now
    if status == "won":
        await post(session, order, "dispute_reversal", "held", "dispute", amount, dispute_id,
                   now, note="Card dispute won: the funds are back")  # fmt: skip
    return f"card dispute {status}"


# --- shapes -----------------------------------------------------------------------------------


async def order_out(session: AsyncSession, order: PilotOrder) -> OrderOut:
    sums = await balances(session, order.id)
    c = order.currency
    return OrderOut(
        id=order.id, package_id=order.package_id, listing_id=order.listing_id,
        supplier_id=order.supplier_id, supplier_name=order.supplier.name,
        buyer_id=order.buyer_id, buyer_name=order.buyer.name,
        buyers=[
            BuyerOut(organisation_id=b.organisation_id, name=b.organisation.name,
                     share_percent=_percent(b.share_bps), amount=_money(b.amount_minor, c),
                     paid_at=b.paid_at)
            for b in order.buyers
        ],
        title=order.title, scope=order.scope, duration_weeks=order.duration_weeks,
        amount=_money(order.amount_minor, c), fee_percent=_percent(order.fee_bps),
        mode="stripe" if order.mode == "stripe" else "offline", status=order.status,
        transfer_group=order.transfer_group, paid_at=order.paid_at,
        cancelled_at=order.cancelled_at, cancel_reason=order.cancel_reason,
        completed_at=order.completed_at, charge_dispute_status=order.charge_dispute_status,
        milestones=[milestone_out(m, c) for m in order.milestones],
        balances=BalancesOut(
            charged=_money(sums.charged, c), held=_money(sums.held, c),
            transferred=_money(sums.transferred, c), fees=_money(sums.fees, c),
            refunded=_money(sums.refunded, c), disputed=_money(sums.disputed, c),
        ),
        created_at=order.created_at,
    )  # fmt: skip


def milestone_out(m: OrderMilestone, currency: str) -> OrderMilestoneOut:
    return OrderMilestoneOut(
        id=m.id, position=m.position, title=m.title, share_percent=_percent(m.share_bps),
        amount=_money(m.amount_minor, currency), fee=_money(m.fee_minor, currency),
        payout=_money(m.amount_minor - m.fee_minor, currency), outcome_index=m.outcome_index,
        outcome_metric=m.outcome_metric, evidence_required=m.evidence_required,
        due_week=m.due_week, status=m.status, report=m.report, evidence_url=m.evidence_url,
        reported_at=m.reported_at, accepted_at=m.accepted_at, dispute_reason=m.dispute_reason,
        disputed_at=m.disputed_at, resolution=m.resolution, resolved_at=m.resolved_at,
        transfer_id=m.transfer_id, paid_at=m.paid_at, refunded_at=m.refunded_at,
    )  # fmt: skip


async def orders_out(session: AsyncSession, orders: Sequence[PilotOrder]) -> list[OrderOut]:
    return [await order_out(session, o) for o in orders]
