"""Names people read for the codes the data holds: procedures, instruments, statuses.

Functions, not constants: the names are in the reader's language, looked up when a page is
drawn. Templates call them (`procedure_names().get(code, code)`).
"""

from __future__ import annotations

from marketplace.i18n import N_
from marketplace.i18n import gettext as _

# The header links modules declare (NavItem labels), translated where the header is drawn.
NAVIGATION = (
    N_("My home"), N_("Search"), N_("Tenders"), N_("Solutions"), N_("Funding calls"),
    N_("Funder dashboard"), N_("My funding calls"), N_("Standards"), N_("My listings"),
    N_("My responses"),
)  # fmt: skip


# The ICC themes (reference/data/themes.csv), translated where they are shown.
THEMES = (
    N_("Mobility"), N_("Renewable energies"), N_("Clean industry"), N_("Green manufacturing"),
    N_("E-Government"), N_("Open data"), N_("Skills and employment"), N_("Healthcare & safety"),
    N_("Re-skilling"), N_("Crisis management"),
)  # fmt: skip


def theme_names() -> dict[str, str]:
    """The ICC themes by code, in the reader's language."""
    from marketplace.reference import vocabularies as vocab

    return {code: _(label) for code, label in vocab.themes().items()}


def country_names() -> dict[str, str]:
    """Countries by ISO code, in the reader's language (Babel's names; pycountry's English)."""
    from marketplace import i18n
    from marketplace.reference import vocabularies as vocab

    english = vocab.countries()
    if i18n.current() == i18n.DEFAULT:
        return english
    names = i18n.babel_locale().territories
    return {code: names.get(code, name) for code, name in english.items()}


def procedure_names() -> dict[str, str]:
    return {
        "open": _("Open procedure"),
        "restricted": _("Restricted procedure"),
        "competitive_with_negotiation": _("Competitive procedure with negotiation"),
        "competitive_dialogue": _("Competitive dialogue"),
        "innovation_partnership": _("Innovation partnership"),
        "pcp": _("Pre-commercial procurement (PCP)"),
        "ppi": _("Public procurement of innovative solutions (PPI)"),
        # Only imported notices carry these.
        "negotiated_without_publication": _("Negotiated procedure without prior publication"),
        "other_single_stage": _("Other single-stage procedure"),
        "other_multiple_stage": _("Other multiple-stage procedure"),
    }


def buyer_type_names() -> dict[str, str]:
    """The kinds of public buyer other than a city (accounts' `buyer_type`)."""
    return {
        "city": _("City"),
        "region": _("Region"),
        "central_purchasing_body": _("Central purchasing body"),
        "public_company": _("Public company"),
        "other_public_body": _("Other public body"),
    }


def notice_kind_names() -> dict[str, str]:
    """What a TED notice is, by its eForms form type (tenders.notices.NoticeKind)."""
    return {
        "planning": _("prior information notice"),
        "competition": _("contract notice"),
        "result": _("contract award notice"),
        "dir-awa-pre": _("voluntary ex-ante transparency notice"),
        "cont-modif": _("contract modification notice"),
        "change": _("corrigendum"),
        "completion": _("completion notice"),
        "consultation": _("market consultation notice"),
    }


def nuts_label(code: str) -> str:
    """ "Helsinki-Uusimaa (FI1B1)": the region's name with its code, which people also search
    by; the code alone when the classification does not know it."""
    from marketplace.reference import vocabularies as vocab

    region = vocab.nuts_regions().get(code.strip().upper())
    return f"{region.label} ({region.code})" if region else code


def cpv_label(code: str) -> str:
    """ "48000000-8 Software package and information systems": the code, which buyers quote,
    then its name (CPV 2008 in English: the data has no French or German labels)."""
    from marketplace.reference import vocabularies as vocab

    found = vocab.cpv_codes().get(code.strip()[:8])
    return f"{found.code} {found.label}" if found else code


def instrument_names() -> dict[str, str]:
    return {
        "grant": _("Grant"),
        "loan": _("Loan"),
        "equity": _("Equity"),
        "guarantee": _("Guarantee"),
        "blended": _("Blended finance"),
    }


def interest_statuses() -> dict[str, str]:
    return {
        "pending": _("Waiting for the cities"),
        "accepted": _("Accepted"),
        "declined": _("Declined"),
        "withdrawn": _("Withdrawn"),
    }


def stage_names() -> dict[str, str]:
    return {
        "planning": _("Planning (draft)"),
        "active": _("Open for responses"),
        "evaluation": _("Evaluation"),
        "complete": _("Complete"),
        "cancelled": _("Cancelled"),
        "unsuccessful": _("Unsuccessful"),
    }


def response_statuses() -> dict[str, str]:
    return {
        "submitted": _("Submitted (sealed)"),
        "withdrawn": _("Withdrawn"),
        "awarded": _("Awarded"),
        "unsuccessful": _("Not successful"),
    }


# The euro first, then the other currencies of EU/EEA members, Switzerland and the UK (those
# ISO 4217 still lists: the lev went when Bulgaria took the euro on 1 January 2026).
CURRENCIES = ("EUR", "BGN", "CZK", "DKK", "HUF", "PLN", "RON", "SEK", "ISK", "NOK", "CHF", "GBP")

Options = list[tuple[str, str]]


def currency_options() -> Options:
    """(code, "EUR — euro") in the reader's language: the European currencies, the euro first."""
    return currency_groups()[0][1]


def currency_groups() -> list[tuple[str, Options]]:
    """Every currency the API accepts, for a select: the euro and the European currencies
    first, then the others by code, each with its name in the reader's language."""
    from babel.numbers import get_currency_name

    from marketplace import i18n
    from marketplace.reference import vocabularies as vocab

    locale = i18n.babel_locale()
    known = vocab.currencies()
    first = [c for c in CURRENCIES if c in known]
    rest = sorted(known - set(first))

    def named(codes: list[str]) -> Options:
        return [(c, f"{c} — {get_currency_name(c, locale=locale)}") for c in codes]

    return [(_("The euro and other European currencies"), named(first)),
            (_("Other currencies"), named(rest))]  # fmt: skip


# The countries offered first wherever a country is chosen: the members of the EU and of the
# EEA. The Intelligent Cities Challenge is an EU programme and its cities are in these
# countries; a fixed list keeps the order the same for everyone, also before a country's
# first city has signed up (docs/experience.md, "Pickers").
ICC_COUNTRIES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",  # EU
    "IS", "LI", "NO",  # and the rest of the EEA
})  # fmt: skip


def country_groups() -> list[tuple[str, Options]]:
    """Countries for a select or a checklist: the EU and EEA first, then every other, each
    group in the reader's alphabetical order of the names in the reader's language."""
    from marketplace.reference.finding import fold

    names = country_names()

    def ordered(codes: set[str] | frozenset[str]) -> Options:
        return sorted(((c, names[c]) for c in codes if c in names), key=lambda p: fold(p[1]))

    return [(_("EU and EEA countries"), ordered(ICC_COUNTRIES)),
            (_("Other countries"), ordered(set(names) - ICC_COUNTRIES))]  # fmt: skip
