"""Where uploaded files live: a small `Storage` protocol, the local filesystem one and an
S3-compatible one (AWS S3, MinIO, Ceph, Garage…), chosen by `MARKETPLACE_STORAGE`.

Files are named by the SHA-256 of their content, so the same file uploaded twice is stored
once, and a name says nothing of what the file is about (the title and filename live in the
database). Keys are fanned out by their first two hex digits: `ab/abcdef…` (under
`MARKETPLACE_S3_PREFIX/` in a bucket).

- Local: writes go to a temporary file (`ab/.upload-…`) in the same directory, then are
  renamed into place: a reader never sees half a file, and a crash leaves only a temporary
  file behind (`leftovers()`, which the cleanup deletes once older than its grace period).
- S3: one `PutObject` (atomic by S3's own rules) after a `HeadObject` that finds the object
  absent; credentials come from boto3's own chain (`AWS_ACCESS_KEY_ID`…, a profile, an
  instance role), never from the marketplace's settings. A put that fails stores nothing,
  so a bucket has no leftovers.

The methods are synchronous (boto3 is); the async callers run them in a worker thread
(`anyio.to_thread.run_sync`, and a download's chunks through Litestar's `Stream`), so a slow
disk or bucket never holds up the event loop.

An upload that finds its content already stored refreshes the blob's modified time: the
unreferenced-file cleanup (`marketplace documents prune`) deletes only blobs untouched for
its grace period, and a re-upload of content that lost its last reference must not lose
the file under the row it is about to write.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from marketplace.errors import DomainError
from marketplace.i18n import N_
from marketplace.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

log = logging.getLogger(__name__)
T = TypeVar("T")
_HEX = re.compile(r"^[0-9a-f]{64}$")
TEMPORARY_PREFIX = ".upload-"  # LocalStorage.put's file being written, before its rename
# `tempfile.mkstemp`'s names, in a fan-out folder: never a path someone wrote.
_LEFTOVER = re.compile(r"^([0-9a-f]{2})/\.upload-[A-Za-z0-9_]+$")
CHUNK_BYTES = 256 * 1024  # a download's pieces: big enough to be cheap, small enough to stream
MEDIA_TYPE = "application/octet-stream"  # the real type is the database's, read from content


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(key: str) -> str:
    if not _HEX.match(key):  # a key is a hash, never a path someone wrote
        raise ValueError(f"not a content hash: {key!r}")
    return key


class StorageMisconfigured(RuntimeError):
    """The settings choose a storage that cannot work as configured; says what to do."""


class StorageDown(DomainError):
    """The bucket's service does not answer (or answers with its own failure): 503; the
    request changed nothing (its transaction is rolled back) and may simply be tried again."""

    status = 503
    title = "Service unavailable"
    code = "unavailable"


@dataclass(frozen=True)
class Blob:
    """A stored file as the cleanup sees it."""

    key: str
    size: int
    modified_at: datetime  # timezone-aware UTC


@dataclass(frozen=True)
class Leftover:
    """A temporary file that a `put` interrupted by a crash (a killed process, a lost
    machine) left behind: part of a file, never a blob, never referenced. Named by its place
    under the storage: `ab/.upload-k2x9q1z0`. Only the local storage has them."""

    name: str
    size: int
    modified_at: datetime  # timezone-aware UTC: a put in flight keeps writing it, so recent


def _leftover_name(name: str) -> str:
    if not _LEFTOVER.match(name):  # a temporary's name, never a path someone wrote
        raise ValueError(f"not a temporary upload file: {name!r}")
    return name


class Readable(Protocol):
    """An open stored file: a local file object or S3's `StreamingBody`."""

    def read(self, size: int = ..., /) -> bytes: ...
    def close(self) -> None: ...


class Storage(Protocol):
    """Content-addressed blobs: `put` returns the content's SHA-256, its key. A key that is
    not a SHA-256 in hex is refused (`ValueError`); an absent one is `FileNotFoundError`.

    `leftovers`, `leftover` and `delete_leftover` are the temporary files interrupted puts
    left (none where a put is atomic); a name that is not a temporary's is `ValueError`."""

    name: str

    def put(self, data: bytes) -> str: ...
    def get(self, key: str) -> bytes: ...
    def open(self, key: str) -> Readable: ...
    def exists(self, key: str) -> bool: ...
    def stat(self, key: str) -> Blob | None: ...
    def blobs(self) -> Iterator[Blob]: ...
    def delete(self, key: str) -> None: ...
    def leftovers(self) -> Iterator[Leftover]: ...
    def leftover(self, name: str) -> Leftover | None: ...
    def delete_leftover(self, name: str) -> None: ...


def chunks(readable: Readable, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The file in pieces, closed at the end (or when the consumer stops early)."""
    try:
        while piece := readable.read(size):
            yield piece
    finally:
        readable.close()


class LocalStorage:
    """Blobs under `root`, fanned out by the first two hex digits of their hash."""

    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)[:2] / key

    def put(self, data: bytes) -> str:
        key = content_hash(data)
        path = self._path(key)
        if path.exists():  # de-duplicated: the same content is the same file
            os.utime(path)  # just used: not the cleanup's to take
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY_PREFIX)
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

    def open(self, key: str) -> Readable:
        return self._path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def stat(self, key: str) -> Blob | None:
        try:
            found = self._path(key).stat()
        except FileNotFoundError:
            return None
        return Blob(key, found.st_size, datetime.fromtimestamp(found.st_mtime, UTC))

    def blobs(self) -> Iterator[Blob]:
        """Every stored file, by key (temporaries and anything else in the folder are not
        blobs and are left alone)."""
        if not self.root.is_dir():
            return
        for fan in sorted(self.root.iterdir()):
            if not (fan.is_dir() and len(fan.name) == 2):
                continue
            for path in sorted(fan.iterdir()):
                if _HEX.match(path.name) and path.name[:2] == fan.name:
                    blob = self.stat(path.name)
                    if blob is not None:
                        yield blob

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def leftovers(self) -> Iterator[Leftover]:
        """The temporary files of puts that never reached their rename (a crash: a put that
        fails otherwise removes its own), and of puts still writing: the caller tells them
        apart by age."""
        if not self.root.is_dir():
            return
        for fan in sorted(self.root.iterdir()):
            if not (fan.is_dir() and len(fan.name) == 2):
                continue
            for path in sorted(fan.glob(TEMPORARY_PREFIX + "*")):
                name = f"{fan.name}/{path.name}"
                if _LEFTOVER.match(name) and (found := self.leftover(name)) is not None:
                    yield found

    def leftover(self, name: str) -> Leftover | None:
        try:
            found = (self.root / _leftover_name(name)).stat()
        except FileNotFoundError:  # renamed into place, or deleted, meanwhile
            return None
        return Leftover(name, found.st_size, datetime.fromtimestamp(found.st_mtime, UTC))

    def delete_leftover(self, name: str) -> None:
        (self.root / _leftover_name(name)).unlink(missing_ok=True)


class S3Storage:
    """Blobs in an S3 bucket (any S3-compatible service: `endpoint_url`), under `prefix`."""

    name = "s3"

    def __init__(self, client: S3Client, bucket: str, prefix: str = "") -> None:
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    def _key(self, key: str) -> str:
        return f"{self.prefix}{_checked(key)[:2]}/{key}"

    def _call(self, request: Callable[[], T]) -> T:
        """One request to the service; an outage (no connection, a timeout, a 5xx after
        boto3's retries) is `StorageDown`. A refusal (a 4xx: no such bucket, access denied)
        is the configuration's fault and stays what boto3 raised."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return request()
        except ClientError as error:
            if _status(error) < 500:
                raise
            log.warning("S3 storage failed: %s", error)
            raise StorageDown(_DOWN) from error
        except BotoCoreError as error:
            log.warning("S3 storage unreachable: %s", error)
            raise StorageDown(_DOWN) from error

    def _head(self, key: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        name = self._key(key)
        try:
            return dict(self._call(lambda: self.client.head_object(Bucket=self.bucket, Key=name)))
        except ClientError as error:
            if _status(error) == 404:
                return None
            raise

    def put(self, data: bytes) -> str:
        key = content_hash(data)
        name = self._key(key)
        if self._head(key) is not None:  # de-duplicated; a copy onto itself dates it now
            self._call(lambda: self.client.copy_object(
                Bucket=self.bucket, Key=name, CopySource={"Bucket": self.bucket, "Key": name},
                MetadataDirective="REPLACE", ContentType=MEDIA_TYPE,
            ))  # fmt: skip
            return key
        self._call(lambda: self.client.put_object(
            Bucket=self.bucket, Key=name, Body=data, ContentType=MEDIA_TYPE
        ))  # fmt: skip
        return key

    def open(self, key: str) -> Readable:
        from botocore.exceptions import ClientError

        name = self._key(key)
        try:
            found = self._call(lambda: self.client.get_object(Bucket=self.bucket, Key=name))
        except ClientError as error:
            if _status(error) == 404:
                raise FileNotFoundError(f"no stored file {key}") from None
            raise
        return found["Body"]

    def get(self, key: str) -> bytes:
        body = self.open(key)
        try:
            return body.read()
        finally:
            body.close()

    def exists(self, key: str) -> bool:
        return self._head(key) is not None

    def stat(self, key: str) -> Blob | None:
        head = self._head(key)
        if head is None:
            return None
        return Blob(key, int(head["ContentLength"]), _utc(head["LastModified"]))

    def blobs(self) -> Iterator[Blob]:
        pages = iter(
            self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix
            )
        )
        while (page := self._call(lambda: next(pages, None))) is not None:
            for item in page.get("Contents", []):
                fan, _, key = item["Key"].removeprefix(self.prefix).partition("/")
                if _HEX.match(key) and key[:2] == fan:
                    yield Blob(key, int(item["Size"]), _utc(item["LastModified"]))

    def delete(self, key: str) -> None:
        name = self._key(key)
        self._call(lambda: self.client.delete_object(Bucket=self.bucket, Key=name))

    # A PutObject is atomic: an object is stored whole or not at all, so an interrupted put
    # leaves nothing behind in the bucket (no temporary file, nothing for the cleanup).
    def leftovers(self) -> Iterator[Leftover]:
        return iter(())

    def leftover(self, name: str) -> Leftover | None:
        _leftover_name(name)
        return None

    def delete_leftover(self, name: str) -> None:
        _leftover_name(name)


# The page shows it translated (`web.problems`, the forms' `errors_of`).
_DOWN = N_("The document storage is not answering; please try again in a moment.")


def _status(error: Exception) -> int:
    response: dict[str, Any] = getattr(error, "response", {})
    return int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


# One S3 client per configuration: building one reads the credential chain and costs tens
# of milliseconds, and boto3's clients are safe to share between threads.
_S3: dict[tuple[str, str | None, str | None, str], S3Storage] = {}


def s3_storage(settings: Settings) -> S3Storage:
    if not settings.s3_bucket:
        raise StorageMisconfigured(
            "MARKETPLACE_STORAGE=s3 needs MARKETPLACE_S3_BUCKET (and, for a service other "
            "than AWS, MARKETPLACE_S3_ENDPOINT_URL); or set MARKETPLACE_STORAGE=local."
        )
    config = (settings.s3_bucket, settings.s3_endpoint_url, settings.s3_region, settings.s3_prefix)
    if config not in _S3:
        try:
            import boto3
        except ImportError:
            raise StorageMisconfigured(
                "MARKETPLACE_STORAGE=s3 needs boto3: pip install 'icc-marketplace[s3]' "
                "(or set MARKETPLACE_STORAGE=local)."
            ) from None
        from botocore.config import Config

        session = boto3.Session(region_name=settings.s3_region)
        if session.get_credentials() is None:  # boto3's chain found nothing to sign with
            raise StorageMisconfigured(
                "MARKETPLACE_STORAGE=s3 found no S3 credentials: set AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or give the machine a role) in the "
                "environment of the app and of its commands."
            )
        client = session.client(
            "s3", endpoint_url=settings.s3_endpoint_url,
            # A request waits for a bucket that does not answer seconds, not boto3's minutes.
            config=Config(connect_timeout=5, read_timeout=30,
                          retries={"max_attempts": 3, "mode": "standard"}),
        )  # fmt: skip
        _S3[config] = S3Storage(client, settings.s3_bucket, settings.s3_prefix)
    return _S3[config]


def storage_from(settings: Settings) -> Storage:
    """The storage the settings choose: the local filesystem (default) or an S3 bucket."""
    if settings.storage == "s3":
        return s3_storage(settings)
    assert settings.documents_dir is not None
    return LocalStorage(settings.documents_dir)
