"""Schemathesis over the published OpenAPI document: every operation is called with cases
generated from its own schema, as a signed-in person, and must answer without a server
error and as documented (status code, content type, body schema).

Bounded for a small machine (a few examples per operation, positive and negative data);
the hand-written hostile cases live in test_fuzz.py and test_hostile_input.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from litestar import Litestar
from pydantic import SecretStr
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.app import create_app
from marketplace.clock import FrozenClock
from marketplace.settings import Settings
from tests.factories import PASSWORD
from tests.listings.conftest import complete_listing

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Derandomized: the suite (and CI) asks the same cases every run, so a failure is
# reproducible; MARKETPLACE_FUZZ_EXPLORE=1 explores new ones (how the bugs fixed so far were found).
EXAMPLES = settings(
    derandomize=not os.environ.get("MARKETPLACE_FUZZ_EXPLORE"),
    max_examples=6,
    deadline=None,
    database=None,  # a failure prints the case (curl) to reproduce it
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def app(settings: Settings, clock: FrozenClock) -> Iterator[Litestar]:
    # Schemathesis runs the app in its own event-loop thread, so the app is its own; with a
    # webhook secret, as in production, so that Stripe's endpoint checks signatures.
    configured = settings.model_copy(
        update={"stripe_webhook_secret": SecretStr("whsec_schemathesis")}
    )
    yield create_app(configured, clock=clock)


def _signed_in(schema: Any) -> dict[str, str]:
    """A person with an organisation and a published listing, so that cases reach past the
    authentication and ownership checks into the handlers."""
    client = asgi.get_client(schema.app)
    with client:
        email = "schema@example.eu"
        r = client.post(
            "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "name": "S"}
        )
        assert r.status_code == 201, r.text
        r = client.post("/api/v1/auth/tokens", json={"email": email, "password": PASSWORD})
        headers = {"Authorization": f"Bearer {r.json()['token']}"}
        organisation = {"name": "Schema SME", "kind": "sme", "country": "FI",
                        "nuts_code": "FI1B1", "website": "https://schema.example.eu"}  # fmt: skip
        r = client.post("/api/v1/organisations", json=organisation, headers=headers)
        assert r.status_code == 201, r.text
        r = client.post("/api/v1/listings", json=complete_listing(r.json()["id"]), headers=headers)
        assert r.status_code == 201, r.text
    return headers


def test_every_operation_answers_as_documented(app: Litestar) -> None:
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    headers = _signed_in(schema)
    results = list(schema.get_all_operations())
    assert not [r for r in results if not isinstance(r, Ok)]  # the document is valid OpenAPI
    operations = [r.ok() for r in results if isinstance(r, Ok)]
    assert len(operations) > 50  # the whole API, not an empty document
    failures: list[str] = []
    for operation in operations:

        @EXAMPLES
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except Exception as error:  # gathered, so that one run names every failure
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
