"""French and German for the contracts of awarded lots and their implementation (the tender
page's contract section and forms; see translations_fr_de.py for how the table is used)."""

from __future__ import annotations

T: dict[str, tuple[object, object]] = {
    "%(start)s to %(end)s": ("du %(start)s au %(end)s", "%(start)s bis %(end)s"),
    "Add a milestone": ("Ajouter une étape", "Einen Meilenstein hinzufügen"),
    "Add the milestone": ("Ajouter l’étape", "Den Meilenstein hinzufügen"),
    "Amend the contract": ("Modifier le contrat", "Den Vertrag ändern"),
    "Changes": ("Modifications", "Änderungen"),
    "Contract amendments": ("Modifications du contrat", "Vertragsänderungen"),
    "Contracts": ("Contrats", "Verträge"),
    "Date met": ("Date de réalisation", "Erreicht am"),
    "Date signed": ("Date de signature", "Unterzeichnet am"),
    "Due date": ("Échéance", "Fälligkeitsdatum"),
    "Each buying city's share is the one the tender gives it for this lot.": (
        "La part de chaque ville acheteuse est celle que l’appel d’offres lui donne pour ce lot.",
        "Der Anteil jeder beschaffenden Stadt ist der, den die Ausschreibung ihr für dieses Los gibt.",
    ),
    "End of the contract period": ("Fin de la durée du contrat", "Ende der Vertragslaufzeit"),
    "Mark as met": ("Marquer comme réalisée", "Als erreicht markieren"),
    "Met on %(date)s": ("Réalisée le %(date)s", "Erreicht am %(date)s"),
    "New contract value": ("Nouveau montant du contrat", "Neuer Vertragswert"),
    "No milestones yet.": ("Aucune étape pour l’instant.", "Noch keine Meilensteine."),
    "No payments recorded yet.": (
        "Aucun paiement enregistré pour l’instant.",
        "Noch keine Zahlungen erfasst.",
    ),
    "Not met": ("Non réalisée", "Nicht erreicht"),
    "Paid by": ("Payé par", "Gezahlt von"),
    "Paid to": ("Payé à", "Gezahlt an"),
    "Payments": ("Paiements", "Zahlungen"),
    "Period": ("Durée", "Laufzeit"),
    "Publish the contract amendment": (
        "Publier la modification du contrat",
        "Die Vertragsänderung veröffentlichen",
    ),
    "Record a payment": ("Enregistrer un paiement", "Eine Zahlung erfassen"),
    "Record the contract": ("Enregistrer le contrat", "Den Vertrag erfassen"),
    "Record the payment": ("Enregistrer le paiement", "Die Zahlung erfassen"),
    "Record the signed contract": (
        "Enregistrer le contrat signé",
        "Den unterzeichneten Vertrag erfassen",
    ),
    "Scheduled": ("Prévue", "Geplant"),
    "Shares": ("Parts", "Anteile"),
    "Shares of the buying cities": (
        "Parts des villes acheteuses",
        "Anteile der beschaffenden Städte",
    ),
    "Signed": ("Signé", "Unterzeichnet"),
    "Start of the contract period": ("Début de la durée du contrat", "Beginn der Vertragslaufzeit"),
    "Supplier": ("Fournisseur", "Auftragnehmer"),
    "Terminate the contract": ("Résilier le contrat", "Den Vertrag kündigen"),
    "Terminate the contract?": ("Résilier le contrat ?", "Den Vertrag kündigen?"),
    "Terminated": ("Résilié", "Gekündigt"),
    "The contract amendment is published.": (
        "La modification du contrat est publiée.",
        "Die Vertragsänderung ist veröffentlicht.",
    ),
    "The contract has not been recorded yet.": (
        "Le contrat n’a pas encore été enregistré.",
        "Der Vertrag wurde noch nicht erfasst.",
    ),
    "The contract is recorded and published.": (
        "Le contrat est enregistré et publié.",
        "Der Vertrag ist erfasst und veröffentlicht.",
    ),
    "The contract is terminated.": ("Le contrat est résilié.", "Der Vertrag ist gekündigt."),
    "The contract of lot %(number)s (%(title)s) ends for every city buying together; it can no longer be amended, nor payments recorded.": (
        "Le contrat du lot %(number)s (%(title)s) prend fin pour toutes les villes qui achètent ensemble ; il ne pourra plus être modifié, ni aucun paiement enregistré.",
        "Der Vertrag von Los %(number)s (%(title)s) endet für alle gemeinsam beschaffenden Städte; er kann nicht mehr geändert und es können keine Zahlungen mehr erfasst werden.",
    ),
    "The milestone is marked as met.": (
        "L’étape est marquée comme réalisée.",
        "Der Meilenstein ist als erreicht markiert.",
    ),
    "The milestone is recorded as not met.": (
        "L’étape est enregistrée comme non réalisée.",
        "Der Meilenstein ist als nicht erreicht erfasst.",
    ),
    "The milestone is scheduled.": ("L’étape est planifiée.", "Der Meilenstein ist geplant."),
    "The payment is recorded and published.": (
        "Le paiement est enregistré et publié.",
        "Die Zahlung ist erfasst und veröffentlicht.",
    ),
    "The termination is published with your reason: %(reason)s": (
        "La résiliation est publiée avec votre motif : %(reason)s",
        "Die Kündigung wird mit Ihrer Begründung veröffentlicht: %(reason)s",
    ),
    "Yes, terminate the contract": ("Oui, résilier le contrat", "Ja, den Vertrag kündigen"),
    "terminated on %(date)s: %(reason)s": (
        "résilié le %(date)s : %(reason)s",
        "gekündigt am %(date)s: %(reason)s",
    ),
}
