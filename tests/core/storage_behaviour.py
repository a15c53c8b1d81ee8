"""What every `Storage` does, whatever it keeps files in: run by `TestLocalStorage`
(tests/core/test_files.py) and `TestS3Storage` (tests/core/test_storage_s3.py), each of
which gives a new, empty `storage`."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest

from marketplace.core.storage import CHUNK_BYTES, Storage, chunks, content_hash

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
OTHER = b"%PDF-1.7\nanother document\n%%EOF\n"


class StorageBehaviour:
    def test_named_by_hash_written_once_and_read_back(self, storage: Storage) -> None:
        key = storage.put(PDF)
        assert key == content_hash(PDF) and storage.exists(key) and storage.get(key) == PDF
        assert storage.put(PDF) == key  # de-duplicated: one blob for the same content
        assert [b.key for b in storage.blobs()] == [key]

    def test_opened_it_reads_back_in_pieces_the_same_bytes(self, storage: Storage) -> None:
        large = os.urandom(CHUNK_BYTES * 2 + 123)
        key = storage.put(large)
        pieces = list(chunks(storage.open(key)))
        assert len(pieces) == 3 and b"".join(pieces) == large

    @pytest.mark.parametrize("key", ["../secret_key", "A" * 64, "ab/" + "0" * 61, ""])
    def test_a_key_is_a_hash_never_a_path(self, storage: Storage, key: str) -> None:
        for method in (storage.get, storage.open, storage.exists, storage.stat, storage.delete):
            with pytest.raises(ValueError):
                method(key)

    def test_an_absent_file(self, storage: Storage) -> None:
        key = content_hash(b"never stored")
        assert not storage.exists(key) and storage.stat(key) is None
        with pytest.raises(FileNotFoundError):
            storage.open(key)
        with pytest.raises(FileNotFoundError):
            storage.get(key)
        storage.delete(key)  # nothing to do, no error

    def test_listed_with_size_and_time_then_deleted(self, storage: Storage) -> None:
        before = datetime.now(UTC) - timedelta(seconds=5)
        first, second = storage.put(PDF), storage.put(OTHER)
        listed = {b.key: b for b in storage.blobs()}
        assert set(listed) == {first, second}
        assert listed[first].size == len(PDF) and listed[second].size == len(OTHER)
        assert all(before <= b.modified_at <= datetime.now(UTC) + timedelta(seconds=5)
                   for b in listed.values())  # fmt: skip
        assert storage.stat(first) == listed[first]
        storage.delete(first)
        assert not storage.exists(first) and storage.exists(second)
        assert [b.key for b in storage.blobs()] == [second]

    def test_storing_the_same_content_again_dates_the_file_now(self, storage: Storage) -> None:
        """So the cleanup's grace period counts from the last upload of that content."""
        key = storage.put(PDF)
        stored = storage.stat(key)
        assert stored is not None
        time.sleep(1.1)  # S3 dates objects to the second
        storage.put(PDF)
        again = storage.stat(key)
        assert again is not None and again.modified_at > stored.modified_at
        assert storage.get(key) == PDF
