"""A tender's fields named as its form labels them: English msgids, translated where they are
read — the form's messages, the amendments a tender page lists, the notification of an
amendment (written in each reader's language)."""

from __future__ import annotations

from marketplace.i18n import N_

FIELD_NAMES = {
    "lead_buyer_id": N_("Lead city"), "title": N_("Title"), "description": N_("Description"),
    "procedure": N_("Procedure"), "themes": N_("ICC themes"), "cpv_codes": N_("CPV codes"),
    "nuts_codes": N_("Places of performance"), "currency": N_("Currency"),
    "lots": N_("Lots"), "invited": N_("Cities buying together"),
    "buyers": N_("Cities buying together"),
    "standards_mandatory": N_("Mandatory standards"), "award_criteria": N_("Award criteria"),
    "clarification_deadline": N_("Questions close"),
    "submission_deadline": N_("Responses close"), "outcomes": N_("Outcome KPIs"),
    "required_standards": N_("Requirements"), "estimated_value": N_("Estimated value"),
    "documents_url": N_("Procurement documents"), "lot_rules": N_("Bids on lots"),
}  # fmt: skip
