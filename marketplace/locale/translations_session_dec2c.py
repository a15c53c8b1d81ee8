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
