"""Who may do what with a tender, and when: the one place these rules are written.

`tender_actions` is pure: the services enforce it (`require`), the tender page and its
template read it, and the API lists the allowed names as the tender's `actions`. The
checks of each action run in the order a person would want to hear about them (who you are
before when it is), and the reasons are the ones the services have always given.

The seal is a refusal of its own (`code="sealed"`): before the submission deadline nobody
but the responding organisation reads a response, whoever asks, and the service writes each
such refusal to the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from marketplace.accounts.models import BUYER_KINDS
from marketplace.accounts.principal import Actor
from marketplace.core.policy import Allowed, Refusal, check, first
from marketplace.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from marketplace.tenders.models import Tender, TenderBuyer, TenderResponse
from marketplace.tenders.rules import ANSWER_LEAD_DAYS

SEALED = "Responses to this tender are sealed until the submission deadline."
IMPORTED = (
    "This tender was imported from its TED notice and is read-only here; it changes only "
    "when a newer notice of the procedure is imported."
)
LEAD_ONLY = "Only editors of the lead buyer may do this."
# Stages in which the tender is over: nothing more happens to it.
CLOSED = ("cancelled", "complete", "unsuccessful")
# Stages from which the tender may still be cancelled (models.LEGAL_TRANSITIONS).
CANCELLABLE = ("planning", "active", "evaluation")
# Every action `tender_actions` decides, in the order the API lists them.
ACTIONS = (
    "edit", "publish", "amend", "cancel", "ask", "answer", "respond", "read_responses",
    "score", "decide",
)  # fmt: skip


def buyer_ids(tender: Tender) -> set[str]:
    return {b.organisation_id for b in tender.buyers}


def is_buyer_member(actor: Actor | None, tender: Tender) -> bool:
    return actor is not None and any(actor.is_member(o) for o in buyer_ids(tender))


def is_buyer_editor(actor: Actor | None, tender: Tender) -> bool:
    return actor is not None and any(actor.can_edit(o) for o in buyer_ids(tender))


def is_lead_editor(actor: Actor | None, tender: Tender) -> bool:
    return actor is not None and actor.can_edit(tender.lead_buyer_id)


def is_public(tender: Tender) -> bool:
    """Anyone may see a tender once it is published (before, its buyers and admins)."""
    return tender.published_at is not None


def can_see(actor: Actor | None, tender: Tender) -> bool:
    return (
        is_public(tender)
        or is_buyer_member(actor, tender)
        or (actor is not None and actor.is_admin)
    )


def responses_opened(tender: Tender, now: datetime) -> bool:
    """Responses open at the submission deadline, unless the tender was cancelled before."""
    deadline = tender.submission_deadline
    if tender.published_at is None or deadline is None or now < deadline:
        return False
    return tender.cancelled_at is None or tender.cancelled_at >= deadline


def questions_close(tender: Tender) -> datetime | None:
    """Without a questions deadline, questions close when answers could no longer reach every
    bidder in time: ANSWER_LEAD_DAYS before the submission deadline (Art. 53(2))."""
    if tender.clarification_deadline is not None:
        return tender.clarification_deadline
    if tender.submission_deadline is None:
        return None
    return tender.submission_deadline - timedelta(days=ANSWER_LEAD_DAYS)


def may_draft(actor: Actor | None) -> Allowed:
    """Drafting a tender needs a city to draft it for."""
    return Allowed(
        {
            "draft": first(
                check(actor is not None, Unauthorized, "Sign in to draft a tender."),
                check(
                    actor is not None and any(actor.editable(k) for k in BUYER_KINDS),
                    Forbidden,
                    "Only editors of a city or another public buyer can draft tenders.",
                ),
            )
        }
    )


def tender_actions(
    actor: Actor | None,
    tender: Tender,
    now: datetime,
    *,
    outcomes: Mapping[str, str],
    lead_verified: bool,
) -> Allowed:
    """Every action on the tender, for this person at `now`.

    `outcomes` maps each decided lot to `awarded` or `unsuccessful`; `lead_verified` says
    whether a platform admin verified the lead city (only a verified city publishes).
    """
    stage = tender.stage_at(now)
    # An imported tender mirrors a notice published elsewhere: nothing is done to it here.
    own = check(not tender.imported, Conflict, IMPORTED)
    signed_in = first(check(actor is not None, Unauthorized, "Sign in to do this."), own)
    lead = check(is_lead_editor(actor, tender), Forbidden, LEAD_ONLY)
    closes = questions_close(tender)
    opened = responses_opened(tender, now)
    seal = check(opened, Forbidden, SEALED, code="sealed")
    evaluating = check(
        stage == "evaluation", Conflict, f"The tender is {stage}; evaluation is over."
    )
    return Allowed(
        {
            "edit": first(
                signed_in,
                lead,
                check(
                    stage == "planning",
                    Conflict,
                    "A published tender changes only through amendments.",
                ),
            ),
            "publish": first(
                signed_in,
                lead,
                check(
                    lead_verified,
                    Forbidden,
                    "Only a verified city can publish; ask a platform admin to verify it.",
                ),
                check(stage == "planning", Conflict, "The tender is already published."),
            ),
            "amend": first(
                signed_in,
                lead,
                check(
                    stage != "planning",
                    Conflict,
                    "The tender is not published yet; edit it instead of amending it.",
                ),
                check(
                    stage == "active",
                    Conflict,
                    "Amendments are possible only until the submission deadline.",
                ),
            ),
            # Refused once a lot is awarded (a contract exists); a lot declared unsuccessful
            # leaves the tender cancellable, as long as its stage allows it.
            "cancel": first(
                signed_in,
                lead,
                check(
                    "awarded" not in outcomes.values(),
                    Conflict,
                    "A lot has already been awarded; the tender can no longer be cancelled.",
                ),
                check(
                    stage in CANCELLABLE,
                    Conflict,
                    f"The tender is {stage}; it cannot be cancelled.",
                ),
            ),
            "ask": first(
                signed_in,
                check(
                    actor is not None and bool(actor.roles),
                    Forbidden,
                    "Join an organisation to ask questions.",
                ),
                check(stage == "active", Conflict, "The tender is not open for questions."),
                check(
                    closes is None or now < closes,
                    Conflict,
                    "The clarification deadline has passed; questions are closed.",
                ),
            ),
            "answer": first(
                signed_in,
                check(
                    is_buyer_editor(actor, tender),
                    Forbidden,
                    "Only editors of the buying cities answer questions.",
                ),
                check(stage not in CLOSED, Conflict, "The tender is closed."),
            ),
            "respond": first(
                check(tender.published_at is not None, NotFound, "No such tender."),
                own,
                signed_in,
                check(
                    actor is not None and bool(actor.editable("sme")),
                    Invalid,
                    "only editors of an SME can respond to tenders",
                    field="organisation_id",
                ),
                check(
                    stage == "active",
                    Conflict,
                    "The submission deadline has passed; responses are closed."
                    if stage == "evaluation"
                    else "The tender is not open for responses.",
                ),
            ),
            # Reading every response side by side: the buying cities, once opened.
            "read_responses": first(
                signed_in,
                seal,
                check(
                    is_buyer_member(actor, tender),
                    Forbidden,
                    "Only the buying cities read the responses.",
                ),
            ),
            "score": first(
                signed_in,
                seal,
                check(
                    is_buyer_editor(actor, tender),
                    Forbidden,
                    "Only editors of the buying cities evaluate responses.",
                ),
                evaluating,
            ),
            "decide": first(
                signed_in,
                seal,
                check(
                    is_lead_editor(actor, tender),
                    Forbidden,
                    "Only editors of the lead buyer may decide lots.",
                ),
                evaluating,
            ),
        }
    )


def _participation(
    actor: Actor | None, tender: Tender, buyer: TenderBuyer, now: datetime, verb: str,
    *also: Refusal | None,
) -> Refusal | None:  # fmt: skip
    """Acting for an invited city on its part in a draft: its editors, before publication."""
    return first(
        check(actor is not None, Unauthorized, "Sign in to do this."),
        check(not tender.imported, Conflict, IMPORTED),
        *also,
        check(
            actor is not None and actor.can_edit(buyer.organisation_id),
            Forbidden,
            f"Only editors of the invited city may {verb} its participation.",
        ),
        check(tender.stage_at(now) == "planning", Conflict, "The tender is already published."),
    )


def buyer_actions(
    actor: Actor | None, tender: Tender, buyer: TenderBuyer, now: datetime
) -> Allowed:
    """What this person may do about one city's participation in the tender."""
    return Allowed(
        {
            "confirm": _participation(actor, tender, buyer, now, "confirm"),
            # Before publication an invited city may still say no (or change its mind after
            # confirming); the lead leads, and cancels rather than declines.
            "decline": _participation(
                actor,
                tender,
                buyer,
                now,
                "decline",
                check(
                    not buyer.is_lead, Conflict, "The lead city cannot decline; cancel the draft."
                ),
            ),
        }
    )


def declinable(actor: Actor | None, tender: Tender, now: datetime) -> set[str]:
    """The invited cities whose participation this person may decline."""
    return {b.organisation_id for b in tender.buyers
            if "decline" in buyer_actions(actor, tender, b, now)}  # fmt: skip


def confirmable(actor: Actor | None, tender: Tender, now: datetime) -> set[str]:
    """The invited cities whose participation this person may still confirm."""
    return {
        b.organisation_id
        for b in tender.buyers
        if b.confirmed_at is None and "confirm" in buyer_actions(actor, tender, b, now)
    }


def response_actions(
    actor: Actor | None, tender: Tender, response: TenderResponse, now: datetime
) -> Allowed:
    """What the responding organisation's people may do with its sealed response. (Whether
    anyone else may even learn that it exists is the seal's business, in the service.)"""
    own = check(
        actor is not None and actor.can_edit(response.organisation_id),
        Forbidden,
        "Only the responding organisation's editors may revise it.",
    )
    frozen = check(
        tender.stage_at(now) == "active",
        Conflict,
        "The submission deadline has passed; responses are frozen.",
    )
    # Attaching files to it (or taking them off) is revising it.
    return Allowed(
        {"revise": first(own, frozen), "withdraw": first(own, frozen), "attach": first(own, frozen)}
    )


def document_actions(
    actor: Actor | None, tender: Tender, now: datetime, *, current: bool = True
) -> Allowed:
    """Who may publish the tender's documents (its lots' and awards' too), and what may be
    done to one (`current`: it has not been replaced). The lead city speaks for the joint
    procurement, so its editors publish, in any stage: clarifications while it is open, award
    documents after the decisions. A published document is replaced by a new version, never
    removed: the OCDS releases already carry it."""
    signed_in = first(
        check(actor is not None, Unauthorized, "Sign in to do this."),
        check(not tender.imported, Conflict, IMPORTED),
    )
    lead = check(is_lead_editor(actor, tender), Forbidden, "Only editors of the lead buyer "
                 "publish the tender's documents.")  # fmt: skip
    latest = check(current, Conflict, "This version was replaced already; replace the current one.")
    return Allowed(
        {
            "add": first(signed_in, lead),
            "replace": first(signed_in, lead, latest),
            "remove": first(
                signed_in,
                lead,
                latest,
                check(
                    tender.stage_at(now) == "planning",
                    Conflict,
                    "A published document is replaced, never removed: the published version "
                    "stays in the tender's OCDS history.",
                ),
            ),
        }
    )


# Every action `contract_actions` decides, in the order the API lists them.
CONTRACT_ACTIONS = (
    "record", "amend", "terminate", "add_milestone", "update_milestone", "add_transaction",
)  # fmt: skip
TERMINATED = "The contract has been terminated; it can no longer change."


def contract_actions(
    actor: Actor | None,
    tender: Tender,
    now: datetime,
    *,
    awarded: bool,
    contract_status: str | None,
) -> Allowed:
    """What this person may do about the contract of one lot: the lead buyer's editors record
    it once the lot is awarded (tenders run here; an imported tender's contracts are TED's),
    then amend it, schedule and settle milestones, record payments and terminate it, until
    it is terminated. `contract_status` is None while no contract is recorded."""
    lead = first(
        check(actor is not None, Unauthorized, "Sign in to do this."),
        check(not tender.imported, Conflict, IMPORTED),
        check(
            is_lead_editor(actor, tender),
            Forbidden,
            "Only editors of the lead buyer record and manage contracts.",
        ),
    )
    live = first(
        lead,
        check(
            contract_status is not None,
            Conflict,
            "No contract has been recorded for this lot yet.",
        ),
        check(contract_status != "terminated", Conflict, TERMINATED),
    )
    return Allowed(
        {
            "record": first(
                lead,
                check(
                    awarded,
                    Conflict,
                    "The lot has not been awarded; a contract follows an award.",
                ),
                check(
                    contract_status is None,
                    Conflict,
                    "The contract of this lot is recorded already; amend it instead.",
                ),
            ),
            **{action: live for action in CONTRACT_ACTIONS[1:]},
        }
    )
