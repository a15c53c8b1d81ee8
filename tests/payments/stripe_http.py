"""stripe-python's pluggable HTTP client, answering from Stripe's own fixtures.

`FixtureHttp` is a `stripe.HTTPClient`: `StripeClient(..., http_client=FixtureHttp())` sends
it every request exactly as it would go to api.stripe.com (method, URL, headers with the
Idempotency-Key, form-encoded body). It records each request and answers with the object of
`data/stripe_fixtures.json` for that resource (Stripe's fixtures3.json), its ids, amounts and
metadata set from the request. It is a test double, not Stripe: what it shows is that the
adapter sends what Stripe's API reference documents and understands answers of the shape
Stripe sends. Two of Stripe's documented behaviours are reproduced because the code relies
on them: a request repeated with an idempotency key gets the first answer again, and the
balance shows a balance transaction for every charge, transfer and refund.

Failures can be scripted per request: `fail("POST", "/v1/transfers", "rate_limit")`.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

FIXTURES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "stripe_fixtures.json").read_text()
)["resources"]


class Killed(BaseException):
    """The process died here (after Stripe answered, before anything was written)."""


@dataclass
class Sent:
    method: str
    path: str
    params: dict[str, str]
    idempotency_key: str | None
    replayed: bool = False


@dataclass
class Failure:
    method: str
    path: str
    kind: str  # network | rate_limit | card_declined | server_error | kill_after


def fixture(name: str, **overrides: Any) -> dict[str, Any]:
    obj = copy.deepcopy(FIXTURES[name])
    obj.update(overrides)
    return obj


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """A `Stripe-Signature` header made the way Stripe makes it: HMAC-SHA256 of
    `"{t}.{payload}"` with the endpoint's secret."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def event(type_: str, obj: Mapping[str, Any], *, id_: str, created: int, **extra: Any) -> str:
    body = fixture("event", id=id_, type=type_, created=created, data={"object": dict(obj)})
    body.update(extra)
    return json.dumps(body)


@dataclass
class FixtureHttp(stripe.HTTPClient):
    name = "fixtures"
    sent: list[Sent] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    balance: list[dict[str, Any]] = field(default_factory=list)
    replies: dict[str, tuple[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)

    # --- what tests ask -------------------------------------------------------------

    def fail(self, method: str, path: str, kind: str) -> None:
        self.failures.append(Failure(method, path, kind))

    def requests_to(self, method: str, path: str) -> list[Sent]:
        return [s for s in self.sent if s.method == method and s.path == path]

    def created(self, prefix: str) -> list[dict[str, Any]]:
        return [o for i, o in self.objects.items() if i.startswith(prefix)]

    def add_object(self, obj: dict[str, Any]) -> None:
        self.objects[str(obj["id"])] = obj

    # --- stripe.HTTPClient ---------------------------------------------------------------

    def request(
        self, method: str, url: str, headers: Mapping[str, str] | None, post_data: Any = None,
        *, _usage: Any = None,
    ) -> tuple[str, int, Mapping[str, str]]:  # fmt: skip
        return self._answer(method.upper(), url, dict(headers or {}), post_data)

    async def request_async(  # type: ignore[override]
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        body, status, rheaders = self._answer(method.upper(), url, dict(headers), post_data)
        return body.encode(), status, rheaders

    async def sleep_async(self, secs: float) -> None:  # type: ignore[override]
        return None  # stripe-python's retry back-off: no need to wait in tests

    def close(self) -> None:
        return None

    async def close_async(self) -> None:
        return None

    # --- answering -------------------------------------------------------------------------

    def _answer(
        self, method: str, url: str, headers: dict[str, str], post_data: Any
    ) -> tuple[str, int, Mapping[str, str]]:
        parts = urlsplit(url)
        path = parts.path
        raw = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
        params = dict(parse_qsl(raw if method == "POST" else parts.query, keep_blank_values=True))
        key = headers.get("Idempotency-Key")
        replay = key is not None and method == "POST" and key in self.replies
        self.sent.append(Sent(method, path, params, key, replayed=replay))
        failure = self._failure(method, path)
        if failure and failure.kind != "kill_after":
            return self._fail(failure)
        if replay:
            assert key is not None
            body, status = self.replies[key]
        else:
            status, obj = self._route(method, path, params)
            body = json.dumps(obj)
            if key is not None and method == "POST":
                self.replies[key] = (body, status)
        if failure:  # Stripe did it; the caller never hears back
            raise Killed(f"killed after {method} {path}")
        return body, status, {"Request-Id": f"req_{next(self._ids)}"}

    def _failure(self, method: str, path: str) -> Failure | None:
        for failure in self.failures:
            if failure.method == method and path.startswith(failure.path):
                self.failures.remove(failure)
                return failure
        return None

    def _fail(self, failure: Failure) -> tuple[str, int, Mapping[str, str]]:
        if failure.kind == "network":
            raise stripe.APIConnectionError("Connection reset by peer", should_retry=True)
        if failure.kind == "rate_limit":
            error = {"type": "invalid_request_error", "code": "rate_limit",
                     "message": "Too many requests hit the API too quickly."}  # fmt: skip
            return json.dumps({"error": error}), 429, {"Stripe-Should-Retry": "false"}
        if failure.kind == "card_declined":
            error = {"type": "card_error", "code": "card_declined",
                     "decline_code": "generic_decline", "message": "Your card was declined."}  # fmt: skip
            return json.dumps({"error": error}), 402, {}
        error = {"type": "api_error", "message": "Something went wrong on Stripe's end."}
        return json.dumps({"error": error}), 500, {"Stripe-Should-Retry": "false"}

    def _id(self, prefix: str) -> str:
        return f"{prefix}_test{next(self._ids):06d}"

    def _metadata(self, params: dict[str, str], prefix: str = "metadata") -> dict[str, str]:
        start = f"{prefix}["
        return {k[len(start) : -1]: v for k, v in params.items() if k.startswith(start)}

    def _txn(self, source: str, type_: str, amount: int, currency: str) -> None:
        self.balance.insert(
            0,
            fixture("balance_transaction", id=self._id("txn"), source=source, type=type_,
                    amount=amount, net=amount, currency=currency,
                    reporting_category=type_, description=None),
        )  # fmt: skip

    def _route(self, method: str, path: str, params: dict[str, str]) -> tuple[int, Any]:
        if method == "POST" and path == "/v1/accounts":
            obj = fixture("account", id=self._id("acct"), country=params.get("country"),
                          type="express", metadata=self._metadata(params),
                          payouts_enabled=False, charges_enabled=False, details_submitted=False)  # fmt: skip
        elif method == "POST" and path == "/v1/account_links":
            account = params["account"]
            obj = fixture("account_link", url=f"https://connect.stripe.com/setup/e/{account}/x",
                          created=int(time.time()), expires_at=int(time.time()) + 300)  # fmt: skip
            return 200, obj
        elif method == "POST" and path == "/v1/checkout/sessions":
            session_id = self._id("cs")
            obj = fixture(
                "checkout.session", id=session_id, url=f"https://checkout.stripe.com/c/pay/{session_id}",
                mode=params.get("mode"), status="open", payment_status="unpaid",
                client_reference_id=params.get("client_reference_id"),
                metadata=self._metadata(params), currency=params.get("line_items[0][price_data][currency]"),
                amount_total=int(params.get("line_items[0][price_data][unit_amount]", 0)),
                amount_subtotal=int(params.get("line_items[0][price_data][unit_amount]", 0)),
                success_url=params.get("success_url"), cancel_url=params.get("cancel_url"),
                payment_intent=None, expires_at=int(time.time()) + 86400,
            )  # fmt: skip
        elif method == "GET" and path.startswith("/v1/accounts/"):
            account_id = path.rsplit("/", 1)[1]
            if account_id not in self.objects:
                return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                                       "message": f"No such account: '{account_id}'"}}  # fmt: skip
            return 200, self.objects[account_id]
        elif method == "GET" and path.startswith("/v1/payment_intents/"):
            intent_id = path.rsplit("/", 1)[1]
            if intent_id not in self.objects:
                return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                                       "message": f"No such payment_intent: '{intent_id}'"}}  # fmt: skip
            return 200, self.objects[intent_id]
        elif method == "POST" and path == "/v1/transfers":
            amount, currency = int(params["amount"]), params["currency"]
            obj = fixture("transfer", id=self._id("tr"), amount=amount, currency=currency,
                          destination=params["destination"], transfer_group=params.get("transfer_group"),
                          source_transaction=params.get("source_transaction"),
                          metadata=self._metadata(params))  # fmt: skip
            self._txn(obj["id"], "transfer", -amount, currency)
        elif method == "POST" and path == "/v1/refunds":
            amount = int(params["amount"])
            intent = self.objects.get(params.get("payment_intent", ""), {})
            charge = intent.get("latest_charge")
            obj = fixture("refund", id=self._id("re"), amount=amount, charge=charge,
                          payment_intent=params.get("payment_intent"), status="succeeded",
                          currency=intent.get("currency", "eur"), metadata=self._metadata(params))  # fmt: skip
            self._txn(obj["id"], "refund", -amount, obj["currency"])
        elif method == "GET" and path == "/v1/refunds":
            items = [o for o in self.created("re_") if o.get("charge") == params.get("charge")]
            return 200, self._list(items, path, params)
        elif method == "GET" and path == "/v1/transfers":
            return 200, self._list(self.created("tr_"), path, params)
        elif method == "GET" and path == "/v1/balance_transactions":
            return 200, self._list(self.balance, path, params)
        else:
            return 404, {"error": {"type": "invalid_request_error",
                                   "message": f"Unrecognized request URL ({method}: {path})"}}  # fmt: skip
        self.add_object(obj)
        return 200, obj

    def _list(self, items: list[dict[str, Any]], path: str, params: dict[str, str]) -> Any:
        limit = int(params.get("limit", 10))
        after = params.get("starting_after")
        if after:
            ids = [o["id"] for o in items]
            items = items[ids.index(after) + 1 :]
        return {"object": "list", "url": path, "has_more": len(items) > limit,
                "data": items[:limit]}  # fmt: skip

    # --- what Stripe would have done on its own side -------------------------------------

    def pay(self, session_id: str, *, amount: int | None = None) -> dict[str, Any]:
        """The city paid on Stripe's page: the PaymentIntent and charge now exist; returns
        the completed session object (as the `checkout.session.completed` event carries it)."""
        session = self.objects[session_id]
        total = session["amount_total"] if amount is None else amount
        charge_id, intent_id = self._id("ch"), self._id("pi")
        self.add_object(fixture("charge", id=charge_id, amount=total, amount_captured=total,
                                currency=session["currency"], payment_intent=intent_id,
                                paid=True, status="succeeded"))  # fmt: skip
        self.add_object(fixture("payment_intent", id=intent_id, amount=total,
                                amount_received=total, currency=session["currency"],
                                latest_charge=charge_id, status="succeeded",
                                metadata=session["metadata"]))  # fmt: skip
        self._txn(charge_id, "charge", total, session["currency"])
        session.update(status="complete", payment_status="paid", payment_intent=intent_id,
                       amount_total=total)  # fmt: skip
        return session
