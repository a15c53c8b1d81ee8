"""One definition of a procedure, a stage and a currency: every table keyed by them covers
exactly the one list, so adding a procedure or a stage cannot leave a table behind."""

from __future__ import annotations

from typing import get_args

from marketplace.reference import vocabularies as vocab
from marketplace.tenders import models, ocds, pages, rules, schemas


def test_every_procedure_table_covers_the_procedures() -> None:
    # A draft offers the procedures a marketplace may run; an imported notice may hold any.
    assert set(models.DRAFT_PROCEDURES) == set(get_args(schemas.Procedure))
    assert set(models.DRAFT_PROCEDURES) < set(models.PROCEDURES)
    assert set(models.PROCEDURES) == set(get_args(schemas.AnyProcedure))
    assert set(rules.DIRECTIVE_MIN_DAYS) == set(models.DRAFT_PROCEDURES)
    assert set(ocds.PROCUREMENT_METHODS) == set(models.PROCEDURES)


def test_every_stage_table_covers_the_stages() -> None:
    assert set(models.STAGES) == set(get_args(schemas.Stage))
    assert set(models.OCDS_STATUS) == set(models.STAGES) == set(pages.STAGE_LABELS)
    assert set(models.LEGAL_TRANSITIONS) == set(models.STAGES)
    assert set(models.OCDS_STATUS.values()) == set(get_args(models.OcdsStatus))
    assert set(ocds.TENDER_STATUSES) == set(get_args(models.OcdsStatus))


def test_forms_offer_every_iso_4217_currency_the_api_accepts() -> None:
    offered = vocab.form_currencies()
    assert offered[0] == "EUR" and set(offered) == vocab.currencies()
    assert {"USD", "ISK", "GBP", "SEK"} <= set(offered)
