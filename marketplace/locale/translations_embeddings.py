"""French and German for sentence-embedding matching: the "close in meaning" criterion and
reason on the matches pages. Same shape as `translations_fr_de.py`; `build.py` merges every
`translations_*.py`.
"""

from __future__ import annotations

# msgid -> (French, German)
T: dict[str, tuple[object, object]] = {
    "Close in meaning": ("Proche par le sens", "Inhaltlich nah"),
    "Close in meaning: the two descriptions say much the same thing in other words "
    "(similarity %(value)s).": (
        "Proche par le sens : les deux descriptions disent à peu près la même chose avec "
        "d’autres mots (similarité %(value)s).",
        "Inhaltlich nah: Beide Beschreibungen sagen mit anderen Worten weitgehend dasselbe "
        "(Ähnlichkeit %(value)s).",
    ),
}
