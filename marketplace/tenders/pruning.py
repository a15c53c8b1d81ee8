"""Stored files no row points to any more, deleted (`marketplace documents prune`).

A file is referenced by the `sha256` of a `tender_documents` row: a tender's, lot's or
award's document (every version: replaced ones stay downloadable) or a sealed response's
attachment; that column is the only one that holds a storage key. A file loses its last
reference when a draft's document or an attachment is removed (`documents.remove`,
`documents.detach` leave the file: another row may hold the same content), or when a
transaction that stored it was rolled back.

Only files untouched for the grace period go: an upload stores its file before its row is
committed, and an upload of content already stored refreshes the file's modified time
(`core.storage`), so an upload in flight is never the cleanup's to take. The listing comes
first, the references second, and each file is looked at again just before it is deleted.

The local storage's temporary files (`ab/.upload-…`) that a crash of a `put` left behind go
too, under the same grace period: a put in flight writes its temporary file now, so only
one untouched for that long is a leftover. They are counted apart from the blobs. S3 has
none: a PutObject is atomic, an interrupted one stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from marketplace.core.storage import Blob, Leftover, Storage
from marketplace.tenders.models import Document


@dataclass
class PruneReport:
    referenced: int = 0  # kept: a row points to them
    recent: int = 0  # kept: unreferenced but newer than the grace period
    deleted: list[Blob] = field(default_factory=list)  # or, in a dry run, what would be
    # Temporary files of interrupted uploads (local storage only):
    temporaries_recent: int = 0  # kept: newer than the grace period, perhaps still written
    temporaries: list[Leftover] = field(default_factory=list)  # deleted (or would be)

    @property
    def deleted_bytes(self) -> int:
        return sum(b.size for b in self.deleted)

    @property
    def temporaries_bytes(self) -> int:
        return sum(t.size for t in self.temporaries)


async def referenced_keys(session: AsyncSession) -> set[str]:
    rows = await session.scalars(
        select(Document.sha256).where(Document.sha256.is_not(None)).distinct()
    )
    return {key for key in rows if key}


async def prune(
    session: AsyncSession, storage: Storage, cutoff: datetime, *, dry_run: bool,
    advance: Callable[[int, int], None] = lambda done, total: None,
) -> PruneReport:  # fmt: skip
    """Delete (or, `dry_run`, only report) the stored files no row references and the
    temporary files of interrupted uploads, both not modified since `cutoff`.
    `advance(done, total)` follows the stored files looked at."""
    report = PruneReport()
    for temporary in await to_thread.run_sync(lambda: list(storage.leftovers())):
        if temporary.modified_at >= cutoff:
            report.temporaries_recent += 1
            continue
        again = await to_thread.run_sync(storage.leftover, temporary.name)
        if again is None:  # its upload finished (renamed into place), or another prune
            pass
        elif again.modified_at >= cutoff:  # still being written
            report.temporaries_recent += 1
        else:
            if not dry_run:
                await to_thread.run_sync(storage.delete_leftover, temporary.name)
            report.temporaries.append(again)
    blobs = await to_thread.run_sync(lambda: list(storage.blobs()))
    keep = await referenced_keys(session)
    advance(0, len(blobs))
    for done, blob in enumerate(blobs, start=1):
        if blob.key in keep:
            report.referenced += 1
        elif blob.modified_at >= cutoff:
            report.recent += 1
        else:
            now = await to_thread.run_sync(storage.stat, blob.key)
            if now is None:  # gone meanwhile (another prune)
                pass
            elif now.modified_at >= cutoff:  # uploaded again since the listing
                report.recent += 1
            else:
                if not dry_run:
                    await to_thread.run_sync(storage.delete, blob.key)
                report.deleted.append(now)
        advance(done, len(blobs))
    return report
