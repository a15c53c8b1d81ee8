"""French and German for the ux session: lists of boxes to tick (cities, standards), the
sorted and paged inbox, payments workspaces and admin lists, a lot's options and renewals,
and the offered-listing check. Same shape as `translations_fr_de.py`; `build.py` merges
every `translations_*.py`.
"""

from __future__ import annotations

# msgid -> (French, German); plural msgids map to ((fr singular, fr plural), (de ...)).
T: dict[str, tuple[object, object]] = {
    "%(num)s posting.": (
        ("%(num)s écriture.", "%(num)s écritures."),
        ("%(num)s Buchung.", "%(num)s Buchungen."),
    ),
    "Chosen:": ("Choisis :", "Ausgewählt:"),
    "Choose one of your organisation’s published solutions: this one is not, or is no longer, on offer.": (
        "Choisissez l’une des solutions publiées de votre organisation : celle-ci ne l’est pas, ou n’est plus proposée.",
        "Wählen Sie eine der veröffentlichten Lösungen Ihrer Organisation: Diese ist es nicht oder wird nicht mehr angeboten.",
    ),
    "E.g. two renewals of one year each, at the buyers’ choice.": (
        "Par exemple deux reconductions d’un an chacune, au choix des acheteurs.",
        "Z. B. zwei Verlängerungen um je ein Jahr, nach Wahl der Auftraggeber.",
    ),
    "Each invited city confirms through its own editors.": (
        "Chaque ville invitée confirme par ses propres éditeurs.",
        "Jede eingeladene Stadt bestätigt über ihre eigenen Bearbeiter.",
    ),
    "Each partner confirms through its own editors before you can publish.": (
        "Chaque partenaire confirme par ses propres éditeurs avant que vous puissiez publier.",
        "Jeder Partner bestätigt über seine eigenen Bearbeiter, bevor Sie veröffentlichen können.",
    ),
    "Find a city": ("Trouver une ville", "Stadt suchen"),
    "Find a standard": ("Trouver une norme", "Standard suchen"),
    "Highest amount": ("Montant le plus élevé", "Höchster Betrag"),
    "Latest first": ("Les plus récentes d’abord", "Neueste zuerst"),
    "Most renewals": ("Nombre maximal de reconductions", "Höchstzahl der Verlängerungen"),
    "Most renewals of lot %(n)s": (
        "Nombre maximal de reconductions du lot %(n)s",
        "Höchstzahl der Verlängerungen von Los %(n)s",
    ),
    "None chosen yet.": ("Aucun choix pour l’instant.", "Noch nichts ausgewählt."),
    "Nothing in the list matches.": (
        "Rien dans la liste ne correspond.",
        "Nichts in der Liste passt.",
    ),
    "Oldest first": ("Les plus anciennes d’abord", "Älteste zuerst"),
    "Options of lot %(n)s": ("Options du lot %(n)s", "Optionen von Los %(n)s"),
    "Pages of orders": ("Pages des commandes", "Seiten der Bestellungen"),
    "Pages of the ledger": ("Pages du grand livre", "Seiten des Hauptbuchs"),
    "Renewals of lot %(n)s": ("Reconductions du lot %(n)s", "Verlängerungen von Los %(n)s"),
    "Renewals: how and when": ("Reconductions : comment et quand", "Verlängerungen: wie und wann"),
    "The contract may be renewed": (
        "Le marché peut être reconduit",
        "Der Vertrag kann verlängert werden",
    ),
    "There is nothing to choose from yet.": (
        "Il n’y a encore rien à choisir.",
        "Es gibt noch nichts zur Auswahl.",
    ),
    "This lot’s own CPV codes, places, techniques, options and renewals (optional)": (
        "Codes CPV, lieux, techniques, options et reconductions propres à ce lot (facultatif)",
        "Eigene CPV-Codes, Orte, Verfahren, Optionen und Verlängerungen dieses Loses (optional)",
    ),
    "Type part of a name to shorten the list, then tick the ones you want.": (
        "Tapez une partie d’un nom pour raccourcir la liste, puis cochez ceux que vous voulez.",
        "Tippen Sie einen Teil eines Namens, um die Liste zu kürzen, und kreuzen Sie dann die gewünschten an.",
    ),
    "Unread first": ("Non lues d’abord", "Ungelesene zuerst"),
    "Waiting longest": ("En attente depuis le plus longtemps", "Am längsten wartend"),
}
