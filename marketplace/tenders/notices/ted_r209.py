"""TED XML R2.0.9 (`TED_EXPORT`, the TED publication schema of 2014-2023) → `Notice`.

A TED export holds the notice once per language (`FORM_SECTION/F02_2014[@LG]`): the
original, and TED's translations. One version is read (the original in the notice's original
language, or the one asked for); the others say the same and are listed once each in the
unmapped report. `CODED_DATA_SECTION` is TED's machine summary of the form: the publication
data are read from it, the rest repeats the form and is not read twice.

R2.0.9 writes dates without a time zone. Like the Publications Office's own TED-XML-to-eForms
converter, they are read as Central European Time (UTC+01:00), and a deadline without a time
as 23:59.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

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
    LotResult,
    LotRules,
    LotSubmission,
    Money,
    Notice,
    NoticeFormat,
    NoticeKind,
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

NAMESPACE = "http://publications.europa.eu/resource/schema/ted/R2.0.9/publication"
NS = {"t": NAMESPACE}
NUTS_2016 = "http://publications.europa.eu/resource/schema/ted/2016/nuts"
NUTS_2021 = "http://publications.europa.eu/resource/schema/ted/2021/nuts"
CET = timezone(timedelta(hours=1))
END_OF_DAY = time(23, 59)

# NUTS elements live in a namespace of their own, which changed with the NUTS version
# (`.../ted/2016/nuts`, `.../ted/2021/nuts`): match them by local name.
NUTS = "*[local-name()='NUTS']"

# Forms whose buyers are contracting entities (utilities, Directive 2014/25/EU).
UTILITIES_FORMS = {"F04", "F05", "F06", "F07", "F22"}


def is_ted_r209(root: Element) -> bool:
    return local_name(root) == "TED_EXPORT" and root.nsmap.get(None) == NAMESPACE


def parse(root: Element, *, language: str | None = None) -> Notice:
    if local_name(root) == "TED_EXPORT" and not is_ted_r209(root):
        raise UnknownNoticeFormat(
            f"TED XML in namespace {root.nsmap.get(None)!r}: only R2.0.9 ({NAMESPACE}) is read"
        )
    return _Parser(root).notice(language)


class _Parser:
    def __init__(self, root: Element) -> None:
        self.root = root
        self.r = Reader(root, NS, shown={NAMESPACE: "", NUTS_2016: "n2016", NUTS_2021: "n2021"})

    # --- values --------------------------------------------------------------------------

    def money(self, element: Element | None) -> Money | None:
        return self.r.money(element, "CURRENCY")

    def integer(self, context: Element, path: str) -> int | None:
        element = self.r.one(context, path)
        if element is None:
            return None
        text = self.r.text_of(element)
        if text is None or not text.isdigit():
            self.r.report(element, "not a whole number")
            return None
        return int(text)

    def day(self, context: Element, path: str) -> date | None:
        element = self.r.one(context, path)
        if element is None:
            return None
        text = self.r.text_of(element) or ""
        try:
            return date.fromisoformat(text if "-" in text else f"{text[:4]}-{text[4:6]}-{text[6:]}")
        except ValueError:
            self.r.report(element, "not a date")
            return None

    def moment(self, context: Element, date_path: str, time_path: str) -> datetime | None:
        day = self.day(context, date_path)
        if day is None:
            return None
        at = END_OF_DAY
        element = self.r.one(context, time_path)
        if element is not None:
            text = self.r.text_of(element) or ""
            try:
                at = time.fromisoformat(text)
            except ValueError:
                self.r.report(element, "not a time of day; 23:59 assumed")
        return datetime.combine(day, at, tzinfo=CET)

    def cpv(self, element: Element) -> Cpv:
        code = self.r.attr(element, "t:CPV_CODE", "CODE") or ""
        supplementary = tuple(
            value
            for e in self.r.all(element, "t:CPV_SUPPLEMENTARY_CODE")
            if (value := self.r.attr_of(e, "CODE"))
        )
        self.r.mark(element)
        found = mapping.cpv(code, supplementary)
        if found.code is None:
            self.r.report(element, "not a CPV 2008 code (kept as given)", code)
        return found

    def nuts(self, element: Element) -> Place:
        nuts = self.r.nuts(element, self.r.attr_of(element, "CODE") or "")
        return Place(nuts=nuts, country=mapping.country_of_nuts(nuts.given.upper()))

    # --- the notice ----------------------------------------------------------------------

    def notice(self, language: str | None) -> Notice:
        r, root = self.r, self.root
        form = self.choose_form(language)
        form_code = form.get("FORM") or local_name(form).split("_")[0]
        r.mark(form)
        notice_type = r.attr(form, "t:NOTICE", "TYPE")
        kind = mapping.TED_FORMS.get(form_code) or mapping.TED_NOTICE_TYPES.get(notice_type or "")
        if kind is None:
            raise UnknownNoticeFormat(f"TED form {form_code} ({notice_type}) is not a known form")

        number = mapping.publication_number(root.get("DOC_ID") or "")
        notice_data = r.one(root, "t:CODED_DATA_SECTION/t:NOTICE_DATA")
        coded = r.one(root, "t:CODED_DATA_SECTION")
        publication_date = self.day(root, "t:CODED_DATA_SECTION/t:REF_OJS/t:DATE_PUB")
        previous = []
        if notice_data is not None:
            previous += r.texts(notice_data, "t:REF_NOTICE/t:NO_DOC_OJS")
        previous += r.texts(form, "t:PROCEDURE/t:NOTICE_NUMBER_OJ")
        # The machine summary repeats the form: read from the form itself, not twice.
        r.mark(coded, deep=True)

        uuid = r.text(root, "t:FORM_SECTION/t:NOTICE_UUID")
        notice_id = uuid or number or r.text(root, "t:TECHNICAL_SECTION/t:RECEPTION_ID")
        if not notice_id:
            raise IncompleteNotice("TED notice without DOC_ID, NOTICE_UUID or RECEPTION_ID")

        obj = r.one(form, "t:OBJECT_CONTRACT")
        procedure = r.one(form, "t:PROCEDURE")
        body = r.one(form, "t:CONTRACTING_BODY")
        r.mark(obj)
        r.mark(procedure)
        r.mark(body)

        main_cpv = None
        title = description = nature = reference = None
        estimated = total = None
        if obj is not None:
            r.attr_of(obj, "ITEM")
            title = r.text(obj, "t:TITLE")
            description = r.text(obj, "t:SHORT_DESCR")
            reference = r.text(obj, "t:REFERENCE_NUMBER")
            nature_code = r.attr(obj, "t:TYPE_CONTRACT", "CTYPE")
            nature = nature_code.lower() if nature_code else None
            cpv_main = r.one(obj, "t:CPV_MAIN")
            main_cpv = self.cpv(cpv_main) if cpv_main is not None else None
            estimated = self.money(r.one(obj, "t:VAL_ESTIMATED_TOTAL"))
            total = self.money(r.one(obj, "t:VAL_TOTAL"))
            range_total = r.one(obj, "t:VAL_RANGE_TOTAL")
            if range_total is not None:
                r.report(range_total, "a range of values is not carried (lowest/highest offer)")

        proc = self.procedure(procedure, form_code)
        framework, dps, eauction = self.techniques(procedure)
        deadline = (
            self.moment(procedure, "t:DATE_RECEIPT_TENDERS", "t:TIME_RECEIPT_TENDERS")
            if procedure is not None
            else None
        )
        documents_url = r.text(body, "t:URL_DOCUMENT") if body is not None else None
        submission_url = r.text(body, "t:URL_PARTICIPATION") if body is not None else None
        if body is not None:
            for flag in ("t:DOCUMENT_FULL", "t:DOCUMENT_RESTRICTED", "t:ADDRESS_FURTHER_INFO_IDEM"):
                r.flag(body, flag)
            r.flag(body, "t:ADDRESS_PARTICIPATION_IDEM")

        buyers = self.buyers(body, form_code) if body is not None else ()
        lots = self.lots(
            obj,
            main_cpv,
            Lot(
                id="",
                framework=framework,
                dps=dps,
                eauction=eauction,
                submission_deadline=deadline,
                documents_url=documents_url,
                submission_url=submission_url,
            ),
        )
        results = self.results(form, lots)
        notice = Notice(
            format=NoticeFormat.TED_R209,
            kind=kind,
            form=form_code,
            notice_type=notice_type,
            notice_id=notice_id,
            publication_number=number,
            ted_url=mapping.ted_url(number) if number else None,
            issue_date=self.day(form, "t:COMPLEMENTARY_INFO/t:DATE_DISPATCH_NOTICE"),
            publication_date=publication_date,
            language=mapping.language_from_ted(form.get("LG") or ""),
            legal_basis=r.attr(form, "t:LEGAL_BASIS", "VALUE")
            or r.text(form, "t:LEGAL_BASIS_OTHER"),
            internal_reference=reference,
            previous_notices=tuple(
                dict.fromkeys(n for p in previous if (n := mapping.publication_number(p)))
            ),
            buyers=buyers,
            title=title,
            description=description,
            contract_nature=nature,
            procedure=proc,
            main_cpv=main_cpv,
            lots=lots,
            lot_rules=self.lot_rules(obj),
            estimated_value=estimated,
            submission_deadline=deadline,
            documents_url=documents_url,
            results=results,
            total_awarded=total,
            change=self.change(form, kind, previous),
        )
        scopes = [form, *r.all(root, "t:FORM_SECTION/t:NOTICE_UUID")]
        return replace(notice, unmapped=r.leftovers(scopes))

    def choose_form(self, language: str | None) -> Element:
        r = self.r
        forms = r.all(self.root, "t:FORM_SECTION/*[@CATEGORY]")
        if not forms:
            raise IncompleteNotice("TED notice without a form in FORM_SECTION")
        originals = [f for f in forms if f.get("CATEGORY") == "ORIGINAL"] or forms
        wanted = [
            lg.upper() for lg in r.texts(self.root, "t:CODED_DATA_SECTION/t:NOTICE_DATA/t:LG_ORIG")
        ]
        if language:
            wanted.insert(0, language.upper())
        chosen = next(
            (
                f
                for lg in wanted
                for f in forms
                if f.get("LG") == lg and (f in originals or lg == wanted[0])
            ),
            originals[0],
        )
        # The other language versions say the same: one line for all of them.
        others = [f for f in forms if f is not chosen]
        for other in others:
            r.mark(other, deep=True)
        if others:
            r.note(
                self.root,
                f"other language versions of the version read ({chosen.get('LG')})",
                " ".join(f"{f.get('LG')} ({(f.get('CATEGORY') or '').lower()})" for f in others),
            )
        return chosen

    # --- parties -------------------------------------------------------------------------

    def organisation_fields(self, address: Element, ref: str) -> dict[str, object]:
        r = self.r
        r.mark(address)
        country = None
        country_element = r.one(address, "t:COUNTRY")
        if country_element is not None:
            given = r.attr_of(country_element, "VALUE") or ""
            country = mapping.country_from_ted(given)
            if country is None:
                r.report(country_element, "not a country code", given)
        region_element = r.one(address, NUTS)
        region = self.nuts(region_element).nuts if region_element is not None else None
        identifiers: list[Identifier] = []
        for element in r.all(address, "t:NATIONALID"):
            found = r.identifier(element, r.text_of(element), country, None)
            if found is not None:
                identifiers.append(found)
        return {
            "ref": ref,
            "name": r.text(address, "t:OFFICIALNAME") or "",
            "identifiers": tuple(identifiers),
            "address": Address(
                street=r.text(address, "t:ADDRESS"),
                locality=r.text(address, "t:TOWN"),
                postal_code=r.text(address, "t:POSTAL_CODE"),
                region=region,
                country=country,
            ),
            "contact": ContactPoint(
                name=r.text(address, "t:CONTACT_POINT"),
                email=r.text(address, "t:E_MAIL"),
                telephone=r.text(address, "t:PHONE"),
                fax=r.text(address, "t:FAX"),
            ),
            "website": r.text(address, "t:URL_GENERAL"),
        }

    def buyers(self, body: Element, form_code: str) -> tuple[Buyer, ...]:
        r = self.r
        legal_type = r.attr(body, "t:CA_TYPE", "VALUE")
        other_type = r.text(body, "t:CA_TYPE_OTHER")
        buyer_type = mapping.TED_BUYER_TYPES.get(legal_type or "")
        if legal_type and buyer_type is None:
            r.note(body, "unknown buyer type", legal_type)
        if other_type and buyer_type is None:
            buyer_type, legal_type = BuyerType.OTHER_PUBLIC_BODY, other_type
        activity = (
            r.attr(body, "t:CA_ACTIVITY", "VALUE")
            or r.attr(body, "t:CE_ACTIVITY", "VALUE")
            or r.text(body, "t:CA_ACTIVITY_OTHER")
            or r.text(body, "t:CE_ACTIVITY_OTHER")
        )
        for extra in ("t:CA_ACTIVITY_OTHER", "t:CE_ACTIVITY_OTHER"):
            if (e := r.one(body, extra)) is not None and activity != r.text_of(e):
                r.report(e, "a second main activity is not carried")
        utilities = form_code in UTILITIES_FORMS or r.one(body, "t:CE_ACTIVITY") is not None
        cpb = r.flag(body, "t:CENTRAL_PURCHASING")
        r.flag(body, "t:JOINT_PROCUREMENT_INVOLVED")
        addresses = r.all(
            body, "t:ADDRESS_CONTRACTING_BODY | t:ADDRESS_CONTRACTING_BODY_ADDITIONAL"
        )
        buyers = []
        for number, address in enumerate(addresses, start=1):
            lead = number == 1
            buyers.append(
                Buyer(
                    **self.organisation_fields(address, f"buyer-{number}"),  # type: ignore[arg-type]
                    buyer_type=BuyerType.CENTRAL_PURCHASING_BODY if lead and cpb else buyer_type,
                    legal_type=legal_type,
                    lead=lead,
                    central_purchasing_body=lead and cpb,
                    contracting_entity=utilities,
                    activity=activity,
                    profile_url=r.text(address, "t:URL_BUYER"),
                )
            )
        return tuple(buyers)

    def winner(self, address: Element, holder: Element, ref: str) -> Organisation:
        sme = (
            True
            if self.r.flag(holder, "t:SME")
            else False
            if self.r.flag(holder, "t:NO_SME")
            else None
        )
        fields = self.organisation_fields(address, ref)
        return Organisation(**fields, sme=sme)  # type: ignore[arg-type]

    # --- procedure -----------------------------------------------------------------------

    def procedure(self, procedure: Element | None, form_code: str) -> Procedure:
        if procedure is None:
            return Procedure()
        r = self.r
        element = r.one(procedure, "*[starts-with(local-name(), 'PT_')]")
        given = local_name(element) if element is not None else None
        kind = mapping.TED_PROCEDURES.get(given or "")
        justification = None
        grounds: tuple[str, ...] = ()
        if element is not None:
            r.mark(element)
            if kind is None:
                r.report(element, "unknown procedure type", given)
            justification = r.text(element, "t:D_JUSTIFICATION")
            accordance = r.one(element, "t:D_ACCORDANCE_ARTICLE")
            if accordance is not None:
                r.mark(accordance, deep=True)
                grounds = tuple(local_name(e) for e in accordance.iter() if e is not accordance)
        accelerated = r.flag(procedure, "t:ACCELERATED_PROC")
        if accelerated:
            justification = r.text(procedure, "t:ACCELERATED_PROC") or justification
        return Procedure(
            type=kind,
            given=given,
            accelerated=accelerated,
            justification=justification,
            grounds=grounds,
            features=r.text(procedure, "t:MAIN_FEATURES_AWARD"),
        )

    def techniques(
        self, procedure: Element | None
    ) -> tuple[FrameworkAgreement | None, DynamicPurchasingSystem | None, ElectronicAuction | None]:
        if procedure is None:
            return None, None, None
        r = self.r
        framework = None
        element = r.one(procedure, "t:FRAMEWORK")
        if element is not None:
            r.mark(element)
            several = (
                True
                if r.flag(element, "t:SEVERAL_OPERATORS")
                else False
                if r.flag(element, "t:SINGLE_OPERATOR")
                else None
            )
            framework = FrameworkAgreement(
                several_operators=several,
                max_participants=self.integer(element, "t:NB_PARTICIPANTS"),
                duration_justification=r.text(element, "t:JUSTIFICATION"),
            )
        dps = None
        if r.flag(procedure, "t:DPS"):
            dps = DynamicPurchasingSystem(
                additional_purchasers=r.flag(procedure, "t:DPS_ADDITIONAL_PURCHASERS")
            )
        eauction = None
        if r.flag(procedure, "t:EAUCTION_USED"):
            eauction = ElectronicAuction(description=r.text(procedure, "t:INFO_ADD_EAUCTION"))
        return framework, dps, eauction

    # --- lots ----------------------------------------------------------------------------

    def lot_rules(self, obj: Element | None) -> LotRules:
        r = self.r
        division = r.one(obj, "t:LOT_DIVISION") if obj is not None else None
        if obj is not None:
            r.flag(obj, "t:NO_LOT_DIVISION")
        if division is None:
            return LotRules()
        r.mark(division)
        submission = None
        max_per_tenderer = self.integer(division, "t:LOT_MAX_NUMBER")
        if r.flag(division, "t:LOT_ALL"):
            submission = LotSubmission.ALL_LOTS_ALLOWED
        elif max_per_tenderer is not None:
            submission = LotSubmission.MAX_LOTS
        elif r.flag(division, "t:LOT_ONE_ONLY"):
            submission, max_per_tenderer = LotSubmission.ONE_LOT_ONLY, 1
        return LotRules(
            submission=submission,
            max_lots_per_tenderer=max_per_tenderer,
            max_lots_awarded=self.integer(division, "t:LOT_MAX_ONE_TENDERER"),
            combination=r.text(division, "t:LOT_COMBINING_CONTRACT_RIGHT"),
        )

    def lots(self, obj: Element | None, main_cpv: Cpv | None, common: Lot) -> tuple[Lot, ...]:
        if obj is None:
            return ()
        r = self.r
        lots: list[Lot] = []
        for element in r.all(obj, "t:OBJECT_DESCR"):
            r.mark(element)
            item = r.attr_of(element, "ITEM")
            lot_id = r.text(element, "t:LOT_NO") or item or str(len(lots) + 1)
            places = [self.nuts(e) for e in r.all(element, NUTS)]
            site = r.text(element, "t:MAIN_SITE")
            if site:
                places = [Place(nuts=p.nuts, country=p.country, description=site) for p in places]
                places = places or [Place(description=site)]
            lots.append(
                Lot(
                    id=lot_id,
                    title=r.text(element, "t:TITLE"),
                    description=r.text(element, "t:SHORT_DESCR"),
                    main_cpv=main_cpv,
                    additional_cpv=tuple(self.cpv(e) for e in r.all(element, "t:CPV_ADDITIONAL")),
                    places=tuple(places),
                    award_criteria=self.criteria(element),
                    criteria_in_documents=r.flag(element, "t:AC/t:AC_PROCUREMENT_DOC"),
                    estimated_value=self.money(r.one(element, "t:VAL_OBJECT")),
                    period=self.period(element),
                    has_options=self.yes_no(element, "t:OPTIONS", "t:NO_OPTIONS"),
                    options=r.text(element, "t:OPTIONS_DESCR"),
                    renewable=self.yes_no(element, "t:RENEWAL", "t:NO_RENEWAL"),
                    renewals=r.text(element, "t:RENEWAL_DESCR"),
                    framework=common.framework,
                    dps=common.dps,
                    eauction=common.eauction,
                    submission_deadline=common.submission_deadline,
                    documents_url=common.documents_url,
                    submission_url=common.submission_url,
                )
            )
        return tuple(lots)

    def yes_no(self, context: Element, yes: str, no: str) -> bool | None:
        if self.r.flag(context, yes):
            return True
        if self.r.flag(context, no):
            return False
        return None

    def criteria(self, lot: Element) -> tuple[AwardCriterion, ...]:
        r = self.r
        block = r.one(lot, "t:AC")
        if block is None:
            return ()
        r.mark(block)
        criteria = []
        for element in r.all(block, "t:AC_QUALITY | t:AC_COST | t:AC_PRICE"):
            r.mark(element)
            weight_element = r.one(element, "t:AC_WEIGHTING")
            given = r.text_of(weight_element) if weight_element is not None else None
            number = mapping.weight_number(given) if given else None
            if weight_element is not None and given and number is None:
                r.report(weight_element, "weight is not a number (kept as text)", given)
            criteria.append(
                AwardCriterion(
                    kind=mapping.TED_CRITERIA[local_name(element)],
                    name=r.text(element, "t:AC_CRITERION"),
                    weight=Decimal(number) if number else None,
                    weight_given=given,
                )
            )
        return tuple(criteria)

    def period(self, lot: Element) -> Period | None:
        r = self.r
        holder = r.one(lot, "t:QS")
        holder = lot if holder is None else holder
        r.mark(holder)
        duration = None
        element = r.one(holder, "t:DURATION")
        if element is not None:
            unit = mapping.DURATION_UNITS.get((r.attr_of(element, "TYPE") or "").upper())
            text = r.text_of(element) or ""
            if unit and text.isdigit():
                duration = Duration(amount=Decimal(text), unit=unit)
            else:
                r.report(element, "not a duration")
        start = self.day(holder, "t:DATE_START")
        end = self.day(holder, "t:DATE_END")
        indefinite = r.flag(holder, "t:INDEFINITE_DURATION")
        if duration is None and start is None and end is None and not indefinite:
            return None
        return Period(duration=duration, start=start, end=end, indefinite=indefinite)

    # --- results -------------------------------------------------------------------------

    def results(self, form: Element, lots: tuple[Lot, ...]) -> tuple[LotResult, ...]:
        r = self.r
        by_lot: dict[str, list[tuple[Element, Contract | None, int | None, str | None]]] = {}
        sole_lot = lots[0].id if len(lots) == 1 else None
        for element in r.all(form, "t:AWARD_CONTRACT"):
            r.mark(element)
            r.attr_of(element, "ITEM")
            lot_id = (
                r.text(element, "t:LOT_NO") or sole_lot or r.text(element, "t:CONTRACT_NO") or "1"
            )
            contract_no = r.text(element, "t:CONTRACT_NO")
            title = r.text(element, "t:TITLE")
            not_awarded = r.one(element, "t:NO_AWARDED_CONTRACT")
            if not_awarded is not None:
                r.mark(not_awarded)
                reason_element = r.one(not_awarded, "*")
                reason = local_name(reason_element) if reason_element is not None else None
                r.mark(reason_element)
                by_lot.setdefault(lot_id, []).append((element, None, None, reason))
                continue
            awarded = r.one(element, "t:AWARDED_CONTRACT")
            if awarded is None:
                continue
            r.mark(awarded)
            contractors = r.one(awarded, "t:CONTRACTORS")
            winners: list[Organisation] = []
            if contractors is not None:
                r.mark(contractors)
                r.flag(contractors, "t:AWARDED_TO_GROUP | t:NO_AWARDED_TO_GROUP")
                for n, contractor in enumerate(r.all(contractors, "t:CONTRACTOR"), start=1):
                    r.mark(contractor)
                    address = r.one(contractor, "t:ADDRESS_CONTRACTOR")
                    if address is not None:
                        winners.append(self.winner(address, contractor, f"winner-{lot_id}-{n}"))
            values = r.one(awarded, "t:VALUES")
            value = None
            if values is not None:
                r.mark(values)
                value = self.money(r.one(values, "t:VAL_TOTAL"))
            contract = Contract(
                id=contract_no,
                title=title,
                signed=self.day(awarded, "t:DATE_CONCLUSION_CONTRACT"),
                value=value,
                winners=tuple(winners),
            )
            received = self.integer(awarded, "t:TENDERS/t:NB_TENDERS_RECEIVED")
            r.mark(r.one(awarded, "t:TENDERS"))
            by_lot.setdefault(lot_id, []).append((element, contract, received, None))
        results = [self.lot_result(lot_id, entries) for lot_id, entries in by_lot.items()]
        prizes = r.one(form, "t:RESULTS")
        if prizes is not None:
            results += self.prizes(prizes, sole_lot or "1")
        return tuple(results)

    @staticmethod
    def lot_result(
        lot_id: str, entries: list[tuple[Element, Contract | None, int | None, str | None]]
    ) -> LotResult:
        contracts = tuple(c for _, c, _, _ in entries if c is not None)
        received = [n for _, _, n, _ in entries if n is not None]
        reasons = [why for _, _, _, why in entries if why]
        return LotResult(
            lot_id=lot_id,
            status=ResultStatus.AWARDED if contracts else ResultStatus.NOT_AWARDED,
            reason=None if contracts else (reasons[0] if reasons else None),
            tenders_received=max(received) if received else None,
            contracts=contracts,
        )

    def prizes(self, results: Element, lot_id: str) -> list[LotResult]:
        """A design contest's results (F13): the prize winners of the contest."""
        r = self.r
        r.mark(results)
        found = []
        for prize in r.all(results, "t:AWARDED_PRIZE"):
            r.mark(prize)
            winners = []
            block = r.one(prize, "t:WINNERS")
            r.mark(block)
            for n, winner in enumerate(r.all(prize, "t:WINNERS/t:WINNER"), start=1):
                r.mark(winner)
                address = r.one(winner, "t:ADDRESS_WINNER")
                if address is not None:
                    winners.append(self.winner(address, winner, f"winner-{lot_id}-{n}"))
            r.mark(r.one(prize, "t:PARTICIPANTS"))
            found.append(
                LotResult(
                    lot_id=lot_id,
                    status=ResultStatus.AWARDED,
                    tenders_received=self.integer(prize, "t:PARTICIPANTS/t:NB_PARTICIPANTS"),
                    contracts=(
                        Contract(
                            awarded=self.day(prize, "t:DATE_DECISION_JURY"),
                            value=self.money(r.one(prize, "t:VAL_PRIZE")),
                            winners=tuple(winners),
                        ),
                    ),
                )
            )
        for element in r.all(results, "t:NO_AWARDED_PRIZE"):
            r.mark(element)
            reason = r.one(element, "*")
            r.mark(reason)
            found.append(
                LotResult(
                    lot_id=lot_id,
                    status=ResultStatus.NOT_AWARDED,
                    reason=local_name(reason) if reason is not None else None,
                )
            )
        return found

    def change(self, form: Element, kind: NoticeKind, previous: list[str]) -> Change | None:
        """F14 corrigenda and F20 modifications: which notice, and the stated reason."""
        if kind not in (NoticeKind.CHANGE, NoticeKind.CONTRACT_MODIFICATION):
            return None
        r = self.r
        changed = next((n for p in previous if (n := mapping.publication_number(p))), None)
        if kind is NoticeKind.CHANGE:
            return Change(changed_notice=changed, description=r.text(form, "t:CHANGES/t:INFO_ADD"))
        modification = r.one(form, "t:MODIFICATIONS_CONTRACT")
        r.mark(modification)
        return Change(
            changed_notice=changed,
            description=r.text(form, "t:MODIFICATIONS_CONTRACT/t:INFO_MODIFICATIONS/t:SHORT_DESCR"),
            reason=r.text(form, "t:MODIFICATIONS_CONTRACT/t:INFO_MODIFICATIONS/t:INFO_ADD"),
        )
