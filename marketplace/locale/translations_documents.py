"""French and German for the documents of tenders and the attachments of sealed responses:
the documents section of the tender page, its forms, the response's attachments and the
notifications of new and replaced documents. Same shape as `translations_fr_de.py`;
`build.py` merges every `translations_*.py`.
"""

from __future__ import annotations

# msgid -> (French, German)
T: dict[str, tuple[object, object]] = {
    # --- sizes and types
    "%(size)s MB": ("%(size)s Mo", "%(size)s MB"),
    "%(size)s kB": ("%(size)s ko", "%(size)s kB"),
    "PDF": ("PDF", "PDF"),
    "OpenDocument text": ("Texte OpenDocument", "OpenDocument-Text"),
    "OpenDocument spreadsheet": ("Classeur OpenDocument", "OpenDocument-Tabelle"),
    "Word document": ("Document Word", "Word-Dokument"),
    "Excel spreadsheet": ("Classeur Excel", "Excel-Tabelle"),
    "CSV": ("CSV", "CSV"),
    "Plain text": ("Texte brut", "Reiner Text"),
    "PNG image": ("Image PNG", "PNG-Bild"),
    "JPEG image": ("Image JPEG", "JPEG-Bild"),
    "ZIP archive": ("Archive ZIP", "ZIP-Archiv"),
    # --- kinds of document (OCDS documentType)
    "Technical specifications": ("Spécifications techniques", "Technische Spezifikationen"),
    "Evaluation criteria": ("Critères d’évaluation", "Bewertungskriterien"),
    "Eligibility criteria": ("Critères de sélection", "Eignungskriterien"),
    "Clarifications to bidders' questions": (
        "Éclaircissements aux questions des soumissionnaires",
        "Klarstellungen zu Bieterfragen",
    ),
    "Bill of quantities": ("Bordereau des quantités", "Leistungsverzeichnis"),
    "Draft contract": ("Projet de contrat", "Vertragsentwurf"),
    "Tender notice": ("Avis de marché", "Auftragsbekanntmachung"),
    "Illustrations": ("Illustrations", "Abbildungen"),
    "Cancellation details": ("Détails de l’annulation", "Angaben zur Aufhebung"),
    "Award notice": ("Avis d’attribution", "Vergabebekanntmachung"),
    "Evaluation report": ("Rapport d’évaluation", "Bewertungsbericht"),
    "Winning bid": ("Offre retenue", "Erfolgreiches Angebot"),
    "Complaints and decisions": ("Recours et décisions", "Beschwerden und Entscheidungen"),
    # --- the tender page
    "Documents": ("Documents", "Dokumente"),
    "Award documents": ("Documents d’attribution", "Vergabeunterlagen zum Zuschlag"),
    "No documents yet.": ("Aucun document pour l’instant.", "Noch keine Dokumente."),
    "Publish a document": ("Publier un document", "Ein Dokument veröffentlichen"),
    "Accepted: %(types)s. A document added after publication is published at once, as a change of the notice.": (
        "Formats acceptés : %(types)s. Un document ajouté après la publication est publié aussitôt, comme une modification de l’avis.",
        "Zulässig: %(types)s. Ein nach der Veröffentlichung hinzugefügtes Dokument wird sofort veröffentlicht, als Änderung der Bekanntmachung.",
    ),
    "Or the address of a document published elsewhere": (
        "Ou l’adresse d’un document publié ailleurs",
        "Oder die Adresse eines anderswo veröffentlichten Dokuments",
    ),
    "Kind of document": ("Type de document", "Art des Dokuments"),
    "The whole tender": ("L’ensemble du marché", "Die gesamte Ausschreibung"),
    "Award decision": ("Décision d’attribution", "Zuschlagsentscheidung"),
    "Publish the document": ("Publier le document", "Das Dokument veröffentlichen"),
    "Replace “%(title)s”": ("Remplacer « %(title)s »", "„%(title)s“ ersetzen"),
    "New version": ("Nouvelle version", "Neue Fassung"),
    "Or the address of the new version": (
        "Ou l’adresse de la nouvelle version",
        "Oder die Adresse der neuen Fassung",
    ),
    "Publish the new version": ("Publier la nouvelle version", "Die neue Fassung veröffentlichen"),
    "The document is published.": ("Le document est publié.", "Das Dokument ist veröffentlicht."),
    "The new version is published; the earlier one stays on record.": (
        "La nouvelle version est publiée ; l’ancienne reste consignée.",
        "Die neue Fassung ist veröffentlicht; die frühere bleibt dokumentiert.",
    ),
    "The document is removed.": ("Le document est retiré.", "Das Dokument ist entfernt."),
    # --- the response's attachments
    "Attachments": ("Pièces jointes", "Anhänge"),
    "Sealed with your response: until the submission deadline only your organisation can open them.": (
        "Scellées avec votre offre : jusqu’à la date limite de remise, seule votre organisation peut les ouvrir.",
        "Mit Ihrem Angebot versiegelt: Bis zur Angebotsfrist kann nur Ihre Organisation sie öffnen.",
    ),
    "No attachments.": ("Aucune pièce jointe.", "Keine Anhänge."),
    "Accepted: %(types)s.": ("Formats acceptés : %(types)s.", "Zulässig: %(types)s."),
    "Attach the file": ("Joindre le fichier", "Die Datei anhängen"),
    "The file is attached to your sealed response.": (
        "Le fichier est joint à votre offre scellée.",
        "Die Datei ist Ihrem versiegelten Angebot angehängt.",
    ),
    "The attachment is removed.": ("La pièce jointe est retirée.", "Der Anhang ist entfernt."),
    # --- notifications
    "New document on %(title)s": ("Nouveau document : %(title)s", "Neues Dokument: %(title)s"),
    "Document replaced on %(title)s": (
        "Document remplacé : %(title)s",
        "Dokument ersetzt: %(title)s",
    ),
    "Document: %(document)s": ("Document : %(document)s", "Dokument: %(document)s"),
}
