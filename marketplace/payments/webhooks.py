"""Stripe's webhook events: verified, stored by id, then handled once from the outbox.

`receive` runs in the webhook request: it checks the signature, stores the event under
Stripe's id and publishes `stripe_event.received` in the same transaction — nothing else.
A replay (Stripe delivers at least once) finds the id stored and changes nothing. `handle`
runs in the payments subscriber: it does what the event means and marks it processed in the
same transaction, so a crash mid-handling leaves it unprocessed and the outbox retries it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import stripe
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.events import publish
from marketplace.errors import DomainError
from marketplace.payments import events as ev
from marketplace.payments import services
from marketplace.payments.gateway import StripeGateway, verify_event
from marketplace.payments.models import OrderBuyer, PilotOrder, StripeEvent


class BadSignature(DomainError):
    status = 400
    title = "Invalid webhook signature"


class NotConfigured(DomainError):
    status = 503
    title = "Webhooks not configured"
    code = "unavailable"


async def receive(
    session: AsyncSession,
    secret: str | None,
    payload: bytes,
    signature: str | None,
    now: datetime,
) -> bool:
    """Store a verified event; False when it was stored already (a replay)."""
    if not secret:
        raise NotConfigured("MARKETPLACE_STRIPE_WEBHOOK_SECRET is not set: no event is accepted.")
    try:
        event = verify_event(payload, signature, secret)
    except stripe.SignatureVerificationError as error:
        raise BadSignature(f"The Stripe-Signature header does not verify: {error}") from None
    except ValueError as error:
        raise BadSignature(f"The body is not a Stripe event: {error}") from None
    event_id = str(event["id"])
    if await session.get(StripeEvent, event_id) is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(
                StripeEvent(
                    id=event_id, type=str(event.get("type", "")),
                    created=datetime.fromtimestamp(int(event.get("created", 0)), UTC),
                    account=event.get("account"), livemode=bool(event.get("livemode")),
                    payload=event, received_at=now,
                )
            )  # fmt: skip
    except IntegrityError:  # the same event, delivered twice at once
        return False
    await publish(session, ev.STRIPE_EVENT_RECEIVED, event_id, now, data={"type": event["type"]})
    return True


async def _order_for(session: AsyncSession, obj: dict[str, Any]) -> PilotOrder | None:
    """The order an object is about: its metadata first, then the ids the order keeps."""
    metadata = obj.get("metadata") or {}
    order_id = metadata.get("order_id") or obj.get("client_reference_id")
    if order_id:
        order = await session.get(PilotOrder, str(order_id))
        if order is not None:
            return await services.load_order(session, order.id, lock=True)
    ids = [str(v) for v in (obj.get("payment_intent"), obj.get("charge"), obj.get("id")) if v]
    if not ids:
        return None
    found = await session.scalar(
        select(PilotOrder.id).where(
            or_(PilotOrder.payment_intent_id.in_(ids), PilotOrder.charge_id.in_(ids))
        )
    ) or await session.scalar(  # a co-buying city's own payment
        select(OrderBuyer.order_id).where(
            or_(OrderBuyer.payment_intent_id.in_(ids), OrderBuyer.charge_id.in_(ids))
        )
    )
    return await services.load_order(session, found, lock=True) if found else None


def _buyer_of(order: PilotOrder, obj: dict[str, Any]) -> str | None:
    """Whose share an object pays: its metadata's city, else the city whose own Checkout
    Session or payment it is (an event without our metadata, say one replayed from an older
    integration, still pays the share it belongs to, not the ordering city's)."""
    named = (obj.get("metadata") or {}).get("buyer_id")
    if named:
        return str(named)
    ids = {str(v) for v in (obj.get("payment_intent"), obj.get("id")) if v}
    for share in order.buyers:
        if share.organisation_id != order.buyer_id and (
            share.payment_intent_id in ids or share.checkout_session_id in ids
        ):
            return share.organisation_id
    return None


async def handle(
    session: AsyncSession, gateway: StripeGateway | None, event_id: str, now: datetime
) -> str | None:
    """Do what a stored event means, once; returns what was done (None: already done)."""
    stored = await session.get(StripeEvent, event_id, with_for_update=True)
    if stored is None or stored.processed_at is not None:
        return None
    obj: dict[str, Any] = (stored.payload.get("data") or {}).get("object") or {}
    outcome = await _dispatch(session, gateway, stored, obj, now)
    stored.processed_at = now
    stored.outcome = outcome
    return outcome


async def _dispatch(
    session: AsyncSession,
    gateway: StripeGateway | None,
    stored: StripeEvent,
    obj: dict[str, Any],
    now: datetime,
) -> str:
    kind = stored.type
    if kind == "account.updated":
        return await services.apply_account_update(
            session, str(obj.get("id")), obj, stored.created, now
        )
    if kind not in HANDLED:
        return "not an event the marketplace acts on: ignored"
    order = await _order_for(session, obj)
    if order is None:
        return "no pilot order matches: ignored"
    if kind in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
        if obj.get("payment_status") != "paid":
            return "checkout completed, payment not yet confirmed: waiting"
        intent = obj.get("payment_intent")
        charge_id = None
        amount, currency = int(obj.get("amount_total") or 0), str(obj.get("currency") or "")
        if intent and gateway is not None:
            charge_id, _, _ = await gateway.payment_intent_charge(str(intent))
        return await services.record_payment(
            session, order, reference=str(charge_id or intent or obj.get("id")), amount=amount,
            currency=currency, now=now, payment_intent_id=str(intent) if intent else None,
            charge_id=charge_id, buyer_id=_buyer_of(order, obj),
        )  # fmt: skip
    if kind == "payment_intent.succeeded":
        charge = obj.get("latest_charge")
        charge_id = charge if isinstance(charge, str) else (charge or {}).get("id")
        return await services.record_payment(
            session, order, reference=str(charge_id or obj.get("id")),
            amount=int(obj.get("amount_received") or 0), currency=str(obj.get("currency") or ""),
            now=now, payment_intent_id=str(obj.get("id")), charge_id=charge_id,
            buyer_id=_buyer_of(order, obj),
        )  # fmt: skip
    if kind == "payment_intent.payment_failed":
        error = obj.get("last_payment_error") or {}
        if order.status == "awaiting_payment":
            order.payment_error = str(error.get("message") or error.get("code") or "declined")
            order.updated_at = now
        return f"payment failed: {order.payment_error}"
    if kind == "charge.refunded":
        return await _refunds(session, gateway, order, str(obj.get("id")), now)
    if kind == "charge.dispute.created":
        return await services.record_charge_dispute(
            session, order, str(obj.get("id")), int(obj.get("amount") or 0),
            str(obj.get("status") or "needs_response"), now,
        )  # fmt: skip
    if kind == "charge.dispute.closed":
        return await services.record_dispute_closed(
            session, order, str(obj.get("id")), int(obj.get("amount") or 0),
            str(obj.get("status") or "closed"), now,
        )  # fmt: skip
    return "ignored"


async def _refunds(
    session: AsyncSession,
    gateway: StripeGateway | None,
    order: PilotOrder,
    charge_id: str,
    now: datetime,
) -> str:
    """Every refund of the charge into the ledger by its own id: the ones the marketplace
    made are there already; one made elsewhere (Stripe's dashboard) is added once."""
    if gateway is None:
        return "offline: refunds are recorded by the admin"
    recorded = 0
    for refund_id, amount, status in await gateway.refunds_of(charge_id):
        if status in ("succeeded", "pending") and await services.record_refund(
            session,
            order,
            refund_id,
            amount,
            now,
            note="Refund seen on Stripe",
            charge_id=charge_id,
        ):
            recorded += 1
    return f"{recorded} refund(s) newly recorded"


HANDLED = frozenset(
    {"checkout.session.completed", "checkout.session.async_payment_succeeded",
     "payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded",
     "charge.dispute.created", "charge.dispute.closed"}
)  # fmt: skip
