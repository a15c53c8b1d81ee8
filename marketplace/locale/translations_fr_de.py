"""French and German for every message of the catalogue, kept as data beside the .po files.

`make messages` extracts the catalogue (messages.pot), then `python -m
marketplace.locale.build` writes fr/de .po files from this table and compiles them; a
message missing here fails `tests/test_i18n.py`. Translators may edit the .po files
directly instead: the build keeps a translation already in a .po file.
"""

from __future__ import annotations

# msgid -> (French, German); plural msgids map to ((fr singular, fr plural), (de ...)).
T: dict[str, tuple[object, object]] = {
    "%(codes)s is not in the standards catalogue.": (
        "%(codes)s ne figure pas au catalogue des normes.",
        "%(codes)s ist nicht im Normenkatalog.",
    ),
    "%(field)s of outcome KPI %(n)s": (
        "%(field)s de l’indicateur de résultat %(n)s",
        "%(field)s der Ergebniskennzahl %(n)s",
    ),
    "%(label)s can have at most %(decimal_places)s decimal places.": (
        "« %(label)s » accepte au plus %(decimal_places)s décimales.",
        "„%(label)s“ darf höchstens %(decimal_places)s Nachkommastellen haben.",
    ),
    "%(label)s cannot be changed here.": (
        "« %(label)s » ne peut pas être modifié ici.",
        "„%(label)s“ kann hier nicht geändert werden.",
    ),
    "%(label)s is not valid.": ("« %(label)s » n’est pas valide.", "„%(label)s“ ist ungültig."),
    "%(label)s is required.": ("« %(label)s » est obligatoire.", "„%(label)s“ ist erforderlich."),
    "%(label)s is too large.": ("« %(label)s » est trop grand.", "„%(label)s“ ist zu groß."),
    "%(label)s must be %(ge)s or more.": (
        "« %(label)s » doit être d’au moins %(ge)s.",
        "„%(label)s“ muss mindestens %(ge)s betragen.",
    ),
    "%(label)s must be %(le)s or less.": (
        "« %(label)s » doit être d’au plus %(le)s.",
        "„%(label)s“ darf höchstens %(le)s betragen.",
    ),
    "%(label)s must be a city.": (
        "« %(label)s » doit être une ville.",
        "„%(label)s“ muss eine Stadt sein.",
    ),
    "%(label)s must be a date and time.": (
        "« %(label)s » doit être une date et une heure.",
        "„%(label)s“ muss ein Datum mit Uhrzeit sein.",
    ),
    "%(label)s must be a date.": (
        "« %(label)s » doit être une date.",
        "„%(label)s“ muss ein Datum sein.",
    ),
    "%(label)s must be a number, such as %(example)s.": (
        "« %(label)s » doit être un nombre, par exemple %(example)s.",
        "„%(label)s“ muss eine Zahl sein, zum Beispiel %(example)s.",
    ),
    "%(label)s must be a web address starting with https://.": (
        "« %(label)s » doit être une adresse web commençant par https://.",
        "„%(label)s“ muss eine Webadresse sein, die mit https:// beginnt.",
    ),
    "%(label)s must be a whole number.": (
        "« %(label)s » doit être un nombre entier.",
        "„%(label)s“ muss eine ganze Zahl sein.",
    ),
    "%(label)s must be at least %(days)s days after publication for this procedure: %(date)s or later would work if you publish now.": (
        "« %(label)s » doit tomber au moins %(days)s jours après la publication pour cette procédure : le %(date)s ou plus tard conviendrait si vous publiez maintenant.",
        "„%(label)s“ muss bei diesem Verfahren mindestens %(days)s Tage nach der Veröffentlichung liegen: %(date)s oder später ginge, wenn Sie jetzt veröffentlichen.",
    ),
    "%(label)s must be at least %(days)s days after publication: %(date)s or later would work if you publish now.": (
        "« %(label)s » doit tomber au moins %(days)s jours après la publication : le %(date)s ou plus tard conviendrait si vous publiez maintenant.",
        "„%(label)s“ muss mindestens %(days)s Tage nach der Veröffentlichung liegen: %(date)s oder später ginge, wenn Sie jetzt veröffentlichen.",
    ),
    "%(label)s must be at least %(days)s days before responses close, so that answers reach every bidder in time.": (
        "« %(label)s » doit précéder d’au moins %(days)s jours la clôture des réponses, pour que les réponses aux questions parviennent à temps à chaque soumissionnaire.",
        "„%(label)s“ muss mindestens %(days)s Tage vor dem Ende der Angebotsfrist liegen, damit die Antworten alle Bieter rechtzeitig erreichen.",
    ),
    "%(label)s must be at least %(min_length)s characters long.": (
        "« %(label)s » doit compter au moins %(min_length)s caractères.",
        "„%(label)s“ muss mindestens %(min_length)s Zeichen lang sein.",
    ),
    "%(label)s must be at most %(max)s.": (
        "« %(label)s » doit être d’au plus %(max)s.",
        "„%(label)s“ darf höchstens %(max)s betragen.",
    ),
    "%(label)s must be at most %(max_length)s characters long.": (
        "« %(label)s » doit compter au plus %(max_length)s caractères.",
        "„%(label)s“ darf höchstens %(max_length)s Zeichen lang sein.",
    ),
    "%(label)s must be before the deadline for responses.": (
        "« %(label)s » doit précéder la date limite des réponses.",
        "„%(label)s“ muss vor dem Ende der Angebotsfrist liegen.",
    ),
    "%(label)s must be in the future.": (
        "« %(label)s » doit être dans le futur.",
        "„%(label)s“ muss in der Zukunft liegen.",
    ),
    "%(label)s must be less than %(lt)s.": (
        "« %(label)s » doit être inférieur à %(lt)s.",
        "„%(label)s“ muss kleiner als %(lt)s sein.",
    ),
    "%(label)s must be more than %(gt)s.": (
        "« %(label)s » doit être supérieur à %(gt)s.",
        "„%(label)s“ muss größer als %(gt)s sein.",
    ),
    "%(label)s must be more than zero.": (
        "« %(label)s » doit être supérieur à zéro.",
        "„%(label)s“ muss größer als null sein.",
    ),
    "%(label)s must not be above the amount sought (%(sought)s).": (
        "« %(label)s » ne peut pas dépasser le montant recherché (%(sought)s).",
        "„%(label)s“ darf den gesuchten Betrag (%(sought)s) nicht übersteigen.",
    ),
    "%(label)s must not be below the minimum.": (
        "« %(label)s » ne peut pas être inférieur au minimum.",
        "„%(label)s“ darf nicht unter dem Minimum liegen.",
    ),
    "%(label)s must not be in the future.": (
        "« %(label)s » ne peut pas être dans le futur.",
        "„%(label)s“ darf nicht in der Zukunft liegen.",
    ),
    "%(name)s has not yet confirmed its participation.": (
        "%(name)s n’a pas encore confirmé sa participation.",
        "%(name)s hat die Teilnahme noch nicht bestätigt.",
    ),
    "%(name)s is now verified.": (
        "%(name)s est désormais vérifiée.",
        "%(name)s ist jetzt verifiziert.",
    ),
    "%(name)s is shown as verified to everyone.": (
        "%(name)s apparaît comme vérifiée pour tout le monde.",
        "%(name)s wird allen als verifiziert angezeigt.",
    ),
    "%(num)s interest to decide": (
        ("%(num)s intérêt à traiter", "%(num)s intérêts à traiter"),
        ("%(num)s Interesse zu entscheiden", "%(num)s Interessen zu entscheiden"),
    ),
    "%(num)s organisation waits for verification.": (
        (
            "%(num)s organisation attend sa vérification.",
            "%(num)s organisations attendent leur vérification.",
        ),
        (
            "%(num)s Organisation wartet auf die Verifizierung.",
            "%(num)s Organisationen warten auf die Verifizierung.",
        ),
    ),
    "%(value)s is not a CPV code; choose one from the list.": (
        "%(value)s n’est pas un code CPV ; choisissez-en un dans la liste.",
        "%(value)s ist kein CPV-Code; wählen Sie einen aus der Liste.",
    ),
    "%(value)s is not a country; choose one from the list.": (
        "%(value)s n’est pas un pays ; choisissez-en un dans la liste.",
        "%(value)s ist kein Land; wählen Sie eines aus der Liste.",
    ),
    "%(value)s is not a currency; choose one from the list.": (
        "%(value)s n’est pas une devise ; choisissez-en une dans la liste.",
        "%(value)s ist keine Währung; wählen Sie eine aus der Liste.",
    ),
    "%(value)s is not a region code; choose one from the list.": (
        "%(value)s n’est pas un code de région ; choisissez-en un dans la liste.",
        "%(value)s ist kein Regionscode; wählen Sie einen aus der Liste.",
    ),
    "(optional)": ("(facultatif)", "(optional)"),
    "A city is listed twice in %(label)s.": (
        "Une ville figure deux fois dans « %(label)s ».",
        "Eine Stadt steht zweimal in „%(label)s“.",
    ),
    "A published lot cannot be removed; cancel the tender instead.": (
        "Un lot publié ne peut pas être supprimé ; annulez plutôt l’appel d’offres.",
        "Ein veröffentlichtes Los kann nicht entfernt werden; brechen Sie stattdessen die Ausschreibung ab.",
    ),
    "A published tender changes only through amendments.": (
        "Un appel d’offres publié ne change que par des modifications (avis rectificatifs).",
        "Eine veröffentlichte Ausschreibung ändert sich nur durch Berichtigungen.",
    ),
    "A standard is listed twice.": (
        "Une norme figure deux fois.",
        "Eine Norm steht zweimal in der Liste.",
    ),
    "A verified city may publish tenders and funding calls in its name.": (
        "Une ville vérifiée peut publier des appels d’offres et des appels à financement en son nom.",
        "Eine verifizierte Stadt darf in ihrem Namen Ausschreibungen und Finanzierungsaufrufe veröffentlichen.",
    ),
    "API documentation": ("Documentation de l’API", "API-Dokumentation"),
    "Accepted": ("Accepté", "Angenommen"),
    "Account (%(name)s)": ("Compte (%(name)s)", "Konto (%(name)s)"),
    "All %(n)s listings": ("Les %(n)s offres", "Alle %(n)s Angebote"),
    "All open tenders": ("Tous les appels d’offres ouverts", "Alle offenen Ausschreibungen"),
    "Amount": ("Montant", "Betrag"),
    "Amount (%(currency)s)": ("Montant (%(currency)s)", "Betrag (%(currency)s)"),
    "Amount offered": ("Montant proposé", "Angebotener Betrag"),
    "Amount sought": ("Montant recherché", "Gesuchter Betrag"),
    "An account already uses this e-mail address.": (
        "Un compte utilise déjà cette adresse e-mail.",
        "Diese E-Mail-Adresse wird bereits von einem Konto verwendet.",
    ),
    "An amendment cannot bring the deadline earlier.": (
        "Une modification ne peut pas avancer la date limite.",
        "Eine Berichtigung kann die Frist nicht vorverlegen.",
    ),
    "Answer": ("Réponse", "Antwort"),
    "Answer a question on “%(tender)s”": (
        "Répondre à une question sur « %(tender)s »",
        "Eine Frage zu „%(tender)s“ beantworten",
    ),
    "Answered %(when)s": ("Répondu le %(when)s", "Beantwortet am %(when)s"),
    "Archived": ("Archivée", "Archiviert"),
    "Asked %(when)s": ("Posée le %(when)s", "Gestellt am %(when)s"),
    "At most the amount sought: %(sought)s": (
        "Au plus le montant recherché : %(sought)s",
        "Höchstens der gesuchte Betrag: %(sought)s",
    ),
    "Award criteria": ("Critères d’attribution", "Zuschlagskriterien"),
    "Award lot %(n)s?": ("Attribuer le lot %(n)s ?", "Los %(n)s vergeben?"),
    "Award to": ("Attribuer à", "Vergeben an"),
    "Awarded": ("Attribué", "Zuschlag erteilt"),
    "Back to the tender without saving": (
        "Retour à l’appel d’offres sans enregistrer",
        "Zurück zur Ausschreibung, ohne zu speichern",
    ),
    "Baseline": ("Valeur de référence", "Ausgangswert"),
    "Before publication:": ("Avant la publication :", "Vor der Veröffentlichung:"),
    "Being evaluated": ("En cours d’évaluation", "Wird bewertet"),
    "Blended finance": ("Financement mixte", "Mischfinanzierung"),
    "CPV codes": ("Codes CPV", "CPV-Codes"),
    "Call": ("Appel", "Aufruf"),
    "Cancel the tender?": ("Annuler l’appel d’offres ?", "Ausschreibung abbrechen?"),
    "Cancelled": ("Annulé", "Abgebrochen"),
    "Change your offer of %(amount)s": (
        "Modifier votre offre de %(amount)s",
        "Ihr Angebot über %(amount)s ändern",
    ),
    "Choose a lot of this tender.": (
        "Choisissez un lot de cet appel d’offres.",
        "Wählen Sie ein Los dieser Ausschreibung.",
    ),
    "Choose one of your published listings.": (
        "Choisissez l’une de vos offres publiées.",
        "Wählen Sie eines Ihrer veröffentlichten Angebote.",
    ),
    "Currency of the estimated values": (
        "Devise des valeurs estimées",
        "Währung der geschätzten Werte",
    ),
    "No listing": ("Aucune offre", "Kein Angebot"),
    "The solution this response offers": (
        "La solution proposée par cette réponse",
        "Die mit diesem Angebot angebotene Lösung",
    ),
    "Choose at least %(min_length)s for %(label)s.": (
        "Choisissez au moins %(min_length)s élément(s) pour « %(label)s ».",
        "Wählen Sie mindestens %(min_length)s für „%(label)s“.",
    ),
    "Choose at least one CPV code.": (
        "Choisissez au moins un code CPV.",
        "Wählen Sie mindestens einen CPV-Code.",
    ),
    "Choose at most %(max_length)s for %(label)s.": (
        "Choisissez au plus %(max_length)s élément(s) pour « %(label)s ».",
        "Wählen Sie höchstens %(max_length)s für „%(label)s“.",
    ),
    "Choose each lot once.": (
        "Choisissez chaque lot une seule fois.",
        "Wählen Sie jedes Los nur einmal.",
    ),
    "Choose one of the options for %(label)s.": (
        "Choisissez l’une des options pour « %(label)s ».",
        "Wählen Sie eine der Möglichkeiten für „%(label)s“.",
    ),
    "Choose yes or no for %(label)s.": (
        "Choisissez oui ou non pour « %(label)s ».",
        "Wählen Sie Ja oder Nein für „%(label)s“.",
    ),
    "Cities buying together": ("Villes qui achètent ensemble", "Gemeinsam beschaffende Städte"),
    "Closed": ("Clos", "Geschlossen"),
    "Co-financing": ("Cofinancement", "Kofinanzierung"),
    "Competitive dialogue": ("Dialogue compétitif", "Wettbewerblicher Dialog"),
    "Complete": ("Terminé", "Abgeschlossen"),
    "Conditions": ("Conditions", "Bedingungen"),
    "Confirm your city's part in “%(tender)s”": (
        "Confirmer la participation de votre ville à « %(tender)s »",
        "Die Teilnahme Ihrer Stadt an „%(tender)s“ bestätigen",
    ),
    "Contract value": ("Valeur du marché", "Auftragswert"),
    "Countries": ("Pays", "Länder"),
    "Create an organisation": ("Créer une organisation", "Organisation anlegen"),
    "Currency": ("Devise", "Währung"),
    "Deadline": ("Date limite", "Frist"),
    "Declare lot %(n)s unsuccessful?": (
        "Déclarer le lot %(n)s infructueux ?",
        "Los %(n)s für erfolglos erklären?",
    ),
    "Declined": ("Refusé", "Abgelehnt"),
    "Describe a solution": ("Décrire une solution", "Eine Lösung beschreiben"),
    "Describe at least one lot.": (
        "Décrivez au moins un lot.",
        "Beschreiben Sie mindestens ein Los.",
    ),
    "Describe the need in at least 20 characters.": (
        "Décrivez le besoin en au moins 20 caractères.",
        "Beschreiben Sie den Bedarf in mindestens 20 Zeichen.",
    ),
    "Description": ("Description", "Beschreibung"),
    "Description of lot %(n)s": ("Description du lot %(n)s", "Beschreibung von Los %(n)s"),
    "Details: `marketplace events status`; health probe: /health.": (
        "Détails : `marketplace events status` ; sonde de santé : /health.",
        "Details: `marketplace events status`; Zustandsprüfung: /health.",
    ),
    "Draft": ("Brouillon", "Entwurf"),
    "Draft a joint tender": (
        "Préparer un appel d’offres conjoint",
        "Eine gemeinsame Ausschreibung entwerfen",
    ),
    "Draft a tender": ("Préparer un appel d’offres", "Ausschreibung entwerfen"),
    "E-mail": ("E-mail", "E-Mail"),
    "Each award criterion needs its own name.": (
        "Chaque critère d’attribution doit avoir son propre nom.",
        "Jedes Zuschlagskriterium braucht einen eigenen Namen.",
    ),
    "Edit the draft": ("Modifier le brouillon", "Entwurf bearbeiten"),
    "Equity": ("Fonds propres", "Eigenkapital"),
    "Estimated value of lot %(n)s": (
        "Valeur estimée du lot %(n)s",
        "Geschätzter Wert von Los %(n)s",
    ),
    "Evaluate": ("Évaluer", "Bewerten"),
    "Evaluate the responses": ("Évaluer les réponses", "Angebote bewerten"),
    "Evaluate the responses to “%(tender)s”": (
        "Évaluer les réponses à « %(tender)s »",
        "Die Angebote zu „%(tender)s“ bewerten",
    ),
    "Evaluation": ("Évaluation", "Bewertung"),
    "Every bidder for this lot is told, and the decision is published.": (
        "Chaque soumissionnaire de ce lot en est informé et la décision est publiée.",
        "Alle Bieter dieses Loses werden informiert, und die Entscheidung wird veröffentlicht.",
    ),
    "Every field can change until the tender is published. Saving keeps the draft private to the cities taking part.": (
        "Chaque champ peut changer jusqu’à la publication. Le brouillon enregistré reste réservé aux villes participantes.",
        "Jedes Feld kann sich bis zur Veröffentlichung ändern. Der gespeicherte Entwurf bleibt den beteiligten Städten vorbehalten.",
    ),
    "Express interest": ("Manifester un intérêt", "Interesse bekunden"),
    "Failed": ("En échec", "Fehlgeschlagen"),
    "Find open tenders": ("Trouver des appels d’offres ouverts", "Offene Ausschreibungen finden"),
    "Fully funded": ("Entièrement financé", "Vollständig finanziert"),
    "Funder": ("Financeur", "Geldgeber"),
    "Funder dashboard": ("Tableau de bord du financeur", "Übersicht für Geldgeber"),
    "Funders offer more than the call seeks; the cities choose which offers to accept.": (
        "Les financeurs proposent plus que le montant recherché ; les villes choisissent les offres qu’elles acceptent.",
        "Die Geldgeber bieten mehr als gesucht; die Städte wählen, welche Angebote sie annehmen.",
    ),
    "Funding calls": ("Appels à financement", "Finanzierungsaufrufe"),
    "Give a quantity or a value for each share.": (
        "Indiquez une quantité ou une valeur pour chaque part.",
        "Geben Sie für jeden Anteil eine Menge oder einen Wert an.",
    ),
    "Grant": ("Subvention", "Zuschuss"),
    "Guarantee": ("Garantie", "Garantie"),
    "ICC Marketplace — procurement, solutions and funding for the cities of the Intelligent Cities Challenge.": (
        "ICC Marketplace — achats, solutions et financements pour les villes de l’Intelligent Cities Challenge.",
        "ICC Marketplace — Beschaffung, Lösungen und Finanzierung für die Städte der Intelligent Cities Challenge.",
    ),
    "ICC themes": ("Thèmes ICC", "ICC-Themen"),
    "In the call's currency, at most the amount sought: %(sought)s": (
        "Dans la devise de l’appel, au plus le montant recherché : %(sought)s",
        "In der Währung des Aufrufs, höchstens der gesuchte Betrag: %(sought)s",
    ),
    "Innovation partnership": ("Partenariat d’innovation", "Innovationspartnerschaft"),
    "Instrument": ("Instrument", "Instrument"),
    "Instruments": ("Instruments", "Instrumente"),
    "Language": ("Langue", "Sprache"),
    "Largest ticket": ("Ticket le plus élevé", "Größtes Ticket"),
    "Lead city": ("Ville cheffe de file", "Federführende Stadt"),
    "Loan": ("Prêt", "Darlehen"),
    "Lot": ("Lot", "Los"),
    "Lot %(n)s “%(lot)s” is awarded to %(supplier)s for %(value)s.": (
        "Le lot %(n)s « %(lot)s » est attribué à %(supplier)s pour %(value)s.",
        "Los %(n)s „%(lot)s“ wird für %(value)s an %(supplier)s vergeben.",
    ),
    "Lots": ("Lots", "Lose"),
    "Mandatory standards": ("Normes obligatoires", "Verbindliche Normen"),
    "Message to the cities": ("Message aux villes", "Nachricht an die Städte"),
    "Metric": ("Indicateur", "Kennzahl"),
    "Minimum co-financing": ("Cofinancement minimal", "Mindestkofinanzierung"),
    "My funding calls": ("Mes appels à financement", "Meine Finanzierungsaufrufe"),
    "My funding calls and the interest received": (
        "Mes appels à financement et les intérêts reçus",
        "Meine Finanzierungsaufrufe und die eingegangenen Interessen",
    ),
    "My home": ("Mon accueil", "Meine Startseite"),
    "My interests in funding calls": (
        "Mes intérêts pour des appels à financement",
        "Meine Interessen an Finanzierungsaufrufen",
    ),
    "My listings": ("Mes offres", "Meine Angebote"),
    "My listings and their matches": (
        "Mes offres et les appels qui leur correspondent",
        "Meine Angebote und passende Ausschreibungen",
    ),
    "My questions": ("Mes questions", "Meine Fragen"),
    "My responses": ("Mes réponses", "Meine Angebote zu Ausschreibungen"),
    "My responses and their outcomes": (
        "Mes réponses et leurs résultats",
        "Meine Angebote und ihre Ergebnisse",
    ),
    "My tenders by stage": ("Mes appels d’offres par étape", "Meine Ausschreibungen nach Phase"),
    "Name of criterion %(n)s": ("Nom du critère %(n)s", "Name des Kriteriums %(n)s"),
    "Name us publicly as a backer if the cities accept": (
        "Nous citer publiquement comme financeur si les villes acceptent",
        "Uns öffentlich als Geldgeber nennen, wenn die Städte annehmen",
    ),
    "No contract is awarded for lot %(n)s “%(lot)s”.": (
        "Aucun marché n’est attribué pour le lot %(n)s « %(lot)s ».",
        "Für Los %(n)s „%(lot)s“ wird kein Auftrag vergeben.",
    ),
    "No funding call yet.": (
        "Aucun appel à financement pour l’instant.",
        "Noch kein Finanzierungsaufruf.",
    ),
    "No interest expressed yet.": (
        "Aucun intérêt manifesté pour l’instant.",
        "Noch kein Interesse bekundet.",
    ),
    "No open tender closes in the next three weeks.": (
        "Aucun appel d’offres ouvert ne se clôt dans les trois prochaines semaines.",
        "In den nächsten drei Wochen endet keine offene Ausschreibung.",
    ),
    "No response yet.": ("Aucune réponse pour l’instant.", "Noch kein Angebot."),
    "No tender yet.": ("Aucun appel d’offres pour l’instant.", "Noch keine Ausschreibung."),
    "No, go back": ("Non, revenir en arrière", "Nein, zurück"),
    "Not answered yet": ("Pas encore de réponse", "Noch nicht beantwortet"),
    "Not successful": ("Non retenue", "Nicht erfolgreich"),
    "Not verified": ("Non vérifiée", "Nicht verifiziert"),
    "Note from the city": ("Note de la ville", "Notiz der Stadt"),
    "Nothing is waiting for you.": ("Rien ne vous attend.", "Nichts wartet auf Sie."),
    "Notifications": ("Notifications", "Benachrichtigungen"),
    "Offer in %(currency)s, the currency of the call.": (
        "Proposez en %(currency)s, la devise de l’appel.",
        "Bieten Sie in %(currency)s, der Währung des Aufrufs.",
    ),
    "Offered": ("Proposé", "Angeboten"),
    "Only editors of the lead city may edit the draft.": (
        "Seuls les éditeurs de la ville cheffe de file peuvent modifier le brouillon.",
        "Nur Redakteure der federführenden Stadt dürfen den Entwurf bearbeiten.",
    ),
    "Open": ("Ouvert", "Offen"),
    "Open for responses": ("Ouvert aux réponses", "Offen für Angebote"),
    "Open procedure": ("Procédure ouverte", "Offenes Verfahren"),
    "Open the funder dashboard": (
        "Ouvrir le tableau de bord du financeur",
        "Übersicht für Geldgeber öffnen",
    ),
    "Open the verification queue": (
        "Ouvrir la file de vérification",
        "Verifizierungswarteschlange öffnen",
    ),
    "Organisation": ("Organisation", "Organisation"),
    "Organisations": ("Organisations", "Organisationen"),
    "Outcome KPIs": ("Indicateurs de résultat", "Ergebniskennzahlen"),
    "Oversubscribed": ("Sursouscrit", "Überzeichnet"),
    "Partner cities": ("Villes partenaires", "Partnerstädte"),
    "Places of performance": ("Lieux d’exécution", "Erfüllungsorte"),
    "Planning (draft)": ("Préparation (brouillon)", "Planung (Entwurf)"),
    "Pre-commercial procurement (PCP)": (
        "Achat public avant commercialisation (PCP)",
        "Vorkommerzielle Auftragsvergabe (PCP)",
    ),
    "Price": ("Prix", "Preis"),
    "Procedure": ("Procédure", "Verfahren"),
    "Public procurement of innovative solutions (PPI)": (
        "Achat public de solutions innovantes (PPI)",
        "Öffentliche Beschaffung innovativer Lösungen (PPI)",
    ),
    "Published": ("Publiée", "Veröffentlicht"),
    "Publishing opens the call to funders until its deadline. Every partner city must have confirmed, and the lead city must be verified.": (
        "La publication ouvre l’appel aux financeurs jusqu’à sa date limite. Chaque ville partenaire doit avoir confirmé et la ville cheffe de file doit être vérifiée.",
        "Mit der Veröffentlichung steht der Aufruf den Geldgebern bis zur Frist offen. Alle Partnerstädte müssen bestätigt haben, und die federführende Stadt muss verifiziert sein.",
    ),
    "Questions close": ("Fin des questions", "Ende der Fragefrist"),
    "Reason (public)": ("Motif (public)", "Begründung (öffentlich)"),
    "Regions": ("Régions", "Regionen"),
    "Related tenders": ("Appels d’offres liés", "Zugehörige Ausschreibungen"),
    "Responses close": ("Clôture des réponses", "Ende der Angebotsfrist"),
    "Restricted procedure": ("Procédure restreinte", "Nichtoffenes Verfahren"),
    "Revise the response": ("Réviser la réponse", "Angebot überarbeiten"),
    "Save the changed offer": ("Enregistrer l’offre modifiée", "Geändertes Angebot speichern"),
    "Save the draft": ("Enregistrer le brouillon", "Entwurf speichern"),
    "Sealed until the deadline": ("Scellée jusqu’à la date limite", "Bis zum Fristende versiegelt"),
    "Search": ("Recherche", "Suche"),
    "Search index": ("Index de recherche", "Suchindex"),
    "Seek funding": ("Rechercher un financement", "Finanzierung suchen"),
    "Separated by spaces or commas, e.g. 48000000-8 34970000-7": (
        "Séparés par des espaces ou des virgules, par ex. 48000000-8 34970000-7",
        "Durch Leerzeichen oder Kommas getrennt, z. B. 48000000-8 34970000-7",
    ),
    "Share of the amount sought that is accepted": (
        "Part du montant recherché qui est acceptée",
        "Anteil des gesuchten Betrags, der angenommen ist",
    ),
    "Sign in": ("Se connecter", "Anmelden"),
    "Sign out": ("Se déconnecter", "Abmelden"),
    "Sign up": ("Créer un compte", "Registrieren"),
    "Skip to main content": ("Aller au contenu principal", "Zum Hauptinhalt springen"),
    "Smallest ticket": ("Ticket le plus faible", "Kleinstes Ticket"),
    "Solutions": ("Solutions", "Lösungen"),
    "Sought": ("Recherché", "Gesucht"),
    "Standards": ("Normes", "Normen"),
    "Status": ("Statut", "Status"),
    "Still needed before publication": (
        "Encore nécessaire avant la publication",
        "Vor der Veröffentlichung noch nötig",
    ),
    "Still needed before publication:": (
        "Encore nécessaire avant la publication :",
        "Vor der Veröffentlichung noch nötig:",
    ),
    "Still needed to publish:": (
        "Encore nécessaire pour publier :",
        "Zum Veröffentlichen noch nötig:",
    ),
    "Submitted": ("Soumise", "Eingereicht"),
    "Submitted (sealed)": ("Soumise (scellée)", "Eingereicht (versiegelt)"),
    "Subscriber": ("Abonné", "Abonnent"),
    "Summary": ("Résumé", "Zusammenfassung"),
    "Suppliers who responded are told, with your reason: %(reason)s": (
        "Les fournisseurs qui ont répondu en sont informés, avec votre motif : %(reason)s",
        "Die Bieter, die ein Angebot abgegeben haben, werden mit Ihrer Begründung informiert: %(reason)s",
    ),
    "System health": ("État du système", "Systemzustand"),
    "Target": ("Cible", "Zielwert"),
    "Tender": ("Appel d’offres", "Ausschreibung"),
    "Tenders": ("Appels d’offres", "Ausschreibungen"),
    "Tenders closing soon": ("Appels d’offres bientôt clos", "Bald endende Ausschreibungen"),
    "Tenders that fit": ("Appels d’offres correspondants", "Passende Ausschreibungen"),
    "The amendment changes nothing.": (
        "La modification ne change rien.",
        "Die Berichtigung ändert nichts.",
    ),
    "The award is published on the tender page and in the open data; the other bidders for this lot see that they were not chosen.": (
        "L’attribution est publiée sur la page de l’appel d’offres et dans les données ouvertes ; les autres soumissionnaires de ce lot voient qu’ils n’ont pas été retenus.",
        "Der Zuschlag wird auf der Seite der Ausschreibung und in den offenen Daten veröffentlicht; die anderen Bieter dieses Loses sehen, dass sie nicht gewählt wurden.",
    ),
    "The call asks for: %(wanted)s.": (
        "L’appel demande : %(wanted)s.",
        "Der Aufruf verlangt: %(wanted)s.",
    ),
    "The draft is saved and ready to publish.": (
        "Le brouillon est enregistré et prêt à être publié.",
        "Der Entwurf ist gespeichert und bereit zur Veröffentlichung.",
    ),
    "The draft is saved.": ("Le brouillon est enregistré.", "Der Entwurf ist gespeichert."),
    "The draft is saved. Before it can be published: %(todo)s": (
        "Le brouillon est enregistré. Avant de pouvoir le publier : %(todo)s",
        "Der Entwurf ist gespeichert. Vor der Veröffentlichung: %(todo)s",
    ),
    "The draft is saved. Invited cities can now confirm.": (
        "Le brouillon est enregistré. Les villes invitées peuvent maintenant confirmer.",
        "Der Entwurf ist gespeichert. Die eingeladenen Städte können jetzt bestätigen.",
    ),
    "The draft stays private to the cities taking part until your (verified) city publishes it. Invited cities confirm from the tender's page.": (
        "Le brouillon reste réservé aux villes participantes jusqu’à ce que votre ville (vérifiée) le publie. Les villes invitées confirment depuis la page de l’appel d’offres.",
        "Der Entwurf bleibt den beteiligten Städten vorbehalten, bis Ihre (verifizierte) Stadt ihn veröffentlicht. Eingeladene Städte bestätigen auf der Seite der Ausschreibung.",
    ),
    "The need, the context and what success looks like. Markdown is allowed.": (
        "Le besoin, le contexte et ce à quoi ressemble la réussite. Le Markdown est accepté.",
        "Bedarf, Kontext und woran man den Erfolg erkennt. Markdown ist erlaubt.",
    ),
    "The outbox is empty: search, notifications and e-mail are up to date.": (
        "La file d’événements est vide : recherche, notifications et e-mails sont à jour.",
        "Der Ausgang ist leer: Suche, Benachrichtigungen und E-Mails sind aktuell.",
    ),
    "The questions you asked about tenders. Your name is never shown with them; answers are published on the tender's page for every bidder.": (
        "Les questions que vous avez posées sur des appels d’offres. Votre nom n’y est jamais associé ; les réponses sont publiées sur la page de l’appel d’offres pour tous les soumissionnaires.",
        "Die Fragen, die Sie zu Ausschreibungen gestellt haben. Ihr Name wird nie angezeigt; die Antworten werden für alle Bieter auf der Seite der Ausschreibung veröffentlicht.",
    ),
    "The tender is complete and every invited city has confirmed.": (
        "L’appel d’offres est complet et chaque ville invitée a confirmé.",
        "Die Ausschreibung ist vollständig, und alle eingeladenen Städte haben bestätigt.",
    ),
    "The weights of the award criteria must add up to 100 (they add up to %(total)s).": (
        "Les pondérations des critères d’attribution doivent totaliser 100 (elles totalisent %(total)s).",
        "Die Gewichte der Zuschlagskriterien müssen zusammen 100 ergeben (sie ergeben %(total)s).",
    ),
    "The weights of the award criteria must add up to 100.": (
        "Les pondérations des critères d’attribution doivent totaliser 100.",
        "Die Gewichte der Zuschlagskriterien müssen zusammen 100 ergeben.",
    ),
    "There is a problem": (
        ("Il y a un problème", "Il y a %(num)s problèmes"),
        ("Es gibt ein Problem", "Es gibt %(num)s Probleme"),
    ),
    "This cannot be undone.": (
        "Cette action est irréversible.",
        "Dies kann nicht rückgängig gemacht werden.",
    ),
    "This response does not cover the lot.": (
        "Cette réponse ne porte pas sur ce lot.",
        "Dieses Angebot umfasst das Los nicht.",
    ),
    "Timeframe (months)": ("Délai (mois)", "Zeitraum (Monate)"),
    "Title": ("Titre", "Titel"),
    "Title of lot %(n)s": ("Titre du lot %(n)s", "Titel von Los %(n)s"),
    "UTC. Questions close before responses do.": (
        "UTC. Les questions se closent avant les réponses.",
        "UTC. Die Fragefrist endet vor der Angebotsfrist.",
    ),
    "UTC. Responses stay sealed until this moment.": (
        "UTC. Les réponses restent scellées jusqu’à ce moment.",
        "UTC. Die Angebote bleiben bis zu diesem Zeitpunkt versiegelt.",
    ),
    "Unit": ("Unité", "Einheit"),
    "Unsuccessful": ("Infructueux", "Erfolglos"),
    "Verification queue": ("File de vérification", "Verifizierungswarteschlange"),
    "Verified": ("Vérifiée", "Verifiziert"),
    "Verify %(name)s?": ("Vérifier %(name)s ?", "%(name)s verifizieren?"),
    "Waiting": ("En attente", "Wartend"),
    "Waiting for the cities": ("En attente des villes", "Wartet auf die Städte"),
    "Waiting for you": ("Vous attend", "Wartet auf Sie"),
    "Weight of criterion %(n)s": ("Pondération du critère %(n)s", "Gewicht des Kriteriums %(n)s"),
    "Weights must add up to 100.": (
        "Les pondérations doivent totaliser 100.",
        "Die Gewichte müssen zusammen 100 ergeben.",
    ),
    "Welcome, %(name)s": ("Bienvenue, %(name)s", "Willkommen, %(name)s"),
    "What needs you now": ("Ce qui vous attend", "Was jetzt auf Sie wartet"),
    "Withdraw %(funder)s's interest": (
        "Retirer l’intérêt de %(funder)s",
        "Interesse von %(funder)s zurückziehen",
    ),
    "Withdraw the response": ("Retirer la réponse", "Angebot zurückziehen"),
    "Withdraw your interest?": ("Retirer votre intérêt ?", "Ihr Interesse zurückziehen?"),
    "Withdraw your response?": ("Retirer votre réponse ?", "Ihr Angebot zurückziehen?"),
    "Withdrawn": ("Retiré", "Zurückgezogen"),
    "Yes, award the lot": ("Oui, attribuer le lot", "Ja, Los vergeben"),
    "Yes, cancel the tender": ("Oui, annuler l’appel d’offres", "Ja, Ausschreibung abbrechen"),
    "Yes, declare it unsuccessful": ("Oui, le déclarer infructueux", "Ja, für erfolglos erklären"),
    "Yes, verify %(name)s": ("Oui, vérifier %(name)s", "Ja, %(name)s verifizieren"),
    "Yes, withdraw the interest": ("Oui, retirer l’intérêt", "Ja, Interesse zurückziehen"),
    "Yes, withdraw the response": ("Oui, retirer la réponse", "Ja, Angebot zurückziehen"),
    "You can express a new interest while the call is open.": (
        "Vous pouvez manifester un nouvel intérêt tant que l’appel est ouvert.",
        "Solange der Aufruf offen ist, können Sie erneut Interesse bekunden.",
    ),
    "You do not belong to an organisation yet. Create your city, company or funding body, or ask its owner to add you.": (
        "Vous n’appartenez encore à aucune organisation. Créez votre ville, votre entreprise ou votre organisme de financement, ou demandez à son propriétaire de vous ajouter.",
        "Sie gehören noch keiner Organisation an. Legen Sie Ihre Stadt, Ihr Unternehmen oder Ihren Geldgeber an, oder bitten Sie deren Inhaber, Sie hinzuzufügen.",
    ),
    "You have no listing yet. A listing tells cities what your solution does and which outcomes it delivers.": (
        "Vous n’avez encore aucune offre. Une offre dit aux villes ce que fait votre solution et quels résultats elle apporte.",
        "Sie haben noch kein Angebot. Ein Angebot zeigt den Städten, was Ihre Lösung leistet und welche Ergebnisse sie bringt.",
    ),
    "You have not asked any question yet.": (
        "Vous n’avez encore posé aucune question.",
        "Sie haben noch keine Frage gestellt.",
    ),
    "You may submit a new response until %(deadline)s.": (
        "Vous pouvez soumettre une nouvelle réponse jusqu’au %(deadline)s.",
        "Sie können bis %(deadline)s ein neues Angebot einreichen.",
    ),
    "Your interest is changed. The call's cities see the new offer.": (
        "Votre intérêt est modifié. Les villes de l’appel voient la nouvelle offre.",
        "Ihr Interesse ist geändert. Die Städte des Aufrufs sehen das neue Angebot.",
    ),
    "Your interest is withdrawn.": (
        "Votre intérêt est retiré.",
        "Ihr Interesse ist zurückgezogen.",
    ),
    "Your offer to %(city)s for “%(call)s” is withdrawn; the cities can no longer accept it.": (
        "Votre offre à %(city)s pour « %(call)s » est retirée ; les villes ne peuvent plus l’accepter.",
        "Ihr Angebot an %(city)s für „%(call)s“ wird zurückgezogen; die Städte können es nicht mehr annehmen.",
    ),
    "Your question": ("Votre question", "Ihre Frage"),
    "Your response": ("Votre réponse", "Ihr Angebot"),
    "Your response is withdrawn.": ("Votre réponse est retirée.", "Ihr Angebot ist zurückgezogen."),
    "Your response to “%(tender)s” is withdrawn and will not be evaluated.": (
        "Votre réponse à « %(tender)s » est retirée et ne sera pas évaluée.",
        "Ihr Angebot zu „%(tender)s“ wird zurückgezogen und nicht bewertet.",
    ),
    "must be a number, such as %(example)s": (
        "doit être un nombre, par exemple %(example)s",
        "muss eine Zahl sein, zum Beispiel %(example)s",
    ),
    "responses close %(when)s": ("clôture des réponses %(when)s", "Angebotsfrist endet %(when)s"),
    "“%(tender)s” is cancelled for every city buying together.": (
        "« %(tender)s » est annulé pour toutes les villes qui achètent ensemble.",
        "„%(tender)s“ wird für alle gemeinsam beschaffenden Städte abgebrochen.",
    ),
    "%(person)s loses access to %(name)s's drafts, responses and workspaces at once, on every device.": (
        "%(person)s perd aussitôt l’accès aux brouillons, réponses et espaces de travail de %(name)s, sur tous ses appareils.",
        "%(person)s verliert sofort und auf allen Geräten den Zugang zu den Entwürfen, Angeboten und Arbeitsbereichen von %(name)s.",
    ),
    "%(person)s was removed.": (
        "%(person)s a été retiré·e.",
        "%(person)s wurde entfernt.",
    ),
    "Actions": (
        "Actions",
        "Aktionen",
    ),
    "Add a member": (
        "Ajouter un membre",
        "Mitglied hinzufügen",
    ),
    "Add member": (
        "Ajouter le membre",
        "Mitglied hinzufügen",
    ),
    "Change role": (
        "Changer le rôle",
        "Rolle ändern",
    ),
    "Editor": (
        "Éditeur",
        "Redakteur",
    ),
    "Email": (
        "E-mail",
        "E-Mail",
    ),
    "Leave": (
        "Quitter",
        "Austreten",
    ),
    "Leave %(name)s?": (
        "Quitter %(name)s ?",
        "%(name)s verlassen?",
    ),
    "Members of": (
        "Membres de",
        "Mitglieder von",
    ),
    "Members of %(name)s": (
        "Membres de %(name)s",
        "Mitglieder von %(name)s",
    ),
    "Name": (
        "Nom",
        "Name",
    ),
    "Only an owner can add you again.": (
        "Seul un propriétaire peut vous ajouter à nouveau.",
        "Nur ein Inhaber kann Sie wieder hinzufügen.",
    ),
    "Only another owner can make you an owner again.": (
        "Seul un autre propriétaire peut vous rendre propriétaire à nouveau.",
        "Nur ein anderer Inhaber kann Sie wieder zum Inhaber machen.",
    ),
    "Owner": (
        "Propriétaire",
        "Inhaber",
    ),
    "Remove": (
        "Retirer",
        "Entfernen",
    ),
    "Remove %(person)s from %(name)s?": (
        "Retirer %(person)s de %(name)s ?",
        "%(person)s aus %(name)s entfernen?",
    ),
    "Role": (
        "Rôle",
        "Rolle",
    ),
    "Role of %(person)s": (
        "Rôle de %(person)s",
        "Rolle von %(person)s",
    ),
    "Stop being an owner of %(name)s?": (
        "Cesser d’être propriétaire de %(name)s ?",
        "Nicht mehr Inhaber von %(name)s sein?",
    ),
    "The role was changed.": (
        "Le rôle a été modifié.",
        "Die Rolle wurde geändert.",
    ),
    "Their email address": (
        "Son adresse e-mail",
        "Ihre E-Mail-Adresse",
    ),
    "They are told that they were removed.": (
        "La personne est informée de son retrait.",
        "Die Person wird über die Entfernung informiert.",
    ),
    "They need an account first. Owners manage members; editors write; viewers read drafts.": (
        "La personne doit d’abord avoir un compte. Les propriétaires gèrent les membres ; les éditeurs écrivent ; les lecteurs lisent les brouillons.",
        "Die Person braucht zuerst ein Konto. Inhaber verwalten die Mitglieder, Redakteure schreiben, Leser lesen Entwürfe.",
    ),
    "Viewer": (
        "Lecteur",
        "Leser",
    ),
    "Yes, give up ownership": (
        "Oui, renoncer à être propriétaire",
        "Ja, Inhaberrolle abgeben",
    ),
    "Yes, leave %(name)s": (
        "Oui, quitter %(name)s",
        "Ja, %(name)s verlassen",
    ),
    "Yes, remove %(person)s": (
        "Oui, retirer %(person)s",
        "Ja, %(person)s entfernen",
    ),
    "You left the organisation.": (
        "Vous avez quitté l’organisation.",
        "Sie haben die Organisation verlassen.",
    ),
    "You lose access to %(name)s's drafts, responses and workspaces at once.": (
        "Vous perdez aussitôt l’accès aux brouillons, réponses et espaces de travail de %(name)s.",
        "Sie verlieren sofort den Zugang zu den Entwürfen, Angeboten und Arbeitsbereichen von %(name)s.",
    ),
    "You will no longer be able to add or remove members or change roles.": (
        "Vous ne pourrez plus ajouter ni retirer de membres, ni changer les rôles.",
        "Sie können dann keine Mitglieder mehr hinzufügen oder entfernen und keine Rollen mehr ändern.",
    ),
    "you": (
        "vous",
        "Sie",
    ),
}
