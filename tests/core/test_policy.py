"""The policy value every aggregate's rules are written in."""

from __future__ import annotations

import pytest

from marketplace.core.policy import Allowed, Refusal, check, first, require
from marketplace.errors import Conflict, Forbidden

ALLOWED = Allowed(
    {
        "read": None,
        "edit": first(check(True, Forbidden, "not yours"), check(False, Conflict, "too late")),
        "delete": first(check(False, Forbidden, "not yours"), check(False, Conflict, "late")),
    }
)


def test_the_first_failing_check_is_the_refusal() -> None:
    assert ALLOWED.refusal("edit") == Refusal("too late", Conflict)
    assert ALLOWED.reason("delete") == "not yours"
    assert ALLOWED.reason("read") is None


def test_names_are_the_allowed_actions_in_the_policys_order() -> None:
    assert ALLOWED.names == ["read"]
    assert list(ALLOWED) == ["read"]
    assert "read" in ALLOWED and "edit" not in ALLOWED and "fly" not in ALLOWED


def test_require_raises_the_refusals_error_with_its_reason() -> None:
    require(ALLOWED, "read")
    with pytest.raises(Conflict, match="too late"):
        require(ALLOWED, "edit")
    with pytest.raises(Forbidden, match="not yours"):
        ALLOWED.require("delete")


def test_an_action_the_policy_does_not_know_is_an_error_not_a_permission() -> None:
    with pytest.raises(KeyError, match="fly"):
        ALLOWED.require("fly")
