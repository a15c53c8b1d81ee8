"""What a tender's audit trail records: each action once, with its label and whether the
public sees it.

The trail and the outbox never disagree because every action but the refusals is also the
kind of the domain event published with it (`tenders/events.py`; a test holds the two
lists together). A refusal by the seal (someone tried to read or evaluate sealed
responses) is written to the trail only: it is evidence for an auditor, not news for a
subscriber. The column stays a string, so old rows read as they were written; an action
not listed here cannot be written.
"""

from __future__ import annotations

from enum import StrEnum

from marketplace.i18n import N_


class AuditAction(StrEnum):
    TENDER_CREATED = "tender.created"
    TENDER_EDITED = "tender.edited"
    BUYER_INVITED = "buyer.invited"
    BUYER_CONFIRMED = "buyer.confirmed"
    BUYER_DECLINED = "buyer.declined"
    TENDER_PUBLISHED = "tender.published"
    TENDER_AMENDED = "tender.amended"
    TENDER_CANCELLED = "tender.cancelled"
    TENDER_COMPLETED = "tender.completed"
    QUESTION_ASKED = "question.asked"
    QUESTION_ANSWERED = "question.answered"
    RESPONSE_SUBMITTED = "response.submitted"
    RESPONSE_REVISED = "response.revised"
    RESPONSE_WITHDRAWN = "response.withdrawn"
    RESPONSE_SCORED = "response.scored"
    LOT_AWARDED = "lot.awarded"
    LOT_UNSUCCESSFUL = "lot.unsuccessful"
    TENDER_IMPORTED = "tender.imported"
    NOTICE_IMPORTED = "tender.notice_imported"
    DOCUMENT_PUBLISHED = "document.published"
    DOCUMENT_REPLACED = "document.replaced"
    DOCUMENT_REMOVED = "document.removed"
    CONTRACT_SIGNED = "contract.signed"
    CONTRACT_AMENDED = "contract.amended"
    CONTRACT_TERMINATED = "contract.terminated"
    MILESTONE_ADDED = "contract.milestone_added"
    MILESTONE_MET = "contract.milestone_met"
    MILESTONE_NOT_MET = "contract.milestone_not_met"
    TRANSACTION_RECORDED = "contract.transaction_recorded"
    REFUSED_RESPONSES_LIST = "refused.responses.list"
    REFUSED_RESPONSE_READ = "refused.response.read"
    REFUSED_RESPONSE_REVISE = "refused.response.revise"
    REFUSED_RESPONSE_WITHDRAW = "refused.response.withdraw"
    REFUSED_EVALUATE = "refused.evaluate"
    REFUSED_ATTACHMENT_READ = "refused.attachment.read"
    REFUSED_RESPONSE_ATTACH = "refused.response.attach"

    @classmethod
    def refused(cls, what: str) -> AuditAction:
        """The refusal of `what` (`response.read`, `evaluate`); a ValueError for a refusal
        the trail has no name for, so a new sealed path cannot go unrecorded silently."""
        return cls(f"refused.{what}")

    @property
    def is_refusal(self) -> bool:
        return self.value.startswith("refused.")


# Shown to everyone once the tender is published.
PUBLIC_ACTIONS = frozenset(
    {AuditAction.TENDER_PUBLISHED, AuditAction.TENDER_AMENDED, AuditAction.QUESTION_ANSWERED,
     AuditAction.LOT_AWARDED, AuditAction.LOT_UNSUCCESSFUL, AuditAction.TENDER_CANCELLED,
     AuditAction.TENDER_COMPLETED, AuditAction.TENDER_IMPORTED, AuditAction.NOTICE_IMPORTED,
     AuditAction.DOCUMENT_PUBLISHED, AuditAction.DOCUMENT_REPLACED}
    # A contract's life is public once recorded.
) | frozenset(a for a in AuditAction if a.value.startswith("contract."))  # fmt: skip

# How the trail names each action on the tender page (msgids; pages translate them).
ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.TENDER_CREATED: N_("Draft created"),
    AuditAction.TENDER_EDITED: N_("Draft edited"),
    AuditAction.BUYER_INVITED: N_("City invited"),
    AuditAction.BUYER_CONFIRMED: N_("City confirmed its participation"),
    AuditAction.BUYER_DECLINED: N_("City declined to take part"),
    AuditAction.TENDER_PUBLISHED: N_("Published"),
    AuditAction.TENDER_AMENDED: N_("Amended"),
    AuditAction.TENDER_CANCELLED: N_("Cancelled"),
    AuditAction.TENDER_COMPLETED: N_("Every lot decided"),
    AuditAction.QUESTION_ASKED: N_("Question received"),
    AuditAction.QUESTION_ANSWERED: N_("Question answered"),
    AuditAction.RESPONSE_SUBMITTED: N_("Response submitted"),
    AuditAction.RESPONSE_REVISED: N_("Response revised"),
    AuditAction.RESPONSE_WITHDRAWN: N_("Response withdrawn"),
    AuditAction.RESPONSE_SCORED: N_("Response scored"),
    AuditAction.LOT_AWARDED: N_("Lot awarded"),
    AuditAction.LOT_UNSUCCESSFUL: N_("Lot declared unsuccessful"),
    AuditAction.TENDER_IMPORTED: N_("Imported from TED"),
    AuditAction.NOTICE_IMPORTED: N_("Updated from a newer TED notice"),
    AuditAction.DOCUMENT_PUBLISHED: N_("Document published"),
    AuditAction.DOCUMENT_REPLACED: N_("Document replaced"),
    AuditAction.DOCUMENT_REMOVED: N_("Document removed from the draft"),
    AuditAction.CONTRACT_SIGNED: N_("Contract signed"),
    AuditAction.CONTRACT_AMENDED: N_("Contract amended"),
    AuditAction.CONTRACT_TERMINATED: N_("Contract terminated"),
    AuditAction.MILESTONE_ADDED: N_("Contract milestone scheduled"),
    AuditAction.MILESTONE_MET: N_("Contract milestone met"),
    AuditAction.MILESTONE_NOT_MET: N_("Contract milestone not met"),
    AuditAction.TRANSACTION_RECORDED: N_("Contract payment recorded"),
    AuditAction.REFUSED_RESPONSES_LIST: N_("Refused: reading sealed responses"),
    AuditAction.REFUSED_RESPONSE_READ: N_("Refused: reading a sealed response"),
    AuditAction.REFUSED_RESPONSE_REVISE: N_("Refused: revising another organisation's response"),
    AuditAction.REFUSED_RESPONSE_WITHDRAW: N_(
        "Refused: withdrawing another organisation's response"
    ),
    AuditAction.REFUSED_EVALUATE: N_("Refused: evaluating before the deadline"),
    AuditAction.REFUSED_ATTACHMENT_READ: N_("Refused: reading a sealed attachment"),
    AuditAction.REFUSED_RESPONSE_ATTACH: N_(
        "Refused: attaching a file to another organisation's response"
    ),
}
