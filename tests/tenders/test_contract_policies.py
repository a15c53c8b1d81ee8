"""The contract policy: who may record and manage a lot's contract, and when (in memory)."""

from __future__ import annotations

from typing import get_args

import pytest

from marketplace.accounts.principal import Actor
from marketplace.errors import Conflict, DomainError, Forbidden, Unauthorized
from marketplace.tenders.contract_schemas import ContractAction
from marketplace.tenders.policies import CONTRACT_ACTIONS, contract_actions
from tests.tenders.test_policies import ADMIN, LEAD, NOW, PARTNER, SME, VIEWER, tender

CHANGES = CONTRACT_ACTIONS[1:]


def test_the_api_literal_lists_the_policys_actions() -> None:
    assert get_args(ContractAction) == CONTRACT_ACTIONS


@pytest.mark.parametrize(
    ("actor", "awarded", "status", "allowed"),
    [
        (LEAD, True, None, {"record"}),
        (LEAD, True, "active", set(CHANGES)),
        (LEAD, True, "terminated", set()),
        (LEAD, False, None, set()),
        (PARTNER, True, "active", set()),
        (VIEWER, True, "active", set()),
        (SME, True, "active", set()),
        (ADMIN, True, "active", set()),
        (None, True, "active", set()),
    ],
)
def test_who_may_do_what(
    actor: Actor | None, awarded: bool, status: str | None, allowed: set[str]
) -> None:
    verdict = contract_actions(actor, tender("complete"), NOW, awarded=awarded,
                               contract_status=status)  # fmt: skip
    assert set(verdict.names) == allowed


@pytest.mark.parametrize(
    ("actor", "awarded", "status", "action", "error", "reason"),
    [
        (None, True, None, "record", Unauthorized, "Sign in"),
        (PARTNER, True, None, "record", Forbidden, "lead buyer"),
        (LEAD, False, None, "record", Conflict, "not been awarded"),
        (LEAD, True, "active", "record", Conflict, "recorded already"),
        (LEAD, True, None, "amend", Conflict, "No contract"),
        (LEAD, True, "terminated", "add_transaction", Conflict, "terminated"),
        (PARTNER, True, "terminated", "amend", Forbidden, "lead buyer"),
    ],
)
def test_each_refusal_with_its_error_and_reason(
    actor: Actor | None, awarded: bool, status: str | None, action: str,
    error: type[DomainError], reason: str,
) -> None:  # fmt: skip
    refusal = contract_actions(actor, tender("complete"), NOW, awarded=awarded,
                               contract_status=status).refusal(action)  # fmt: skip
    assert refusal is not None and refusal.error is error and reason in refusal.reason


def test_an_imported_tender_is_read_only() -> None:
    imported = tender("complete")
    imported.imported = True
    verdict = contract_actions(LEAD, imported, NOW, awarded=True, contract_status=None)
    assert verdict.names == []
    refusal = verdict.refusal("record")
    assert refusal is not None and refusal.error is Conflict and "imported" in refusal.reason
