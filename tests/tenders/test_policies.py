"""The tender policy: table-driven, on tenders built in memory (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import get_args

import pytest

from marketplace.accounts.principal import Actor
from marketplace.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    Unauthorized,
)
from marketplace.tenders.models import Tender, TenderBuyer, TenderResponse
from marketplace.tenders.policies import (
    ACTIONS,
    buyer_actions,
    confirmable,
    may_draft,
    response_actions,
    tender_actions,
)
from marketplace.tenders.schemas import TenderAction

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
LEAD = Actor("u1", "lead@example.eu", "Lead", roles={"city-a": "editor"}, kinds={"city-a": "city"})
VIEWER = Actor("u2", "v@example.eu", "Viewer", roles={"city-a": "viewer"},
               kinds={"city-a": "city"})  # fmt: skip
PARTNER = Actor("u3", "p@example.eu", "Partner", roles={"city-b": "owner"},
                kinds={"city-b": "city"})  # fmt: skip
SME = Actor("u4", "s@example.eu", "Supplier", roles={"sme": "owner"}, kinds={"sme": "sme"})
FUNDER = Actor("u5", "f@example.eu", "Funder", roles={"fund": "owner"}, kinds={"fund": "funder"})
ADMIN = Actor("u6", "a@example.eu", "Admin", is_admin=True)


def tender(stage: str) -> Tender:
    """A tender of city A (lead) and city B in the given stage at NOW."""
    t = Tender(
        id="t1", lead_buyer_id="city-a", title="Buses", procedure="open",
        clarification_deadline=NOW + timedelta(days=5), submission_deadline=NOW + timedelta(days=10),
    )  # fmt: skip
    t.buyers = [
        TenderBuyer(organisation_id="city-a", is_lead=True, confirmed_at=NOW),
        TenderBuyer(organisation_id="city-b", is_lead=False, confirmed_at=None),
    ]
    t.cancelled_at = t.completed_at = t.unsuccessful_at = t.published_at = None
    if stage != "planning":
        t.published_at = NOW - timedelta(days=20)
    if stage in ("evaluation", "complete", "unsuccessful", "cancelled-late"):
        t.clarification_deadline = NOW - timedelta(days=10)
        t.submission_deadline = NOW - timedelta(days=1)
    if stage == "questions-closed":
        t.clarification_deadline = NOW - timedelta(days=1)
    if stage == "complete":
        t.completed_at = NOW
    if stage == "unsuccessful":
        t.unsuccessful_at = NOW
    if stage in ("cancelled", "cancelled-late"):
        t.cancelled_at = NOW
    return t


def allowed(
    actor: Actor | None, stage: str, outcomes: dict[str, str] | None = None, verified: bool = True
) -> set[str]:
    return set(
        tender_actions(actor, tender(stage), NOW, outcomes=outcomes or {}, lead_verified=verified)
    )


# (actor, stage, outcomes, allowed actions): every action not listed is refused.
TABLE = [
    (LEAD, "planning", {}, {"edit", "publish", "cancel", "answer"}),
    (PARTNER, "planning", {}, {"answer"}),
    (VIEWER, "planning", {}, set()),
    (LEAD, "active", {}, {"amend", "cancel", "ask", "answer"}),
    (PARTNER, "active", {}, {"ask", "answer"}),
    (SME, "active", {}, {"ask", "respond"}),
    (FUNDER, "active", {}, {"ask"}),
    (None, "active", {}, set()),
    (ADMIN, "active", {}, set()),
    (SME, "questions-closed", {}, {"respond"}),
    (LEAD, "evaluation", {}, {"cancel", "answer", "read_responses", "score", "decide"}),
    (PARTNER, "evaluation", {}, {"answer", "read_responses", "score"}),
    (VIEWER, "evaluation", {}, {"read_responses"}),
    (SME, "evaluation", {}, set()),
    # The case the page and the API used to disagree on: an unsuccessful lot leaves the
    # tender cancellable; an awarded one does not.
    (
        LEAD,
        "evaluation",
        {"lot-1": "unsuccessful"},
        {"cancel", "answer", "read_responses", "score", "decide"},
    ),
    (LEAD, "evaluation", {"lot-1": "awarded"}, {"answer", "read_responses", "score", "decide"}),
    (LEAD, "complete", {"lot-1": "awarded"}, {"read_responses"}),
    (LEAD, "unsuccessful", {"lot-1": "unsuccessful"}, {"read_responses"}),
    (LEAD, "cancelled", {}, set()),
    (LEAD, "cancelled-late", {}, {"read_responses"}),
]


@pytest.mark.parametrize(("actor", "stage", "outcomes", "expected"), TABLE)
def test_who_may_do_what_when(
    actor: Actor | None, stage: str, outcomes: dict[str, str], expected: set[str]
) -> None:
    assert allowed(actor, stage, outcomes) == expected


REFUSALS = [
    (PARTNER, "planning", "publish", Forbidden, "Only editors of the lead buyer may do this."),
    (LEAD, "active", "publish", Conflict, "The tender is already published."),
    (LEAD, "active", "edit", Conflict, "A published tender changes only through amendments."),
    (LEAD, "planning", "amend", Conflict, "not published yet; edit it instead"),
    (LEAD, "evaluation", "amend", Conflict, "only until the submission deadline"),
    (LEAD, "complete", "cancel", Conflict, "The tender is complete; it cannot be cancelled."),
    (None, "active", "ask", Unauthorized, "Sign in"),
    (ADMIN, "active", "ask", Forbidden, "Join an organisation to ask questions."),
    (SME, "questions-closed", "ask", Conflict, "The clarification deadline has passed"),
    (SME, "planning", "respond", NotFound, "No such tender."),
    (PARTNER, "active", "respond", Invalid, "only editors of an SME can respond"),
    (SME, "evaluation", "respond", Conflict, "The submission deadline has passed"),
    (LEAD, "active", "score", Forbidden, "sealed until the submission deadline"),
    (ADMIN, "active", "read_responses", Forbidden, "sealed until the submission deadline"),
    (PARTNER, "evaluation", "decide", Forbidden, "Only editors of the lead buyer may decide"),
    (LEAD, "complete", "score", Conflict, "The tender is complete; evaluation is over."),
    (LEAD, "cancelled", "answer", Conflict, "The tender is closed."),
]


@pytest.mark.parametrize(("actor", "stage", "action", "error", "reason"), REFUSALS)
def test_each_refusal_says_why_with_the_services_error(
    actor: Actor | None, stage: str, action: str, error: type[DomainError], reason: str
) -> None:
    verdict = tender_actions(actor, tender(stage), NOW, outcomes={}, lead_verified=True)
    refusal = verdict.refusal(action)
    assert refusal is not None and refusal.error is error and reason in refusal.reason
    with pytest.raises(error, match=reason.split(";")[0].rstrip(".")):
        verdict.require(action)


def test_the_seal_is_a_refusal_of_its_own() -> None:
    verdict = tender_actions(LEAD, tender("active"), NOW, outcomes={}, lead_verified=True)
    assert (refusal := verdict.refusal("decide")) is not None and refusal.code == "sealed"
    assert (refusal := verdict.refusal("cancel")) is None


def test_an_unverified_lead_may_edit_but_not_publish() -> None:
    assert allowed(LEAD, "planning", verified=False) == {"edit", "cancel", "answer"}
    verdict = tender_actions(LEAD, tender("planning"), NOW, outcomes={}, lead_verified=False)
    assert verdict.reason("publish") == (
        "Only a verified city can publish; ask a platform admin to verify it."
    )


def test_the_policy_decides_every_action_the_api_documents() -> None:
    verdict = tender_actions(LEAD, tender("active"), NOW, outcomes={}, lead_verified=True)
    assert tuple(verdict.verdicts) == ACTIONS == get_args(TenderAction)


def test_only_editors_of_a_city_may_draft() -> None:
    assert "draft" in may_draft(LEAD) and "draft" in may_draft(PARTNER)
    for actor in (VIEWER, SME, FUNDER, ADMIN, None):
        assert "draft" not in may_draft(actor)
    assert may_draft(SME).reason("draft") == (
        "Only editors of a city or another public buyer can draft tenders."
    )


def test_an_invited_city_confirms_for_itself_while_planning() -> None:
    planning = tender("planning")
    invited = planning.buyers[1]
    assert "confirm" in buyer_actions(PARTNER, planning, invited, NOW)
    assert "confirm" not in buyer_actions(LEAD, planning, invited, NOW)
    assert confirmable(PARTNER, planning, NOW) == {"city-b"}
    assert confirmable(LEAD, planning, NOW) == set()  # city A is confirmed already
    assert confirmable(PARTNER, tender("active"), NOW) == set()


def test_a_response_is_revised_by_its_editors_until_the_deadline() -> None:
    response = TenderResponse(organisation_id="sme")
    assert set(response_actions(SME, tender("active"), response, NOW)) == {
        "revise", "withdraw", "attach",
    }  # fmt: skip
    assert set(response_actions(SME, tender("evaluation"), response, NOW)) == set()
    viewer = Actor("u7", "x@example.eu", "X", roles={"sme": "viewer"}, kinds={"sme": "sme"})
    assert response_actions(viewer, tender("active"), response, NOW).reason("revise") == (
        "Only the responding organisation's editors may revise it."
    )


@pytest.mark.parametrize(
    ("who", "stage", "current", "allowed"),
    [
        (LEAD, "planning", True, {"add", "replace", "remove"}),
        (LEAD, "active", True, {"add", "replace"}),
        (LEAD, "evaluation", True, {"add", "replace"}),
        (LEAD, "complete", True, {"add", "replace"}),  # award documents after the decisions
        (LEAD, "active", False, {"add"}),  # a replaced version
        (PARTNER, "active", True, set()),
        (SME, "active", True, set()),
        (ADMIN, "active", True, set()),
        (None, "active", True, set()),
    ],
)
def test_the_lead_citys_editors_publish_documents(
    who: Actor | None, stage: str, current: bool, allowed: set[str]
) -> None:
    from marketplace.tenders.policies import document_actions

    verdict = document_actions(who, tender(stage), NOW, current=current)
    assert set(verdict) == allowed
    if who is LEAD and stage != "planning" and current:
        assert "never removed" in (verdict.reason("remove") or "")
    if who is PARTNER:
        assert verdict.reason("add") == (
            "Only editors of the lead buyer publish the tender's documents."
        )
