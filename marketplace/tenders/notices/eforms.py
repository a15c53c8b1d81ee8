"""eForms (UBL 2.3 with the eForms extension, TED's format since 2023) → `Notice`.

eForms states most things per lot (`cac:ProcurementProjectLot`) and keeps every party once
in `efac:Organizations`, referenced by `ORG-0001`-style identifiers from where they act
(buyers from `cac:ContractingParty`, winners through `efac:TenderingParty`). Results are a
small graph of references: a lot result points at tenders and contracts, a tender at a
tendering party, the party at organisations. The parser resolves those references.

Multilingual notices repeat each text once per language (`languageID`): the notice's own
language (BT-702) is read, or the one asked for; the repeats are read as its translations.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation

import pycountry

from marketplace.tenders.notices import mapping
from marketplace.tenders.notices.model import (
    Address,
    AwardCriterion,
    Buyer,
    BuyerType,
    Change,
    ContactPoint,
    Contract,
    Cpv,
    Duration,
    DynamicPurchasingSystem,
    ElectronicAuction,
    FrameworkAgreement,
    Identifier,
    Lot,
    LotGroup,
    LotResult,
    LotRules,
    LotSubmission,
    Money,
    Notice,
    NoticeFormat,
    Nuts,
    Organisation,
    Period,
    Place,
    Procedure,
    ResultStatus,
)
from marketplace.tenders.notices.xml import (
    Element,
    IncompleteNotice,
    Reader,
    UnknownNoticeFormat,
    local_name,
)

UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
ROOTS = {"ContractNotice", "ContractAwardNotice", "PriorInformationNotice"}
NS = {
    "cac": UBL + "CommonAggregateComponents-2",
    "cbc": UBL + "CommonBasicComponents-2",
    "ext": UBL + "CommonExtensionComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
}
EXT = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"
END_OF_DAY = time(23, 59)

_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$")
_TIME = re.compile(r"^(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:\d{2})?$")
# BT-142 `winner-selection-status`.
RESULT_STATUSES = {
    "selec-w": ResultStatus.AWARDED,
    "clos-nw": ResultStatus.NOT_AWARDED,
    "open-nw": ResultStatus.OPEN,
}
SME_SIZES = {"micro": True, "small": True, "medium": True, "sme": True, "large": False}


def is_eforms(root: Element) -> bool:
    namespace = etree_namespace(root)
    return local_name(root) in ROOTS and namespace == f"{UBL}{local_name(root)}-2"


def etree_namespace(root: Element) -> str:
    tag = root.tag if isinstance(root.tag, str) else ""
    return tag[1:].split("}")[0] if tag.startswith("{") else ""


def parse(root: Element, *, language: str | None = None) -> Notice:
    return _Parser(root, language).notice()


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


class _Parser:
    def __init__(self, root: Element, language: str | None) -> None:
        self.root = root
        self.r = Reader(root, NS)
        own = self.r.text(root, "cbc:NoticeLanguageCode") or ""
        self.own_language = own.upper()
        present = {self.own_language}
        present |= {x.upper() for x in self.r.texts(root, "cac:AdditionalNoticeLanguage/cbc:ID")}
        for element in self.r.all(root, "cac:AdditionalNoticeLanguage"):
            self.r.mark(element)
        wanted = pycountry.languages.get(alpha_2=language.lower()) if language else None
        asked = str(getattr(wanted, "alpha_3", "")).upper() if wanted else ""
        # A language the notice is not written in is not asked for: the notice's own is read.
        self.language = asked if asked in present else self.own_language
        self.organisations: dict[str, Element] = {}
        for element in self.r.all(root, f"{EXT}/efac:Organizations/efac:Organization"):
            ref = self.r.text(element, "efac:Company/cac:PartyIdentification/cbc:ID")
            if ref:
                self.organisations[ref] = element

    # --- values --------------------------------------------------------------------------

    def text(self, context: Element, path: str) -> str | None:
        """A text in the language read; its other-language repeats are marked as read."""
        elements = self.r.all(context, path)
        if not elements:
            return None
        for element in elements:
            self.r.mark(element, deep=True)
        chosen = next(
            (e for e in elements if (e.get("languageID") or "").upper() == self.language),
            next(
                (e for e in elements if (e.get("languageID") or "").upper() == self.own_language),
                elements[0],
            ),
        )
        return self.r.text_of(chosen)

    def code(self, context: Element, path: str) -> str | None:
        return self.r.text(context, path)

    def indicator(self, context: Element, path: str) -> bool | None:
        value = self.r.text(context, path)
        return None if value is None else value.lower() == "true"

    def integer(self, context: Element, path: str) -> int | None:
        element = self.r.one(context, path)
        if element is None:
            return None
        text = self.r.text_of(element) or ""
        try:
            return int(Decimal(text))
        except (InvalidOperation, ValueError):
            self.r.report(element, "not a number")
            return None

    def money(self, element: Element | None) -> Money | None:
        return self.r.money(element, "currencyID")

    def day(self, context: Element, path: str) -> date | None:
        element = self.r.one(context, path)
        if element is None:
            return None
        match = _DATE.match(self.r.text_of(element) or "")
        if not match:
            self.r.report(element, "not a date")
            return None
        return date.fromisoformat(match.group(1))

    def moment(self, period: Element | None) -> datetime | None:
        """`cbc:EndDate` + `cbc:EndTime` with their offsets (23:59 when no time is given)."""
        if period is None:
            return None
        r = self.r
        r.mark(period)
        date_element = r.one(period, "cbc:EndDate")
        if date_element is None:
            return None
        match = _DATE.match(r.text_of(date_element) or "")
        if not match:
            r.report(date_element, "not a date")
            return None
        day, zone = date.fromisoformat(match.group(1)), _zone(match.group(2))
        at = END_OF_DAY
        time_element = r.one(period, "cbc:EndTime")
        if time_element is not None:
            time_match = _TIME.match(r.text_of(time_element) or "")
            if time_match:
                at = time.fromisoformat(time_match.group(1))
                zone = _zone(time_match.group(2)) or zone
            else:
                r.report(time_element, "not a time of day; 23:59 assumed")
        return datetime.combine(day, at, tzinfo=zone or UTC)

    def cpv(self, classification: Element) -> Cpv:
        element = self.r.one(classification, "cbc:ItemClassificationCode")
        self.r.mark(classification)
        code = self.r.text_of(element) if element is not None else None
        found = mapping.cpv(code or "")
        if found.code is None:
            self.r.report(element if element is not None else classification, "not a CPV 2008 code")
        return found

    def nuts(self, element: Element) -> Nuts:
        return self.r.nuts(element, self.r.text_of(element) or "")

    def country(self, context: Element, path: str) -> str | None:
        element = self.r.one(context, path)
        if element is None:
            return None
        given = self.r.text_of(element) or ""
        country = mapping.country_from_eforms(given)
        if country is None:
            self.r.report(element, "not an ISO 3166-1 alpha-3 country code", given)
        return country

    # --- the notice ----------------------------------------------------------------------

    def notice(self) -> Notice:
        r, root = self.r, self.root
        ext = r.one(root, EXT)
        r.mark(ext)
        type_element = r.one(root, "cbc:NoticeTypeCode")
        if type_element is None:
            raise IncompleteNotice("eForms notice without a notice type (cbc:NoticeTypeCode)")
        notice_type = r.text_of(type_element)
        form_type = type_element.get("listName") or ""
        kind = mapping.EFORMS_FORM_TYPES.get(form_type)
        if kind is None:
            raise UnknownNoticeFormat(f"eForms form type {form_type!r} is not a known form type")
        notice_id = r.text(root, "cbc:ID")
        if not notice_id:
            raise IncompleteNotice("eForms notice without a notice identifier (cbc:ID, BT-701)")
        for technical in ("cbc:UBLVersionID", "cbc:CustomizationID"):
            r.text(root, technical)

        publication = r.one(root, f"{EXT}/efac:Publication")
        number = None
        publication_date = None
        if publication is not None:
            r.mark(publication)
            number = mapping.publication_number(
                r.text(publication, "efbc:NoticePublicationID") or ""
            )
            r.text(publication, "efbc:GazetteID")
            publication_date = self.day(publication, "efbc:PublicationDate")

        project = r.one(root, "cac:ProcurementProject")
        process = r.one(root, "cac:TenderingProcess")
        terms = r.one(root, "cac:TenderingTerms")
        for element in (project, process, terms):
            r.mark(element)
        lots, groups = self.lots()
        results, total = self.results(ext)
        deadlines = [lot.submission_deadline for lot in lots if lot.submission_deadline]
        participation = [lot.participation_deadline for lot in lots if lot.participation_deadline]
        questions = [lot.questions_deadline for lot in lots if lot.questions_deadline]
        documents = [lot.documents_url for lot in lots if lot.documents_url]
        previous = []
        if process is not None:
            for ref in r.all(process, "cac:NoticeDocumentReference/cbc:ID"):
                r.mark(ref.getparent())
                found = mapping.publication_number(r.text_of(ref) or "")
                previous.append(found or r.text_of(ref) or "")

        notice = Notice(
            format=NoticeFormat.EFORMS,
            kind=kind,
            form=r.text(root, f"{EXT}/efac:NoticeSubType/cbc:SubTypeCode") or "",
            notice_type=notice_type,
            notice_id=notice_id,
            version=r.text(root, "cbc:VersionID"),
            publication_number=number,
            ted_url=mapping.ted_url(number) if number else None,
            issue_date=self.day(root, "cbc:IssueDate"),
            publication_date=publication_date,
            language=mapping.language_from_eforms(self.language),
            legal_basis=r.text(root, "cbc:RegulatoryDomain"),
            procedure_id=r.text(root, "cbc:ContractFolderID"),
            internal_reference=r.text(project, "cbc:ID") if project is not None else None,
            previous_notices=tuple(dict.fromkeys(p for p in previous if p)),
            buyers=self.buyers(),
            title=self.text(project, "cbc:Name") if project is not None else None,
            description=self.text(project, "cbc:Description") if project is not None else None,
            contract_nature=r.text(project, "cbc:ProcurementTypeCode")
            if project is not None
            else None,
            procedure=self.procedure(process),
            main_cpv=self.main_cpv(project),
            additional_cpv=self.additional_cpv(project),
            places=self.places(project),
            lots=lots,
            lot_rules=self.lot_rules(terms, process, groups, len(lots)),
            estimated_value=self.estimate(project),
            submission_deadline=min(deadlines) if deadlines else None,
            participation_deadline=min(participation) if participation else None,
            questions_deadline=min(questions) if questions else None,
            documents_url=documents[0] if documents else None,
            results=results,
            total_awarded=total,
            change=self.change(ext),
        )
        return replace(notice, unmapped=r.leftovers([root]))

    # --- parties -------------------------------------------------------------------------

    def organisation_fields(self, ref: str) -> dict[str, object] | None:
        r = self.r
        element = self.organisations.get(ref)
        if element is None:
            return None
        r.mark(element)
        company = r.one(element, "efac:Company")
        if company is None:
            return None
        r.mark(company)
        address = r.one(company, "cac:PostalAddress")
        country = region = None
        street = locality = postal = None
        if address is not None:
            r.mark(address)
            country = self.country(address, "cac:Country/cbc:IdentificationCode")
            r.mark(r.one(address, "cac:Country"))
            region_element = r.one(address, "cbc:CountrySubentityCode")
            region = self.nuts(region_element) if region_element is not None else None
            lines = [
                r.text(address, "cbc:Department"),
                r.text(address, "cbc:StreetName"),
                r.text(address, "cbc:AdditionalStreetName"),
                *r.texts(address, "cac:AddressLine/cbc:Line"),
            ]
            for line in r.all(address, "cac:AddressLine"):
                r.mark(line)
            street = ", ".join(x for x in lines if x) or None
            locality = r.text(address, "cbc:CityName")
            postal = r.text(address, "cbc:PostalZone")
        identifiers: list[Identifier] = []
        for id_element in r.all(company, "cac:PartyLegalEntity/cbc:CompanyID"):
            r.mark(id_element.getparent())
            found = r.identifier(
                id_element, r.text_of(id_element), country, id_element.get("schemeName")
            )
            if found is not None:
                identifiers.append(found)
        contact = r.one(company, "cac:Contact")
        r.mark(contact)
        size = (r.text(company, "efbc:CompanySizeCode") or "").lower()
        r.mark(r.one(company, "cac:PartyIdentification"))
        r.mark(r.one(company, "cac:PartyName"))
        return {
            "ref": ref,
            "name": self.text(company, "cac:PartyName/cbc:Name") or "",
            "identifiers": tuple(identifiers),
            "address": Address(
                street=street, locality=locality, postal_code=postal, region=region, country=country
            ),
            "contact": ContactPoint(
                name=r.text(contact, "cbc:Name") if contact is not None else None,
                email=r.text(contact, "cbc:ElectronicMail") if contact is not None else None,
                telephone=r.text(contact, "cbc:Telephone") if contact is not None else None,
                fax=r.text(contact, "cbc:Telefax") if contact is not None else None,
            ),
            "website": r.text(company, "cbc:WebsiteURI"),
            "sme": SME_SIZES.get(size),
        }

    def buyers(self) -> tuple[Buyer, ...]:
        r = self.r
        buyers: list[Buyer] = []
        for party in r.all(self.root, "cac:ContractingParty"):
            r.mark(party)
            ref = r.text(party, "cac:Party/cac:PartyIdentification/cbc:ID") or ""
            r.mark(r.one(party, "cac:Party"))
            r.mark(r.one(party, "cac:Party/cac:PartyIdentification"))
            fields = self.organisation_fields(ref)
            if fields is None:
                r.report(party, "buyer refers to an organisation the notice does not describe", ref)
                continue
            organisation = self.organisations[ref]
            legal_type = contracting = None
            for type_element in r.all(party, "cac:ContractingPartyType/cbc:PartyTypeCode"):
                r.mark(type_element.getparent())
                value = r.text_of(type_element)
                if type_element.get("listName") == "buyer-contracting-type":
                    contracting = value
                else:
                    legal_type = value
            buyer_type = mapping.EFORMS_BUYER_TYPES.get(legal_type or "")
            if legal_type and buyer_type is None:
                r.note(party, "unknown buyer legal type", legal_type)
            cpb = bool(
                self.indicator(organisation, "efbc:AcquiringCPBIndicator")
                or self.indicator(organisation, "efbc:AwardingCPBIndicator")
            )
            activity_element = r.one(party, "cac:ContractingActivity/cbc:ActivityTypeCode")
            r.mark(r.one(party, "cac:ContractingActivity"))
            buyers.append(
                Buyer(
                    **fields,  # type: ignore[arg-type]
                    buyer_type=BuyerType.CENTRAL_PURCHASING_BODY if cpb else buyer_type,
                    legal_type=legal_type,
                    lead=bool(self.indicator(organisation, "efbc:GroupLeadIndicator")),
                    central_purchasing_body=cpb,
                    contracting_entity=contracting == "cont-ent",
                    activity=r.text_of(activity_element) if activity_element is not None else None,
                    profile_url=r.text(party, "cbc:BuyerProfileURI"),
                )
            )
        if buyers and not any(b.lead for b in buyers):
            # A notice with one buyer (or none marked as group leader) is led by its first.
            buyers[0] = replace(buyers[0], lead=True)
        return tuple(buyers)

    # --- procedure -----------------------------------------------------------------------

    def procedure(self, process: Element | None) -> Procedure:
        if process is None:
            return Procedure()
        r = self.r
        given = r.text(process, "cbc:ProcedureCode")
        kind = mapping.EFORMS_PROCEDURES.get(given or "")
        if given and kind is None:
            node = r.one(process, "cbc:ProcedureCode")
            r.note(process if node is None else node, "unknown procedure type", given)
        accelerated = False
        justification = None
        grounds: list[str] = []
        for element in r.all(process, "cac:ProcessJustification"):
            r.mark(element)
            code_element = r.one(element, "cbc:ProcessReasonCode")
            code = r.text_of(code_element) if code_element is not None else None
            reason = self.text(element, "cbc:ProcessReason")
            list_name = code_element.get("listName") if code_element is not None else None
            if list_name == "accelerated-procedure":
                accelerated = code == "true"
                justification = reason or justification
            elif list_name == "direct-award-justification":
                if code:
                    grounds.append(code)
                justification = reason or justification
            else:
                r.report(element, f"procedure justification of list {list_name!r} is not carried")
        return Procedure(
            type=kind,
            given=given,
            accelerated=accelerated,
            justification=justification,
            grounds=tuple(grounds),
            features=self.text(process, "cbc:Description"),
        )

    def lot_rules(
        self, terms: Element | None, process: Element | None, groups: dict[str, Element], lots: int
    ) -> LotRules:
        r = self.r
        submission = None
        max_submitted = max_awarded = None
        found_groups: list[LotGroup] = []
        distribution = r.one(terms, "cac:LotDistribution") if terms is not None else None
        if distribution is not None:
            r.mark(distribution)
            max_submitted = self.integer(distribution, "cbc:MaximumLotsSubmittedNumeric")
            max_awarded = self.integer(distribution, "cbc:MaximumLotsAwardedNumeric")
            for group in r.all(distribution, "cac:LotsGroup"):
                r.mark(group)
                group_id = r.text(group, "cbc:LotsGroupID") or ""
                members = tuple(
                    m for m in r.texts(group, "cac:ProcurementProjectLotReference/cbc:ID")
                )
                for ref in r.all(group, "cac:ProcurementProjectLotReference"):
                    r.mark(ref)
                found_groups.append(LotGroup(id=group_id, lot_ids=members))
                if group_id in groups:
                    r.ignore(groups[group_id], "details of a group of lots are not carried")
        if max_submitted is not None:
            submission = (
                LotSubmission.ONE_LOT_ONLY
                if max_submitted == 1
                else LotSubmission.ALL_LOTS_ALLOWED
                if max_submitted >= lots
                else LotSubmission.MAX_LOTS
            )
        if process is not None and r.text(process, "cbc:PartPresentationCode") == "all":
            submission = LotSubmission.ALL_LOTS_REQUIRED
        return LotRules(
            submission=submission,
            max_lots_per_tenderer=max_submitted,
            max_lots_awarded=max_awarded,
            groups=tuple(found_groups),
        )

    # --- what is bought, where -----------------------------------------------------------

    def main_cpv(self, project: Element | None) -> Cpv | None:
        element = (
            self.r.one(project, "cac:MainCommodityClassification") if project is not None else None
        )
        return self.cpv(element) if element is not None else None

    def additional_cpv(self, project: Element | None) -> tuple[Cpv, ...]:
        if project is None:
            return ()
        return tuple(
            self.cpv(e) for e in self.r.all(project, "cac:AdditionalCommodityClassification")
        )

    def estimate(self, project: Element | None) -> Money | None:
        if project is None:
            return None
        total = self.r.one(project, "cac:RequestedTenderTotal")
        self.r.mark(total)
        return self.money(
            self.r.one(project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")
        )

    def places(self, project: Element | None) -> tuple[Place, ...]:
        if project is None:
            return ()
        r = self.r
        places = []
        for location in r.all(project, "cac:RealizedLocation"):
            r.mark(location)
            address = r.one(location, "cac:Address")
            nuts = country = anywhere = None
            parts = [self.text(location, "cbc:Description")]
            if address is not None:
                r.mark(address)
                nuts_element = r.one(address, "cbc:CountrySubentityCode")
                nuts = self.nuts(nuts_element) if nuts_element is not None else None
                country = self.country(address, "cac:Country/cbc:IdentificationCode")
                r.mark(r.one(address, "cac:Country"))
                anywhere = r.text(address, "cbc:Region")
                parts += [
                    r.text(address, "cbc:StreetName"),
                    r.text(address, "cbc:AdditionalStreetName"),
                    *r.texts(address, "cac:AddressLine/cbc:Line"),
                    r.text(address, "cbc:PostalZone"),
                    r.text(address, "cbc:CityName"),
                ]
                for line in r.all(address, "cac:AddressLine"):
                    r.mark(line)
            if country is None and nuts is not None:
                country = mapping.country_of_nuts(nuts.given.upper())
            places.append(
                Place(
                    nuts=nuts,
                    country=country,
                    description=", ".join(dict.fromkeys(p for p in parts if p)) or None,
                    anywhere=anywhere,
                )
            )
        return tuple(places)

    # --- lots ----------------------------------------------------------------------------

    def lots(self) -> tuple[tuple[Lot, ...], dict[str, Element]]:
        r = self.r
        lots: list[Lot] = []
        groups: dict[str, Element] = {}
        for element in r.all(self.root, "cac:ProcurementProjectLot"):
            r.mark(element)
            id_element = r.one(element, "cbc:ID")
            lot_id = r.text_of(id_element) if id_element is not None else None
            if not lot_id:
                r.report(element, "a lot without an identifier")
                continue
            if id_element is not None and id_element.get("schemeName") == "LotsGroup":
                groups[lot_id] = element
                continue
            lots.append(self.lot(element, lot_id))
        return tuple(lots), groups

    def lot(self, element: Element, lot_id: str) -> Lot:
        r = self.r
        project = r.one(element, "cac:ProcurementProject")
        process = r.one(element, "cac:TenderingProcess")
        terms = r.one(element, "cac:TenderingTerms")
        for part in (project, process, terms):
            r.mark(part)
        extension = r.one(project, "cac:ContractExtension") if project is not None else None
        r.mark(extension)
        framework, dps, eauction = self.techniques(process)
        documents_url = submission_url = None
        if terms is not None:
            documents_url = self.documents_url(terms)
            recipient = r.one(terms, "cac:TenderRecipientParty")
            if recipient is not None:
                r.mark(recipient)
                submission_url = r.text(recipient, "cbc:EndpointID")
                if submission_url:
                    for ref in r.all(recipient, "cac:PartyIdentification"):
                        r.mark(ref, deep=True)
        renewals_max = (
            self.integer(extension, "cbc:MaximumNumberNumeric") if extension is not None else None
        )
        renewals = (
            self.text(extension, "cac:Renewal/cac:Period/cbc:Description")
            if extension is not None
            else None
        )
        if extension is not None:
            for path in ("cac:Renewal", "cac:Renewal/cac:Period"):
                r.mark(r.one(extension, path))
        options = self.text(extension, "cbc:OptionsDescription") if extension is not None else None
        return Lot(
            id=lot_id,
            title=self.text(project, "cbc:Name") if project is not None else None,
            description=self.text(project, "cbc:Description") if project is not None else None,
            internal_id=r.text(project, "cbc:ID") if project is not None else None,
            main_cpv=self.main_cpv(project),
            additional_cpv=self.additional_cpv(project),
            places=self.places(project),
            award_criteria=self.criteria(terms),
            estimated_value=self.estimate(project),
            period=self.period(project),
            has_options=True if options else None,
            options=options,
            renewable=(renewals_max > 0)
            if renewals_max is not None
            else (True if renewals else None),
            max_renewals=renewals_max,
            renewals=renewals,
            framework=framework,
            dps=dps,
            eauction=eauction,
            submission_deadline=self.moment(r.one(process, "cac:TenderSubmissionDeadlinePeriod"))
            if process is not None
            else None,
            participation_deadline=self.moment(
                r.one(process, "cac:ParticipationRequestReceptionPeriod")
            )
            if process is not None
            else None,
            questions_deadline=self.moment(r.one(process, "cac:AdditionalInformationRequestPeriod"))
            if process is not None
            else None,
            documents_url=documents_url,
            submission_url=submission_url,
        )

    def documents_url(self, terms: Element) -> str | None:
        """The procurement documents' address (BT-15, or BT-615 when restricted)."""
        r = self.r
        urls = []
        for reference in r.all(terms, "cac:CallForTendersDocumentReference"):
            r.mark(reference)
            r.text(reference, "cbc:ID")
            r.text(reference, "cbc:DocumentType")
            for path in ("cac:Attachment", "cac:Attachment/cac:ExternalReference"):
                r.mark(r.one(reference, path))
            url = r.text(reference, "cac:Attachment/cac:ExternalReference/cbc:URI")
            if url:
                urls.append(url)
        return urls[0] if urls else None

    def period(self, project: Element | None) -> Period | None:
        r = self.r
        planned = r.one(project, "cac:PlannedPeriod") if project is not None else None
        if planned is None:
            return None
        r.mark(planned)
        duration = None
        measure = r.one(planned, "cbc:DurationMeasure")
        if measure is not None:
            unit = mapping.DURATION_UNITS.get((r.attr_of(measure, "unitCode") or "").upper())
            text = r.text_of(measure) or ""
            try:
                amount = Decimal(text)
            except InvalidOperation:
                amount = None
            if unit and amount is not None and amount.is_finite():
                duration = Duration(amount=amount, unit=unit)
            else:
                r.report(measure, "not a duration")
        description_code = r.text(planned, "cbc:DescriptionCode")
        return Period(
            duration=duration,
            start=self.day(planned, "cbc:StartDate"),
            end=self.day(planned, "cbc:EndDate"),
            indefinite=description_code == "UNLIMITED",
            description=self.text(planned, "cbc:Description"),
        )

    def criteria(self, terms: Element | None) -> tuple[AwardCriterion, ...]:
        r = self.r
        if terms is None:
            return ()
        awarding = r.one(terms, "cac:AwardingTerms")
        r.mark(awarding)
        criteria = []
        for block in r.all(terms, "cac:AwardingTerms/cac:AwardingCriterion"):
            r.mark(block)
            for element in r.all(block, "cac:SubordinateAwardingCriterion"):
                r.mark(element)
                kind_code = r.text(element, "cbc:AwardingCriterionTypeCode")
                kind = mapping.EFORMS_CRITERIA.get(kind_code or "")
                if kind_code and kind is None:
                    r.note(element, "unknown award criterion type", kind_code)
                weight = weight_type = given = None
                for parameter in r.all(element, f"{EXT}/efac:AwardCriterionParameter"):
                    r.mark(parameter)
                    for wrapper in parameter.iterancestors():
                        if wrapper is element:
                            break
                        r.mark(wrapper)
                    code_element = r.one(parameter, "efbc:ParameterCode")
                    if code_element is None or code_element.get("listName") != "number-weight":
                        continue
                    weight_type = r.text_of(code_element)
                    given = r.text(parameter, "efbc:ParameterNumeric")
                    try:
                        weight = Decimal(given) if given else None
                    except InvalidOperation:
                        r.note(parameter, "weight is not a number (kept as text)", given)
                criteria.append(
                    AwardCriterion(
                        kind=kind,
                        name=self.text(element, "cbc:Name"),
                        description=self.text(element, "cbc:Description"),
                        weight=weight,
                        weight_given=given,
                        weight_type=weight_type,
                    )
                )
        return tuple(criteria)

    def techniques(
        self, process: Element | None
    ) -> tuple[FrameworkAgreement | None, DynamicPurchasingSystem | None, ElectronicAuction | None]:
        if process is None:
            return None, None, None
        r = self.r
        framework_code = dps_code = None
        for system in r.all(process, "cac:ContractingSystem/cbc:ContractingSystemTypeCode"):
            r.mark(system.getparent())
            value = r.text_of(system)
            if system.get("listName") == "dps-usage":
                dps_code = value
            else:
                framework_code = value
        details = r.one(process, "cac:FrameworkAgreement")
        framework = None
        if (framework_code and framework_code != "none") or details is not None:
            r.mark(details)
            framework = FrameworkAgreement(
                reopening=framework_code if framework_code != "none" else None,
                max_participants=self.integer(details, "cbc:MaximumOperatorQuantity")
                if details is not None
                else None,
                duration_justification=self.text(details, "cbc:Justification")
                if details is not None
                else None,
                max_value=self.money(r.one(details, "cbc:EstimatedMaximumValueAmount"))
                if details is not None
                else None,
            )
        dps = DynamicPurchasingSystem(usage=dps_code) if dps_code and dps_code != "none" else None
        auction = r.one(process, "cac:AuctionTerms")
        eauction = None
        if auction is not None:
            r.mark(auction)
            if self.indicator(auction, "cbc:AuctionConstraintIndicator"):
                eauction = ElectronicAuction(
                    description=self.text(auction, "cbc:Description"),
                    url=r.text(auction, "cbc:AuctionURI"),
                )
        return framework, dps, eauction

    # --- results -------------------------------------------------------------------------

    def results(self, ext: Element | None) -> tuple[tuple[LotResult, ...], Money | None]:
        r = self.r
        result = r.one(ext, "efac:NoticeResult") if ext is not None else None
        if result is None:
            return (), None
        r.mark(result)
        award_date = self.day(self.root, "cac:TenderResult/cbc:AwardDate")
        r.mark(r.one(self.root, "cac:TenderResult"))
        tenders = {r.text(e, "cbc:ID") or "": e for e in r.all(result, "efac:LotTender")}
        contracts = {r.text(e, "cbc:ID") or "": e for e in r.all(result, "efac:SettledContract")}
        parties = {r.text(e, "cbc:ID") or "": e for e in r.all(result, "efac:TenderingParty")}
        lot_results = []
        for element in r.all(result, "efac:LotResult"):
            r.mark(element)
            r.text(element, "cbc:ID")
            lot_id = r.text(element, "efac:TenderLot/cbc:ID") or ""
            r.mark(r.one(element, "efac:TenderLot"))
            code = r.text(element, "cbc:TenderResultCode")
            status = RESULT_STATUSES.get(code or "")
            if status is None:
                # No code, or one the list does not have: what the notice shows decides.
                if code:
                    r.note(element, "unknown lot result code", code)
                has_contract = r.one(element, "efac:SettledContract | efac:LotTender") is not None
                status = ResultStatus.AWARDED if has_contract else ResultStatus.NOT_AWARDED
            reason = r.text(element, "efac:DecisionReason/efbc:DecisionReasonCode")
            r.mark(r.one(element, "efac:DecisionReason"))
            received = None
            for statistics in r.all(element, "efac:ReceivedSubmissionsStatistics"):
                if r.text(statistics, "efbc:StatisticsCode") == "tenders":
                    r.mark(statistics)
                    received = self.integer(statistics, "efbc:StatisticsNumeric")
            tender_refs = r.texts(element, "efac:LotTender/cbc:ID")
            contract_refs = r.texts(element, "efac:SettledContract/cbc:ID")
            for path in ("efac:LotTender", "efac:SettledContract"):
                for ref in r.all(element, path):
                    r.mark(ref)
            found = [
                self.contract(contracts[ref], tenders, parties, award_date)
                for ref in contract_refs
                if ref in contracts
            ]
            if not found and status is ResultStatus.AWARDED:
                found = [
                    self.contract(None, tenders, parties, award_date, tender_ids=[ref])
                    for ref in tender_refs
                    if ref in tenders
                ]
            lot_results.append(
                LotResult(
                    lot_id=lot_id,
                    status=status,
                    reason=reason,
                    tenders_received=received,
                    contracts=tuple(found),
                )
            )
        total = self.money(r.one(result, "cbc:TotalAmount"))
        return tuple(lot_results), total

    def contract(
        self,
        element: Element | None,
        tenders: dict[str, Element],
        parties: dict[str, Element],
        award_date: date | None,
        tender_ids: list[str] | None = None,
    ) -> Contract:
        r = self.r
        if element is not None:
            r.mark(element)
            r.text(element, "cbc:ID")
            tender_ids = r.texts(element, "efac:LotTender/cbc:ID")
            r.mark(r.one(element, "efac:LotTender"))
        winners: list[Organisation] = []
        values: list[Money] = []
        for tender_id in tender_ids or []:
            tender = tenders.get(tender_id)
            if tender is None:
                continue
            r.mark(tender)
            r.text(tender, "cbc:ID")
            r.mark(r.one(tender, "efac:TenderLot"), deep=True)
            r.mark(r.one(tender, "cac:LegalMonetaryTotal"))
            value = self.money(r.one(tender, "cac:LegalMonetaryTotal/cbc:PayableAmount"))
            if value is not None:
                values.append(value)
            party_id = r.text(tender, "efac:TenderingParty/cbc:ID") or ""
            r.mark(r.one(tender, "efac:TenderingParty"))
            party = parties.get(party_id)
            if party is None:
                continue
            r.mark(party)
            r.text(party, "cbc:ID")
            for tenderer in r.all(party, "efac:Tenderer"):
                r.mark(tenderer)
                ref = r.text(tenderer, "cbc:ID") or ""
                fields = self.organisation_fields(ref)
                if fields is not None and all(w.ref != ref for w in winners):
                    winners.append(Organisation(**fields))  # type: ignore[arg-type]
        total = None
        if values and len({v.currency for v in values}) == 1:
            total = Money(
                amount=sum((v.amount for v in values), Decimal(0)), currency=values[0].currency
            )
        if element is None:
            return Contract(awarded=award_date, value=total, winners=tuple(winners))
        for reference in r.all(element, "efac:ContractReference"):
            r.mark(reference)
        return Contract(
            id=r.text(element, "efac:ContractReference/cbc:ID") or r.text(element, "cbc:ID"),
            title=self.text(element, "cbc:Title"),
            awarded=self.day(element, "cbc:AwardDate") or award_date,
            signed=self.day(element, "cbc:IssueDate"),
            value=total,
            winners=tuple(winners),
        )

    # --- changes -------------------------------------------------------------------------

    def change(self, ext: Element | None) -> Change | None:
        r = self.r
        if ext is None:
            return None
        changes = r.one(ext, "efac:Changes")
        modification = r.one(ext, "efac:ContractModification")
        if changes is None and modification is None:
            return None
        holder = changes if changes is not None else modification
        assert holder is not None
        r.mark(holder)
        changed = r.text(holder, "efbc:ChangedNoticeIdentifier") or ""
        reason_block = r.one(holder, "efac:ChangeReason")
        r.mark(reason_block)
        descriptions = [
            text
            for change in r.all(holder, "efac:Change")
            if (text := self.text(change, "efbc:ChangeDescription"))
        ]
        for change in r.all(holder, "efac:Change"):
            r.mark(change)
        return Change(
            changed_notice=mapping.publication_number(changed) or changed or None,
            modified_contract=r.text(holder, "efbc:ModifiedContractIdentifier"),
            reason=(r.text(reason_block, "cbc:ReasonCode") if reason_block is not None else None),
            description="\n\n".join(descriptions) or None,
        )
