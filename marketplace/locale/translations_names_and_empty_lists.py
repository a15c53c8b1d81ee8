"""French and German for the names shown in place of codes (procedures, buyer types, TED
notice kinds, import outcomes), for how an ended tender reads instead of a countdown, and for
the lists that find nothing (the filters on, how to widen the search). Same shape as
`translations_fr_de.py`; `build.py` merges every `translations_*.py`.
"""

from __future__ import annotations

# msgid -> (French, German); plural msgids map to ((fr singular, fr plural), (de ...)).
T: dict[str, tuple[object, object]] = {
    # --- plurals
    "With this filter:": (("Avec ce filtre :", "Avec ces filtres :"), ("Mit diesem Filter:", "Mit diesen Filtern:")),
    # --- a tender that has ended
    "Cancelled on %(date)s": ("Annulé le %(date)s", "Abgebrochen am %(date)s"),
    "Completed on %(date)s": ("Terminé le %(date)s", "Abgeschlossen am %(date)s"),
    "Declared unsuccessful on %(date)s": ("Déclaré infructueux le %(date)s", "Am %(date)s für erfolglos erklärt"),
    # --- names instead of codes
    "Competitive procedure with negotiation": ("Procédure concurrentielle avec négociation", "Verhandlungsverfahren mit Teilnahmewettbewerb"),
    "Negotiated procedure without prior publication": ("Procédure négociée sans publication préalable", "Verhandlungsverfahren ohne vorherige Veröffentlichung"),
    "Other single-stage procedure": ("Autre procédure en une étape", "Sonstiges einstufiges Verfahren"),
    "Other multiple-stage procedure": ("Autre procédure en plusieurs étapes", "Sonstiges mehrstufiges Verfahren"),
    "Public company": ("Entreprise publique", "Öffentliches Unternehmen"),
    "prior information notice": ("avis de préinformation", "Vorinformation"),
    "contract notice": ("avis de marché", "Auftragsbekanntmachung"),
    "contract award notice": ("avis d’attribution de marché", "Bekanntmachung vergebener Aufträge"),
    "voluntary ex-ante transparency notice": ("avis volontaire de transparence ex ante", "freiwillige Ex-ante-Transparenzbekanntmachung"),
    "contract modification notice": ("avis de modification de marché", "Bekanntmachung einer Auftragsänderung"),
    "corrigendum": ("rectificatif", "Berichtigung"),
    "completion notice": ("avis d’achèvement", "Bekanntmachung über den Abschluss"),
    "market consultation notice": ("avis de consultation du marché", "Bekanntmachung einer Marktkonsultation"),
    "Updated": ("Mis à jour", "Aktualisiert"),
    "Unchanged": ("Inchangé", "Unverändert"),
    "Refused": ("Refusé", "Abgelehnt"),
    # --- lists that find nothing
    "%(filter)s: %(value)s": ("%(filter)s : %(value)s", "%(filter)s: %(value)s"),
    "No results": ("Aucun résultat", "Keine Ergebnisse"),
    "No results for “%(q)s”": ("Aucun résultat pour « %(q)s »", "Keine Ergebnisse für „%(q)s“"),
    "Remove the filter “%(filter)s”": ("Retirer le filtre « %(filter)s »", "Filter „%(filter)s“ entfernen"),
    "Clear all filters": ("Effacer tous les filtres", "Alle Filter entfernen"),
    "Suggestions:": ("Suggestions :", "Vorschläge:"),
    "Try fewer words, or other words for the same thing.": ("Essayez avec moins de mots, ou d’autres mots pour la même chose.", "Versuchen Sie es mit weniger Wörtern oder mit anderen Wörtern für dasselbe."),
    "Check the spelling.": ("Vérifiez l’orthographe.", "Prüfen Sie die Schreibweise."),
    "Remove a filter to see more.": ("Retirez un filtre pour voir davantage de résultats.", "Entfernen Sie einen Filter, um mehr zu sehen."),
    "Browse the list: %(kinds)s": ("Parcourir la liste : %(kinds)s", "Liste durchsehen: %(kinds)s"),
    "Value from %(amount)s": ("Valeur à partir de %(amount)s", "Wert ab %(amount)s"),
    "Value up to %(amount)s": ("Valeur jusqu’à %(amount)s", "Wert bis %(amount)s"),
    "Deadline from %(date)s": ("Date limite à partir du %(date)s", "Frist ab %(date)s"),
    "Deadline until %(date)s": ("Date limite jusqu’au %(date)s", "Frist bis %(date)s"),
    "Amount sought from %(amount)s": ("Montant recherché à partir de %(amount)s", "Gesuchter Betrag ab %(amount)s"),
    "Amount sought up to %(amount)s": ("Montant recherché jusqu’à %(amount)s", "Gesuchter Betrag bis %(amount)s"),
    "Deadline on or before %(date)s": ("Date limite au plus tard le %(date)s", "Frist spätestens am %(date)s"),
    "Include closed calls": ("Inclure les appels clos", "Geschlossene Aufrufe einbeziehen"),
    "No tender has been published yet.": ("Aucun appel d’offres n’a encore été publié.", "Es wurde noch keine Ausschreibung veröffentlicht."),
    "No solution has been published yet.": ("Aucune solution n’a encore été publiée.", "Es wurde noch keine Lösung veröffentlicht."),
}  # fmt: skip
