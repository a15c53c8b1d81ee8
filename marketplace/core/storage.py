"""Where uploaded files live: a small `Storage` protocol, and the local filesystem one.

Files are named by the SHA-256 of their content, so the same file uploaded twice is stored
once, and a name says nothing of what the file is about (the title and filename live in the
database). Writes go to a temporary file in the same directory, then are renamed into place:
a reader never sees half a file, and a crash leaves only a temporary file behind.

S3-compatible storage is not built: no S3 client library is installed in this project's
environment, and an imitation of one would be worse than none (docs/tenders.md says how it
would plug in: another class with these three methods, chosen by settings).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from marketplace.settings import Settings

_HEX = re.compile(r"^[0-9a-f]{64}$")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Storage(Protocol):
    """Content-addressed blobs: `put` returns the content's SHA-256, its key."""

    def put(self, data: bytes) -> str: ...
    def get(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...


class LocalStorage:
    """Blobs under `root`, fanned out by the first two hex digits of their hash."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not _HEX.match(key):  # a key is a hash, never a path someone wrote
            raise ValueError(f"not a content hash: {key!r}")
        return self.root / key[:2] / key

    def put(self, data: bytes) -> str:
        key = content_hash(data)
        path = self._path(key)
        if path.exists():  # de-duplicated: the same content is the same file
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).exists()


def storage_from(settings: Settings) -> Storage:
    """The storage the settings choose (today: the local filesystem)."""
    assert settings.documents_dir is not None
    return LocalStorage(settings.documents_dir)
