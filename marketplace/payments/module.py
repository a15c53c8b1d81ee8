"""Pilot orders and payments as a module of the app."""

from __future__ import annotations

from marketplace.core.module import Argument, Command, Module, NavItem, Runtime
from marketplace.payments import api, cli, events, pages
from marketplace.payments.demo import seed_payments
from marketplace.payments.gateway import StripeGateway, new_client
from marketplace.payments.services import Payments
from marketplace.payments.subscriber import subscriber


def payments_service(runtime: Runtime) -> Payments:
    """Stripe when a secret key is set; offline otherwise (the embedded default)."""
    settings = runtime.settings
    gateway = StripeGateway(new_client(settings)) if settings.stripe_secret_key else None
    return Payments(settings, gateway)


module = Module(
    name="payments",
    handlers=(*api.handlers, *pages.handlers),
    navigation=(NavItem("/pilots", "Pilots", 45),),
    events=events.CATALOGUE,
    subscribers=(subscriber,),
    seeders=(seed_payments,),
    commands=(
        Command(
            "payments reconcile",
            "compare the ledger with Stripe's balance transactions and report differences",
            cli.reconcile,
            (Argument(("--json",), {"action": "store_true", "help": "print the report as JSON"}),),
        ),
    ),
    command_groups={"payments": "pilot orders and payments"},
    services={"payments": payments_service},
    requires=("accounts", "listings"),
)
