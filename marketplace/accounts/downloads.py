"""The organisations directory as a CSV: who is in the network, of which kind, where.

The public profile's name, kind, place, website and verification only: no e-mail address
or telephone number, though profiles show them one at a time, so that the download is not
a mailing list of the network.
"""

from __future__ import annotations

from collections.abc import Sequence

from marketplace.accounts.models import Organisation
from marketplace.i18n import gettext as _
from marketplace.web import labels
from marketplace.web import spreadsheet as cells


def kind_names() -> dict[str, str]:
    return {
        "city": _("City"), "sme": _("SME"), "funder": _("Funder"),
        "public_buyer": _("Other public buyer"), "large_company": _("Large company"),
    }  # fmt: skip


def organisations_csv(organisations: Sequence[Organisation], base_url: str) -> str:
    kinds, countries = kind_names(), labels.country_names()
    columns: list[cells.Column[Organisation]] = [
        (_("Name"), lambda o: o.name),
        (_("Kind"), lambda o: kinds.get(o.kind, o.kind)),
        (_("Country"), lambda o: countries.get(o.country, o.country)),
        (_("Region"), lambda o: labels.nuts_label(o.nuts_code) if o.nuts_code else ""),
        (_("Town or city"), lambda o: o.locality or ""),
        (_("Website"), lambda o: o.website or ""),
        (_("Verified"), lambda o: cells.yes_no(o.verified)),
        (_("Joined"), lambda o: cells.day(o.created_at)),
        (_("Link"), lambda o: f"{base_url.rstrip('/')}/organisations/{o.id}"),
    ]
    return cells.table(columns, organisations)
