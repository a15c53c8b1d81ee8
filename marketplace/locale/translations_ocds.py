"""French and German for the open data parts of the tender pages: the yearly bulk downloads
on the tenders list and the link to a tender's compiled OCDS record. Same shape as
`translations_fr_de.py`; `build.py` merges every `translations_*.py`.
"""

from __future__ import annotations

# msgid -> (French, German); plural msgids map to ((fr singular, fr plural), (de ...)).
T: dict[str, tuple[object, object]] = {
    # --- plurals
    "%(num)d release": (
        ("%(num)d publication", "%(num)d publications"),
        ("%(num)d Veröffentlichung", "%(num)d Veröffentlichungen"),
    ),
    # --- the tenders list
    "Every published tender, amendment, cancellation and award is open data in the Open Contracting Data Standard (OCDS 1.1), free to reuse (CC0). Sealed responses are never in it.": (
        "Chaque appel d’offres publié, chaque modification, annulation et attribution est une donnée ouverte au format Open Contracting Data Standard (OCDS 1.1), librement réutilisable (CC0). Les offres scellées n’y figurent jamais.",
        "Jede veröffentlichte Ausschreibung, Änderung, Aufhebung und Vergabe steht als offene Daten im Open Contracting Data Standard (OCDS 1.1) bereit, frei nachnutzbar (CC0). Versiegelte Angebote sind nie darin enthalten.",
    ),
    "Download every release of a year at once:": (
        "Télécharger en une fois toutes les publications d’une année :",
        "Alle Veröffentlichungen eines Jahres auf einmal herunterladen:",
    ),
    "release package (JSON)": ("paquet de publications (JSON)", "Release-Paket (JSON)"),
    "JSON Lines (one release per line)": (
        "JSON Lines (une publication par ligne)",
        "JSON Lines (eine Veröffentlichung pro Zeile)",
    ),
    "Nothing has been published yet.": (
        "Rien n’a encore été publié.",
        "Noch wurde nichts veröffentlicht.",
    ),
    "Also: the paged feed of every release, %(feed)s, and each tender’s own releases and compiled record from its page.": (
        "Également : le flux paginé de toutes les publications, %(feed)s, et, depuis la page de chaque appel d’offres, ses publications et son dossier compilé.",
        "Außerdem: der seitenweise Feed aller Veröffentlichungen, %(feed)s, und auf der Seite jeder Ausschreibung ihre Veröffentlichungen und ihr zusammengeführter Datensatz.",
    ),
    # --- a tender's page
    "OCDS record (compiled)": ("Dossier OCDS (compilé)", "OCDS-Datensatz (zusammengeführt)"),
}
