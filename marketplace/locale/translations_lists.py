"""French and German for what every list shares: the orders it offers, its pages, its CSV
download and the columns of the CSV files (tenders, solutions, organisations, funding
calls). Same shape as `translations_fr_de.py`; `build.py` merges every `translations_*.py`.
"""

from __future__ import annotations

# msgid -> (French, German); plural msgids map to ((fr singular, fr plural), (de ...)).
T: dict[str, tuple[object, object]] = {
    # --- plurals
    "%(num)s listing": (
        ("%(num)s offre", "%(num)s offres"),
        ("%(num)s Angebot", "%(num)s Angebote"),
    ),
    "(%(num)s row)": (
        ("(%(num)s ligne)", "(%(num)s lignes)"),
        ("(%(num)s Zeile)", "(%(num)s Zeilen)"),
    ),
    # --- the download
    "Download CSV": ("Télécharger en CSV", "Als CSV herunterladen"),
    "(the first %(limit)s of %(total)s rows)": (
        "(les %(limit)s premières lignes sur %(total)s)",
        "(die ersten %(limit)s von %(total)s Zeilen)",
    ),
    # --- the orders
    "Sort": ("Trier", "Sortieren"),
    "Closing soonest": ("Clôture la plus proche", "Früheste Frist zuerst"),
    "Highest value": ("Valeur la plus élevée", "Höchster Wert zuerst"),
    "Largest amount sought": (
        "Montant recherché le plus élevé",
        "Höchster gesuchter Betrag zuerst",
    ),
    "Lowest price": ("Prix le plus bas", "Niedrigster Preis zuerst"),
    "Most mature first (TRL)": ("Les plus matures d’abord (TRL)", "Ausgereifteste zuerst (TRL)"),
    "Recently updated": ("Modifiés récemment", "Zuletzt geändert"),
    "Title (A–Z)": ("Titre (A–Z)", "Titel (A–Z)"),
    "Name (A–Z)": ("Nom (A–Z)", "Name (A–Z)"),
    "Tender (A–Z)": ("Appel d’offres (A–Z)", "Ausschreibung (A–Z)"),
    "Not answered yet first": ("Sans réponse d’abord", "Unbeantwortete zuerst"),
    # --- the pages
    "Pages of published tenders": (
        "Pages des appels d’offres publiés",
        "Seiten der veröffentlichten Ausschreibungen",
    ),
    "Pages of your cities’ tenders": (
        "Pages des appels d’offres de vos villes",
        "Seiten der Ausschreibungen Ihrer Städte",
    ),
    "No organisation has joined yet.": (
        "Aucune organisation n’a encore rejoint la plateforme.",
        "Noch keine Organisation ist beigetreten.",
    ),
    # --- CSV columns and values
    "Link": ("Lien", "Link"),
    "Ended": ("Terminé le", "Beendet am"),
    "Joined": ("Inscrite le", "Beigetreten am"),
    "Town or city": ("Localité", "Ort"),
    "Questions close (UTC)": ("Clôture des questions (UTC)", "Fragen bis (UTC)"),
    "Responses close (UTC)": ("Clôture des réponses (UTC)", "Angebote bis (UTC)"),
    "Co-financing (%)": ("Cofinancement (%)", "Kofinanzierung (%)"),
    "Yes": ("Oui", "Ja"),
    "No": ("Non", "Nein"),
}
