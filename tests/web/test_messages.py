"""What a form says about a service's or a validator's refusal: looked up by the sentence's
template, filled with its values, in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import ValidationError, field_validator

from marketplace import i18n
from marketplace.errors import FieldError, Invalid, Sentence
from marketplace.schemas import CountryCode, Schema
from marketplace.tenders.rules import deadline_problems
from marketplace.web.messages import domain_messages, pydantic_messages

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_the_api_keeps_its_english_sentence_with_the_values_put_in() -> None:
    error = Invalid.field("nuts_code", "%(code)s is not a region of %(country)s",
                          code="FR101", country="DE")  # fmt: skip
    assert error.errors[0].message == "FR101 is not a region of DE"
    assert error.detail == "nuts_code: FR101 is not a region of DE"


def test_a_page_translates_by_the_template_whatever_the_values() -> None:
    labels = {"nuts_code": "Région"}
    with i18n.using("fr"):
        for code in ("FR101", "ITC4C"):
            error = FieldError.of("nuts_code", "%(code)s is not a region of %(country)s",
                                  code=code, country="DE")  # fmt: skip
            shown = domain_messages([error], labels)["nuts_code"]
            assert shown.startswith(code)
            assert "is not a region" not in shown  # French, not the service's English


def test_a_deadline_too_early_says_which_date_would_work_for_any_procedure() -> None:
    published = NOW
    too_soon = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)
    for procedure in ("open", "competitive_dialogue"):
        problems = deadline_problems(procedure, None, published, None, too_soon)
        days = next(p.params["days"] for p in problems if p.field == "submission_deadline")
        shown = domain_messages(problems, {"submission_deadline": "Responses close"}, now=NOW)
        sentence = shown["submission_deadline"]
        assert sentence.startswith(f"Responses close must be at least {days} days after")
        assert "would work if you publish now" in sentence
        assert procedure.replace("_", " ") not in sentence  # the form knows the procedure


def test_a_message_no_table_knows_is_shown_as_written_after_its_label() -> None:
    error = FieldError.of("x", "needs %(n)s more", n=3)
    assert domain_messages([error], {"x": "Size"}) == {"x": "Size: needs 3 more"}


class _Form(Schema):
    total: int
    country: CountryCode = "FI"

    @field_validator("total")
    @classmethod
    def _hundred(cls, value: int) -> int:
        if value != 100:
            raise Sentence("weights must sum to 100 (they sum to %(total)s)", total=value)
        return value


def test_a_validators_sentence_and_a_vocabulary_check_are_translated_with_their_values() -> None:
    try:
        _Form.model_validate({"total": 90, "country": "XX"})
    except ValidationError as error:
        errors = error.errors()
    with i18n.using("de"):
        shown = pydantic_messages(errors, {"total": "Gewichte", "country": "Land"})
    assert "90" in shown["total"] and "sum to" not in shown["total"]
    assert shown["country"].startswith("XX") and "ISO 3166" not in shown["country"]
