"""Importing every real notice (TED XML R2.0.9 and eForms) as an external tender.

The expected buyers, lots, CPV, NUTS and deadlines are read from the XML itself with lxml and
XPath here, not through the readers, and compared with what the database holds after the
import: what a procurement officer who knows the notice would check on the tender page.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organisation, OrganisationIdentifier
from marketplace.settings import Settings
from marketplace.tenders.imports import ImportReport, import_file
from marketplace.tenders.models import AuditEntry, LotDecision, OcdsRelease, Tender, TenderNotice
from marketplace.tenders.ocds import release_package, validate_release_package
from tests.factories import Api
from tests.tenders.notices.helpers import (
    EFORMS,
    R209,
    TED_R209,
    UBL,
    nodes,
    tree,
    xpath,
)

NOW = datetime.fromisoformat("2026-12-01T12:00:00+00:00")
LOTS = "cac:ProcurementProjectLot[cbc:ID/@schemeName != 'LotsGroup']"
ALL = TED_R209 + EFORMS


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _read(path: Path) -> bytes:
    return path.read_bytes()


async def _import(db: AsyncSession, settings: Settings, path: Path) -> ImportReport:
    report = await import_file(db, _read(path), NOW, settings, source=path.name)
    await db.commit()
    return report


async def _tender(db: AsyncSession, tender_id: str) -> Tender:
    tender = await db.scalar(
        select(Tender)
        .where(Tender.id == tender_id)
        .options(selectinload(Tender.lots), selectinload(Tender.buyers))
        .execution_options(populate_existing=True)
    )
    assert tender is not None
    return tender


# --- what the XML says, read here --------------------------------------------------------------


def _r209_form(root: etree._Element) -> etree._Element:
    language = xpath(root, "//t:NOTICE_DATA/t:LG_ORIG[1]/text()", R209)[0]
    return nodes(root, f"//t:FORM_SECTION/*[@CATEGORY='ORIGINAL'][@LG='{language}']", R209)[0]


def _expected_r209(path: Path) -> dict[str, object]:
    form = _r209_form(tree(path))
    bodies = nodes(
        form,
        "t:CONTRACTING_BODY/t:ADDRESS_CONTRACTING_BODY"
        " | t:CONTRACTING_BODY/t:ADDRESS_CONTRACTING_BODY_ADDITIONAL",
        R209,
    )
    main = xpath(form, "t:OBJECT_CONTRACT/t:CPV_MAIN/t:CPV_CODE/@CODE", R209)
    lots = []
    for element in nodes(form, "t:OBJECT_CONTRACT/t:OBJECT_DESCR", R209):
        lots.append(
            {
                "id": (xpath(element, "t:LOT_NO/text()", R209) or [element.get("ITEM", "1")])[0],
                "cpv": main + xpath(element, "t:CPV_ADDITIONAL/t:CPV_CODE/@CODE", R209),
                "nuts": xpath(element, "*[local-name()='NUTS']/@CODE", R209),
            }
        )
    day = xpath(form, "t:PROCEDURE/t:DATE_RECEIPT_TENDERS/text()", R209)
    hour = xpath(form, "t:PROCEDURE/t:TIME_RECEIPT_TENDERS/text()", R209)
    deadline = (
        datetime.fromisoformat(f"{day[0]}T{hour[0] if hour else '23:59'}:00+01:00") if day else None
    )
    return {
        "buyers": [xpath(b, "t:OFFICIALNAME/text()", R209)[0] for b in bodies],
        "lots": lots,
        "deadline": deadline,
    }


def _eforms_deadline(periods: list[etree._Element]) -> datetime | None:
    if not periods:
        return None
    day = xpath(periods[0], "cbc:EndDate/text()", UBL)[0]
    hour = xpath(periods[0], "cbc:EndTime/text()", UBL)
    offset = day[10:] or "Z"
    clock = hour[0] if hour else f"23:59:00{offset}"
    if clock[8:] == "":
        clock += offset
    return datetime.fromisoformat(f"{day[:10]}T{clock}".replace("Z", "+00:00"))


def _expected_eforms(path: Path) -> dict[str, object]:
    root = tree(path)
    language = xpath(root, "cbc:NoticeLanguageCode/text()", UBL)[0]
    buyers = []
    for ref in xpath(
        root, "cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID/text()", UBL
    ):
        company = nodes(
            root,
            f"//efac:Organization[efac:Company/cac:PartyIdentification/cbc:ID='{ref}']"
            "/efac:Company",
            UBL,
        )[0]
        names = xpath(company, f"cac:PartyName/cbc:Name[@languageID='{language}']/text()", UBL)
        buyers.append((names or xpath(company, "cac:PartyName/cbc:Name/text()", UBL))[0])
    project = "cac:ProcurementProject"
    procedure_main = xpath(
        root, f"{project}/cac:MainCommodityClassification/cbc:ItemClassificationCode/text()", UBL
    )
    lots, deadlines = [], []
    for element in nodes(root, LOTS, UBL):
        main = xpath(
            element,
            f"{project}/cac:MainCommodityClassification/cbc:ItemClassificationCode/text()",
            UBL,
        )
        additional = xpath(
            element,
            f"{project}/cac:AdditionalCommodityClassification/cbc:ItemClassificationCode/text()",
            UBL,
        )
        lots.append(
            {
                "id": xpath(element, "cbc:ID/text()", UBL)[0],
                "cpv": (main or procedure_main) + additional if main or additional else None,
                "nuts": xpath(
                    element,
                    f"{project}/cac:RealizedLocation/cac:Address/cbc:CountrySubentityCode/text()",
                    UBL,
                ),
            }
        )
        process = "cac:TenderingProcess"
        deadline = _eforms_deadline(
            nodes(element, f"{process}/cac:TenderSubmissionDeadlinePeriod", UBL)
        ) or _eforms_deadline(
            nodes(element, f"{process}/cac:ParticipationRequestReceptionPeriod", UBL)
        )
        if deadline is not None:
            deadlines.append(deadline)
    return {
        "buyers": list(dict.fromkeys(buyers)),
        "lots": lots,
        "deadline": min(deadlines) if deadlines else None,
    }


def _expected(path: Path) -> dict[str, object]:
    return _expected_r209(path) if path in TED_R209 else _expected_eforms(path)


def _digits(codes: list[str] | None) -> list[str]:
    return [c.strip()[:8] for c in codes or []]


# --- every notice ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL, ids=[_name(p) for p in ALL])
async def test_every_notice_becomes_a_tender_as_its_xml_says(
    db: AsyncSession, settings: Settings, path: Path
) -> None:
    report = await _import(db, settings, path)
    assert report.status == "created", report.message
    assert report.tender_id is not None
    expected = _expected(path)
    tender = await _tender(db, report.tender_id)
    assert tender.imported and tender.published_at is not None

    organisations = {
        o.id: o
        for o in await db.scalars(
            select(Organisation).where(
                Organisation.id.in_([b.organisation_id for b in tender.buyers])
            )
        )
    }
    names = [organisations[b.organisation_id].name for b in tender.buyers]
    # A body named twice (the same name in the same country) is one organisation.
    assert sorted(names) == sorted({n[:200] for n in expected["buyers"]})  # type: ignore[attr-defined]
    assert sum(b.is_lead for b in tender.buyers) == 1
    assert {o.kind for o in organisations.values()} <= {"city", "public_buyer"}

    lots: list[dict[str, object]] = expected["lots"]  # type: ignore[assignment]
    assert [lot.external_id for lot in tender.lots] == [lot["id"] for lot in lots]
    for row, lot in zip(tender.lots, lots, strict=True):
        cpv = row.cpv_codes if row.cpv_codes is not None else tender.cpv_codes
        if lot["cpv"] is not None:
            assert _digits(cpv) == list(dict.fromkeys(_digits(lot["cpv"])))  # type: ignore[arg-type]
        assert [p["given"] for p in row.places or [] if "given" in p] == lot["nuts"]
        for place in row.places or []:
            if "given" in place and not place["given"].startswith("UK"):
                assert place["nuts"] is not None, place  # 2016/2021 codes translated to 2024
    assert tender.submission_deadline == expected["deadline"]

    notice = await db.scalar(select(TenderNotice).where(TenderNotice.tender_id == tender.id))
    assert notice is not None and notice.notice_id == report.notice_id
    releases = list(await db.scalars(select(OcdsRelease).where(OcdsRelease.tender_id == tender.id)))
    assert len(releases) == 1
    package = release_package([r.data for r in releases], "https://example.eu/p", NOW, "Test")
    assert validate_release_package(package) == []


async def test_importing_everything_twice_changes_nothing_the_second_time(
    db: AsyncSession, settings: Settings
) -> None:
    first = [await _import(db, settings, path) for path in ALL]
    assert all(r.status != "refused" for r in first), [
        (r.source, r.message) for r in first if r.status == "refused"
    ]
    # OP's eForms conversions are the R2.0.9 notices again, under the same number.
    assert all(r.status != "unchanged" for r in first[: len(TED_R209)])
    assert sum(r.status == "unchanged" for r in first[len(TED_R209) :]) >= 1
    counts = [
        await db.scalar(select(func.count()).select_from(table))
        for table in (Tender, Organisation, OrganisationIdentifier, OcdsRelease, AuditEntry)
    ]
    second = [await _import(db, settings, path) for path in ALL]
    assert {r.status for r in second} == {"unchanged"}
    assert all(r.message.startswith("Already imported") for r in second)
    assert [
        await db.scalar(select(func.count()).select_from(table))
        for table in (Tender, Organisation, OrganisationIdentifier, OcdsRelease, AuditEntry)
    ] == counts
    releases = list(
        await db.scalars(select(OcdsRelease).order_by(OcdsRelease.ocid, OcdsRelease.seq))
    )
    package = release_package([r.data for r in releases], "https://example.eu/p", NOW, "Test")
    assert validate_release_package(package) == []
    by_ocid: dict[str, list[datetime]] = {}
    for release in releases:
        by_ocid.setdefault(release.ocid, []).append(release.date)
    for dates in by_ocid.values():
        assert dates == sorted(dates) and len(set(dates)) == len(dates)  # strictly increasing


async def test_a_result_notice_updates_the_tender_of_its_contract_notice(
    db: AsyncSession, settings: Settings
) -> None:
    """Every R2.0.9 award notice that refers to a contract notice in the data set joins its
    tender: the lots get their decisions, unsuccessful ones with their reason."""
    reports = {p.stem: await _import(db, settings, p) for p in TED_R209}
    updated = [r for r in reports.values() if r.status == "updated"]
    decisions = list(await db.scalars(select(LotDecision)))
    if updated:
        assert decisions
    for decision in decisions:
        if decision.outcome == "unsuccessful":
            assert decision.reason
        else:
            assert decision.supplier_id is not None
    trail = list(await db.scalars(select(AuditEntry.action)))
    assert trail.count("tender.imported") == sum(r.status == "created" for r in reports.values())
    assert trail.count("tender.notice_imported") == len(updated)


async def test_refused_files_say_what_to_do_and_change_nothing(
    db: AsyncSession, settings: Settings
) -> None:
    report = await import_file(db, b"<html>not a notice</html>", NOW, settings, source="x.xml")
    assert report.status == "refused"
    assert "Only TED XML R2.0.9 exports and eForms notices are read" in report.message
    assert "download the notice's XML" in report.message
    assert await db.scalar(select(func.count()).select_from(Tender)) == 0


# --- the API and the admin page -----------------------------------------------------------------


async def test_the_api_imports_uploaded_notices_for_admins_only(api: Api) -> None:
    admin = await api.person("Admin", admin=True)
    officer = await api.person("Officer")
    files = [("file", (p.name, _read(p), "application/xml")) for p in TED_R209[:2]]
    r = await api.client.post("/api/v1/tenders/imports", files=files, headers=officer.headers)
    assert r.status_code == 403
    r = await api.client.post("/api/v1/tenders/imports", files=files, headers=admin.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["counts"]["created"] == 2
    tender_id = body["reports"][0]["tender_id"]
    shown = await api.client.get(f"/api/v1/tenders/{tender_id}")
    assert shown.status_code == 200 and shown.json()["imported"] is True
    again = await api.client.post("/api/v1/tenders/imports", files=files, headers=admin.headers)
    assert again.json()["counts"] == {"created": 0, "updated": 0, "unchanged": 2, "refused": 0}
    listed = await api.client.get("/api/v1/tenders")
    assert {t["id"] for t in listed.json()["items"]} >= {tender_id}


async def test_an_upload_of_nothing_readable_is_a_problem_naming_the_file(api: Api) -> None:
    admin = await api.person("Admin", admin=True)
    r = await api.client.post(
        "/api/v1/tenders/imports",
        files=[("file", ("page.html", b"<html/>", "text/html"))],
        headers=admin.headers,
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert "page.html" in problem["detail"]
    assert any(e["field"] == "file" for e in problem["errors"])


async def test_an_imported_tender_is_read_only(api: Api) -> None:
    admin = await api.person("Admin", admin=True)
    files = [("file", (TED_R209[0].name, _read(TED_R209[0]), "application/xml"))]
    r = await api.client.post("/api/v1/tenders/imports", files=files, headers=admin.headers)
    tender_id = r.json()["reports"][0]["tender_id"]
    r = await api.client.post(
        f"/api/v1/tenders/{tender_id}/cancel", json={"reason": "Testing"}, headers=admin.headers
    )
    assert r.status_code == 409
    assert "imported from its TED notice" in r.json()["detail"]


async def test_releases_name_every_party_with_its_roles_and_identifiers(
    db: AsyncSession, settings: Settings
) -> None:
    for path in ALL:
        await _import(db, settings, path)
    schemes = {
        (i.organisation_id, i.scheme, i.identifier)
        for i in await db.scalars(
            select(OrganisationIdentifier).where(OrganisationIdentifier.scheme.is_not(None))
        )
    }
    assert any(s[1] != "EU-VAT" for s in schemes)  # national registers, not only VAT numbers
    seen_identifier = seen_supplier = False
    for release in await db.scalars(select(OcdsRelease)):
        data = release.data
        parties = {p["id"]: p for p in data["parties"]}
        assert "buyer" in parties[data["buyer"]["id"]]["roles"]
        assert "procuringEntity" in parties[data["tender"]["procuringEntity"]["id"]]["roles"]
        for award in data.get("awards", []):
            for supplier in award.get("suppliers", []):
                assert "supplier" in parties[supplier["id"]]["roles"]
                seen_supplier = True
        for party in parties.values():
            given = [party["identifier"], *party.get("additionalIdentifiers", [])] if (
                "identifier" in party
            ) else []  # fmt: skip
            # A release is the state when it was made: a later notice may add identifiers.
            assert {(party["id"], i["scheme"], i["id"]) for i in given} <= {
                s for s in schemes if s[0] == party["id"]
            }
            seen_identifier = seen_identifier or bool(given)
        assert data["language"] == (release.data["language"] or "en")
    assert seen_identifier and seen_supplier


def test_every_reference_of_the_extended_schema_resolves() -> None:
    """A `$ref` to a definition no declared extension provides makes validators skip checks
    silently (the lots extension's `SubmissionTerms` needs the submissionTerms extension)."""
    from marketplace.tenders.ocds import release_schema

    schema = release_schema()
    refs: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.add(node["$ref"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(schema)
    assert "#/definitions/SubmissionTerms" in refs
    missing = [r for r in refs if r.startswith("#/definitions/")
               and r.removeprefix("#/definitions/") not in schema["definitions"]]  # fmt: skip
    assert missing == []


async def test_an_admin_imports_notices_on_the_page_and_sees_the_report(api: Api) -> None:
    from tests.factories import csrf

    admin = await api.person("Admin", admin=True)
    await api.sign_in_browser(admin)
    form = await api.client.get("/tenders/import")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    path = TED_R209[0]
    r = await api.client.post(
        "/tenders/import",
        data={"_csrf_token": csrf(form)},
        files=[("file", (path.name, _read(path), "application/xml")),
               ("file", ("notes.txt", b"not xml", "text/plain"))],
    )  # fmt: skip
    assert r.status_code == 200, r.text
    assert "1 created, 0 updated, 0 unchanged, 1 refused." in r.text
    assert path.name in r.text and "download the notice" in r.text
    listed = await api.client.get("/tenders")
    assert "Imported from TED" in listed.text
