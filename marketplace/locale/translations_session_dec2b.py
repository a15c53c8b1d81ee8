"""French and German added on 2 December (second session): what notifications say
(marketplace/notifications/wording.py: each sentence is written in the reader's language when
it is read), closed funding calls, what is followed, an organisation's address and registration
numbers (see translations_fr_de.py for how the table is used)."""

from __future__ import annotations

T: dict[str, tuple[object, object]] = {
    "Address": ("Adresse", "Anschrift"),
    "Also registered as: %(numbers)s (kept as they are).": (
        "Également immatriculée sous : %(numbers)s (conservés tels quels).",
        "Außerdem registriert als: %(numbers)s (bleiben unverändert).",
    ),
    "Registration number, address and contact point (published with tenders)": (
        "Numéro d’immatriculation, adresse et point de contact (publiés avec les appels d’offres)",
        "Registernummer, Anschrift und Kontaktstelle (mit den Ausschreibungen veröffentlicht)",
    ),
    "This call closed at its deadline, %(date)s.": (
        "Cet appel a été clos à sa date limite, le %(date)s.",
        "Dieser Aufruf wurde mit Ablauf seiner Frist am %(date)s geschlossen.",
    ),
    "The city closed this call on %(date)s.": (
        "La ville a clos cet appel le %(date)s.",
        "Die Stadt hat diesen Aufruf am %(date)s geschlossen.",
    ),
    "(no longer available)": ("(n’est plus disponible)", "(nicht mehr verfügbar)"),
    "%(city)s accepted your interest in %(title)s": (
        "%(city)s a accepté votre intérêt pour %(title)s",
        "%(city)s hat Ihr Interesse an %(title)s angenommen",
    ),
    "%(city)s confirmed co-buying %(title)s": (
        "%(city)s a confirmé l’achat conjoint de %(title)s",
        "%(city)s hat die gemeinsame Beschaffung von %(title)s bestätigt",
    ),
    "%(city)s declined co-buying %(title)s": (
        "%(city)s a décliné l’achat conjoint de %(title)s",
        "%(city)s hat die gemeinsame Beschaffung von %(title)s abgelehnt",
    ),
    "%(city)s declined your interest in %(title)s": (
        "%(city)s a décliné votre intérêt pour %(title)s",
        "%(city)s hat Ihr Interesse an %(title)s abgelehnt",
    ),
    "%(city)s opened a funding call: %(title)s": (
        "%(city)s a ouvert un appel à financement : %(title)s",
        "%(city)s hat einen Förderaufruf eröffnet: %(title)s",
    ),
    "%(funder)s is interested in funding %(title)s": (
        "%(funder)s souhaite financer %(title)s",
        "%(funder)s möchte %(title)s finanzieren",
    ),
    "%(lead)s invites you to co-buy: %(title)s": (
        "%(lead)s vous invite à un achat conjoint : %(title)s",
        "%(lead)s lädt Sie zur gemeinsamen Beschaffung ein: %(title)s",
    ),
    "%(lead)s published a tender: %(title)s": (
        "%(lead)s a publié un appel d’offres : %(title)s",
        "%(lead)s hat eine Ausschreibung veröffentlicht: %(title)s",
    ),
    "%(name)s is verified": ("%(name)s est vérifiée", "%(name)s ist verifiziert"),
    "%(num)d response to %(title)s can be opened": (
        (
            "%(num)d réponse à %(title)s peut être ouverte",
            "%(num)d réponses à %(title)s peuvent être ouvertes",
        ),
        (
            "%(num)d Angebot zu %(title)s kann geöffnet werden",
            "%(num)d Angebote zu %(title)s können geöffnet werden",
        ),
    ),
    "A new tender matches your solution: %(title)s": (
        "Un nouvel appel d’offres correspond à votre solution : %(title)s",
        "Eine neue Ausschreibung passt zu Ihrer Lösung: %(title)s",
    ),
    "A question on %(title)s was answered": (
        "Une question sur %(title)s a reçu une réponse",
        "Eine Frage zu %(title)s wurde beantwortet",
    ),
    "A question was asked on %(title)s": (
        "Une question a été posée sur %(title)s",
        "Zu %(title)s wurde eine Frage gestellt",
    ),
    "Accept or decline the interest in the call's workspace.": (
        "Acceptez ou déclinez cet intérêt dans l’espace de travail de l’appel.",
        "Nehmen Sie das Interesse im Arbeitsbereich des Aufrufs an oder lehnen Sie es ab.",
    ),
    "Amendment #%(number)s to %(title)s": (
        "Modification n° %(number)s de %(title)s",
        "Änderung Nr. %(number)s zu %(title)s",
    ),
    "Amendment to %(title)s": ("Modification de %(title)s", "Änderung zu %(title)s"),
    "An organisation": ("Une organisation", "Eine Organisation"),
    "Answers are published to everyone; the asker is never named.": (
        "Les réponses sont publiées pour tous ; l’auteur de la question n’est jamais nommé.",
        "Antworten werden für alle veröffentlicht; die fragende Person wird nie genannt.",
    ),
    "Cancelled: %(title)s": ("Annulé : %(title)s", "Abgebrochen: %(title)s"),
    "Changed: %(fields)s.": ("Modifié : %(fields)s.", "Geändert: %(fields)s."),
    "Confirm your city's part (quantities per lot) before the tender is published.": (
        "Confirmez la part de votre ville (quantités par lot) avant la publication de l’appel d’offres.",
        "Bestätigen Sie den Anteil Ihrer Stadt (Mengen je Los), bevor die Ausschreibung veröffentlicht wird.",
    ),
    "Deadline: %(deadline)s.": ("Échéance : %(deadline)s.", "Frist: %(deadline)s."),
    "It matches your listing “%(listing)s”.": (
        "Il correspond à votre offre « %(listing)s ».",
        "Sie passt zu Ihrem Angebot „%(listing)s“.",
    ),
    "It stays sealed until %(deadline)s.": (
        "Elle reste scellée jusqu’au %(deadline)s.",
        "Es bleibt bis %(deadline)s versiegelt.",
    ),
    "It was %(previous)s; the change applies at once.": (
        "C’était %(previous)s ; le changement s’applique immédiatement.",
        "Bisher: %(previous)s; die Änderung gilt sofort.",
    ),
    "Lot %(number)s (%(lot)s) is awarded to your organisation.": (
        "Le lot %(number)s (%(lot)s) est attribué à votre organisation.",
        "Los %(number)s (%(lot)s) wird Ihrer Organisation zugeschlagen.",
    ),
    "Lot %(number)s of %(title)s was awarded to another bidder": (
        "Le lot %(number)s de %(title)s a été attribué à un autre soumissionnaire",
        "Los %(number)s von %(title)s wurde einem anderen Bieter zugeschlagen",
    ),
    "Lot %(number)s of %(title)s was declared unsuccessful": (
        "Le lot %(number)s de %(title)s a été déclaré infructueux",
        "Los %(number)s von %(title)s wurde für erfolglos erklärt",
    ),
    "New results for your saved search:\n%(lines)s": (
        "Nouveaux résultats pour votre recherche enregistrée :\n%(lines)s",
        "Neue Ergebnisse für Ihre gespeicherte Suche:\n%(lines)s",
    ),
    "No reason was given.": ("Aucun motif n’a été donné.", "Es wurde kein Grund angegeben."),
    "No response to lot %(number)s (%(lot)s) is awarded.": (
        "Aucune réponse au lot %(number)s (%(lot)s) n’est retenue.",
        "Kein Angebot zu Los %(number)s (%(lot)s) erhält den Zuschlag.",
    ),
    "Open to funders until %(deadline)s.": (
        "Ouvert aux financeurs jusqu’au %(deadline)s.",
        "Für Geldgeber offen bis %(deadline)s.",
    ),
    "Questions close in %(days)s days: %(title)s": (
        "Les questions ferment dans %(days)s jours : %(title)s",
        "Fragen enden in %(days)s Tagen: %(title)s",
    ),
    "Questions close tomorrow: %(title)s": (
        "Les questions ferment demain : %(title)s",
        "Fragen enden morgen: %(title)s",
    ),
    "Questions until %(questions)s; responses until %(responses)s.": (
        "Questions jusqu’au %(questions)s ; réponses jusqu’au %(responses)s.",
        "Fragen bis %(questions)s; Angebote bis %(responses)s.",
    ),
    "Reason: %(reason)s": ("Motif : %(reason)s", "Grund: %(reason)s"),
    "Responses are due in %(days)s days: %(title)s": (
        "Les réponses sont attendues dans %(days)s jours : %(title)s",
        "Angebote sind in %(days)s Tagen fällig: %(title)s",
    ),
    "Responses are due tomorrow: %(title)s": (
        "Les réponses sont attendues demain : %(title)s",
        "Angebote sind morgen fällig: %(title)s",
    ),
    "Responses are now due %(deadline)s.": (
        "Les réponses sont désormais attendues pour le %(deadline)s.",
        "Angebote sind nun bis %(deadline)s fällig.",
    ),
    "Responses until %(responses)s.": (
        "Réponses jusqu’au %(responses)s.",
        "Angebote bis %(responses)s.",
    ),
    "The buyer's reason: %(reason)s": (
        "Motif de l’acheteur : %(reason)s",
        "Begründung des Auftraggebers: %(reason)s",
    ),
    "The standstill period ends %(day)s; no contract is signed before.": (
        "Le délai de suspension prend fin le %(day)s ; aucun contrat n’est signé avant.",
        "Die Stillhaltefrist endet am %(day)s; vorher wird kein Vertrag unterzeichnet.",
    ),
    "The submission deadline has passed; responses are unsealed for evaluation.": (
        "La date limite de remise est passée ; les réponses sont descellées pour l’évaluation.",
        "Die Angebotsfrist ist abgelaufen; die Angebote sind zur Bewertung entsiegelt.",
    ),
    "Their note: %(note)s": ("Leur note : %(note)s", "Ihre Anmerkung: %(note)s"),
    "Their reason: %(reason)s": ("Leur motif : %(reason)s", "Ihre Begründung: %(reason)s"),
    "They gave no reason.": ("Aucun motif n’a été donné.", "Sie haben keinen Grund angegeben."),
    "Verified organisations can publish tenders and funding calls.": (
        "Les organisations vérifiées peuvent publier des appels d’offres et des appels à financement.",
        "Verifizierte Organisationen können Ausschreibungen und Förderaufrufe veröffentlichen.",
    ),
    "Why: %(rationale)s": ("Pourquoi : %(rationale)s", "Warum: %(rationale)s"),
    "You asked: %(question)s": ("Vous avez demandé : %(question)s", "Ihre Frage: %(question)s"),
    "You may ask the buyer for the reasons.": (
        "Vous pouvez demander les motifs à l’acheteur.",
        "Sie können den Auftraggeber nach den Gründen fragen.",
    ),
    "You no longer act for %(name)s. Ask one of its owners if this is a mistake.": (
        "Vous n’agissez plus pour %(name)s. Adressez-vous à l’un de ses propriétaires s’il s’agit d’une erreur.",
        "Sie handeln nicht mehr für %(name)s. Wenden Sie sich an eine der Inhaberinnen oder einen der Inhaber, falls dies ein Irrtum ist.",
    ),
    "You were added to %(name)s": (
        "Vous avez été ajouté à %(name)s",
        "Sie wurden zu %(name)s hinzugefügt",
    ),
    "You were removed from %(name)s": (
        "Vous avez été retiré de %(name)s",
        "Sie wurden aus %(name)s entfernt",
    ),
    "You won lot %(number)s of %(title)s": (
        "Vous avez remporté le lot %(number)s de %(title)s",
        "Sie haben Los %(number)s von %(title)s gewonnen",
    ),
    "Your question on %(title)s was answered": (
        "Votre question sur %(title)s a reçu une réponse",
        "Ihre Frage zu %(title)s wurde beantwortet",
    ),
    "Your response to %(title)s was received": (
        "Votre réponse à %(title)s a été reçue",
        "Ihr Angebot zu %(title)s ist eingegangen",
    ),
    "Your response to %(title)s was revised": (
        "Votre réponse à %(title)s a été révisée",
        "Ihr Angebot zu %(title)s wurde überarbeitet",
    ),
    "Your response to %(title)s was withdrawn": (
        "Votre réponse à %(title)s a été retirée",
        "Ihr Angebot zu %(title)s wurde zurückgezogen",
    ),
    "Your response to lot %(number)s (%(lot)s) was not successful.": (
        "Votre réponse au lot %(number)s (%(lot)s) n’a pas été retenue.",
        "Ihr Angebot zu Los %(number)s (%(lot)s) war nicht erfolgreich.",
    ),
    "Your role in %(name)s is now %(role)s": (
        "Votre rôle dans %(name)s est désormais : %(role)s",
        "Ihre Rolle in %(name)s ist jetzt: %(role)s",
    ),
    "Your role: %(role)s.": ("Votre rôle : %(role)s.", "Ihre Rolle: %(role)s."),
    "editor": ("éditeur", "Redakteur"),
    "owner": ("propriétaire", "Inhaber"),
    "viewer": ("lecteur", "Leser"),
    "“%(name)s”: %(title)s": ("« %(name)s » : %(title)s", "„%(name)s“: %(title)s"),
    "“%(name)s”: %(title)s and %(num)d more": (
        (
            "« %(name)s » : %(title)s et %(num)d autre",
            "« %(name)s » : %(title)s et %(num)d autres",
        ),
        (
            "„%(name)s“: %(title)s und %(num)d weiteres",
            "„%(name)s“: %(title)s und %(num)d weitere",
        ),
    ),
}
