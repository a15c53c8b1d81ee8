"""Every eForms notice (OP's conversions and the official SDK examples): buyers, lots, CPV,
NUTS and deadlines as the XML says."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from marketplace.tenders.notices import Notice, NoticeFormat, read_notice
from marketplace.tenders.notices.model import (
    BuyerType,
    CriterionKind,
    NoticeKind,
    ProcedureType,
    ResultStatus,
)
from tests.tenders.notices.helpers import (
    EFORMS,
    EFORMS_EXAMPLES,
    UBL,
    nodes,
    parsed,
    stamp,
    tree,
    xpath,
)

ISO3 = {"GBR": "GB", "IRL": "IE", "FRA": "FR", "DEU": "DE", "POL": "PL", "BEL": "BE", "ESP": "ES"}
LOTS = "cac:ProcurementProjectLot[cbc:ID/@schemeName != 'LotsGroup']"


@pytest.fixture(params=EFORMS, ids=[f"{p.parent.name}/{p.stem}" for p in EFORMS])
def case(request: pytest.FixtureRequest) -> tuple[etree._Element, Notice]:
    path: Path = request.param
    return tree(path), parsed(path)


def organisation(root: etree._Element, ref: str) -> etree._Element:
    return nodes(
        root, f"//efac:Organization[efac:Company/cac:PartyIdentification/cbc:ID='{ref}']", UBL
    )[0]


def deadline(period: list[etree._Element]) -> str | None:
    """ "2020-05-08 12:00" from EndDate "2020-05-08+01:00" and EndTime "12:00:00+01:00"."""
    if not period:
        return None
    day = xpath(period[0], "cbc:EndDate/text()", UBL)[0][:10]
    hour = xpath(period[0], "cbc:EndTime/text()", UBL)
    return f"{day} {hour[0][:5] if hour else '23:59'}"


class TestEveryNotice:
    def test_identity(self, case: tuple[etree._Element, Notice]) -> None:
        root, notice = case
        assert notice.format is NoticeFormat.EFORMS
        assert notice.notice_id == xpath(root, "cbc:ID/text()", UBL)[0]
        assert notice.notice_type == xpath(root, "cbc:NoticeTypeCode/text()", UBL)[0]
        assert notice.kind.value == xpath(root, "cbc:NoticeTypeCode/@listName", UBL)[0]
        assert notice.form == xpath(root, "//efac:NoticeSubType/cbc:SubTypeCode/text()", UBL)[0]
        assert notice.procedure_id == (xpath(root, "cbc:ContractFolderID/text()", UBL) or [None])[0]
        number = xpath(root, "//efac:Publication/efbc:NoticePublicationID/text()", UBL)
        if number:
            digits, year = number[0].split("-")
            assert notice.publication_number == f"{int(digits)}-{year}"
        else:
            assert notice.publication_number is None and notice.ted_url is None

    def test_buyers_are_the_contracting_parties_organisations(
        self, case: tuple[etree._Element, Notice]
    ) -> None:
        root, notice = case
        refs = xpath(
            root, "cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID/text()", UBL
        )
        assert [b.ref for b in notice.buyers] == refs
        language = xpath(root, "cbc:NoticeLanguageCode/text()", UBL)[0]
        for buyer, ref in zip(notice.buyers, refs, strict=True):
            company = nodes(organisation(root, ref), "efac:Company", UBL)[0]
            names = xpath(company, f"cac:PartyName/cbc:Name[@languageID='{language}']/text()", UBL)
            assert buyer.name == (names or xpath(company, "cac:PartyName/cbc:Name/text()", UBL))[0]
            country = xpath(
                company, "cac:PostalAddress/cac:Country/cbc:IdentificationCode/text()", UBL
            )
            if country and country[0] in ISO3:
                assert buyer.address.country == ISO3[country[0]]
            assert (
                buyer.address.locality
                == (xpath(company, "cac:PostalAddress/cbc:CityName/text()", UBL) or [None])[0]
            )
            assert (
                buyer.contact.email
                == (xpath(company, "cac:Contact/cbc:ElectronicMail/text()", UBL) or [None])[0]
            )
        leads = xpath(
            root,
            "//efac:Organization[efbc:GroupLeadIndicator='true']"
            "/efac:Company/cac:PartyIdentification/cbc:ID/text()",
            UBL,
        )
        expected_lead = [r for r in refs if r in leads] or refs[:1]
        assert [b.ref for b in notice.buyers if b.lead] == expected_lead

    def test_lots_in_order(self, case: tuple[etree._Element, Notice]) -> None:
        root, notice = case
        assert [lot.id for lot in notice.lots] == xpath(root, f"{LOTS}/cbc:ID/text()", UBL)

    def test_cpv_main_and_additional(self, case: tuple[etree._Element, Notice]) -> None:
        root, notice = case
        main = xpath(
            root,
            "cac:ProcurementProject/cac:MainCommodityClassification/cbc:ItemClassificationCode/text()",
            UBL,
        )
        assert [notice.main_cpv.given] if notice.main_cpv else [] == main
        for lot, element in zip(notice.lots, nodes(root, LOTS, UBL), strict=True):
            project = "cac:ProcurementProject"
            main = xpath(
                element,
                f"{project}/cac:MainCommodityClassification/cbc:ItemClassificationCode/text()",
                UBL,
            )
            assert ([lot.main_cpv.given] if lot.main_cpv else []) == main
            additional = xpath(
                element,
                f"{project}/cac:AdditionalCommodityClassification/cbc:ItemClassificationCode/text()",
                UBL,
            )
            assert [c.given for c in lot.additional_cpv] == additional
            assert all(
                c.code and c.code[:8] == c.given[:8]
                for c in (lot.main_cpv, *lot.additional_cpv)
                if c
            )

    def test_nuts_per_lot(self, case: tuple[etree._Element, Notice]) -> None:
        root, notice = case
        for lot, element in zip(notice.lots, nodes(root, LOTS, UBL), strict=True):
            expected = xpath(
                element,
                "cac:ProcurementProject/cac:RealizedLocation/cac:Address/cbc:CountrySubentityCode/text()",
                UBL,
            )
            assert [p.nuts.given for p in lot.places if p.nuts] == expected
            for place in lot.places:
                if place.nuts and not place.nuts.given.startswith("UK"):
                    assert place.nuts.nuts_2024 is not None

    def test_deadlines_per_lot(self, case: tuple[etree._Element, Notice]) -> None:
        root, notice = case
        for lot, element in zip(notice.lots, nodes(root, LOTS, UBL), strict=True):
            process = "cac:TenderingProcess"
            assert stamp(lot.submission_deadline) == deadline(
                nodes(element, f"{process}/cac:TenderSubmissionDeadlinePeriod", UBL)
            )
            assert stamp(lot.questions_deadline) == deadline(
                nodes(element, f"{process}/cac:AdditionalInformationRequestPeriod", UBL)
            )
            assert stamp(lot.participation_deadline) == deadline(
                nodes(element, f"{process}/cac:ParticipationRequestReceptionPeriod", UBL)
            )
        deadlines = [lot.submission_deadline for lot in notice.lots if lot.submission_deadline]
        assert notice.submission_deadline == (min(deadlines) if deadlines else None)

    def test_every_tenderer_of_a_settled_contract_is_a_winner(
        self, case: tuple[etree._Element, Notice]
    ) -> None:
        root, notice = case
        contracts = {c.id for r in notice.results for c in r.contracts}
        for settled in nodes(root, "//efac:NoticeResult/efac:SettledContract", UBL):
            reference = (
                xpath(settled, "efac:ContractReference/cbc:ID/text()", UBL)
                or xpath(settled, "cbc:ID/text()", UBL)
            )[0]
            if reference not in contracts:
                continue  # a contract no lot result points at
            tenders = xpath(settled, "efac:LotTender/cbc:ID/text()", UBL)
            parties = [
                p
                for t in tenders
                for p in xpath(
                    root,
                    f"//efac:NoticeResult/efac:LotTender[cbc:ID='{t}']/efac:TenderingParty/cbc:ID/text()",
                    UBL,
                )
            ]
            orgs = {
                o
                for p in parties
                for o in xpath(
                    root,
                    f"//efac:NoticeResult/efac:TenderingParty[cbc:ID='{p}']/efac:Tenderer/cbc:ID/text()",
                    UBL,
                )
            }
            contract = next(c for r in notice.results for c in r.contracts if c.id == reference)
            assert {w.ref for w in contract.winners} == orgs

    def test_the_report_points_into_the_notice(self, case: tuple[etree._Element, Notice]) -> None:
        root, notice = case
        name = etree.QName(root).localname
        assert all(u.path.startswith(f"/{name}") for u in notice.unmapped)
        assert not any(u.path.endswith("/cbc:ItemClassificationCode") for u in notice.unmapped)


def example(stem: str) -> Notice:
    return read_notice(next(p for p in EFORMS_EXAMPLES if p.stem == stem).read_bytes())


class TestWhatTheExamplesSay:
    def test_two_buyers_with_a_group_lead(self) -> None:
        found = example("can_25_ENG_Buyers")
        assert len(found.buyers) == 2
        assert [b.lead for b in found.buyers].count(True) == 1
        assert found.lead_buyer is not None and found.lead_buyer.lead

    def test_the_maximal_contract_notice(self) -> None:
        found = example("cn_24_maximal")
        assert found.kind is NoticeKind.COMPETITION
        assert found.procedure.type is ProcedureType.COMPETITIVE_WITH_NEGOTIATION
        assert found.lot_rules.groups and found.lot_rules.groups[0].lot_ids
        assert any(lot.framework for lot in found.lots)
        assert any(lot.questions_deadline for lot in found.lots)
        criteria = [c for lot in found.lots for c in lot.award_criteria]
        assert {c.kind for c in criteria} == {CriterionKind.COST, CriterionKind.QUALITY}
        assert all(c.weight is not None for c in criteria if c.weight_type == "per-exa")

    def test_innovation_partnership(self) -> None:
        assert example("cn-social_25").procedure.type is ProcedureType.INNOVATION_PARTNERSHIP

    def test_voluntary_ex_ante_transparency_is_a_direct_award(self) -> None:
        found = example("veat_24")
        assert found.kind is NoticeKind.DIRECT_AWARD_PRENOTIFICATION
        assert found.procedure.type is ProcedureType.NEGOTIATED_WITHOUT_PUBLICATION
        assert found.procedure.grounds

    def test_a_contract_modification_says_what_it_modifies(self) -> None:
        found = example("can-modif_24_value")
        assert found.kind is NoticeKind.CONTRACT_MODIFICATION
        assert found.change is not None
        assert found.change.changed_notice == "342558-2018"
        assert found.change.modified_contract == "CON-0001"
        assert found.change.description == "Increase in framework value"

    def test_result_notices_carry_values_and_winners(self) -> None:
        found = example("can_24_maximal")
        assert found.kind is NoticeKind.RESULT
        awarded = [r for r in found.results if r.status is ResultStatus.AWARDED]
        assert awarded and all(c.winners for r in awarded for c in r.contracts)
        assert found.total_awarded is not None

    def test_a_multilingual_notice_is_read_in_its_language_or_the_one_asked(self) -> None:
        path = next(p for p in EFORMS_EXAMPLES if p.stem == "cn_24_multilingual")
        root = tree(path)
        other = xpath(root, "cac:AdditionalNoticeLanguage/cbc:ID/text()", UBL)[0]
        english = read_notice(path.read_bytes())
        title = "cac:ProcurementProject/cbc:Name"
        assert english.title == xpath(root, f"{title}[@languageID='ENG']/text()", UBL)[0]
        from marketplace.tenders.notices.mapping import language_from_eforms

        code = language_from_eforms(other)
        assert code is not None
        translated = read_notice(path.read_bytes(), language=code)
        assert translated.title == xpath(root, f"{title}[@languageID='{other}']/text()", UBL)[0]
        assert translated.language == code

    def test_buyer_legal_types(self) -> None:
        types = {b.buyer_type for p in EFORMS_EXAMPLES for b in read_notice(p.read_bytes()).buyers}
        assert BuyerType.OTHER_PUBLIC_BODY in types or BuyerType.CITY in types

    def test_a_language_the_notice_is_not_written_in_falls_back_to_its_own(self) -> None:
        path = next(p for p in EFORMS_EXAMPLES if p.stem == "cn_24_minimal")
        assert read_notice(path.read_bytes(), language="fi").language == "en"
