"""What the tenders package publishes to the event outbox (see marketplace.core.events).

Every event's subject is the tender; `data` names the part (lot, question, response,
organisation). Each is written by the same call that appends the tender's audit entry of
the same name, so the audit trail and the events never disagree. Response events are
sealed until the submission deadline: `data.organisation_id` is the only organisation a
subscriber may tell before then.
"""

from __future__ import annotations

from marketplace.core.events import EventType

TENDER_CREATED = EventType("tender.created", "A city drafted a tender (not public).")
TENDER_EDITED = EventType("tender.edited", "A draft tender was edited (not public).")
BUYER_INVITED = EventType(
    "buyer.invited", "A co-buyer city was invited to a draft; `data.organisation_id`."
)
BUYER_CONFIRMED = EventType(
    "buyer.confirmed", "An invited city confirmed its participation; `data.organisation_id`."
)
BUYER_DECLINED = EventType(
    "buyer.declined",
    "An invited city declined to take part and left the draft; `data.organisation_id`.",
)
TENDER_PUBLISHED = EventType("tender.published", "A tender became public (OCDS `active`).")
TENDER_AMENDED = EventType("tender.amended", "A published tender was amended.")
TENDER_CANCELLED = EventType("tender.cancelled", "A tender was cancelled, with a public reason.")
TENDER_COMPLETED = EventType(
    "tender.completed",
    "Every lot is decided; `data.status` is `complete` or `unsuccessful`.",
)
QUESTION_ASKED = EventType(
    "question.asked", "A clarification question arrived; `data.question_id` (asker never named)."
)
QUESTION_ANSWERED = EventType(
    "question.answered", "A question was answered and is public; `data.question_id`."
)
RESPONSE_SUBMITTED = EventType(
    "response.submitted",
    "An SME submitted a sealed response; `data`: response_id, organisation_id.",
    sealed=True,
)
RESPONSE_REVISED = EventType(
    "response.revised", "An SME revised its sealed response; `data` as above.", sealed=True
)
RESPONSE_WITHDRAWN = EventType(
    "response.withdrawn", "An SME withdrew its sealed response; `data` as above.", sealed=True
)
RESPONSE_SCORED = EventType(
    "response.scored", "A buyer scored a response after the deadline; `data.response_id`."
)
LOT_AWARDED = EventType(
    "lot.awarded", "A lot was awarded; `data`: lot_id, response_id, supplier_id."
)
LOT_UNSUCCESSFUL = EventType("lot.unsuccessful", "A lot was declared unsuccessful; `data.lot_id`.")

TENDER_IMPORTED = EventType(
    "tender.imported", "A tender was imported from a TED notice (public, read-only)."
)
NOTICE_IMPORTED = EventType(
    "tender.notice_imported",
    "A newer TED notice of an imported tender's procedure updated it (a result, a change).",
)
DOCUMENT_PUBLISHED = EventType(
    "document.published",
    "A document or link was added to a tender, one of its lots or awards; `data.document_id` "
    "(public once the tender is).",
)
DOCUMENT_REPLACED = EventType(
    "document.replaced",
    "A new version replaced a document; `data.document_id` is the new one (the old one stays "
    "in the OCDS history).",
)
DOCUMENT_REMOVED = EventType(
    "document.removed", "A draft tender's document was removed; `data.document_id`."
)
# The contract of an awarded lot and its implementation (tenders/contracts.py); `data`
# names the lot and contract, and the milestone or transaction.
CONTRACT_SIGNED = EventType(
    "contract.signed",
    "The lead buyer recorded the signed contract of an awarded lot; `data`: lot_id, contract_id.",
)
CONTRACT_AMENDED = EventType(
    "contract.amended", "A signed contract was amended; `data`: lot_id, contract_id."
)
CONTRACT_TERMINATED = EventType(
    "contract.terminated", "A contract was terminated, with a reason; `data`: lot_id, contract_id."
)
MILESTONE_ADDED = EventType(
    "contract.milestone_added",
    "An implementation milestone was scheduled; `data`: contract_id, milestone_id.",
)
MILESTONE_MET = EventType(
    "contract.milestone_met", "A milestone was met; `data`: contract_id, milestone_id."
)
MILESTONE_NOT_MET = EventType(
    "contract.milestone_not_met",
    "A milestone was recorded as not met; `data`: contract_id, milestone_id.",
)
TRANSACTION_RECORDED = EventType(
    "contract.transaction_recorded",
    "A buying city's payment to the supplier was recorded; `data`: contract_id, transaction_id, "
    "organisation_id (the payer).",
)

CATALOGUE = (
    TENDER_CREATED, TENDER_EDITED, BUYER_INVITED, BUYER_CONFIRMED, BUYER_DECLINED, TENDER_PUBLISHED,
    TENDER_AMENDED, TENDER_CANCELLED, TENDER_COMPLETED, QUESTION_ASKED, QUESTION_ANSWERED,
    RESPONSE_SUBMITTED, RESPONSE_REVISED, RESPONSE_WITHDRAWN, RESPONSE_SCORED, LOT_AWARDED,
    LOT_UNSUCCESSFUL, TENDER_IMPORTED, NOTICE_IMPORTED, DOCUMENT_PUBLISHED, DOCUMENT_REPLACED,
    DOCUMENT_REMOVED, CONTRACT_SIGNED, CONTRACT_AMENDED, CONTRACT_TERMINATED, MILESTONE_ADDED,
    MILESTONE_MET, MILESTONE_NOT_MET, TRANSACTION_RECORDED,
)  # fmt: skip
BY_KIND = {e.kind: e for e in CATALOGUE}
# The parts an event names: ids only, never a copy of what they hold.
DATA_KEYS = (
    "organisation_id", "question_id", "response_id", "lot_id", "supplier_id", "status",
    "document_id", "contract_id", "milestone_id", "transaction_id",
)  # fmt: skip
# A contract's life is public once recorded: its audit entries are shown to everyone.
CONTRACT_EVENTS = tuple(e.kind for e in CATALOGUE if e.kind.startswith("contract."))
