"""Maps of where cities are (issue 19): the countries of a set of cities as a
`charts.country_map`, in the reader's language. The tender page draws its buying cities', the
organisations' directory the network's."""

from __future__ import annotations

from collections.abc import Iterable

from marketplace import i18n
from marketplace.i18n import gettext as _
from marketplace.i18n import ngettext
from marketplace.reference.finding import fold
from marketplace.web import charts
from marketplace.web.labels import country_names


def cities_map(
    id: str, title: str, intro: str, cities: Iterable[tuple[str, str]]
) -> charts.Picture:
    """`cities`: (name, ISO 3166-1 alpha-2 country) pairs. `intro` starts the description;
    the countries and their counts follow it."""
    names = country_names()
    by_country: dict[str, list[str]] = {}
    for city, country in cities:
        by_country.setdefault(country, []).append(city)
    countries = []
    for code, members in by_country.items():
        name = names.get(code, code)
        n = len(members)
        countries.append(charts.Country(
            code, name, charts.Figure(n, i18n.number(n)), tuple(sorted(members, key=fold)),
            ngettext("%(country)s: %(num)d city", "%(country)s: %(num)d cities", n,
                     country=name),
        ))  # fmt: skip
    countries.sort(key=lambda k: (-int(k.count.value), fold(k.name)))
    said = "; ".join(k.tip for k in countries)
    total = sum(int(k.count.value) for k in countries)
    desc = " ".join((
        intro,
        ngettext("%(num)d city,", "%(num)d cities,", total),
        ngettext("in %(num)d country", "in %(num)d countries", len(countries)),
    )) + (f": {said}." if said else ".")  # fmt: skip
    return charts.country_map(
        id, title, desc, countries, head=(_("Country"), _("Cities"), _("Names")),
        legend=_("Cities per country"), none_label=_("None"),
    )  # fmt: skip
