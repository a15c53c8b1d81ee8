"""French and German for a funder's fits by words (see translations_fr_de.py for how the
table is used)."""

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
}
