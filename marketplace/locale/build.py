"""Write the French and German catalogues from messages.pot and compile them.

`python -m marketplace.locale.build` (run by `make messages` after `pybabel extract`, and by
`make install`). A translation already present in a .po file wins over the table in
`translations_fr_de.py`, so translators may work in the .po files.
"""

from __future__ import annotations

import importlib
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from marketplace.locale.translations_fr_de import T as _MAIN

# The table is kept in several files, `translations_*.py` (one per area of the product), so
# that work on different pages does not edit one file at once; a msgid is in one of them.
T: dict[str, tuple[object, object]] = dict(_MAIN)
for _module in sorted(p.stem for p in Path(__file__).resolve().parent.glob("translations_*.py")):
    if _module != "translations_fr_de":
        T.update(importlib.import_module(f"marketplace.locale.{_module}").T)

HERE = Path(__file__).resolve().parent
LANGUAGES = {"fr": 0, "de": 1}


def _existing(path: Path) -> dict[object, object]:
    if not path.exists():
        return {}
    with path.open("rb") as f:
        # A plural message with empty forms is untranslated, not kept.
        return {
            m.id: m.string
            for m in read_po(f)
            if m.id and m.string and (not isinstance(m.string, tuple) or all(m.string))
        }


def _created(path: Path) -> datetime | None:
    if not path.exists():
        return None
    with path.open("rb") as f:
        created = read_po(f).creation_date
    return created if isinstance(created, datetime) else None


def _plural_forms(string: Any, count: int) -> tuple[str, ...] | None:
    """As many forms as the language has: French (CLDR) has three (one, many, other), the
    table gives two, so the plural serves for "many" too."""
    forms = [str(s) for s in (string if isinstance(string, (tuple, list)) else (string,))]
    if not forms or not all(forms):  # an empty form is a missing translation
        return None
    return tuple(forms[:count] + [forms[-1]] * (count - len(forms)))


def build() -> list[str]:
    """Write and compile each language; return the messages that have no translation."""
    with (HERE / "messages.pot").open("rb") as f:
        template = read_po(f)
    missing: list[str] = []
    for language, column in LANGUAGES.items():
        folder = HERE / language / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        po_path = folder / "messages.po"
        kept = _existing(po_path)
        # The date the catalogue was first written, not this run's: building again changes
        # no file.
        catalog = Catalog(
            locale=language, project="ICC Marketplace", fuzzy=False,
            creation_date=_created(po_path),
        )  # fmt: skip
        for message in template:
            if not message.id:
                continue
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            string: Any = kept.get(message.id)
            if not string and key in T:
                string = T[key][column]
            if string and message.pluralizable:
                string = _plural_forms(string, catalog.num_plurals)
            if not string:
                missing.append(f"{language}: {key}")
            catalog.add(message.id, string or ("" if not message.pluralizable else ("", "")))
        with po_path.open("wb") as f:
            write_po(f, catalog, sort_output=True, omit_header=False, width=100)
        with (folder / "messages.mo").open("wb") as f:
            write_mo(f, catalog)
    return missing


if __name__ == "__main__":
    gaps = build()
    for gap in gaps:
        print(f"untranslated {gap}", file=sys.stderr)
    sys.exit(1 if gaps else 0)
