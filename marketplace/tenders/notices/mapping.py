"""Code lists that turn what TED R2.0.9 and eForms notices say into the neutral `Notice`.

Sources (every table below is transcribed from them, nothing is fetched at run time):

- eForms SDK 1.15.1 code lists (`OP-TED/eForms-SDK` @ 184afa7d, `codelists/*.gc`, CC-BY-4.0):
  `procurement-procedure-type`, `buyer-legal-type`, `form-type`, `notice-type`,
  `framework-agreement`, `award-criterion-type`.
- TED XML R2.0.9 schema element names (`TED_EXPORT.xsd`, `F01_2014.xsd` ... `F25_2014.xsd`,
  as used by OP's `ted-xml-data-converter` @ c4731a1e, whose mapping to eForms these follow).
- NUTS 2021 → 2024: Eurostat's correspondence table, packaged as
  `marketplace/reference/data/nuts2021_to_2024_correspondence.csv` (see its SOURCES.md).
- Legal-identifier schemes: org-id.guide (Open Data Services' register of organisation
  identifier lists); the identifier shapes are those the registers publish.
- Countries and languages: ISO 3166-1 and ISO 639 through `pycountry`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry

from marketplace.reference.vocabularies import cpv_codes
from marketplace.tenders.notices.model import (
    BuyerType,
    Cpv,
    CriterionKind,
    NoticeKind,
    Nuts,
    ProcedureType,
)

# --- procedures ---------------------------------------------------------------------------

# eForms BT-105 `procurement-procedure-type`.
EFORMS_PROCEDURES: dict[str, ProcedureType] = {
    "open": ProcedureType.OPEN,
    "restricted": ProcedureType.RESTRICTED,
    "neg-w-call": ProcedureType.COMPETITIVE_WITH_NEGOTIATION,
    "comp-dial": ProcedureType.COMPETITIVE_DIALOGUE,
    "innovation": ProcedureType.INNOVATION_PARTNERSHIP,
    "neg-wo-call": ProcedureType.NEGOTIATED_WITHOUT_PUBLICATION,
    "oth-single": ProcedureType.OTHER_SINGLE_STAGE,
    "oth-mult": ProcedureType.OTHER_MULTIPLE_STAGE,
    "comp-tend": ProcedureType.COMPETITIVE_TENDERING,
    "exp-int-rail": ProcedureType.RAIL_EXPRESSION_OF_INTEREST,
}

# TED R2.0.9 `PROCEDURE/PT_*` elements (F02, F03, F05, F06, F15, F21-F25).
TED_PROCEDURES: dict[str, ProcedureType] = {
    "PT_OPEN": ProcedureType.OPEN,
    "PT_RESTRICTED": ProcedureType.RESTRICTED,
    "PT_COMPETITIVE_NEGOTIATION": ProcedureType.COMPETITIVE_WITH_NEGOTIATION,
    "PT_NEGOTIATED_WITH_PRIOR_CALL": ProcedureType.COMPETITIVE_WITH_NEGOTIATION,
    "PT_COMPETITIVE_DIALOGUE": ProcedureType.COMPETITIVE_DIALOGUE,
    "PT_INNOVATION_PARTNERSHIP": ProcedureType.INNOVATION_PARTNERSHIP,
    "PT_AWARD_CONTRACT_WITHOUT_CALL": ProcedureType.NEGOTIATED_WITHOUT_PUBLICATION,
    "PT_AWARD_CONTRACT_WITHOUT_PUBLICATION": ProcedureType.NEGOTIATED_WITHOUT_PUBLICATION,
    "PT_NEGOTIATED_WITHOUT_PUBLICATION": ProcedureType.NEGOTIATED_WITHOUT_PUBLICATION,
    "PT_INVOLVING_NEGOTIATION": ProcedureType.COMPETITIVE_WITH_NEGOTIATION,
}

# --- notice kinds -------------------------------------------------------------------------

EFORMS_FORM_TYPES: dict[str, NoticeKind] = {
    "planning": NoticeKind.PLANNING,
    "competition": NoticeKind.COMPETITION,
    "result": NoticeKind.RESULT,
    "dir-awa-pre": NoticeKind.DIRECT_AWARD_PRENOTIFICATION,
    "cont-modif": NoticeKind.CONTRACT_MODIFICATION,
    "change": NoticeKind.CHANGE,
    "completion": NoticeKind.COMPLETION,
    "consultation": NoticeKind.CONSULTATION,
}

# TED R2.0.9 forms. F21-F23 (light regime, concessions' prior information) say which by
# `NOTICE@TYPE`, see TED_NOTICE_TYPES.
TED_FORMS: dict[str, NoticeKind] = {
    "F01": NoticeKind.PLANNING,
    "F02": NoticeKind.COMPETITION,
    "F03": NoticeKind.RESULT,
    "F04": NoticeKind.PLANNING,
    "F05": NoticeKind.COMPETITION,
    "F06": NoticeKind.RESULT,
    "F07": NoticeKind.COMPETITION,
    "F08": NoticeKind.PLANNING,
    "F12": NoticeKind.COMPETITION,
    "F13": NoticeKind.RESULT,
    "F14": NoticeKind.CHANGE,
    "F15": NoticeKind.DIRECT_AWARD_PRENOTIFICATION,
    "F17": NoticeKind.COMPETITION,
    "F18": NoticeKind.RESULT,
    "F19": NoticeKind.COMPETITION,
    "F20": NoticeKind.CONTRACT_MODIFICATION,
    "F24": NoticeKind.COMPETITION,
    "F25": NoticeKind.RESULT,
}

TED_NOTICE_TYPES: dict[str, NoticeKind] = {
    "PRI_ONLY": NoticeKind.PLANNING,
    "PRI_REDUCING_TIME_LIMITS": NoticeKind.PLANNING,
    "PRI_CALL_COMPETITION": NoticeKind.COMPETITION,
    "PER_ONLY": NoticeKind.PLANNING,
    "PER_REDUCING_TIME_LIMITS": NoticeKind.PLANNING,
    "PER_CALL_COMPETITION": NoticeKind.COMPETITION,
    "QSU_ONLY": NoticeKind.COMPETITION,
    "QSU_CALL_COMPETITION": NoticeKind.COMPETITION,
    "CONTRACT": NoticeKind.COMPETITION,
    "AWARD_CONTRACT": NoticeKind.RESULT,
}

# --- buyers -------------------------------------------------------------------------------

# eForms BT-11 `buyer-legal-type`. A body governed by public law or a public undertaking
# "controlled by a local authority" is not the city itself: it stays a body or a company.
EFORMS_BUYER_TYPES: dict[str, BuyerType] = {
    "la": BuyerType.CITY,
    "ra": BuyerType.REGION,
    "cga": BuyerType.CENTRAL_GOVERNMENT,
    "pub-undert": BuyerType.PUBLIC_COMPANY,
    "pub-undert-cga": BuyerType.PUBLIC_COMPANY,
    "pub-undert-la": BuyerType.PUBLIC_COMPANY,
    "pub-undert-ra": BuyerType.PUBLIC_COMPANY,
    "spec-rights-entity": BuyerType.PUBLIC_COMPANY,
    "body-pl": BuyerType.OTHER_PUBLIC_BODY,
    "body-pl-cga": BuyerType.OTHER_PUBLIC_BODY,
    "body-pl-la": BuyerType.OTHER_PUBLIC_BODY,
    "body-pl-ra": BuyerType.OTHER_PUBLIC_BODY,
    "def-cont": BuyerType.OTHER_PUBLIC_BODY,
    "int-org": BuyerType.OTHER_PUBLIC_BODY,
    "org-sub": BuyerType.OTHER_PUBLIC_BODY,
    "org-sub-cga": BuyerType.OTHER_PUBLIC_BODY,
    "org-sub-la": BuyerType.OTHER_PUBLIC_BODY,
    "org-sub-ra": BuyerType.OTHER_PUBLIC_BODY,
    "eu-ins-bod-ag": BuyerType.EU_INSTITUTION,
    "eu-int-org": BuyerType.EU_INSTITUTION,
    "grp-p-aut": BuyerType.OTHER_PUBLIC_BODY,
    "rl-aut": BuyerType.REGIONAL_OR_LOCAL_AUTHORITY,
}

# TED R2.0.9 `CA_TYPE@VALUE` (section I.4 of the classic-directive forms).
TED_BUYER_TYPES: dict[str, BuyerType] = {
    "MINISTRY": BuyerType.CENTRAL_GOVERNMENT,
    "NATIONAL_AGENCY": BuyerType.CENTRAL_GOVERNMENT,
    "REGIONAL_AUTHORITY": BuyerType.REGIONAL_OR_LOCAL_AUTHORITY,
    "REGIONAL_AGENCY": BuyerType.OTHER_PUBLIC_BODY,
    "BODY_PUBLIC": BuyerType.OTHER_PUBLIC_BODY,
    "EU_INSTITUTION": BuyerType.EU_INSTITUTION,
}

# --- award criteria -----------------------------------------------------------------------

EFORMS_CRITERIA: dict[str, CriterionKind] = {
    "price": CriterionKind.PRICE,
    "cost": CriterionKind.COST,
    "quality": CriterionKind.QUALITY,
}
TED_CRITERIA: dict[str, CriterionKind] = {
    "AC_PRICE": CriterionKind.PRICE,
    "AC_COST": CriterionKind.COST,
    "AC_QUALITY": CriterionKind.QUALITY,
}

_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%|pct|percent|points?|pts)?\s*$", re.IGNORECASE)


def weight_number(text: str) -> str | None:
    """The number in a free-text R2.0.9 weight ("10.08 %", "40", "12,5"), else None."""
    match = _NUMBER.match(text)
    return match.group(1).replace(",", ".") if match else None


# --- countries and languages --------------------------------------------------------------

# EU (and TED) country codes that ISO 3166-1 spells otherwise.
_EU_COUNTRY_CODES = {"UK": "GB", "EL": "GR", "1A": "XK"}
_ISO3_EXTRA = {"1A0": "XK"}  # eForms' code for Kosovo


def country_from_ted(code: str) -> str | None:
    """R2.0.9 `COUNTRY@VALUE` (ISO alpha-2 except `UK` and `EL`) → ISO 3166-1 alpha-2."""
    code = code.strip().upper()
    code = _EU_COUNTRY_CODES.get(code, code)
    return code if code == "XK" or pycountry.countries.get(alpha_2=code) else None


def country_from_eforms(code: str) -> str | None:
    """eForms `country` code list (ISO 3166-1 alpha-3) → alpha-2."""
    code = code.strip().upper()
    if code in _ISO3_EXTRA:
        return _ISO3_EXTRA[code]
    found = pycountry.countries.get(alpha_3=code)
    return found.alpha_2 if found else None


def country_of_nuts(code: str) -> str | None:
    """The ISO country of a NUTS code (its first two letters, `EL` → `GR`, `UK` → `GB`)."""
    return country_from_ted(code[:2]) if len(code) >= 2 else None


def language_from_ted(code: str) -> str | None:
    """R2.0.9 language (ISO 639-1, upper case) → ISO 639-1 lower case."""
    code = code.strip().lower()
    return code if pycountry.languages.get(alpha_2=code) else None


def language_from_eforms(code: str) -> str | None:
    """eForms language (ISO 639-3 / 639-2/B, upper case) → ISO 639-1 lower case."""
    code = code.strip().lower()
    found = pycountry.languages.get(alpha_3=code) or pycountry.languages.get(bibliographic=code)
    alpha_2 = getattr(found, "alpha_2", None) if found else None
    return str(alpha_2) if alpha_2 else None


# --- NUTS ---------------------------------------------------------------------------------

_NUTS_SHAPE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_EXACT_CHANGES = {"", "Code change", "Name change", "art. 5(2a)"}


@dataclass(frozen=True, slots=True)
class _Correspondence:
    target: str | None  # the 2024 code, None when the region has none of its own
    exact: bool


def _reference_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("marketplace.reference").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def _nuts_2024() -> frozenset[str]:
    return frozenset(row["code"] for row in _reference_rows("nuts2024.csv"))


@cache
def _nuts_2021() -> frozenset[str]:
    return frozenset(row["code"] for row in _reference_rows("nuts2021.csv"))


@cache
def _correspondence() -> dict[str, _Correspondence]:
    """NUTS 2021 code → its 2024 code.

    Eurostat's table lists a region whose boundary moved twice: the 2021 code with no 2024
    code ("Boundary shift"), then the 2024 code with no 2021 code ("New region"), under the
    same name. Such a pair is joined here, as an approximate translation. A merged or split
    region has no single successor and falls back to its parent region.
    """
    rows = _reference_rows("nuts2021_to_2024_correspondence.csv")
    new_regions = {
        (row["country_code"], row["level"], row["label"]): row["code_2024"]
        for row in rows
        if not row["code_2021"] and row["code_2024"]
    }
    table: dict[str, _Correspondence] = {}
    for row in rows:
        old, new, change = row["code_2021"], row["code_2024"], row["change"]
        if not old:
            continue
        if new:
            table[old] = _Correspondence(new, change in _EXACT_CHANGES)
        elif change == "Boundary shift":
            successor = new_regions.get((row["country_code"], row["level"], row["label"]))
            table[old] = _Correspondence(successor, False)
        else:
            table[old] = _Correspondence(None, False)
    return table


def nuts_shape_ok(code: str) -> bool:
    return bool(_NUTS_SHAPE.match(code))


def translate_nuts(given: str) -> Nuts:
    """A NUTS 2016/2021/2024 code → its NUTS 2024 region, the given code kept.

    An unknown code (a 2016 code gone by 2021, or a region without a successor) is walked
    up to the nearest ancestor that has a 2024 region, as an approximation; the United
    Kingdom has none at all (it is not in NUTS 2024), so its codes translate to None.
    """
    code = given.strip().upper()
    exact = True
    candidate = code
    while len(candidate) >= 2:
        found = _correspondence().get(candidate)
        if found is not None and found.target is not None:
            return Nuts(given=given, nuts_2024=found.target, exact=exact and found.exact)
        if found is None and candidate in _nuts_2024():
            return Nuts(given=given, nuts_2024=candidate, exact=exact)
        candidate, exact = candidate[:-1], False
    return Nuts(given=given, nuts_2024=None, exact=False)


def nuts_problem(nuts: Nuts) -> str | None:
    """Why a translated code deserves a line in the unmapped report, if it does."""
    code = nuts.given.strip().upper()
    if not nuts_shape_ok(code):
        return "not a NUTS code"
    if nuts.nuts_2024 is None:
        if code.startswith("UK"):
            return "United Kingdom region: the UK is not in NUTS 2024 (code and country kept)"
        return "no NUTS 2024 region corresponds (code kept as given)"
    if not nuts.exact:
        known = code in _nuts_2021() or code in _correspondence()
        what = "boundaries changed" if known else "not a NUTS 2021 code"
        return f"{what}: approximated by NUTS 2024 {nuts.nuts_2024}"
    return None


# --- legal identifiers --------------------------------------------------------------------

# Values buyers type where the form requires an identifier and they have none.
PLACEHOLDER_IDENTIFIERS = frozenset(
    {"n/a", "na", "none", "not available", "not applicable", "-", "0", "nil", "tbc", "n.a."}
)

_ORG_ID_SCHEME = re.compile(r"^[A-Z]{2}-[A-Z0-9_]+$")

# EU member states' VAT number shapes (the prefix is the country; Greece's is EL).
_VAT = re.compile(
    r"^(ATU\d{8}|BE[01]\d{9}|BG\d{9,10}|CY\d{8}[A-Z]|CZ\d{8,10}|DE\d{9}|DK\d{8}|EE\d{9}|"
    r"EL\d{9}|ES[A-Z0-9]\d{7}[A-Z0-9]|FI\d{8}|FR[A-HJ-NP-Z0-9]{2}\d{9}|HR\d{11}|HU\d{8}|"
    r"IE\d{7}[A-W][A-I]?|IE\d[A-Z+*]\d{5}[A-W]|IT\d{11}|LT(\d{9}|\d{12})|LU\d{8}|LV\d{11}|"
    r"MT\d{8}|NL\d{9}B\d{2}|PL\d{10}|PT\d{9}|RO\d{2,10}|SE\d{12}|SI\d{8}|SK\d{10})$"
)

# (country, shape of the compacted identifier, org-id.guide scheme). First match wins.
_NATIONAL_SCHEMES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("GB", re.compile(r"^(\d{8}|(SC|NI|OC|SO|NC|R0)\d{6})$"), "GB-COH"),
    ("NL", re.compile(r"^\d{8}$"), "NL-KVK"),
    ("DK", re.compile(r"^\d{8}$"), "DK-CVR"),
    ("FR", re.compile(r"^\d{14}$"), "FR-SIRET"),
    ("FR", re.compile(r"^\d{9}$"), "FR-RCS"),
    ("NO", re.compile(r"^\d{9}$"), "NO-BRC"),
    ("BE", re.compile(r"^[01]\d{9}$"), "BE-BCE_KBO"),
    ("FI", re.compile(r"^\d{7}-\d$"), "FI-PRO"),
    ("SE", re.compile(r"^\d{6}-?\d{4}$"), "SE-BLV"),
    ("EE", re.compile(r"^\d{8}$"), "EE-RIK"),
    ("IE", re.compile(r"^\d{5,6}$"), "IE-CRO"),
    ("IT", re.compile(r"^\d{11}$"), "IT-CF"),
    ("CH", re.compile(r"^CHE-?\d{3}\.?\d{3}\.?\d{3}$"), "CH-FDJP"),
)


def compact_identifier(value: str) -> str:
    """Registers write numbers with spaces and dots ("552 049 447"); compare without them."""
    return re.sub(r"[\s.]", "", value).upper()


def identifier_scheme(value: str, country: str | None, given_scheme: str | None) -> str | None:
    """The org-id.guide scheme of a legal identifier.

    A scheme the notice gives in org-id.guide form (`NL-KVK`) is taken as is. Otherwise the
    identifier's shape decides: an EU VAT number is `EU-VAT` wherever it is written, a
    national register's number needs the organisation's country to be told apart (eight
    digits are a KvK number in the Netherlands and a CVR number in Denmark).
    """
    if given_scheme and _ORG_ID_SCHEME.match(given_scheme.strip().upper()):
        return given_scheme.strip().upper()
    compact = compact_identifier(value)
    if _VAT.match(compact):
        return "EU-VAT"
    for scheme_country, shape, scheme in _NATIONAL_SCHEMES:
        if country == scheme_country and shape.match(
            compact if scheme_country != "CH" else value.strip()
        ):
            return scheme
    return None


def is_placeholder_identifier(value: str) -> bool:
    return value.strip().lower() in PLACEHOLDER_IDENTIFIERS


# --- publication numbers ------------------------------------------------------------------

_OJ_NUMBER = re.compile(r"^\s*(\d{4})\s*/\s*S\s*\d+\s*-\s*0*(\d+)\s*$")
_PUBLICATION_NUMBER = re.compile(r"^\s*0*(\d+)\s*-\s*(\d{4})\s*$")


def publication_number(text: str) -> str | None:
    """A TED publication number in its one canonical form, "214462-2019".

    TED writes it "2019/S 090-214462" (R2.0.9 `NOTICE_NUMBER_OJ`), "214462-2019" (R2.0.9
    `DOC_ID`) and "00214462-2019" (eForms `ojs-notice-id`); all three are the same notice.
    """
    match = _OJ_NUMBER.match(text)
    if match:
        return f"{int(match.group(2))}-{match.group(1)}"
    match = _PUBLICATION_NUMBER.match(text)
    if match:
        return f"{int(match.group(1))}-{match.group(2)}"
    return None


def ted_url(number: str) -> str:
    """The notice's page on TED (the address TED has used since 2023 for every notice)."""
    return f"https://ted.europa.eu/en/notice/-/detail/{number}"


# --- durations ----------------------------------------------------------------------------

DURATION_UNITS = {
    "DAY": "day",
    "WEEK": "week",
    "MONTH": "month",
    "YEAR": "year",
}


# --- CPV ----------------------------------------------------------------------------------


def cpv(given: str, supplementary: tuple[str, ...] = ()) -> Cpv:
    """A CPV code as given (with or without its check digit) and canonically, when known."""
    digits = given.strip().partition("-")[0]
    found = cpv_codes().get(digits) if len(digits) == 8 and digits.isdigit() else None
    return Cpv(given=given, code=found.code if found else None, supplementary=supplementary)
