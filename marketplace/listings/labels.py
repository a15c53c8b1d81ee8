"""Names people read on the listing pages, in the reader's language: the form's fields, the
technology readiness levels, the pricing models and what publication still needs.

Functions, not constants: they are looked up when a page is drawn, in its locale."""

from __future__ import annotations

from marketplace.i18n import gettext as _


def trl_names() -> dict[int, str]:
    return {
        1: _("Basic principles observed"),
        2: _("Technology concept formulated"),
        3: _("Experimental proof of concept"),
        4: _("Technology validated in lab"),
        5: _("Technology validated in relevant environment"),
        6: _("Technology demonstrated in relevant environment"),
        7: _("System prototype demonstrated in operational environment"),
        8: _("System complete and qualified"),
        9: _("Actual system proven in operational environment"),
    }


def pricing_model_names() -> dict[str, str]:
    return {
        "fixed": _("Fixed price"),
        "subscription": _("Subscription"),
        "per_unit": _("Per unit"),
        "outcome_based": _("Outcome-based (part of the price at risk)"),
    }


def publication_needs() -> dict[str, str]:
    """What each field still needs before publication (the service says it in English)."""
    return {
        "summary": _("A one-paragraph summary is needed to publish."),
        "description": _("A description is needed to publish."),
        "themes": _("Choose at least one ICC theme to publish."),
        "cpv_codes": _("Add at least one CPV code to publish."),
        "countries": _("Choose at least one country served to publish."),
        "trl": _("The technology readiness level is needed to publish."),
        "outcomes": _("State at least one measurable outcome to publish."),
        "pricing": _("The pricing model is needed to publish."),
    }


def field_labels(rows: int = 20) -> dict[str, str]:
    """The form's labels by field name, rows included (`outcomes.0.target`), for messages."""
    labels = {
        "organisation_id": _("SME offering the solution"),
        "title": _("Title"),
        "summary": _("Summary"),
        "description": _("Description"),
        "themes": _("ICC themes"),
        "cpv_codes": _("CPV codes"),
        "countries": _("Countries served"),
        "trl": _("Technology readiness level (TRL)"),
        "outcomes": _("Measurable outcomes"),
        "pricing": _("Pricing"),
        "pricing.model": _("Pricing model"),
        "pricing.currency": _("Currency"),
        "pricing.amount_min": _("Price from"),
        "pricing.amount_max": _("Price up to"),
        "pricing.at_risk_percent": _("Share of the price at risk"),
        "standards": _("Standards conformance"),
        "references": _("References"),
    }
    for i in range(rows):
        n = i + 1
        labels.update({
            f"outcomes.{i}.metric": _("Metric of outcome %(n)s", n=n),
            f"outcomes.{i}.unit": _("Unit of outcome %(n)s", n=n),
            f"outcomes.{i}.baseline": _("Baseline of outcome %(n)s", n=n),
            f"outcomes.{i}.target": _("Target of outcome %(n)s", n=n),
            f"outcomes.{i}.timeframe_months": _("Months of outcome %(n)s", n=n),
            f"outcomes.{i}.verification": _("Verification of outcome %(n)s", n=n),
            f"standards.{i}.code": _("Standard %(n)s", n=n),
            f"standards.{i}.evidence_url": _("Evidence URL of standard %(n)s", n=n),
            f"references.{i}.city": _("City of reference %(n)s", n=n),
            f"references.{i}.year": _("Year of reference %(n)s", n=n),
            f"references.{i}.description": _("Achievement of reference %(n)s", n=n),
        })  # fmt: skip
    return labels
