"""OP's converter turned 10 of the R2.0.9 notices into eForms: both readings must agree on
the essentials wherever the two formats say the same thing.

Where they legitimately differ, the test says why: eForms has no country-level place of
performance (the converter writes "anywhere" for `IE` or `DE`), eForms lot identifiers are
`LOT-0001` where R2.0.9 numbers lots `1`, and R2.0.9 says "regional or local authority"
where the converter had to choose "regional authority".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from marketplace.tenders.notices import Notice
from tests.tenders.notices.helpers import DATA, EFORMS_CONVERTED, parsed

PAIRS = [(DATA / "ted-xml-r2.0.9" / p.name, p) for p in EFORMS_CONVERTED]


@pytest.fixture(params=PAIRS, ids=[p.stem for _, p in PAIRS])
def pair(request: pytest.FixtureRequest) -> tuple[Notice, Notice]:
    original, converted = request.param
    assert isinstance(original, Path) and isinstance(converted, Path)
    return parsed(original), parsed(converted)


def lot_number(lot_id: str) -> int:
    return int("".join(c for c in lot_id if c.isdigit()) or 0)


class TestSameEssentials:
    def test_same_notice(self, pair: tuple[Notice, Notice]) -> None:
        r209, eforms = pair
        assert r209.publication_number == eforms.publication_number
        assert r209.kind == eforms.kind
        assert r209.issue_date == eforms.issue_date
        assert r209.publication_date == eforms.publication_date
        assert r209.language == eforms.language
        assert r209.legal_basis == eforms.legal_basis
        assert r209.title == eforms.title
        assert r209.contract_nature == eforms.contract_nature
        assert r209.previous_notices == eforms.previous_notices

    def test_same_buyers(self, pair: tuple[Notice, Notice]) -> None:
        r209, eforms = pair
        assert [b.name for b in r209.buyers] == [b.name for b in eforms.buyers]
        assert [b.address.country for b in r209.buyers] == [
            b.address.country for b in eforms.buyers
        ]
        assert [b.address.locality for b in r209.buyers] == [
            b.address.locality for b in eforms.buyers
        ]
        assert [b.contact.email for b in r209.buyers] == [b.contact.email for b in eforms.buyers]
        assert [b.identifiers for b in r209.buyers] == [b.identifiers for b in eforms.buyers]
        assert r209.lead_buyer is not None and eforms.lead_buyer is not None
        assert r209.lead_buyer.name == eforms.lead_buyer.name

    def test_same_lots_and_cpv(self, pair: tuple[Notice, Notice]) -> None:
        r209, eforms = pair
        assert r209.main_cpv is not None and eforms.main_cpv is not None
        assert r209.main_cpv.code == eforms.main_cpv.code
        assert len(r209.lots) == len(eforms.lots)
        for old, new in zip(r209.lots, eforms.lots, strict=True):
            if len(r209.lots) > 1:
                assert lot_number(old.id) == lot_number(new.id)
            assert old.main_cpv is not None and new.main_cpv is not None
            assert old.main_cpv.code == new.main_cpv.code
            assert {c.code for c in old.additional_cpv} == {c.code for c in new.additional_cpv}

    def test_same_places_where_eforms_can_say_them(self, pair: tuple[Notice, Notice]) -> None:
        r209, eforms = pair
        for old, new in zip(r209.lots, eforms.lots, strict=True):
            given = {p.nuts.given for p in new.places if p.nuts}
            assert given <= {p.nuts.given for p in old.places if p.nuts}
            # eForms places of performance are NUTS level 3 (five characters) or "anywhere"
            assert {p.nuts.given for p in old.places if p.nuts and len(p.nuts.given) == 5} <= given

    def test_same_deadlines(self, pair: tuple[Notice, Notice]) -> None:
        r209, eforms = pair
        assert r209.submission_deadline == eforms.submission_deadline
        for old, new in zip(r209.lots, eforms.lots, strict=True):
            assert old.submission_deadline == new.submission_deadline

    def test_same_procedure_and_techniques(self, pair: tuple[Notice, Notice]) -> None:
        r209, eforms = pair
        if r209.procedure.type is not None:
            assert r209.procedure.type == eforms.procedure.type
        assert r209.framework == eforms.framework
        assert r209.dps == eforms.dps
        assert r209.eauction == eforms.eauction
        for old, new in zip(r209.lots, eforms.lots, strict=True):
            if old.framework and new.framework and old.framework.max_participants:
                assert old.framework.max_participants == new.framework.max_participants

    def test_same_values(self, pair: tuple[Notice, Notice]) -> None:
        r209, eforms = pair
        assert r209.estimated_value == eforms.estimated_value
        for old, new in zip(r209.lots, eforms.lots, strict=True):
            assert old.estimated_value == new.estimated_value

    def test_same_award_criteria(self, pair: tuple[Notice, Notice]) -> None:
        """The converter writes R2.0.9's criterion name as the eForms description, and drops
        a lone weightless price criterion; a design contest's R2.0.9 form has none at all."""
        r209, eforms = pair
        for old, new in zip(r209.lots, eforms.lots, strict=True):
            typed = [c for c in new.award_criteria if c.kind]
            if not old.award_criteria or not typed:
                continue
            assert [(c.kind, c.name) for c in old.award_criteria] == [
                (c.kind, c.name or c.description) for c in typed
            ]
            for before, after in zip(old.award_criteria, typed, strict=True):
                if before.weight is not None:  # "EDMA" becomes weight 1 in the conversion
                    assert before.weight == after.weight

    def test_same_results(self, pair: tuple[Notice, Notice]) -> None:
        """A design contest's R2.0.9 results are one prize block with every winner and the
        total prize money; the converter makes one contract per winner, without values."""
        r209, eforms = pair
        winners = [[w.name for w in c.winners] for r in r209.results for c in r.contracts]
        converted = [[w.name for w in c.winners] for r in eforms.results for c in r.contracts]
        assert sorted(n for names in winners for n in names) == sorted(
            n for names in converted for n in names
        )
        assert [r.status for r in r209.results] == [r.status for r in eforms.results]
        if r209.form != "F13":
            assert winners == converted
            assert [c.value for r in r209.results for c in r.contracts] == [
                c.value for r in eforms.results for c in r.contracts
            ]
            assert [c.signed for r in r209.results for c in r.contracts] == [
                c.signed for r in eforms.results for c in r.contracts
            ]
            assert [r.tenders_received for r in r209.results] == [
                r.tenders_received for r in eforms.results
            ]
