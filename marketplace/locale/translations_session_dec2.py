"""French and German added on 2 December: a funder's fits by words, a co-buyer declining
and the return from Stripe's onboarding (see translations_fr_de.py for how the table is used)."""

from __future__ import annotations

T: dict[str, tuple[object, object]] = {
    "Matches your words: %(words)s.": (
        "Correspond à vos mots : %(words)s.",
        "Entspricht Ihren Suchwörtern: %(words)s.",
    ),
    "None of your words, only close ones.": (
        "Aucun de vos mots, seulement des mots proches.",
        "Keines Ihrer Suchwörter, nur ähnliche.",
    ),
    "City declined to take part": (
        "Ville ayant décliné la participation",
        "Stadt hat die Teilnahme abgelehnt",
    ),
    "Decline %(organisation)s's participation": (
        "Décliner la participation de %(organisation)s",
        "Teilnahme von %(organisation)s ablehnen",
    ),
    "Decline to take part?": ("Décliner la participation ?", "Teilnahme ablehnen?"),
    "Invited cities declining to co-buy": (
        "Villes invitées qui déclinent l’achat conjoint",
        "Eingeladene Städte, die die gemeinsame Beschaffung ablehnen",
    ),
    "Only the lead city can invite you again.": (
        "Seule la ville cheffe de file peut vous inviter à nouveau.",
        "Nur die federführende Stadt kann Sie erneut einladen.",
    ),
    "The lead city is told, with your reason if you gave one.": (
        "La ville cheffe de file en est informée, avec votre raison si vous en donnez une.",
        "Die federführende Stadt wird benachrichtigt, mit Ihrer Begründung, falls Sie eine angeben.",
    ),
    "Why not (optional, the lead city reads it)": (
        "Pourquoi (facultatif, la ville cheffe de file le lira)",
        "Warum nicht (freiwillig, die federführende Stadt liest es)",
    ),
    "Yes, decline": ("Oui, décliner", "Ja, ablehnen"),
    "Your city declined to take part; the lead city is told.": (
        "Votre ville a décliné la participation ; la ville cheffe de file en est informée.",
        "Ihre Stadt hat die Teilnahme abgelehnt; die federführende Stadt wird benachrichtigt.",
    ),
    "Your city leaves the draft “%(tender)s” and no longer sees it.": (
        "Votre ville quitte le projet « %(tender)s » et ne le voit plus.",
        "Ihre Stadt verlässt den Entwurf „%(tender)s“ und sieht ihn nicht mehr.",
    ),
    "Welcome back from Stripe. Your payouts are enabled: cities can order your pilots.": (
        "Bon retour de Stripe. Vos versements sont activés : les villes peuvent commander vos pilotes.",
        "Willkommen zurück von Stripe. Ihre Auszahlungen sind aktiviert: Städte können Ihre Pilotprojekte bestellen.",
    ),
    "Back to the package": ("Retour à l’offre", "Zurück zum Paket"),
    "Change the terms": ("Modifier les conditions", "Bedingungen ändern"),
    "Change “%(title)s”": ("Modifier « %(title)s »", "„%(title)s“ ändern"),
    "Save the new terms": ("Enregistrer les nouvelles conditions", "Neue Bedingungen speichern"),
    "The new terms apply to orders placed from now on.": (
        "Les nouvelles conditions s’appliquent aux commandes passées à partir de maintenant.",
        "Die neuen Bedingungen gelten für Bestellungen ab jetzt.",
    ),
    "The new terms apply to orders placed from now on. Orders already placed keep the price and milestones they were placed with.": (
        "Les nouvelles conditions s’appliquent aux commandes passées à partir de maintenant. Les commandes déjà passées gardent le prix et les jalons avec lesquels elles ont été passées.",
        "Die neuen Bedingungen gelten für Bestellungen ab jetzt. Bereits aufgegebene Bestellungen behalten den Preis und die Meilensteine, mit denen sie aufgegeben wurden.",
    ),
}
