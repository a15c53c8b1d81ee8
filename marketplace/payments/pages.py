"""HTML pages: pilots on offer, a package (and ordering it), the SME's and the city's payment
workspaces, an order with its milestones, and the admin's ledger, reconciliation and disputes.

Every form posts to a handler here that calls the same service as the API; a refusal comes
back as a message on the page it came from, with nothing changed (the transaction is rolled
back). Offline mode is said on every page that involves money.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.accounts.principal import Actor
from marketplace.db import write_session
from marketplace.errors import DomainError, Invalid, NotFound
from marketplace.i18n import gettext as _
from marketplace.payments import money, reads, services
from marketplace.payments.deps import PaymentsService
from marketplace.payments.models import PilotPackage
from marketplace.payments.schemas import OrderIn, PackageIn
from marketplace.web.deps import (
    SIGNED_IN,
    AppClock,
    CurrentActor,
    DbSession,
    PageNumber,
    PerPage,
    SignedIn,
    flash,
    render,
)
from marketplace.web.forms import FormData, clean, parse
from marketplace.web.lists import pager, sort_labels, sorting

AnyRequest = Request[Any, Any, Any]
MILESTONE_ROWS = 4


def _context(payments: services.Payments) -> dict[str, Any]:
    return {
        "offline": payments.mode == "offline",
        "fee_percent": f"{money.bps_to_percent(payments.fee_bps)}",
    }


async def _act(
    request: AnyRequest, session: AsyncSession, action: Awaitable[Any], done: str, back: str
) -> Redirect:
    """A button's work: on refusal, roll back and say why on the same page."""
    try:
        await action
    except DomainError as error:
        await session.rollback()
        flash(request, error.detail, "error")
    else:
        flash(request, done)
    return Redirect(back)


# --- pilots on offer -------------------------------------------------------------------------


@get("/pilots", include_in_schema=False)
async def browse(
    request: AnyRequest,
    db_session: DbSession,
    actor: CurrentActor,
    payments: PaymentsService,
    sort: str | None = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Template:
    order = sorting(sort, package_sorts(), "newest")
    rows, total = await services.list_packages(
        db_session, actor, sort=order.chosen, page=page, per_page=per_page
    )
    packages = [await services.package_out(db_session, payments, p) for p in rows]
    query = [("sort", order.chosen)] if order.chosen != "newest" else []
    query += [("per_page", str(per_page))] if per_page != 20 else []
    return render(request, "payments/browse.html", actor, packages=packages, total=total,
                  order=order, per_page=per_page, pages=pager("/pilots", query, page, per_page, total),
                  workspaces=await reads.workspaces(db_session, actor),
                  **_context(payments))  # fmt: skip


def package_sorts() -> dict[str, str]:
    return sort_labels("newest", "price", "title", price=_("Lowest price"))


@get("/pilots/{package_id:str}", include_in_schema=False)
async def package_page(
    request: AnyRequest,
    db_session: DbSession,
    actor: CurrentActor,
    package_id: str,
    payments: PaymentsService,
) -> Template:
    package = await services.get_package(db_session, actor, package_id)
    return render(
        request, "payments/package.html", actor,
        package=await services.package_out(db_session, payments, package),
        listing=await reads.listing_of(db_session, package),
        cities=await reads.cities_to_order_for(db_session, actor),
        partners=await reads.partner_cities(db_session), form={}, errors={},
        **_context(payments),
    )  # fmt: skip


@post("/pilots/{package_id:str}/order", include_in_schema=False, dependencies=SIGNED_IN)
async def order(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    package_id: str,
    data: FormData,
    clock: AppClock,
    payments: PaymentsService,
) -> Redirect:
    form = clean(data)
    buyers = []
    partner = form.get("partner_id")
    if partner:
        buyers = [
            {"organisation_id": form.get("organisation_id", ""),
             "share_percent": form.get("lead_share", "")},
            {"organisation_id": partner, "share_percent": form.get("partner_share", "")},
        ]  # fmt: skip
    parsed, errors = parse(
        OrderIn,
        {"package_id": package_id, "organisation_id": form.get("organisation_id", ""),
         "buyers": buyers},
    )  # fmt: skip
    if parsed is None:
        flash(request, "; ".join(f"{k}: {v}" for k, v in errors.items()), "error")
        return Redirect(f"/pilots/{package_id}")
    try:
        placed = await services.place_order(db_session, actor, payments, parsed, clock.now())
    except DomainError as error:
        await db_session.rollback()
        flash(request, error.detail, "error")
        return Redirect(f"/pilots/{package_id}")
    flash(request, _("Ordered. The order is a contract between your city and the SME."))
    return Redirect(f"/orders/{placed.id}")


# --- workspaces --------------------------------------------------------------------------------


def _milestone_rows(form: dict[str, Any], filled: int = 0) -> int:
    """As many milestone rows as the form (or the package) has, and a spare one."""
    sent = [int(k.split(".")[1]) for k in form if k.startswith("milestones.")
            and k.split(".")[1].isdigit()]  # fmt: skip
    return max(MILESTONE_ROWS, filled + 1, max(sent, default=-1) + 1)


def _package_payload(form: dict[str, Any], listing_id: str) -> dict[str, Any]:
    """The form's KPI choices are `<listing id>:<index>`: a KPI of another listing than the
    chosen one is refused for its row."""
    milestones = []
    for i in range(_milestone_rows(form)):
        row = {k: form.get(f"milestones.{i}.{k}") for k in
               ("title", "share_percent", "outcome_index", "evidence", "due_week")}  # fmt: skip
        if row["title"] or row["share_percent"]:
            owner, _, index = str(row["outcome_index"] or "").rpartition(":")
            row["outcome_index"] = index if owner == listing_id else "another listing's KPI"
            milestones.append({k: v for k, v in row.items() if v is not None})
    return {
        "title": form.get("title", ""),
        "scope": form.get("scope", ""),
        "price": {"amount": form.get("price.amount", ""),
                  "currency": form.get("price.currency", "EUR")},
        "duration_weeks": form.get("duration_weeks", ""),
        "milestones": milestones,
    }  # fmt: skip


async def _workspace(
    request: AnyRequest,
    session: AsyncSession,
    actor: Actor,
    payments: services.Payments,
    organisation_id: str,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    sort: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Template:
    organisation = await reads.workspace_organisation(session, actor, organisation_id)
    order = sorting(sort, order_sorts(), "newest")
    orders, total = await services.list_orders(
        session, actor, organisation_id=organisation_id, sort=order.chosen, page=page,
        per_page=per_page,
    )  # fmt: skip
    path = f"/workspace/payments/{organisation_id}"
    query = [("sort", order.chosen)] if order.chosen != "newest" else []
    query += [("per_page", str(per_page))] if per_page != 20 else []
    context: dict[str, Any] = {
        "organisation": organisation, "orders": await services.orders_out(session, orders),
        "order_sort": order, "orders_total": total, "per_page": per_page,
        "order_pages": pager(path, query, page, per_page, total),
        "can_edit": actor.can_edit(organisation_id), "form": form or {}, "errors": errors or {},
        "milestone_rows": _milestone_rows(form or {}),
        **_context(payments),
    }  # fmt: skip
    if organisation.kind == "sme":
        rows, _ = await services.list_packages(session, actor, organisation_id=organisation_id,
                                               per_page=100)  # fmt: skip
        context["packages"] = [await services.package_out(session, payments, p) for p in rows]
        context["account"] = await services.account_state(session, actor, payments,
                                                          organisation_id)  # fmt: skip
        context["listings"] = await reads.published_listings(session, organisation_id)
        # Payouts are of every order, not only of the page of orders shown.
        paid, _ = await services.list_orders(session, actor, organisation_id=organisation_id,
                                             per_page=100)  # fmt: skip
        context["payouts"] = [
            (o, m) for o in await services.orders_out(session, paid) for m in o.milestones
            if m.status == "paid"
        ]  # fmt: skip
    return render(request, "payments/workspace.html", actor, status_code=status_code, **context)


@get("/workspace/payments/{organisation_id:str}", include_in_schema=False, dependencies=SIGNED_IN)
async def workspace(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str,
    payments: PaymentsService,
    clock: AppClock,
    sort: str | None = None,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Template:
    if request.query_params.get("onboarding") == "returned":
        # Stripe sends the SME back with a GET (a read transaction): the state Stripe reports
        # is written in a short write of its own.
        async with write_session(request.app.state.runtime.sessions) as session:
            state = await services.refresh_account(session, actor, payments, organisation_id,
                                                   clock.now())  # fmt: skip
        if state.payouts_enabled:
            flash(request, _("Welcome back from Stripe. Your payouts are enabled: cities can "
                             "order your pilots."))  # fmt: skip
        else:
            flash(request, _("Welcome back from Stripe. Your payouts are enabled as soon as "
                             "Stripe confirms your details (this page shows it when it does)."))  # fmt: skip
    return await _workspace(request, db_session, actor, payments, organisation_id, sort=sort,
                            page=page, per_page=per_page)  # fmt: skip


def order_sorts() -> dict[str, str]:
    return sort_labels("newest", "amount", "title", amount=_("Highest amount"))


@post(
    "/workspace/payments/{organisation_id:str}/packages",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def create_package(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str,
    data: FormData,
    clock: AppClock,
    payments: PaymentsService,
) -> Template | Redirect:
    form = clean(data)
    listing_id = str(form.get("listing_id", ""))
    parsed, errors = parse(PackageIn, _package_payload(form, listing_id))
    if parsed is not None:
        try:
            package = await services.create_package(
                db_session, actor, listing_id, parsed, clock.now(),
                organisation_id=organisation_id,
            )  # fmt: skip
            flash(request, _("The pilot package “%(title)s” is on offer.", title=package.title))
            return Redirect(f"/workspace/payments/{organisation_id}")
        except DomainError as error:
            await db_session.rollback()
            errors = {e.field: e.message for e in error.errors} or {"form": error.detail}
    return await _workspace(request, db_session, actor, payments, organisation_id, form=form,
                            errors=errors, status_code=422)  # fmt: skip


@post(
    "/workspace/payments/{organisation_id:str}/onboarding",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def onboarding(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    organisation_id: str,
    clock: AppClock,
    payments: PaymentsService,
) -> Redirect:
    return await _to_stripe_onboarding(request, db_session, actor, organisation_id, clock, payments)


async def _to_stripe_onboarding(
    request: AnyRequest,
    session: AsyncSession,
    actor: Actor,
    organisation_id: str,
    clock: Any,
    payments: services.Payments,
) -> Redirect:
    try:
        url = await services.start_onboarding(session, actor, payments, organisation_id,
                                              clock.now())  # fmt: skip
    except DomainError as error:
        await session.rollback()
        flash(request, error.detail, "error")
        return Redirect(f"/workspace/payments/{organisation_id}")
    return Redirect(url)


@get(
    "/workspace/payments/{organisation_id:str}/onboarding/refresh",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def onboarding_refresh(
    request: AnyRequest,
    actor: SignedIn,
    organisation_id: str,
    clock: AppClock,
    payments: PaymentsService,
) -> Redirect:
    """Stripe sends the SME here when its link expired: a fresh link, straight away (a GET,
    so the link's record is written in a short write of its own)."""
    async with write_session(request.app.state.runtime.sessions) as session:
        return await _to_stripe_onboarding(request, session, actor, organisation_id, clock,
                                           payments)  # fmt: skip


def _terms_form(package: PilotPackage, listing_id: str) -> dict[str, Any]:
    form: dict[str, Any] = {
        "listing_id": listing_id, "title": package.title, "scope": package.scope,
        "price.amount": str(money.from_minor(package.price_minor, package.currency)),
        "price.currency": package.currency, "duration_weeks": str(package.duration_weeks),
    }  # fmt: skip
    for i, m in enumerate(package.milestones):
        form |= {f"milestones.{i}.title": m.title,
                 f"milestones.{i}.share_percent": str(money.bps_to_percent(m.share_bps)),
                 f"milestones.{i}.outcome_index": f"{listing_id}:{m.outcome_index}",
                 f"milestones.{i}.evidence": m.evidence}  # fmt: skip
    return form


async def _edit_page(
    request: AnyRequest, session: AsyncSession, actor: Actor, package: PilotPackage,
    form: dict[str, Any], errors: dict[str, str], status_code: int = 200,
) -> Template:  # fmt: skip
    listing = await reads.listing_of(session, package)
    return render(
        request, "payments/package_edit.html", actor, status_code=status_code, package=package,
        listings=[listing] if listing else [], form=form, errors=errors,
        milestone_rows=_milestone_rows(form, len(package.milestones)),
    )  # fmt: skip


@get("/pilots/{package_id:str}/edit", include_in_schema=False, dependencies=SIGNED_IN)
async def edit_package(
    request: AnyRequest, db_session: DbSession, actor: SignedIn, package_id: str
) -> Template:
    package = await services.changeable_package(db_session, actor, package_id)
    return await _edit_page(request, db_session, actor, package,
                            _terms_form(package, package.listing_id), {})  # fmt: skip


@post("/pilots/{package_id:str}/edit", include_in_schema=False, dependencies=SIGNED_IN)
async def update_package(
    request: AnyRequest, db_session: DbSession, actor: SignedIn, package_id: str,
    data: FormData, clock: AppClock,
) -> Template | Redirect:  # fmt: skip
    package = await services.changeable_package(db_session, actor, package_id)
    form = clean(data)
    parsed, errors = parse(PackageIn, _package_payload(form, package.listing_id))
    if parsed is not None:
        try:
            await services.update_package(db_session, actor, package_id, parsed, clock.now())
            flash(request, _("The new terms apply to orders placed from now on."))
            return Redirect(f"/pilots/{package_id}")
        except DomainError as error:
            await db_session.rollback()
            errors = {e.field: e.message for e in error.errors} or {"form": error.detail}
    package = await services.load_package(db_session, package_id)
    return await _edit_page(request, db_session, actor, package, form, errors, 422)


@post("/pilots/{package_id:str}/withdraw", include_in_schema=False, dependencies=SIGNED_IN)
async def withdraw(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    package_id: str,
    clock: AppClock,
) -> Redirect:
    package = await services.load_package(db_session, package_id)
    return await _act(
        request, db_session, services.withdraw_package(db_session, actor, package_id, clock.now()),
        _("The package is withdrawn; orders already placed go on."),
        f"/workspace/payments/{package.organisation_id}",
    )  # fmt: skip


# --- the order --------------------------------------------------------------------------------


@get("/orders/{order_id:str}", include_in_schema=False, dependencies=SIGNED_IN)
async def order_page(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    order_id: str,
    payments: PaymentsService,
) -> Template:
    view = await reads.order_view(db_session, actor, order_id)
    checkout = request.query_params.get("checkout")
    if checkout == "returned" and view.status == "awaiting_payment":
        flash(request, _("Thank you. The order shows as paid as soon as Stripe confirms the "
                         "payment to us — usually within a minute. Reload this page."))  # fmt: skip
    elif checkout == "cancelled":
        flash(request, _("You left Stripe's payment page; nothing was charged."), "error")
    return render(request, "payments/order.html", actor, view=view, order=view.order,
                  actions=view.actions, **_context(payments))  # fmt: skip


@post("/orders/{order_id:str}/pay", include_in_schema=False, dependencies=SIGNED_IN)
async def pay(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    order_id: str,
    clock: AppClock,
    payments: PaymentsService,
    data: FormData,
) -> Redirect:
    paying = clean(data).get("organisation_id") or None
    try:
        _, url = await services.start_checkout(
            db_session, actor, payments, order_id, clock.now(), paying and str(paying)
        )
    except DomainError as error:
        await db_session.rollback()
        flash(request, error.detail, "error")
        return Redirect(f"/orders/{order_id}")
    return Redirect(url)


def _text(data: dict[str, Any], name: str) -> str:
    return str(clean(data).get(name, "")).strip()


async def _milestone_action(
    request: AnyRequest, session: AsyncSession, order_id: str, work: Awaitable[Any], done: str
) -> Redirect:
    return await _act(request, session, work, done, f"/orders/{order_id}#milestones")


def _required(value: str, what: str) -> None:
    if not value:
        raise Invalid.field(what, "is required")


@post(
    "/orders/{order_id:str}/milestones/{milestone_id:str}/{action:str}",
    include_in_schema=False,
    dependencies=SIGNED_IN,
)
async def milestone_action(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    order_id: str,
    milestone_id: str,
    action: str,
    data: FormData,
    clock: AppClock,
) -> Redirect:
    now = clock.now()

    async def work() -> Any:
        if action == "report":
            evidence, url = _text(data, "evidence"), _text(data, "evidence_url") or None
            _required(evidence, "evidence")
            if url and not url.startswith(("https://", "http://")):
                raise Invalid.field("evidence_url", "must be a web address")
            return await services.report_milestone(db_session, actor, order_id, milestone_id,
                                                   evidence, url, now)  # fmt: skip
        if action == "accept":
            return await services.accept_milestone(db_session, actor, order_id, milestone_id, now)
        if action == "dispute":
            reason = _text(data, "reason")
            _required(reason, "reason")
            return await services.dispute_milestone(db_session, actor, order_id, milestone_id,
                                                    reason, now)  # fmt: skip
        if action in ("release", "refund"):
            note = _text(data, "note")
            _required(note, "note")
            return await services.resolve_dispute(db_session, actor, order_id, milestone_id,
                                                  action, note, now)  # fmt: skip
        if action == "payout":
            note = _text(data, "note")
            _required(note, "note")
            return await services.record_offline_payout(db_session, actor, order_id,
                                                        milestone_id, note, now)  # fmt: skip
        raise NotFound("No such action.")

    done = {
        "report": _("Reported. The city is asked to accept the milestone."),
        "accept": _("Accepted. The milestone's share is being paid to the SME."),
        "dispute": _("Disputed. The SME and the platform admin are told your reason."),
        "release": _("Resolved: the milestone is paid to the SME."),
        "refund": _("Resolved: the milestone's share is refunded to the city."),
        "payout": _("Payout recorded."),
    }.get(action, _("Done."))
    return await _milestone_action(request, db_session, order_id, work(), done)


@post("/orders/{order_id:str}/{action:str}", include_in_schema=False, dependencies=SIGNED_IN)
async def order_action(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    order_id: str,
    action: str,
    data: FormData,
    clock: AppClock,
) -> Redirect:
    now = clock.now()

    async def work() -> Any:
        if action == "cancel":
            reason = _text(data, "reason")
            _required(reason, "reason")
            return await services.cancel_order(db_session, actor, order_id, reason, now)
        note = _text(data, "note")
        _required(note, "note")
        if action == "offline-payment":
            return await services.record_offline_payment(db_session, actor, order_id, note, now)
        if action == "offline-refund":
            return await services.record_offline_refund(db_session, actor, order_id, note, now)
        raise NotFound("No such action.")

    done = {
        "cancel": _("The order is cancelled; what is not yet paid to the SME is refunded."),
        "offline-payment": _("Payment recorded: the order is paid."),
        "offline-refund": _("Refund recorded."),
    }.get(action, _("Done."))
    return await _act(request, db_session, work(), done, f"/orders/{order_id}")


# --- the admin's view ----------------------------------------------------------------------------


LEDGER_PER_PAGE = 50


def ledger_sorts() -> dict[str, str]:
    return sort_labels("newest", "oldest", newest=_("Latest first"), oldest=_("Oldest first"))


@get("/admin/payments", include_in_schema=False, dependencies=SIGNED_IN)
async def admin(
    request: AnyRequest,
    db_session: DbSession,
    actor: SignedIn,
    payments: PaymentsService,
    sort: str | None = None,
    page: PageNumber = 1,
    per_page: PerPage = LEDGER_PER_PAGE,
) -> Template:
    order = sorting(sort, ledger_sorts(), "newest")
    overview = await reads.overview(
        db_session, actor, sort=order.chosen, page=page, per_page=per_page
    )
    query = [("sort", order.chosen)] if order.chosen != "newest" else []
    query += [("per_page", str(per_page))] if per_page != LEDGER_PER_PAGE else []
    return render(
        request, "payments/admin.html", actor, ledger_sort=order, per_page=per_page,
        ledger_pages=pager("/admin/payments", query, page, per_page, overview.entries_total),
        entries=overview.entries, disputed=overview.disputed, waiting=overview.waiting,
        reconciliation=overview.reconciliation, **_context(payments),
    )  # fmt: skip


handlers = [
    browse, package_page, order, workspace, create_package, onboarding, onboarding_refresh,
    edit_package, update_package, withdraw, order_page, pay, milestone_action, order_action, admin,
]  # fmt: skip
