"""French and German for editing each buying city's share in a contract amendment (the
amendment form's share rows, tenders/contract_pages.py). Same shape as
`translations_fr_de.py`; `build.py` merges every `translations_*.py`.
"""

from __future__ import annotations

# msgid -> (French, German)
T: dict[str, tuple[object, object]] = {
    "Share of %(city)s": ("Part de %(city)s", "Anteil von %(city)s"),
    "Quantity for %(city)s": ("Quantité pour %(city)s", "Menge für %(city)s"),
    "Unit for %(city)s": ("Unité pour %(city)s", "Einheit für %(city)s"),
    "Value for %(city)s": ("Valeur pour %(city)s", "Wert für %(city)s"),
    "Currency for %(city)s": ("Devise pour %(city)s", "Währung für %(city)s"),
    "A quantity (with its unit), a value, or both, for each city; empty a city's row to "
    "remove its share.": (
        "Une quantité (avec son unité), une valeur, ou les deux, pour chaque ville ; videz "
        "la ligne d’une ville pour retirer sa part.",
        "Eine Menge (mit ihrer Einheit), ein Wert oder beides für jede Stadt; leeren Sie die "
        "Zeile einer Stadt, um ihren Anteil zu entfernen.",
    ),
}
