"""The funding call policy: table-driven, on calls built in memory (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import get_args

import pytest

from marketplace.accounts.models import Organisation
from marketplace.accounts.principal import Actor
from marketplace.errors import Conflict, DomainError, Forbidden
from marketplace.funding.models import FundingCall, FundingCallPartner
from marketplace.funding.policies import ACTIONS, call_actions, partner_actions
from marketplace.funding.schemas import CallAction

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
LEAD = Actor("u1", "l@example.eu", "Lead", roles={"city-a": "editor"}, kinds={"city-a": "city"})
VIEWER = Actor("u2", "v@example.eu", "Viewer", roles={"city-a": "viewer"},
               kinds={"city-a": "city"})  # fmt: skip
PARTNER = Actor("u3", "p@example.eu", "Partner", roles={"city-b": "owner"},
                kinds={"city-b": "city"})  # fmt: skip
FUNDER = Actor("u4", "f@example.eu", "Funder", roles={"fund": "owner"}, kinds={"fund": "funder"})
ADMIN = Actor("u5", "a@example.eu", "Admin", is_admin=True)


def call(status: str, *, confirmed: bool = True, verified: bool = True) -> FundingCall:
    c = FundingCall(id="c1", organisation_id="city-a", deadline=NOW + timedelta(days=30))
    c.organisation = Organisation(id="city-a", name="Espoo", kind="city", verified=verified)
    c.partners = [
        FundingCallPartner(
            organisation_id="city-b", confirmed_at=NOW if confirmed else None,
            organisation=Organisation(id="city-b", name="Stadt Wien", kind="city"),
        )
    ]  # fmt: skip
    c.published_at = c.closed_at = None
    if status != "draft":
        c.published_at = NOW - timedelta(days=1)
    if status == "closed":
        c.closed_at = NOW
    return c


TABLE = [
    (LEAD, "draft", {"workspace", "edit", "invite", "publish", "decide"}),
    (PARTNER, "draft", {"workspace", "decide"}),
    (VIEWER, "draft", {"workspace"}),
    (ADMIN, "draft", {"workspace"}),
    (FUNDER, "draft", set()),
    (LEAD, "open", {"workspace", "close", "decide"}),
    (FUNDER, "open", {"express_interest"}),
    (None, "open", set()),
    (LEAD, "closed", {"workspace", "decide"}),
    (FUNDER, "closed", set()),
]


@pytest.mark.parametrize(("actor", "status", "expected"), TABLE)
def test_who_may_do_what_when(actor: Actor | None, status: str, expected: set[str]) -> None:
    assert set(call_actions(actor, call(status), NOW)) == expected


REFUSALS = [
    (PARTNER, call("draft"), "edit", Forbidden, "Only the lead city's owners and editors"),
    (LEAD, call("open"), "edit", Conflict, "A published funding call can no longer be edited."),
    (LEAD, call("draft", verified=False), "publish", Forbidden, "Only a verified city"),
    (LEAD, call("draft", confirmed=False), "publish", Conflict,
     "Waiting for partner cities to confirm: Stadt Wien."),
    (LEAD, call("draft"), "close", Conflict, "Only an open call can be closed; this one is draft."),
    (FUNDER, call("draft"), "express_interest", Conflict, "this call is not published yet."),
    (FUNDER, call("closed"), "express_interest", Conflict, "this call is closed."),
    (FUNDER, call("open"), "workspace", Forbidden, "Only the call's cities use its workspace."),
    (VIEWER, call("open"), "decide", Forbidden, "Only the call's cities accept or decline"),
]  # fmt: skip


@pytest.mark.parametrize(("actor", "record", "action", "error", "reason"), REFUSALS)
def test_each_refusal_says_why_with_the_services_error(
    actor: Actor, record: FundingCall, action: str, error: type[DomainError], reason: str
) -> None:
    refusal = call_actions(actor, record, NOW).refusal(action)
    assert refusal is not None and refusal.error is error and reason in refusal.reason


def test_a_past_deadline_stops_publication() -> None:
    record = call("draft")
    record.deadline = NOW - timedelta(hours=1)
    assert call_actions(LEAD, record, NOW).reason("publish") == (
        "The deadline has passed; move it later before publishing."
    )


def test_an_unconfirmed_partner_is_confirmed_by_itself_and_removed_by_either() -> None:
    record = call("draft", confirmed=False)
    partner = record.partners[0]
    assert set(partner_actions(PARTNER, record, partner, NOW)) == {"confirm", "remove"}
    assert set(partner_actions(LEAD, record, partner, NOW)) == {"remove"}
    assert set(partner_actions(FUNDER, record, partner, NOW)) == set()
    assert set(partner_actions(PARTNER, call("open"), partner, NOW)) == set()


def test_the_policy_decides_every_action_the_api_documents() -> None:
    assert tuple(call_actions(LEAD, call("draft"), NOW).verdicts) == ACTIONS
    assert ACTIONS == get_args(CallAction)
