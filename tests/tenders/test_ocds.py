"""OCDS open data: releases of every kind validate against the official schemas + extensions.

Data modelled on the TED joint notices (several buyers, lots) and OCP's fictional example.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from marketplace.tenders import ocds
from marketplace.tenders.ocds import (
    Amendment,
    Award,
    AwardCriterion,
    Item,
    Lot,
    Money,
    Organisation,
    OutcomeKpi,
    RequiredStandard,
    TenderSnapshot,
)

PUBLISHED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KRAKOW = Organisation(
    id="org-krakow",
    name="Gmina Miejska Kraków",
    country="PL",
    nuts="PL213",
    street_address="Plac Wszystkich Świętych 3-4",
    locality="Kraków",
    postal_code="31-004",
    email="zamowienia@example.krakow.pl",
)
LEIPZIG = Organisation(
    id="org-leipzig", name="Stadt Leipzig", country="DE", nuts="DED51", locality="Leipzig"
)
PORTO = Organisation(id="org-porto", name="Câmara Municipal do Porto", country="PT", nuts="PT11A")
SENSAIR = Organisation(
    id="org-sensair", name="SensAir Analytics Sp. z o.o.", country="PL", nuts="PL213"
)


def joint_tender(**changes: Any) -> TenderSnapshot:
    snapshot = TenderSnapshot(
        ocid="ocds-icc001-42",
        tender_id="42",
        title="Air-quality sensor network and open data platform",
        description="Three cities buy street-level air-quality sensors and a shared data platform.",
        status="active",
        procedure_type="open",
        lead_buyer=KRAKOW,
        co_buyers=(LEIPZIG, PORTO),
        lots=(
            Lot("1", "Sensors", "300 outdoor PM2.5/NO2 sensors", Money(Decimal("450000.00"))),
            Lot("2", "Data platform", "Hosted platform, 4 years", Money(Decimal("180000.50"))),
        ),
        items=(
            Item(
                "1",
                "Outdoor air-quality sensors",
                "38344000-8",
                "1",
                "Pollution-monitoring devices",
                Decimal(300),
                "unit",
            ),
            Item("2", "Open data platform", "72322000", "2", None),
        ),
        places_of_performance=("PL213", "DED51", "PT11A"),
        award_criteria=(
            AwardCriterion("Price", 40),
            AwardCriterion("Technical quality", 45, "Accuracy and durability of the sensors"),
            AwardCriterion("Interoperability", 15),
        ),
        required_standards=(
            RequiredStandard("MIM1", "OASC MIM1 Context Information Management", True),
            RequiredStandard("INSPIRE", "INSPIRE Directive data specifications", False),
        ),
        outcome_kpis=(
            OutcomeKpi("kpi-1", "Sensor uptime", "Monthly availability", Decimal("99.5"), "%"),
        ),
        clarification_deadline=PUBLISHED + timedelta(days=25),
        submission_deadline=PUBLISHED + timedelta(days=35),
        published_at=PUBLISHED,
    )
    return replace(snapshot, **changes)


def amended() -> TenderSnapshot:
    return joint_tender(
        amendments=(
            Amendment("1", PUBLISHED + timedelta(days=3), "Typo in lot 2", "Lot 2 title corrected"),
            Amendment("2", PUBLISHED + timedelta(days=9), "Sensor accuracy class raised"),
        ),
        submission_deadline=PUBLISHED + timedelta(days=41),
    )


def awarded() -> TenderSnapshot:
    decided = PUBLISHED + timedelta(days=50)
    return joint_tender(
        status="complete",
        awards=(
            Award("42-1", "1", decided, "active", SENSAIR, Money(Decimal("419000"))),
            Award("42-2", "2", decided, "unsuccessful"),
        ),
    )


def cancelled() -> TenderSnapshot:
    return joint_tender(
        status="cancelled",
        cancellation_reason="The budget of the participating cities was withdrawn.",
        cancelled_at=PUBLISHED + timedelta(days=5),
    )


def spec(**changes: Any) -> ocds.Document:
    return replace(
        ocds.Document(
            "doc-1", "technicalSpecifications", "Sensor specifications",
            "https://marketplace.example.eu/api/v1/documents/doc-1/download",
            PUBLISHED, "en", format="application/pdf",
        ),
        **changes,
    )  # fmt: skip


def with_documents() -> TenderSnapshot:
    return joint_tender(
        documents=(
            spec(date_modified=PUBLISHED + timedelta(days=4), description="Version 2"),
            spec(
                id="doc-2",
                document_type="billOfQuantity",
                title="Quantities",
                lot_id="1",
                format="text/csv",
                language="pl",
            ),
            spec(
                id="doc-3",
                document_type="biddingDocuments",
                title="Portal",
                format=None,
                url="procurement.example.pl/t/1",
            ),
        )
    )


def award_documented() -> TenderSnapshot:
    snapshot = awarded()
    notice = spec(id="doc-4", document_type="awardNotice", title="Award notice")
    return replace(snapshot, awards=(replace(snapshot.awards[0], documents=(notice,)),
                                     *snapshot.awards[1:]))  # fmt: skip


def contracted(*, terminated: bool = False, amended: bool = False) -> TenderSnapshot:
    signed = (PUBLISHED + timedelta(days=55)).date()
    contract = ocds.Contract(
        id="c-1", award_id="42-1", lot_id="1", status="terminated" if terminated else "active",
        date_signed=signed, value=Money(Decimal("419000")), period_start=signed,
        period_end=signed + timedelta(days=730), title="Sensors",
        shares=(ocds.ContractShare(KRAKOW, Decimal(200), "sensors"),
                ocds.ContractShare(LEIPZIG, None, None, Money(Decimal("100000")))),
        milestones=(ocds.Milestone("m-1", "Sensors installed", signed + timedelta(days=90),
                                   "met", signed + timedelta(days=80)),),
        transactions=(ocds.Transaction("t-1", signed + timedelta(days=85),
                                       Money(Decimal("200000")), LEIPZIG, SENSAIR),),
        amendments=(Amendment("a-1", PUBLISHED + timedelta(days=58), "More sensors",
                              "Changed: value from EUR 400000 to EUR 419000"),) if amended else (),
        terminated_on=signed + timedelta(days=100) if terminated else None,
        termination_reason="The supplier stopped delivering" if terminated else None,
    )  # fmt: skip
    return replace(
        awarded(),
        contracts=(contract,),
        bid_statistics=ocds.BidStatistics(PUBLISHED + timedelta(days=35), 3, (("1", 2), ("2", 1))),
    )


SNAPSHOTS = {
    "tender": joint_tender,
    "tenderAmendment": amended,
    "tenderCancellation": cancelled,
    "award": awarded,
    "tenderUpdate": with_documents,
    "awardUpdate": award_documented,
    "contract": contracted,
    "implementation": contracted,
    "contractAmendment": lambda: contracted(amended=True),
    "contractTermination": lambda: contracted(terminated=True),
}


def release(tag: str, snapshot: TenderSnapshot | None = None) -> dict[str, Any]:
    return ocds.build_release(
        snapshot or SNAPSHOTS[tag](), tag, PUBLISHED + timedelta(days=60),
        release_id=f"ocds-icc001-42-{tag}-1" if tag in ocds.AWARD_TAGS - {"award"} else None,
    )  # fmt: skip


def package(*releases: dict[str, Any]) -> dict[str, Any]:
    return ocds.release_package(
        list(releases),
        "https://marketplace.example.eu/api/v1/tenders/42/ocds",
        PUBLISHED + timedelta(days=61),
        "ICC Marketplace",
    )


@pytest.mark.parametrize("tag", ocds.RELEASE_TAGS)
def test_every_release_kind_of_a_joint_tender_validates(tag: str) -> None:
    built = release(tag)

    assert built["tag"] == [tag]
    assert ocds.validate_release_package(package(built)) == []
    json.dumps(package(built))  # plain JSON, no Decimal or datetime left


def test_all_releases_of_a_process_form_one_valid_package_with_unique_ids() -> None:
    releases = [release(tag) for tag in ocds.RELEASE_TAGS]

    assert len({r["id"] for r in releases}) == len(ocds.RELEASE_TAGS) == 10
    assert ocds.validate_release_package(package(*releases)) == []


def test_documents_of_the_tender_its_lots_and_awards() -> None:
    documents = release("tenderUpdate")["tender"]["documents"]
    assert documents[0] == {
        "id": "doc-1", "documentType": "technicalSpecifications",
        "title": "Sensor specifications", "description": "Version 2",
        "url": "https://marketplace.example.eu/api/v1/documents/doc-1/download",
        "datePublished": "2026-03-02T09:00:00Z", "dateModified": "2026-03-06T09:00:00Z",
        "format": "application/pdf", "language": "en",
    }  # fmt: skip
    assert documents[1]["relatedLots"] == ["1"] and documents[1]["language"] == "pl"
    assert documents[2]["url"] == "https://procurement.example.pl/t/1"
    assert "format" not in documents[2] and "dateModified" not in documents[2]
    awarded_release = release("awardUpdate")
    assert [d["id"] for d in awarded_release["awards"][0]["documents"]] == ["doc-4"]
    assert "documents" not in awarded_release["awards"][1]


def test_release_envelope_follows_ocds() -> None:
    built = release("tender")

    assert built["ocid"] == "ocds-icc001-42"
    assert built["id"] == "ocds-icc001-42-tender"
    assert built["date"] == "2026-05-01T09:00:00Z"
    assert built["initiationType"] == "tender"
    assert built["language"] == "en"
    pkg = package(built)
    assert pkg["version"] == "1.1"
    assert len(pkg["extensions"]) == len(ocds.EXTENSIONS)


def test_joint_tender_has_joint_modality_and_single_city_tender_does_not() -> None:
    assert release("tender")["tender"]["procurementMethodModalities"] == ["joint"]

    single = release("tender", joint_tender(co_buyers=()))
    assert "procurementMethodModalities" not in single["tender"]
    assert ocds.validate_release_package(package(single)) == []
    # the lead repeated among the co-buyers is still a single-buyer tender
    same = release("tender", joint_tender(co_buyers=(KRAKOW,)))
    assert "procurementMethodModalities" not in same["tender"]
    assert [p["id"] for p in same["parties"]] == ["org-krakow"]


def test_lead_buyer_is_buyer_and_procuring_entity_and_each_city_a_buyer() -> None:
    built = release("tender")
    roles = {p["id"]: p["roles"] for p in built["parties"]}

    assert roles == {
        "org-krakow": ["buyer", "procuringEntity"],
        "org-leipzig": ["buyer"],
        "org-porto": ["buyer"],
    }
    assert built["buyer"] == {"id": "org-krakow", "name": "Gmina Miejska Kraków"}
    assert built["tender"]["procuringEntity"]["id"] == "org-krakow"
    krakow = next(p for p in built["parties"] if p["id"] == "org-krakow")
    assert krakow["address"]["region"] == "PL213"
    assert krakow["address"]["countryName"] == "Poland"


def test_awarded_sme_is_a_supplier_with_scale_sme() -> None:
    built = release("award")
    supplier = next(p for p in built["parties"] if p["id"] == "org-sensair")

    assert supplier["roles"] == ["supplier"]
    assert supplier["details"] == {"scale": "sme"}
    first, second = built["awards"]
    assert first["suppliers"] == [{"id": "org-sensair", "name": "SensAir Analytics Sp. z o.o."}]
    assert first["relatedLots"] == ["1"]
    assert first["value"] == {"amount": 419000, "currency": "EUR"}
    assert second["status"] == "unsuccessful"
    assert "suppliers" not in second
    assert [lot["status"] for lot in built["tender"]["lots"]] == ["complete", "unsuccessful"]


def test_lots_items_cpv_periods_criteria_kpis_and_places() -> None:
    tender = release("tender")["tender"]

    assert [lot["id"] for lot in tender["lots"]] == ["1", "2"]
    assert tender["lots"][1]["value"] == {"amount": 180000.5, "currency": "EUR"}
    assert tender["value"] == {"amount": 630000.5, "currency": "EUR"}
    assert tender["items"][0]["classification"] == {
        "scheme": "CPV",
        "id": "38344000",
        "description": "Pollution-monitoring devices",
    }
    assert tender["items"][1]["classification"]["id"] == "72322000"
    assert [i["relatedLot"] for i in tender["items"]] == ["1", "2"]
    assert tender["tenderPeriod"] == {
        "startDate": "2026-03-02T09:00:00Z",
        "endDate": "2026-04-06T09:00:00Z",
    }
    assert tender["enquiryPeriod"]["endDate"] == "2026-03-27T09:00:00Z"
    criteria = tender["lots"][0]["awardCriteria"]["criteria"]
    assert [(c["name"], c["numbers"][0]["number"]) for c in criteria] == [
        ("Price", 40),
        ("Technical quality", 45),
        ("Interoperability", 15),
    ]
    assert criteria[0]["type"] == "price"
    assert tender["awardCriteria"] == "ratedCriteria"
    assert "Mandatory conformance to: OASC MIM1" in tender["eligibilityCriteria"]
    assert "Desirable conformance to: INSPIRE" in tender["eligibilityCriteria"]
    assert tender["targets"][0]["observations"][0] == {
        "id": "kpi-1-target",
        "measure": 99.5,
        "unit": {"name": "%"},
    }
    assert [loc["gazetteer"]["identifiers"] for loc in tender["deliveryLocations"]] == [
        ["PL213"],
        ["DED51"],
        ["PT11A"],
    ]
    assert tender["mainProcurementCategory"] == "goods"
    assert tender["status"] == "active"


@pytest.mark.parametrize(
    ("procedure", "method"),
    [
        ("open", "open"),
        ("restricted", "selective"),
        ("competitive_dialogue", "selective"),
        ("innovation_partnership", "selective"),
        ("pcp", "selective"),
        ("ppi", "open"),
    ],
)
def test_procedure_type_maps_to_procurement_method(procedure: str, method: str) -> None:
    built = release("tender", joint_tender(procedure_type=procedure))

    assert built["tender"]["procurementMethod"] == method
    assert ocds.validate_release_package(package(built)) == []


def test_amendments_appear_in_order_and_cancellation_carries_the_reason() -> None:
    amendment = release("tenderAmendment")
    assert amendment["id"] == "ocds-icc001-42-amendment-2"
    assert [a["rationale"] for a in amendment["tender"]["amendments"]] == [
        "Typo in lot 2",
        "Sensor accuracy class raised",
    ]
    assert amendment["tender"]["tenderPeriod"]["endDate"] == "2026-04-12T09:00:00Z"

    cancellation = release("tenderCancellation")
    assert cancellation["tender"]["status"] == "cancelled"
    assert cancellation["tender"]["amendments"][-1] == {
        "id": "cancellation",
        "date": "2026-03-07T09:00:00Z",
        "rationale": "The budget of the participating cities was withdrawn.",
        "description": "The tender was cancelled.",
    }


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for child in value.values() for k in _keys(child)}
    if isinstance(value, list):
        return {k for child in value for k in _keys(child)}
    return set()


def test_no_bid_or_response_data_in_any_release() -> None:
    for tag in ocds.RELEASE_TAGS:
        keys = _keys(release(tag))
        assert not keys & {"numberOfTenderers", "tenderers", "responses", "scores"}
        assert "details" not in release(tag).get("bids", {})
        # The number of responses only from snapshots counted after the deadline.
        assert ("bids" in keys) == (tag in ocds.CONTRACT_TAGS)
        if tag not in ocds.AWARD_TAGS:
            assert "awards" not in keys
            assert "suppliers" not in keys
    # a tender-stage release built from an awarded snapshot still shows no award or supplier
    early = ocds.build_release(awarded(), "tender", PUBLISHED)
    assert "awards" not in early
    assert all(p["roles"] != ["supplier"] for p in early["parties"])
    # and the validator refuses sealed data if it ever slipped in
    leaked = release("tender")
    leaked["date"] = "2026-03-10T09:00:00Z"  # before the submission deadline
    leaked["bids"] = {"statistics": [{"id": "1", "measure": "bids", "value": 3}]}
    assert (
        "/releases/0/bids: the number of responses is sealed until the submission deadline"
        in ocds.validate_release_package(package(leaked))
    )
    # After the deadline the counts are public, and only the counts.
    leaked["date"] = "2026-04-10T09:00:00Z"
    assert ocds.validate_release_package(package(leaked)) == []
    leaked["bids"]["details"] = [{"id": "b-1"}]
    assert "/releases/0/bids: sealed data must never be published" in ocds.validate_release_package(
        package(leaked)
    )


def test_a_contract_with_its_implementation() -> None:
    built = release("contractTermination")
    (contract,) = built["contracts"]
    assert contract["awardID"] == "42-1" and contract["status"] == "terminated"
    assert contract["dateSigned"] == "2026-04-26T00:00:00Z"
    assert contract["period"] == {"startDate": "2026-04-26T00:00:00Z",
                                  "endDate": "2028-04-25T00:00:00Z"}  # fmt: skip
    assert contract["amendments"][-1]["rationale"] == "The supplier stopped delivering"
    assert [i["description"] for i in contract["items"]] == [
        "Share of Gmina Miejska Kraków: 200 sensors", "Share of Stadt Leipzig: EUR 100000.00",
    ]  # fmt: skip
    (transaction,) = contract["implementation"]["transactions"]
    roles = {p["id"]: p["roles"] for p in built["parties"]}
    assert "payer" in roles[transaction["payer"]["id"]]
    assert "payee" in roles[transaction["payee"]["id"]]
    assert built["tender"]["contractPeriod"] == contract["period"]
    assert built["tender"]["awardPeriod"] == {"startDate": "2026-04-06T09:00:00Z",
                                              "endDate": "2026-04-21T09:00:00Z"}  # fmt: skip
    assert built["bids"]["statistics"][0] == {
        "id": "bids", "measure": "bids", "value": 3, "date": "2026-04-06T09:00:00Z"
    }  # fmt: skip
    with pytest.raises(ValueError, match="needs at least one contract"):
        ocds.build_release(awarded(), "contract", PUBLISHED, release_id="x")
    with pytest.raises(ValueError, match="needs its release_id"):
        ocds.build_release(contracted(), "implementation", PUBLISHED)


def test_broken_release_fails_with_readable_messages() -> None:
    broken = release("tender")
    del broken["id"]
    broken["date"] = "2 March 2026"

    errors = ocds.validate_release_package(package(broken))

    assert "/releases/0: 'id' is a required property" in errors
    assert "/releases/0/date: '2 March 2026' is not a 'date-time'" in errors


@pytest.mark.parametrize(
    "bad", ["2026-02-30T10:00:00Z", "2026-03-02 09:00:00", "2026-03-02T09:00:00", "2026-03-02"]
)
def test_date_time_format_is_really_checked(bad: str) -> None:
    broken = release("tender")
    broken["tender"]["tenderPeriod"]["endDate"] = bad

    assert ocds.validate_release_package(package(broken)) == [
        f"/releases/0/tender/tenderPeriod/endDate: {bad!r} is not a 'date-time'"
    ]


def test_codelist_and_extension_fields_are_checked() -> None:
    broken = release("award")
    broken["parties"][-1]["details"]["scale"] = "tiny"
    broken["tender"]["procurementMethod"] = "negotiated"
    broken["tender"]["lots"][0]["id"] = 1

    errors = ocds.validate_release_package(package(broken))

    assert any(
        e.startswith("/releases/0/parties/3/details/scale: 'tiny' is not one of") for e in errors
    )
    assert any(e.startswith("/releases/0/tender/procurementMethod: 'negotiated'") for e in errors)
    assert "/releases/0/tender/lots/0/id: 1 is not of type 'string'" in errors


def test_duplicate_release_ids_are_reported() -> None:
    first = release("tender")
    errors = ocds.validate_release_package(
        package(first, {**first, "date": "2026-05-02T09:00:00Z"})
    )

    assert errors == ["/releases/1/id: duplicate release id 'ocds-icc001-42-tender'"]


def test_builder_refuses_what_it_cannot_express() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ocds.build_release(joint_tender(), "tender", datetime(2026, 3, 2, 9, 0))
    with pytest.raises(ValueError, match="unsupported release tag"):
        ocds.build_release(joint_tender(), "planning", PUBLISHED)
    with pytest.raises(ValueError, match="needs at least one amendment"):
        ocds.build_release(joint_tender(), "tenderAmendment", PUBLISHED)
    with pytest.raises(ValueError, match="needs the cancellation reason"):
        ocds.build_release(joint_tender(status="cancelled"), "tenderCancellation", PUBLISHED)
    with pytest.raises(ValueError, match="unknown procedure type"):
        ocds.build_release(joint_tender(procedure_type="negotiated"), "tender", PUBLISHED)
    with pytest.raises(ValueError, match="not a CPV code"):
        ocds.build_release(
            joint_tender(items=(Item("1", "x", "3834400", "1"),)), "tender", PUBLISHED
        )


def test_json_merge_patch_follows_rfc_7386() -> None:
    target = {"a": "b", "c": {"d": "e", "f": "g"}}
    patch = {"a": "z", "c": {"f": None}}

    assert ocds.json_merge_patch(target, patch) == {"a": "z", "c": {"d": "e"}}
    assert target == {"a": "b", "c": {"d": "e", "f": "g"}}
    assert ocds.json_merge_patch({"a": [1, 2]}, {"a": [3]}) == {"a": [3]}
    assert ocds.json_merge_patch({"a": "b"}, ["c"]) == ["c"]


def test_merged_schema_contains_every_extension_field() -> None:
    definitions = ocds.release_schema()["definitions"]

    assert {"lots", "procurementMethodModalities", "deliveryLocations", "targets"} <= set(
        definitions["Tender"]["properties"]
    )
    assert "awardCriteria" in definitions["Lot"]["properties"]
    assert "scale" in definitions["Organization"]["properties"]["details"]["properties"]
    assert "relatedLots" in definitions["Award"]["properties"]


def test_web_addresses_written_without_a_scheme_become_uris() -> None:
    from marketplace.tenders.ocds import absolute_url

    assert absolute_url("www.tolletaten.no") == "https://www.tolletaten.no"
    assert (
        absolute_url(" www.nhssourcing.co.uk/tenders ") == "https://www.nhssourcing.co.uk/tenders"
    )
    assert absolute_url("http://example.eu/a?b=c") == "http://example.eu/a?b=c"
    assert absolute_url("mailto:buyer@example.eu") == "mailto:buyer@example.eu"
    assert absolute_url(None) is None


@pytest.mark.parametrize(
    ("given", "published"),
    [
        ("https://www.krakow.pl/zamowienia", "https://www.krakow.pl/zamowienia"),
        ("www.pst.no", "https://www.pst.no"),  # as notices write it: a host alone
        ("  www.pst.no/anskaffelser ", "https://www.pst.no/anskaffelser"),
        ("see the city's website", None),
        ("", None),
    ],
)
def test_web_addresses_are_published_as_uris_or_not_at_all(
    given: str, published: str | None
) -> None:
    buyer = replace(KRAKOW, url=given)
    built = release("tender", joint_tender(lead_buyer=buyer, documents_url=given or None))
    party = next(p for p in built["parties"] if p["id"] == "org-krakow")
    assert party["contactPoint"].get("url") == published
    documents = built["tender"].get("documents", [])
    assert [d["url"] for d in documents] == ([published] if published else [])
    assert ocds.validate_release_package(package(built)) == []


def test_fields_without_a_value_are_left_out() -> None:
    """An imported notice may have no description, a lot no description: no empty strings,
    objects or arrays are published (the Data Review Tool flags each)."""
    bare = joint_tender(
        description="", lots=(Lot("1", "Sensors", ""), Lot("2", "Data platform", "   ")),
    )  # fmt: skip
    built = release("tender", bare)
    assert "description" not in built["tender"]
    assert all("description" not in lot for lot in built["tender"]["lots"])
    assert ocds.validate_release_package(package(built)) == []


def test_a_record_compiles_the_releases_in_date_order() -> None:
    first = release("tender")
    later = ocds.build_release(
        amended(), "tenderAmendment", PUBLISHED + timedelta(days=61), release_id=None
    )
    record = ocds.record_package(
        [later, first], "https://marketplace.example.eu/r", PUBLISHED + timedelta(days=62), "ICC"
    )
    assert ocds.validate_record_package(record) == []
    [entry] = record["records"]
    assert [r["id"] for r in entry["releases"]] == [first["id"], later["id"]]
    compiled = entry["compiledRelease"]
    assert compiled["id"] == f"{first['ocid']}-{later['date']}"
    assert [a["id"] for a in compiled["tender"]["amendments"]] == ["1", "2"]
    assert (
        compiled["tender"]["tenderPeriod"]["endDate"] == later["tender"]["tenderPeriod"]["endDate"]
    )

    twins = copy.deepcopy(record)
    twins["records"][0]["releases"][1]["date"] = first["date"]
    assert ocds.validate_record_package(twins) == [
        f"/records/0/releases: dates do not strictly increase {[first['date']] * 2}"
    ]
