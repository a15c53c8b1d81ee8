"""French and German for the documents' storage (`core.storage`): what a person reads when the
S3-compatible bucket does not answer. Same shape as `translations_fr_de.py`; `build.py`
merges every `translations_*.py`.
"""

from __future__ import annotations

# msgid -> (French, German)
T: dict[str, tuple[object, object]] = {
    "The document storage is not answering; please try again in a moment.": (
        "Le stockage des documents ne répond pas ; veuillez réessayer dans un instant.",
        "Der Dokumentenspeicher antwortet nicht; bitte versuchen Sie es gleich noch einmal.",
    ),
}
