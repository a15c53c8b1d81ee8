"""Demo pilot orders: packages on published listings, and orders in every state a finance
officer meets — awaiting payment, paid, in progress (a milestone paid, one reported, one
disputed) and refunded. Offline mode (demos have no Stripe keys), through the same services
as people use, so every demo record obeys the rules and the ledger balances."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.models import User
from marketplace.accounts.principal import Actor
from marketplace.listings.models import Listing
from marketplace.payments import services
from marketplace.payments.schemas import MilestoneIn, OrderIn, PackageIn, PriceIn
from marketplace.settings import get_settings

if TYPE_CHECKING:
    from rich.progress import Progress

    from marketplace.accounts.demo import Network

PRICES = ("18000.00", "9500.00", "42000.00")


def _actor(user: User, organisation_id: str) -> Actor:
    return Actor(user.id, user.email, user.name, roles={organisation_id: "owner"})


def _package(listing: Listing, price: str) -> PackageIn:
    kpis = len(listing.outcomes)
    shares = ("40", "35", "25")
    titles = ("Deployed and commissioned", "First results measured", "Final outcome report")
    return PackageIn(
        title=f"Pilot: {listing.title}"[:200],
        scope=f"A fixed-price pilot of {listing.title} in one district, with measured results.",
        price=PriceIn(amount=Decimal(price), currency="EUR"),
        duration_weeks=24,
        milestones=[
            MilestoneIn(title=titles[i], share_percent=Decimal(share), outcome_index=i % kpis,
                        evidence="Report with the measured KPI against its baseline",
                        due_week=8 * (i + 1))
            for i, share in enumerate(shares)
        ],
    )  # fmt: skip


async def seed_payments(session: AsyncSession, network: Network, progress: Progress) -> None:
    now = network.now
    payments = services.Payments(get_settings(), gateway=None)
    sme_ids = {o.id for o in network.smes if o.verified}
    listings = [
        listing
        for listing in await session.scalars(
            select(Listing)
            .where(Listing.status == "published")
            .order_by(Listing.created_at, Listing.title)
        )
        if listing.organisation_id in sme_ids and listing.outcomes
    ][: len(PRICES)]
    cities = [c for c in network.cities if c.verified]
    admin_user = await session.scalar(select(User).where(User.is_admin.is_(True)).limit(1))
    if not listings or len(cities) < 2 or admin_user is None:
        return
    admin = Actor(admin_user.id, admin_user.email, admin_user.name, is_admin=True)
    task = progress.add_task("pilot orders", total=len(listings) + 4)
    packages = []
    for listing, price in zip(listings, PRICES, strict=False):
        sme = _actor(network.users[listing.organisation_id], listing.organisation_id)
        packages.append(await services.create_package(session, sme, listing.id,
                                                      _package(listing, price), now))  # fmt: skip
        progress.advance(task)

    def city(n: int) -> tuple[str, Actor]:
        organisation = cities[n % len(cities)]
        return organisation.id, _actor(network.users[organisation.id], organisation.id)

    async def order(n: int, package_n: int) -> str:
        city_id, buyer = city(n)
        placed = await services.place_order(
            session, buyer, payments,
            OrderIn(package_id=packages[package_n % len(packages)].id, organisation_id=city_id),
            now,
        )  # fmt: skip
        progress.advance(task)
        return placed.id

    # Awaiting payment.
    await order(0, 0)
    # Paid, nothing reported yet.
    paid = await order(1, 1)
    await services.record_offline_payment(session, admin, paid, "Demo bank transfer 0001", now)
    # In progress: the first milestone paid out, the second reported, the third disputed.
    running = await order(2, 0)
    await services.record_offline_payment(session, admin, running, "Demo bank transfer 0002", now)
    loaded = await services.load_order(session, running)
    sme = _actor(network.users[loaded.supplier_id], loaded.supplier_id)
    _, buyer = city(2)
    first, second = loaded.milestones[0].id, loaded.milestones[1].id
    await services.report_milestone(session, sme, running, first,
                                    "Commissioning report signed on site.", None, now)  # fmt: skip
    await services.accept_milestone(session, buyer, running, first, now)
    await services.record_offline_payout(session, admin, running, first, "Demo payout 0001", now)
    await services.report_milestone(session, sme, running, second,
                                    "Three months of metering attached.", None, now)  # fmt: skip
    third = loaded.milestones[2].id
    await services.report_milestone(session, sme, running, third, "Final report.", None, now)
    await services.dispute_milestone(session, buyer, running, third,
                                     "The final report uses last year's baseline.", now)  # fmt: skip
    # Refunded: paid, then cancelled before any payout; the refund made by bank transfer.
    refunded = await order(3, 1 if len(packages) > 1 else 0)
    await services.record_offline_payment(session, admin, refunded, "Demo bank transfer 0003", now)
    _, buyer = city(3)
    await services.cancel_order(session, buyer, refunded,
                                "The district's streets are being rebuilt next year.", now)  # fmt: skip
    await services.record_offline_refund(session, admin, refunded, "Demo refund 0001", now)
