"""The Stripe adapter: every request the marketplace makes to Stripe, through `StripeClient`.

Nothing else in the package talks to Stripe. Each method sends what Stripe's API reference
documents for the call and returns plain values, so the services never hold Stripe objects.
Every request that creates something carries an idempotency key derived from the record it
is for (`milestone-<id>-transfer`, ...): when a request is retried — by stripe-python after a
network error, or by the outbox after a crash — Stripe answers with what it already did.

Tests give the client a `stripe.HTTPClient` of their own that answers with Stripe's fixtures
(tests/payments/stripe_http.py); no request reaches Stripe's servers here.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

import stripe

from marketplace.settings import Settings

# The errors that mean "Stripe or the way to it is in trouble: try again later".
TRANSIENT = (stripe.RateLimitError, stripe.APIConnectionError, stripe.APIError)
WEBHOOK_TOLERANCE = 300  # seconds, Stripe's default
API_RETRIES = 2  # stripe-python's own retries of network errors and 409/5xx answers


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str
    expires_at: int


@dataclass(frozen=True)
class BalanceTransaction:
    id: str
    source: str | None
    type: str
    amount: int
    currency: str


def new_client(
    settings: Settings, http_client: stripe.HTTPClient | None = None
) -> stripe.StripeClient:
    assert settings.stripe_secret_key is not None
    return stripe.StripeClient(
        settings.stripe_secret_key.get_secret_value(),
        http_client=http_client,
        max_network_retries=API_RETRIES,
    )


def _params(value: Any) -> Any:
    """stripe-python's typed parameter dicts, from plain ones."""
    return cast(Any, value)


class StripeGateway:
    def __init__(self, client: stripe.StripeClient) -> None:
        self.client = client

    # --- Connect onboarding -------------------------------------------------------------

    async def create_account(self, organisation_id: str, country: str, email: str | None) -> str:
        params: dict[str, Any] = {
            "type": "express",
            "country": country,
            "capabilities": {"transfers": {"requested": True}},
            "business_type": "company",
            "metadata": {"organisation_id": organisation_id},
        }
        if email:
            params["email"] = email
        account = await self.client.v1.accounts.create_async(
            _params(params), {"idempotency_key": f"account-{organisation_id}"}
        )
        return str(account.id)

    async def account_flags(self, account_id: str) -> dict[str, bool]:
        """What Stripe says of the account now (its `account.updated` events say the same,
        later): onboarding details submitted, charges and payouts enabled."""
        account = await self.client.v1.accounts.retrieve_async(account_id)
        return {
            "details_submitted": bool(account.details_submitted),
            "charges_enabled": bool(account.charges_enabled),
            "payouts_enabled": bool(account.payouts_enabled),
        }

    async def account_link(self, account_id: str, refresh_url: str, return_url: str) -> str:
        link = await self.client.v1.account_links.create_async(
            _params(
                {"account": account_id, "refresh_url": refresh_url, "return_url": return_url,
                 "type": "account_onboarding"}
            )
        )  # fmt: skip
        return str(link.url)

    # --- charging -----------------------------------------------------------------------

    async def create_checkout_session(
        self,
        *,
        order_id: str,
        attempt: int,
        title: str,
        amount: int,
        currency: str,
        transfer_group: str,
        customer_email: str | None,
        success_url: str,
        cancel_url: str,
        buyer_id: str | None = None,
    ) -> CheckoutSession:
        """Separate charges and transfers: the charge lands on the platform's balance, tied
        to the order by `transfer_group`; transfers to the SME follow milestone by milestone.
        `buyer_id`: the city of a joint order paying its share (None: the ordering city);
        it travels in the metadata, so the signed event says whose share was paid."""
        metadata = {"order_id": order_id, **({"buyer_id": buyer_id} if buyer_id else {})}
        key = f"order-{order_id}-{f'{buyer_id}-' if buyer_id else ''}checkout-{attempt}"
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {"quantity": 1,
                 "price_data": {"currency": currency.lower(), "unit_amount": amount,
                                "product_data": {"name": title[:250]}}}
            ],
            "client_reference_id": order_id,
            "metadata": metadata,
            "payment_intent_data": {
                "transfer_group": transfer_group,
                "metadata": metadata,
                "description": title[:250],
            },
            "success_url": success_url,
            "cancel_url": cancel_url,
        }  # fmt: skip
        if customer_email:
            params["customer_email"] = customer_email
        session = await self.client.v1.checkout.sessions.create_async(
            _params(params), {"idempotency_key": key}
        )
        return CheckoutSession(str(session.id), str(session.url), int(session.expires_at))

    async def payment_intent_charge(self, payment_intent_id: str) -> tuple[str | None, int, str]:
        """The charge that settled a PaymentIntent, with the amount received and currency."""
        intent = await self.client.v1.payment_intents.retrieve_async(payment_intent_id)
        charge = intent.latest_charge
        charge_id = charge if isinstance(charge, str) or charge is None else str(charge.id)
        return charge_id, int(intent.amount_received or 0), str(intent.currency)

    # --- paying out and back --------------------------------------------------------------

    async def create_transfer(
        self,
        *,
        key: str,
        amount: int,
        currency: str,
        destination: str,
        transfer_group: str,
        source_transaction: str | None,
        metadata: Mapping[str, str],
    ) -> str:
        params: dict[str, Any] = {
            "amount": amount,
            "currency": currency.lower(),
            "destination": destination,
            "transfer_group": transfer_group,
            "metadata": dict(metadata),
        }
        if source_transaction:
            # Tie the transfer to the charge: it may be made before the charge's funds are
            # available, and it never exceeds what the charge brought in.
            params["source_transaction"] = source_transaction
        transfer = await self.client.v1.transfers.create_async(
            _params(params), {"idempotency_key": key}
        )
        return str(transfer.id)

    async def create_refund(
        self, *, key: str, payment_intent: str, amount: int, metadata: Mapping[str, str]
    ) -> str:
        refund = await self.client.v1.refunds.create_async(
            _params({"payment_intent": payment_intent, "amount": amount,
                     "metadata": dict(metadata)}),
            {"idempotency_key": key},
        )  # fmt: skip
        return str(refund.id)

    async def refunds_of(self, charge_id: str) -> list[tuple[str, int, str]]:
        """Every refund of a charge (id, amount, status), all pages."""
        page = await self.client.v1.refunds.list_async(_params({"charge": charge_id, "limit": 100}))
        return [(str(r.id), int(r.amount), str(r.status)) async for r in page.auto_paging_iter()]

    # --- reconciliation -------------------------------------------------------------------

    async def balance_transactions(
        self, created_gte: int | None = None
    ) -> AsyncIterator[BalanceTransaction]:
        params: dict[str, Any] = {"limit": 100}
        if created_gte is not None:
            params["created"] = {"gte": created_gte}
        page = await self.client.v1.balance_transactions.list_async(_params(params))
        async for txn in page.auto_paging_iter():
            source = txn.source
            yield BalanceTransaction(
                id=str(txn.id),
                source=source if isinstance(source, str) or source is None else str(source.id),
                type=str(txn.type),
                amount=int(txn.amount),
                currency=str(txn.currency),
            )

    # --- webhooks -------------------------------------------------------------------------


def verify_event(payload: bytes, signature: str | None, secret: str) -> dict[str, Any]:
    """The event, if `signature` is Stripe's signature (`t=<time>,v1=<HMAC-SHA256>`) of
    `payload` with `secret`, made within the tolerance; raises
    `stripe.SignatureVerificationError` otherwise, or `ValueError` for a body that is not
    an event."""
    stripe.WebhookSignature.verify_header(
        payload.decode("utf-8"), signature or "", secret, WEBHOOK_TOLERANCE
    )
    event = json.loads(payload)
    if not isinstance(event, dict) or event.get("object") != "event" or "id" not in event:
        raise ValueError("the body is not a Stripe event")
    return event
