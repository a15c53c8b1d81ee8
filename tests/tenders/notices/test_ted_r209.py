"""Every TED XML R2.0.9 notice: buyers, lots, CPV, NUTS and deadlines as the XML says."""

from __future__ import annotations

from pathlib import Path

import pytest

from marketplace.tenders.notices import Notice, NoticeFormat, read_notice
from marketplace.tenders.notices.model import (
    BuyerType,
    LotSubmission,
    NoticeKind,
    ProcedureType,
    ResultStatus,
)
from tests.tenders.notices.helpers import (
    EU_TO_ISO,
    R209,
    TED_R209,
    nodes,
    parsed,
    stamp,
    tree,
    xpath,
)

IDS = [p.stem for p in TED_R209]


def original_form(path: Path):  # type: ignore[no-untyped-def]
    """The original-language version: the form whose LG is the notice's LG_ORIG."""
    root = tree(path)
    language = xpath(root, "//t:NOTICE_DATA/t:LG_ORIG[1]/text()", R209)[0]
    return nodes(root, f"//t:FORM_SECTION/*[@CATEGORY='ORIGINAL'][@LG='{language}']", R209)[0]


@pytest.fixture(params=TED_R209, ids=IDS)
def case(request: pytest.FixtureRequest) -> tuple[Path, Notice]:
    path: Path = request.param
    return path, parsed(path)


class TestEveryNotice:
    def test_it_is_read_as_r209_with_its_publication_number(
        self, case: tuple[Path, Notice]
    ) -> None:
        path, notice = case
        assert notice.format is NoticeFormat.TED_R209
        number, year = tree(path).get("DOC_ID", "").split("-")
        doc_id = f"{int(number)}-{year}"  # TED pads to six digits in DOC_ID, not in its links
        assert notice.publication_number == doc_id
        assert notice.ted_url == f"https://ted.europa.eu/en/notice/-/detail/{doc_id}"
        form = original_form(path)
        assert notice.form == form.get("FORM")
        assert notice.language == form.get("LG", "").lower()

    def test_buyers_are_every_contracting_body_in_order(self, case: tuple[Path, Notice]) -> None:
        path, notice = case
        form = original_form(path)
        bodies = nodes(
            form,
            "t:CONTRACTING_BODY/t:ADDRESS_CONTRACTING_BODY"
            " | t:CONTRACTING_BODY/t:ADDRESS_CONTRACTING_BODY_ADDITIONAL",
            R209,
        )
        assert [b.name for b in notice.buyers] == [
            xpath(b, "t:OFFICIALNAME/text()", R209)[0] for b in bodies
        ]
        countries = [xpath(b, "t:COUNTRY/@VALUE", R209)[0] for b in bodies]
        assert [b.address.country for b in notice.buyers] == [
            EU_TO_ISO.get(c, c) for c in countries
        ]
        assert [b.address.locality for b in notice.buyers] == [
            (xpath(b, "t:TOWN/text()", R209) or [None])[0] for b in bodies
        ]
        assert [b.contact.email for b in notice.buyers] == [
            (xpath(b, "t:E_MAIL/text()", R209) or [None])[0] for b in bodies
        ]
        assert [b.address.region.given if b.address.region else None for b in notice.buyers] == [
            (xpath(b, "*[local-name()='NUTS']/@CODE", R209) or [None])[0] for b in bodies
        ]
        assert [b.lead for b in notice.buyers] == [i == 0 for i in range(len(bodies))]

    def test_lots_are_every_object_description(self, case: tuple[Path, Notice]) -> None:
        path, notice = case
        descriptions = nodes(original_form(path), "t:OBJECT_CONTRACT/t:OBJECT_DESCR", R209)
        assert len(notice.lots) == len(descriptions)
        for lot, element in zip(notice.lots, descriptions, strict=True):
            expected = xpath(element, "t:LOT_NO/text()", R209) or [element.get("ITEM", "1")]
            assert lot.id == expected[0]

    def test_cpv_main_and_additional_per_lot(self, case: tuple[Path, Notice]) -> None:
        path, notice = case
        form = original_form(path)
        main = xpath(form, "t:OBJECT_CONTRACT/t:CPV_MAIN/t:CPV_CODE/@CODE", R209)[0]
        assert notice.main_cpv is not None and notice.main_cpv.given == main
        assert notice.main_cpv.code is not None and notice.main_cpv.code.startswith(main)
        for lot, element in zip(
            notice.lots, nodes(form, "t:OBJECT_CONTRACT/t:OBJECT_DESCR", R209), strict=True
        ):
            assert lot.main_cpv == notice.main_cpv  # the procedure's main code covers every lot
            expected = xpath(element, "t:CPV_ADDITIONAL/t:CPV_CODE/@CODE", R209)
            assert [c.given for c in lot.additional_cpv] == expected
            assert all(c.code and c.code[:8] == c.given for c in lot.additional_cpv)

    def test_nuts_per_lot_as_given_and_in_2024(self, case: tuple[Path, Notice]) -> None:
        path, notice = case
        for lot, element in zip(
            notice.lots,
            nodes(original_form(path), "t:OBJECT_CONTRACT/t:OBJECT_DESCR", R209),
            strict=True,
        ):
            expected = xpath(element, "*[local-name()='NUTS']/@CODE", R209)
            assert [p.nuts.given for p in lot.places if p.nuts] == expected
            for place in lot.places:
                assert place.nuts is not None
                if place.nuts.given.startswith("UK"):
                    assert place.nuts.nuts_2024 is None and place.country == "GB"
                else:
                    assert place.nuts.nuts_2024 is not None
                    assert place.country == EU_TO_ISO.get(
                        place.nuts.given[:2], place.nuts.given[:2]
                    )

    def test_submission_deadline(self, case: tuple[Path, Notice]) -> None:
        path, notice = case
        form = original_form(path)
        day = xpath(form, "t:PROCEDURE/t:DATE_RECEIPT_TENDERS/text()", R209)
        hour = xpath(form, "t:PROCEDURE/t:TIME_RECEIPT_TENDERS/text()", R209)
        expected = f"{day[0]} {hour[0] if hour else '23:59'}" if day else None
        assert stamp(notice.submission_deadline) == expected
        assert all(stamp(lot.submission_deadline) == expected for lot in notice.lots)
        assert notice.questions_deadline is None  # R2.0.9 has no such field

    def test_awarded_contracts_and_their_winners(self, case: tuple[Path, Notice]) -> None:
        path, notice = case
        form = original_form(path)
        awarded = nodes(form, "t:AWARD_CONTRACT[t:AWARDED_CONTRACT]", R209)
        contracts = [c for result in notice.results for c in result.contracts]
        if not nodes(form, "t:RESULTS", R209):
            assert len(contracts) == len(awarded)
            assert [w.name for c in contracts for w in c.winners] == xpath(
                form,
                "t:AWARD_CONTRACT/t:AWARDED_CONTRACT/t:CONTRACTORS/t:CONTRACTOR"
                "/t:ADDRESS_CONTRACTOR/t:OFFICIALNAME/text()",
                R209,
            )
        unsuccessful = xpath(form, "t:AWARD_CONTRACT[t:NO_AWARDED_CONTRACT]/t:LOT_NO/text()", R209)
        for lot_id in unsuccessful:
            if lot_id not in xpath(
                form, "t:AWARD_CONTRACT[t:AWARDED_CONTRACT]/t:LOT_NO/text()", R209
            ):
                result = next(r for r in notice.results if r.lot_id == lot_id)
                assert result.status is ResultStatus.NOT_AWARDED and result.reason

    def test_nothing_read_is_also_reported_unmapped(self, case: tuple[Path, Notice]) -> None:
        _, notice = case
        paths = [u.path for u in notice.unmapped]
        assert all(p.startswith("/TED_EXPORT") for p in paths)
        assert not any("/CPV_MAIN" in p or "/OFFICIALNAME" in p.split("/")[-1] for p in paths)


def notice(stem: str) -> Notice:
    return read_notice(next(p for p in TED_R209 if p.stem == stem).read_bytes())


class TestWhatRealNoticesSay:
    """Values checked by hand against the published notices."""

    def test_a_joint_framework_of_four_housing_associations(self) -> None:
        found = notice("20-156983-001-EXP")
        assert found.kind is NoticeKind.COMPETITION
        assert found.procedure.type is ProcedureType.RESTRICTED
        assert [b.name for b in found.buyers][:2] == [
            "Langstane Housing Association Ltd",
            "Castlehill Housing Association",
        ]
        assert all(b.address.country == "GB" for b in found.buyers)  # TED writes UK
        assert found.lot_rules.submission is LotSubmission.ALL_LOTS_ALLOWED
        assert found.framework and all(lot.framework for lot in found.lots)
        assert found.lots[0].framework is not None and found.lots[0].framework.several_operators
        assert found.previous_notices == ("214462-2019",)

    def test_a_dynamic_purchasing_system_with_electronic_auctions(self) -> None:
        found = notice("20-382921-001-EXP")
        assert found.dps and found.eauction
        lot = found.lots[0]
        assert lot.dps is not None and lot.dps.additional_purchasers
        assert lot.eauction is not None and "further competitions" in (
            lot.eauction.description or ""
        )

    def test_weights_in_free_text_are_kept_and_numbers_read(self) -> None:
        found = notice("21-000061-001-EXP")
        criteria = found.lots[0].award_criteria
        assert criteria[0].name == "Health, safety and wellbeing (HS&W)"
        assert criteria[0].weight_given == "10.08 %"
        assert str(criteria[0].weight) == "10.08"
        words = notice("20-271232-001-EXP").lots[0].award_criteria
        assert [c.weight_given for c in words] == ["EDMA", "Conf Docs du marché"]
        assert all(c.weight is None for c in words)

    def test_long_criterion_names_are_whole(self) -> None:
        criteria = notice("21-048169-001-EXP").lots[0].award_criteria
        assert len(criteria[0].name or "") > 100

    def test_a_negotiated_procedure_without_publication_and_its_justification(self) -> None:
        found = notice("21-048169-001-EXP")
        assert found.procedure.type is ProcedureType.NEGOTIATED_WITHOUT_PUBLICATION
        assert found.procedure.grounds == ("D_TECHNICAL",)
        assert "unique character" in (found.procedure.justification or "")
        (result,) = found.results
        (contract,) = result.contracts
        assert contract.value is not None and str(contract.value.amount) == "6000000.00"
        assert contract.winners[0].address.country == "FR"

    def test_the_original_language_is_read_and_other_versions_reported_once(self) -> None:
        found = notice("21-077815-001-EXP")
        assert found.language == "en"
        versions = [u for u in found.unmapped if "language versions" in u.reason]
        assert len(versions) == 1 and "DA (translation)" in (versions[0].value or "")

    def test_another_language_version_can_be_asked_for(self) -> None:
        path = next(p for p in TED_R209 if p.stem == "22-104446-001-EXP")
        german = read_notice(path.read_bytes(), language="de")
        assert german.language == "de"
        assert (
            german.title
            == xpath(
                tree(path),
                "//t:FORM_SECTION/*[@LG='DE']/t:OBJECT_CONTRACT/t:TITLE/t:P/text()",
                R209,
            )[0]
        )

    def test_a_regional_or_local_authority_is_not_guessed_to_be_a_city(self) -> None:
        found = notice("18-536293-001-EXP")
        assert {b.buyer_type for b in found.buyers} == {BuyerType.REGIONAL_OR_LOCAL_AUTHORITY}
        assert found.kind is NoticeKind.RESULT  # a design contest's results
        assert len(found.results[0].contracts[0].winners) == 5

    def test_national_identifiers_get_their_register(self) -> None:
        sncf = notice("20-271232-001-EXP").buyers[0]
        assert [(i.id, i.scheme) for i in sncf.identifiers] == [("552 049 447", "FR-RCS")]
        norway = notice("20-320448-001-EXP").buyers[0]
        assert [(i.id, i.scheme) for i in norway.identifiers] == [("974 761 157", "NO-BRC")]

    def test_a_placeholder_identifier_is_reported_not_kept(self) -> None:
        found = notice("19-289373-001-EXP")
        assert found.buyers[0].identifiers == ()
        (line,) = [u for u in found.unmapped if u.path.endswith("/NATIONALID")]
        assert line.value == "N/A" and "placeholder" in line.reason

    def test_uk_regions_are_kept_and_reported(self) -> None:
        found = notice("20-382921-001-EXP")
        assert found.buyers[0].address.region is not None
        assert found.buyers[0].address.region.given == "UKD63"
        assert any(u.value == "UKD63" and "not in NUTS 2024" in u.reason for u in found.unmapped)

    def test_unsuccessful_lots_keep_their_reason(self) -> None:
        found = notice("22-091559-001-EXP")
        statuses = {r.lot_id: (r.status, r.reason) for r in found.results}
        assert ResultStatus.NOT_AWARDED in {s for s, _ in statuses.values()}
        assert {why for s, why in statuses.values() if s is ResultStatus.NOT_AWARDED} <= {
            "PROCUREMENT_DISCONTINUED",
            "PROCUREMENT_UNSUCCESSFUL",
        }
