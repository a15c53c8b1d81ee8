"""French and German added on 2 December (third session): the audit trail's names for
imported tenders (see translations_fr_de.py for how the table is used)."""

from __future__ import annotations

T: dict[str, tuple[object, object]] = {
    "Updated from a newer TED notice": (
        "Mis à jour depuis un avis TED plus récent",
        "Aus einer neueren TED-Bekanntmachung aktualisiert",
    ),
}
T.update(
    {
        "%(label)s must be at most %(max)s characters long.": (
            "%(label)s doit comporter au plus %(max)s caractères.",
            "%(label)s darf höchstens %(max)s Zeichen lang sein.",
        ),
    }
)
T.update(
    {
        "Document published": ("Document publié", "Dokument veröffentlicht"),
        "Document replaced": ("Document remplacé", "Dokument ersetzt"),
        "Document removed from the draft": (
            "Document retiré du brouillon",
            "Dokument aus dem Entwurf entfernt",
        ),
        "Refused: reading a sealed attachment": (
            "Refusé : lecture d’une pièce jointe scellée",
            "Abgelehnt: Lesen eines versiegelten Anhangs",
        ),
    }
)
T.update(
    {
        "Refused: attaching a file to another organisation's response": (
            "Refusé : ajout d’un fichier à la réponse d’une autre organisation",
            "Abgelehnt: Anhängen einer Datei an die Antwort einer anderen Organisation",
        ),
    }
)
T.update(
    {
        "%(label)s is larger than the size accepted.": (
            "%(label)s dépasse la taille acceptée.",
            "%(label)s ist größer als zulässig.",
        ),
        "%(label)s is empty: choose the file again.": (
            "%(label)s est vide : choisissez à nouveau le fichier.",
            "%(label)s ist leer: Wählen Sie die Datei erneut aus.",
        ),
        "This kind of file is not accepted; send one of: %(types)s.": (
            "Ce type de fichier n’est pas accepté ; envoyez l’un de ceux-ci : %(types)s.",
            "Diese Dateiart wird nicht angenommen; senden Sie eine der folgenden: %(types)s.",
        ),
        "The file is a %(kind)s but its name does not end with %(extensions)s; rename it.": (
            "Le fichier est de type %(kind)s mais son nom ne se termine pas par %(extensions)s ; renommez-le.",
            "Die Datei ist vom Typ %(kind)s, ihr Name endet aber nicht auf %(extensions)s; benennen Sie sie um.",
        ),
        "A response carries at most %(max)s attachments; remove one first.": (
            "Une réponse comporte au plus %(max)s pièces jointes ; retirez-en une d’abord.",
            "Eine Antwort hat höchstens %(max)s Anhänge; entfernen Sie zuerst einen.",
        ),
        "Choose one of the kinds of document offered for %(label)s.": (
            "Choisissez l’un des types de document proposés pour %(label)s.",
            "Wählen Sie eine der angebotenen Dokumentarten für %(label)s.",
        ),
    }
)
