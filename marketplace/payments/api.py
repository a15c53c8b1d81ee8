"""JSON API for pilot packages, onboarding, orders, milestones, the ledger and webhooks."""

from __future__ import annotations

from typing import Any, Literal

from litestar import Controller, Request, get, post, put
from litestar.params import JSONBody

from marketplace.payments import money, reconcile, services, webhooks
from marketplace.payments.deps import PaymentsService
from marketplace.payments.ocds import order_release_package
from marketplace.payments.schemas import (
    AccountOut,
    CancelIn,
    CheckoutOut,
    DisputeIn,
    LedgerEntryOut,
    LinkOut,
    OfflineIn,
    OrderIn,
    OrderOut,
    PackageIn,
    PackageOut,
    ReconciliationOut,
    ReportIn,
    ResolveIn,
    StatusOut,
)
from marketplace.schemas import Page
from marketplace.web.deps import AppClock, CurrentActor, DbSession, PageNumber, PerPage, signed_in


class PackageController(Controller):
    tags = ["Pilot orders and payments"]

    @post(
        "/api/v1/listings/{listing_id:str}/pilot-packages",
        status_code=201,
        summary="Offer a fixed-price pilot package on a published listing (SME editors)",
    )
    async def create(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        listing_id: str,
        data: JSONBody[PackageIn],
        clock: AppClock,
        payments: PaymentsService,
    ) -> PackageOut:
        package = await services.create_package(
            db_session, signed_in(actor), listing_id, data, clock.now()
        )
        return await services.package_out(db_session, payments, package)

    @get("/api/v1/listings/{listing_id:str}/pilot-packages", summary="A listing's pilot packages")
    async def for_listing(
        self, db_session: DbSession, actor: CurrentActor, listing_id: str, payments: PaymentsService
    ) -> list[PackageOut]:
        rows, _ = await services.list_packages(
            db_session, actor, listing_id=listing_id, per_page=100
        )
        return [await services.package_out(db_session, payments, p) for p in rows]

    @get(
        "/api/v1/pilot-packages",
        summary="Pilot packages on offer (an SME's members see all theirs)",
    )
    async def list_packages(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        payments: PaymentsService,
        organisation_id: str | None = None,
        page: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> Page[PackageOut]:
        rows, total = await services.list_packages(
            db_session, actor, organisation_id=organisation_id, page=page, per_page=per_page
        )
        items = [await services.package_out(db_session, payments, p) for p in rows]
        return Page(items=items, total=total, page=page, per_page=per_page)

    @get("/api/v1/pilot-packages/{package_id:str}", summary="One pilot package")
    async def show(
        self, db_session: DbSession, actor: CurrentActor, package_id: str, payments: PaymentsService
    ) -> PackageOut:
        package = await services.get_package(db_session, actor, package_id)
        return await services.package_out(db_session, payments, package)

    @put(
        "/api/v1/pilot-packages/{package_id:str}",
        summary="Change a package's terms (SME editors; orders already placed keep theirs)",
    )
    async def update(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        package_id: str,
        data: JSONBody[PackageIn],
        clock: AppClock,
        payments: PaymentsService,
    ) -> PackageOut:
        package = await services.update_package(
            db_session, signed_in(actor), package_id, data, clock.now()
        )
        return await services.package_out(db_session, payments, package)

    @post(
        "/api/v1/pilot-packages/{package_id:str}/withdraw",
        status_code=200,
        summary="Stop offering a package (orders already placed go on)",
    )
    async def withdraw(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        package_id: str,
        clock: AppClock,
        payments: PaymentsService,
    ) -> PackageOut:
        package = await services.withdraw_package(
            db_session, signed_in(actor), package_id, clock.now()
        )
        return await services.package_out(db_session, payments, package)


class AccountController(Controller):
    path = "/api/v1/organisations/{organisation_id:str}/payments"
    tags = ["Pilot orders and payments"]

    @get("/account", summary="The SME's payout account: Stripe onboarding state (members)")
    async def account(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        organisation_id: str,
        payments: PaymentsService,
    ) -> AccountOut:
        return await services.account_state(db_session, signed_in(actor), payments, organisation_id)

    @post(
        "/onboarding",
        status_code=201,
        summary="Start or resume Stripe Connect onboarding: the account link to send the SME to",
    )
    async def onboarding(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        organisation_id: str,
        clock: AppClock,
        payments: PaymentsService,
    ) -> LinkOut:
        url = await services.start_onboarding(
            db_session, signed_in(actor), payments, organisation_id, clock.now()
        )
        return LinkOut(url=url)


class OrderController(Controller):
    path = "/api/v1/pilot-orders"
    tags = ["Pilot orders and payments"]

    @post("/", status_code=201, summary="Order a pilot package (editor of a verified city)")
    async def place(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        data: JSONBody[OrderIn],
        clock: AppClock,
        payments: PaymentsService,
    ) -> OrderOut:
        order = await services.place_order(
            db_session, signed_in(actor), payments, data, clock.now()
        )
        return await services.order_out(db_session, order)

    @get("/", summary="Orders of the caller's organisations (all for the platform admin)")
    async def list_orders(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        organisation_id: str | None = None,
        status: str | None = None,
        sort: Literal["newest", "amount", "title"] | None = None,
        page: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> Page[OrderOut]:
        """`sort`: `newest` (the default), `amount` (the highest first), `title`."""
        rows, total = await services.list_orders(
            db_session, signed_in(actor), organisation_id=organisation_id, status=status,
            sort=sort, page=page, per_page=per_page,
        )  # fmt: skip
        return Page(
            items=await services.orders_out(db_session, rows), total=total, page=page,
            per_page=per_page,
        )  # fmt: skip

    @get("/{order_id:str}", summary="One order with its milestones and balances (its parties)")
    async def show(self, db_session: DbSession, actor: CurrentActor, order_id: str) -> OrderOut:
        order = await services.get_order(db_session, signed_in(actor), order_id)
        return await services.order_out(db_session, order)

    @post(
        "/{order_id:str}/checkout",
        status_code=201,
        summary="A Stripe Checkout Session to pay your city's share of the order",
        description="A city buying alone pays the price; in a joint order each city pays its "
        "own share (`organisation_id` names the city when you act for several of them). The "
        "order is paid when every share is.",
    )
    async def checkout(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        order_id: str,
        clock: AppClock,
        payments: PaymentsService,
        organisation_id: str | None = None,
    ) -> CheckoutOut:
        session_id, url = await services.start_checkout(
            db_session, signed_in(actor), payments, order_id, clock.now(), organisation_id
        )
        return CheckoutOut(url=url, session_id=session_id)

    @post("/{order_id:str}/cancel", status_code=200, summary="Cancel; refunds what is not yet paid")
    async def cancel(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        order_id: str,
        data: JSONBody[CancelIn],
        clock: AppClock,
    ) -> OrderOut:
        order = await services.cancel_order(
            db_session, signed_in(actor), order_id, data.reason, clock.now()
        )
        return await services.order_out(db_session, order)

    @post(
        "/{order_id:str}/milestones/{milestone_id:str}/report",
        status_code=200,
        summary="The SME reports a milestone reached, with its evidence",
    )
    async def report(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        order_id: str,
        milestone_id: str,
        data: JSONBody[ReportIn],
        clock: AppClock,
    ) -> OrderOut:
        order = await services.report_milestone(
            db_session, signed_in(actor), order_id, milestone_id, data.evidence,
            str(data.evidence_url) if data.evidence_url else None, clock.now(),
        )  # fmt: skip
        return await services.order_out(db_session, order)

    @post(
        "/{order_id:str}/milestones/{milestone_id:str}/accept",
        status_code=200,
        summary="The ordering city accepts a reported milestone: its share is paid to the SME",
    )
    async def accept(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        order_id: str,
        milestone_id: str,
        clock: AppClock,
    ) -> OrderOut:
        order = await services.accept_milestone(
            db_session, signed_in(actor), order_id, milestone_id, clock.now()
        )
        return await services.order_out(db_session, order)

    @post(
        "/{order_id:str}/milestones/{milestone_id:str}/dispute",
        status_code=200,
        summary="The ordering city disputes a reported milestone, with its reason",
    )
    async def dispute(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        order_id: str,
        milestone_id: str,
        data: JSONBody[DisputeIn],
        clock: AppClock,
    ) -> OrderOut:
        order = await services.dispute_milestone(
            db_session, signed_in(actor), order_id, milestone_id, data.reason, clock.now()
        )
        return await services.order_out(db_session, order)

    @post(
        "/{order_id:str}/milestones/{milestone_id:str}/resolve",
        status_code=200,
        summary="The platform admin resolves a disputed milestone: release or refund",
    )
    async def resolve(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        order_id: str,
        milestone_id: str,
        data: JSONBody[ResolveIn],
        clock: AppClock,
    ) -> OrderOut:
        order = await services.resolve_dispute(
            db_session, signed_in(actor), order_id, milestone_id, data.decision, data.note,
            clock.now(),
        )  # fmt: skip
        return await services.order_out(db_session, order)

    @post(
        "/{order_id:str}/offline/payment",
        status_code=200,
        summary="Offline mode: the admin records the city's payment made outside",
    )
    async def offline_payment(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        order_id: str,
        data: JSONBody[OfflineIn],
        clock: AppClock,
    ) -> OrderOut:
        order = await services.record_offline_payment(
            db_session, signed_in(actor), order_id, data.note, clock.now()
        )
        return await services.order_out(db_session, order)

    @post(
        "/{order_id:str}/milestones/{milestone_id:str}/offline/payout",
        status_code=200,
        summary="Offline mode: the admin records an accepted milestone's payout made outside",
    )
    async def offline_payout(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        order_id: str,
        milestone_id: str,
        data: JSONBody[OfflineIn],
        clock: AppClock,
    ) -> OrderOut:
        order = await services.record_offline_payout(
            db_session, signed_in(actor), order_id, milestone_id, data.note, clock.now()
        )
        return await services.order_out(db_session, order)

    @post(
        "/{order_id:str}/offline/refund",
        status_code=200,
        summary="Offline mode: the admin records the refund due, made outside",
    )
    async def offline_refund(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        order_id: str,
        data: JSONBody[OfflineIn],
        clock: AppClock,
    ) -> OrderOut:
        order = await services.record_offline_refund(
            db_session, signed_in(actor), order_id, data.note, clock.now()
        )
        return await services.order_out(db_session, order)

    @get("/{order_id:str}/ledger", summary="The order's ledger postings (its parties)")
    async def ledger(
        self, db_session: DbSession, actor: CurrentActor, order_id: str
    ) -> list[LedgerEntryOut]:
        rows = await services.ledger(db_session, signed_in(actor), order_id)
        return [services.entry_out(e) for e in rows]

    @get("/{order_id:str}/ocds", summary="The order as an OCDS direct award and contract")
    async def ocds(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        order_id: str,
        clock: AppClock,
        payments: PaymentsService,
    ) -> dict[str, Any]:
        order = await services.get_order(db_session, signed_in(actor), order_id)
        return await order_release_package(
            db_session, order, clock.now(), str(request.url), payments.settings.ocid_prefix
        )


class PlatformController(Controller):
    path = "/api/v1/payments"
    tags = ["Pilot orders and payments"]

    @get("/status", summary="Whether payments run on Stripe or offline, and the platform fee")
    async def status(self, payments: PaymentsService) -> StatusOut:
        return StatusOut(
            mode="stripe" if payments.mode == "stripe" else "offline",
            platform_fee_percent=f"{money.bps_to_percent(payments.fee_bps)}",
            webhook_configured=payments.webhook_secret is not None,
        )

    @post(
        "/stripe/webhook",
        status_code=200,
        summary="Stripe's webhook: signed events, each stored and handled once",
        exclude_from_auth=True,
    )
    async def webhook(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        clock: AppClock,
        payments: PaymentsService,
    ) -> dict[str, Any]:
        payload = await request.body()
        new = await webhooks.receive(
            db_session, payments.webhook_secret, payload,
            request.headers.get("stripe-signature"), clock.now(),
        )  # fmt: skip
        return {"received": True, "duplicate": not new}

    @get("/ledger", summary="The whole ledger, newest first (platform admin)")
    async def ledger(self, db_session: DbSession, actor: CurrentActor) -> list[LedgerEntryOut]:
        rows = await services.ledger(db_session, signed_in(actor))
        return [services.entry_out(e) for e in rows]

    @get("/reconciliation", summary="The last reconciliation with Stripe (platform admin)")
    async def reconciliation(
        self, db_session: DbSession, actor: CurrentActor
    ) -> ReconciliationOut | None:
        return await reconcile.latest(db_session, signed_in(actor))


handlers = [PackageController, AccountController, OrderController, PlatformController]
