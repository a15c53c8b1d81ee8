"""`marketplace payments reconcile`: the ledger against Stripe's balance transactions (read
through the API, a page at a time) and against itself."""

from __future__ import annotations

import argparse
import io

from rich.console import Console

from marketplace.core.module import CommandContext, Modules
from marketplace.db import session_maker
from marketplace.modules import ALL
from marketplace.payments import cli, reconcile
from marketplace.settings import Settings
from tests.payments.conftest import Scene
from tests.payments.stripe_http import fixture


async def _flow(scene: Scene) -> dict[str, object]:
    await scene.onboard()
    order = await scene.pay_on_stripe(await scene.order((await scene.package())["id"]))
    await scene.report(order, 0)
    await scene.accept(order, 0)
    await scene.deliver()
    await scene.act(order["id"], "cancel", scene.city_owner, {"reason": "Budget cut."})
    await scene.deliver()
    return order


async def test_a_ledger_that_matches_stripe_reports_no_difference(scene: Scene) -> None:
    http = scene.on_stripe()
    await _flow(scene)
    for n in range(150):  # other activity on the platform's balance: several pages
        http.balance.append(fixture("balance_transaction", id=f"txn_other{n}", source=None,
                                    type="payout", amount=-100, currency="eur"))  # fmt: skip
    seen: list[int] = []
    row = await reconcile.run(session_maker(scene.api.engine), scene.payments.gateway,
                              scene.app.state.runtime.clock.now(),
                              lambda what, n: seen.append(n))  # fmt: skip
    assert row.differences == []
    assert row.checked == 3  # the charge, the transfer, the refund
    assert row.stripe_transactions == 153
    assert len(http.requests_to("GET", "/v1/balance_transactions")) == 2  # paged by 100
    assert seen[-1] == 153
    r = await scene.client.get("/api/v1/payments/reconciliation", headers=scene.admin.headers)
    assert r.json()["differences"] == []
    r = await scene.client.get("/api/v1/payments/reconciliation",
                               headers=scene.city_owner.headers)  # fmt: skip
    assert r.status_code == 403


async def test_differences_are_reported(scene: Scene) -> None:
    http = scene.on_stripe()
    order = await _flow(scene)
    refund_txn = next(t for t in http.balance if t["type"] == "refund")
    http.balance.remove(refund_txn)  # the ledger's refund is not on Stripe
    transfer_txn = next(t for t in http.balance if t["type"] == "transfer")
    transfer_txn["amount"] -= 1  # a cent more left the balance than the ledger says
    http.balance.insert(0, fixture("balance_transaction", id="txn_dash", source="re_dashboard",
                                   type="refund", amount=-2500, currency="eur"))  # fmt: skip
    row = await reconcile.run(session_maker(scene.api.engine), scene.payments.gateway,
                              scene.app.state.runtime.clock.now())  # fmt: skip
    kinds = sorted((d["kind"], d["reference"]) for d in row.differences)
    assert kinds == [
        ("amount", transfer_txn["source"]),
        ("not_in_ledger", "re_dashboard"),
        ("not_on_stripe", refund_txn["source"]),
    ]
    amount = next(d for d in row.differences if d["kind"] == "amount")
    assert amount["order_id"] == order["id"]
    assert (amount["ledger"], amount["stripe"]) == ("-500000 EUR", "-500001 EUR")
    await scene.api.sign_in_browser(scene.admin)
    page = await scene.client.get("/admin/payments")
    assert "3 differences:" in page.text and "re_dashboard" in page.text


def test_offline_the_command_checks_the_ledger_and_says_so(settings: Settings) -> None:
    out = io.StringIO()
    context = CommandContext(settings, Modules(ALL), Console(file=out, width=120))
    code = cli.reconcile(argparse.Namespace(json=False), context)
    assert code == 0
    text = out.getvalue()
    assert "offline" in text and "Everything matches." in text
