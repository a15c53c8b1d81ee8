"""French and German for the contracts of awarded lots and their implementation (the tender
page's contract section and forms; see translations_fr_de.py for how the table is used)."""

from __future__ import annotations

T: dict[str, tuple[object, object]] = {
    "Contract signed": ("Contrat signé", "Vertrag unterzeichnet"),
    "Contract amended": ("Contrat modifié", "Vertrag geändert"),
    "Contract terminated": ("Contrat résilié", "Vertrag gekündigt"),
    "Contract milestone scheduled": ("Étape du contrat planifiée", "Vertragsmeilenstein geplant"),
    "Contract milestone met": ("Étape du contrat réalisée", "Vertragsmeilenstein erreicht"),
    "Contract milestone not met": (
        "Étape du contrat non réalisée",
        "Vertragsmeilenstein nicht erreicht",
    ),
    "Contract payment recorded": ("Paiement du contrat enregistré", "Vertragszahlung erfasst"),
    "%(label)s has a share already.": (
        "%(label)s a déjà une part.",
        "%(label)s hat bereits einen Anteil.",
    ),
    "%(label)s is before the award of the lot (%(date)s).": (
        "%(label)s est antérieure à l’attribution du lot (%(date)s).",
        "%(label)s liegt vor der Zuschlagserteilung des Loses (%(date)s).",
    ),
    "%(label)s is before the contract was signed (%(date)s).": (
        "%(label)s est antérieure à la signature du contrat (%(date)s).",
        "%(label)s liegt vor der Unterzeichnung des Vertrags (%(date)s).",
    ),
    "%(label)s is before the start date.": (
        "%(label)s est antérieure à la date de début.",
        "%(label)s liegt vor dem Beginn.",
    ),
    "%(label)s is in the future.": (
        "%(label)s est dans le futur.",
        "%(label)s liegt in der Zukunft.",
    ),
    "%(label)s is in the future: record the contract once it is signed.": (
        "%(label)s est dans le futur : enregistrez le contrat une fois signé.",
        "%(label)s liegt in der Zukunft: Erfassen Sie den Vertrag, sobald er unterzeichnet ist.",
    ),
    "%(label)s is in the future: record the payment once it is made.": (
        "%(label)s est dans le futur : enregistrez le paiement une fois effectué.",
        "%(label)s liegt in der Zukunft: Erfassen Sie die Zahlung, sobald sie geleistet ist.",
    ),
    "%(label)s is not a buying city of this tender.": (
        "%(label)s n’est pas une ville acheteuse de cet appel d’offres.",
        "%(label)s ist keine beschaffende Stadt dieser Ausschreibung.",
    ),
    "%(label)s must be the award's currency, %(currency)s.": (
        "%(label)s doit être la devise de l’attribution, %(currency)s.",
        "%(label)s muss die Währung des Zuschlags sein, %(currency)s.",
    ),
    "%(label)s must be the contract's currency, %(currency)s.": (
        "%(label)s doit être la devise du contrat, %(currency)s.",
        "%(label)s muss die Währung des Vertrags sein, %(currency)s.",
    ),
    "Nothing changes: every value given is the current one.": (
        "Rien ne change : chaque valeur donnée est la valeur actuelle.",
        "Nichts ändert sich: Jeder angegebene Wert ist der aktuelle.",
    ),
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
