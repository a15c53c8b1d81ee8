"""The one place that turns our tender records into the OCDS builder's input.

`marketplace.tenders.ocds` (pure functions, no I/O) builds the release dicts; this module
only maps models to its plain input and calls it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from marketplace.settings import Settings

if TYPE_CHECKING:
    from marketplace.tenders.models import Amendment, OcdsRelease
    from marketplace.tenders.services import TenderView


def build(
    tv: TenderView, amendments: list[Amendment], tag: str, release_id: str, now: datetime
) -> dict[str, Any]:
    # Replaced by the mapping onto marketplace.tenders.ocds once that module is merged.
    return {"ocid": tv.tender.ocid, "id": release_id, "date": now.isoformat(), "tag": [tag]}


def package(rows: list[OcdsRelease], uri: str, settings: Settings, now: datetime) -> dict[str, Any]:
    # Replaced by marketplace.tenders.ocds.release_package once that module is merged.
    return {"uri": uri, "publishedDate": now.isoformat(), "releases": [r.data for r in rows]}
