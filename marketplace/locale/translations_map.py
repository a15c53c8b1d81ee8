"""French and German for the maps of where cities are (web/maps.py, issue 19; see
translations_fr_de.py for how the table is used)."""

from __future__ import annotations

T: dict[str, tuple[object, object]] = {
    "%(country)s: %(num)d city": (
        ("%(country)s : %(num)d ville", "%(country)s : %(num)d villes"),
        ("%(country)s: %(num)d Stadt", "%(country)s: %(num)d Städte"),
    ),
    "%(num)d city,": (("%(num)d ville,", "%(num)d villes,"), ("%(num)d Stadt,", "%(num)d Städte,")),
    "in %(num)d country": (
        ("dans %(num)d pays", "dans %(num)d pays"),
        ("in %(num)d Land", "in %(num)d Ländern"),
    ),
    "Cities per country": ("Villes par pays", "Städte pro Land"),
    "Names": ("Noms", "Namen"),
    "Where the buying cities are": (
        "Où sont les villes acheteuses",
        "Wo die beschaffenden Städte liegen",
    ),
    "The lead buyer and the buyers who confirmed their participation:": (
        "L’acheteur principal et les acheteurs qui ont confirmé leur participation :",
        "Der federführende Auftraggeber und die Auftraggeber, die ihre Teilnahme bestätigt haben:",
    ),
    "The cities of the network": ("Les villes du réseau", "Die Städte des Netzwerks"),
    "The cities of the ICC network on ICC Marketplace, by country:": (
        "Les villes du réseau ICC sur ICC Marketplace, par pays :",
        "Die Städte des ICC-Netzwerks auf ICC Marketplace, nach Land:",
    ),
}
